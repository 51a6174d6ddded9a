package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.AddressPolicy;
import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.DiscoveryResult;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DsyncDiscovery;
import io.github.zonecut.core.DsyncScheme;
import io.github.zonecut.core.Verdict;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * RFC 9859 §4.1 DSYNC discovery by zonecut, through Unbound, against the DSYNC records Knot serves
 * for {@code parent.test.}: found, SECURE at every step, for each (RRtype, scheme) published; and
 * refused under the default REQUIRE_SECURE policy when the client has no trust anchor.
 */
@ExtendWith(TestnetExtension.class)
class DsyncDiscoveryInteropTest {
  /** The test network's servers live on 127.0.0.x, which the default policy refuses. */
  private static final AddressPolicy LAB = AddressPolicy.allowLoopbackAndPrivateForTesting();

  private static ZonecutLookups anchored;
  private static ZonecutLookups unanchored;

  @BeforeAll
  static void start(Testnet net) throws Exception {
    anchored = ZonecutLookups.start(net, true);
    unanchored = ZonecutLookups.start(net, false);
  }

  @AfterAll
  static void stop() {
    for (ZonecutLookups z : new ZonecutLookups[] {anchored, unanchored}) {
      if (z != null) {
        z.close();
      }
    }
  }

  private static DsyncDiscovery discovery() {
    return DsyncDiscovery.builder(anchored.lookup()).addressPolicy(LAB).build();
  }

  private static void assertFoundSecurely(DiscoveryResult result, Testnet net, int rrType,
      DsyncScheme scheme) {
    assertThat(result).isInstanceOfSatisfying(DiscoveryResult.Found.class, found -> {
      assertThat(found.record().getRRType()).isEqualTo(rrType);
      assertThat(found.record().getScheme()).isEqualTo(scheme);
      assertThat(found.record().getTarget()).isEqualTo(Name.fromConstantString("ns1.parent.test."));
      assertThat(found.endpoints()).containsExactly(DnsEndpoint.of(net.parent()));
      assertThat(found.steps()).isNotEmpty()
          .allSatisfy(step -> assertThat(step.verdict()).isEqualTo(Optional.of(Verdict.SECURE)));
    });
  }

  @Test
  void updateEndpointOfTheSecureChildIsFoundSecurely(Testnet net) throws Exception {
    DiscoveryResult result = ZonecutLookups.await(
        discovery().discoverUpdate(Name.fromConstantString("child.parent.test.")));

    assertFoundSecurely(result, net, Type.ANY, DsyncScheme.update(Codepoints.DEFAULT));
    // RFC 9859 §4.1: child-specific name first (NXDOMAIN, secure), then the parent's _dsync
    assertThat(result.steps()).extracting(s -> s.name().toString())
        .containsSubsequence("child._dsync.parent.test.", "_dsync.parent.test.");
  }

  @Test
  void notifyEndpointsAreFoundForCdsAndCsync(Testnet net) throws Exception {
    Name child = Name.fromConstantString("new.parent.test.");

    assertFoundSecurely(ZonecutLookups.await(discovery().discoverNotify(child, Type.CDS)), net,
        Type.CDS, DsyncScheme.NOTIFY);
    assertFoundSecurely(ZonecutLookups.await(discovery().discoverNotify(child, Type.CSYNC)), net,
        Type.CSYNC, DsyncScheme.NOTIFY);
  }

  @Test
  void withoutATrustAnchorDiscoveryIsRefusedAsNotSecure() throws Exception {
    DsyncDiscovery insecure = DsyncDiscovery.builder(unanchored.lookup()).addressPolicy(LAB)
        .build();

    DiscoveryResult result = ZonecutLookups.await(
        insecure.discoverUpdate(Name.fromConstantString("child.parent.test.")));

    assertThat(result).isInstanceOfSatisfying(DiscoveryResult.Refused.class,
        r -> assertThat(r.reason()).isEqualTo(DiscoveryResult.Reason.NOT_SECURE));
  }

  @Test
  void withoutATrustAnchorTheInsecurePolicyStillFindsIt(Testnet net) throws Exception {
    DsyncDiscovery insecure = DsyncDiscovery.builder(unanchored.lookup()).addressPolicy(LAB)
        .policy(DsyncDiscovery.Policy.ACCEPT_INSECURE).build();

    DiscoveryResult result = ZonecutLookups.await(
        insecure.discoverUpdate(Name.fromConstantString("child.parent.test.")));

    assertThat(result).isInstanceOfSatisfying(DiscoveryResult.Found.class, found -> {
      assertThat(found.endpoints()).containsExactly(DnsEndpoint.of(net.parent()));
      assertThat(found.steps()).allSatisfy(
          step -> assertThat(step.verdict()).isEqualTo(Optional.of(Verdict.INSECURE)));
    });
  }
}
