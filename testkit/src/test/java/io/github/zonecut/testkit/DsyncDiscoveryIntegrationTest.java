package io.github.zonecut.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.DiscoveryResult;
import io.github.zonecut.core.DsyncDiscovery;
import io.github.zonecut.core.ValidatingLookup;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Type;

/**
 * RFC 9859 §4.1 discovery by zonecut core over the testkit's worked example ({@link
 * DsyncFixtureTest}): both publication paths, SECURE required and INSECURE accepted.
 */
class DsyncDiscoveryIntegrationTest {
  @RegisterExtension
  static final CoreTransportExtension NET = new CoreTransportExtension();

  private static DiscoveryResult discover(Consumer<TestHierarchy.Builder> fixture, DsyncDiscovery.Policy policy)
      throws Exception {
    TestHierarchy.Builder b = TestHierarchy.builder();
    fixture.accept(b);
    try (TestHierarchy h = b.start()) {
      ValidatingLookup lookup =
          ValidatingLookup.builder(NET.transport(), h.recursive().dnsEndpoint(), NET.executor())
              .trustAnchors(h.trustAnchors())
              .clock(h.clock())
              .timeout(Duration.ofSeconds(2))
              .build();
      DsyncDiscovery discovery =
          DsyncDiscovery.builder(lookup).policy(policy).overrides(h.endpointOverrides()).build();
      DiscoveryResult r =
          discovery.discoverNotify(Dns.name(DsyncFixtureTest.CHILD), Type.CDS)
              .toCompletableFuture().get(30, TimeUnit.SECONDS);
      if (r instanceof DiscoveryResult.Found) {
        assertThat(((DiscoveryResult.Found) r).endpoints())
            .containsExactly(h.nameserver("ns1.example.").dnsEndpoint());
      }
      return r;
    }
  }

  @Test
  void childSpecificPathIsFoundSecure() throws Exception {
    DiscoveryResult r = discover(DsyncFixtureTest.SPECIFIC_PATH, DsyncDiscovery.Policy.REQUIRE_SECURE);
    assertThat(r).as(r.toString()).isInstanceOf(DiscoveryResult.Found.class);
    assertThat(r.steps()).extracting(s -> s.name().toString())
        .containsExactly("subsub._dsync.sub.child.example.", DsyncFixtureTest.SPECIFIC);
  }

  @Test
  void parentWidePathIsFoundSecure() throws Exception {
    DiscoveryResult r = discover(DsyncFixtureTest.GENERAL_PATH, DsyncDiscovery.Policy.REQUIRE_SECURE);
    assertThat(r).as(r.toString()).isInstanceOf(DiscoveryResult.Found.class);
    assertThat(r.steps()).extracting(s -> s.name().toString())
        .containsExactly("subsub._dsync.sub.child.example.", DsyncFixtureTest.SPECIFIC, DsyncFixtureTest.GENERAL);
  }

  @Test
  void insecureParentIsRefusedWhenSecureIsRequired() throws Exception {
    DiscoveryResult r = discover(DsyncFixtureTest.INSECURE_PARENT, DsyncDiscovery.Policy.REQUIRE_SECURE);
    assertThat(r).as(r.toString()).isInstanceOfSatisfying(DiscoveryResult.Refused.class,
        x -> assertThat(x.reason()).isEqualTo(DiscoveryResult.Reason.NOT_SECURE));
  }

  @Test
  void insecureParentIsAcceptedWhenAllowed() throws Exception {
    DiscoveryResult r = discover(DsyncFixtureTest.INSECURE_PARENT, DsyncDiscovery.Policy.ACCEPT_INSECURE);
    assertThat(r).as(r.toString()).isInstanceOf(DiscoveryResult.Found.class);
  }
}
