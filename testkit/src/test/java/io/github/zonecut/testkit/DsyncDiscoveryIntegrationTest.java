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
          h.validatingLookup(NET.transport(), NET.executor()).timeout(Duration.ofSeconds(2)).build();
      DsyncDiscovery discovery = h.dsyncDiscovery(lookup).policy(policy).build();
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

  private static DiscoveryResult await(java.util.concurrent.CompletionStage<DiscoveryResult> stage)
      throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** test. above parent.test. (DSYNC for every child) above child.parent.test. */
  private static TestHierarchy threeLevels(String dsyncTarget, String targetRecords) throws Exception {
    return TestHierarchy.builder()
        .clock(Dns.CLOCK)
        .zone("test.")
        .zone("parent.test.", z -> z.records("_dsync DSYNC CDS 1 5359 " + dsyncTarget + "\n" + targetRecords))
        .zone("child.parent.test.")
        .start();
  }

  @Test
  void aReusedLookupSeesABrokenParentDsOnlyAfterAFlush() throws Exception {
    try (TestHierarchy h = threeLevels("ns1.parent.test.", "")) {
      ValidatingLookup lookup =
          h.validatingLookup(NET.transport(), NET.executor()).timeout(Duration.ofSeconds(2)).build();
      DsyncDiscovery discovery = h.dsyncDiscovery(lookup).build();
      assertThat(await(discovery.discoverNotify(Dns.name("child.parent.test."), Type.CDS)))
          .isInstanceOf(DiscoveryResult.Found.class);

      h.zone("parent.test.").setParentDs(ParentDs.WRONG);

      // the validator cached parent.test.'s DNSKEY RRset when it was SECURE, and keeps using it
      // until the entry expires: that is the cache's nature, and why flush() exists
      DiscoveryResult stale = await(discovery.discoverNotify(Dns.name("child.parent.test."), Type.CDS));
      assertThat(stale).as(stale.toString()).isInstanceOf(DiscoveryResult.Found.class);

      lookup.flush(Dns.name("parent.test."));
      DiscoveryResult flushed = await(discovery.discoverNotify(Dns.name("child.parent.test."), Type.CDS));
      assertThat(flushed).as(flushed.toString()).isInstanceOfSatisfying(DiscoveryResult.Refused.class,
          r -> assertThat(r.reason()).isEqualTo(DiscoveryResult.Reason.BOGUS));

      h.zone("parent.test.").setParentDs(ParentDs.CORRECT);
      lookup.flush();
      assertThat(await(discovery.discoverNotify(Dns.name("child.parent.test."), Type.CDS)))
          .isInstanceOf(DiscoveryResult.Found.class);
    }
  }

  @Test
  void aLoopbackTargetNeedsTheLabPolicy() throws Exception {
    // the target is no nameserver, so no name override applies: its A record says 127.0.0.9
    try (TestHierarchy h = threeLevels("scanner.parent.test.", "scanner A 127.0.0.9")) {
      ValidatingLookup lookup =
          h.validatingLookup(NET.transport(), NET.executor()).timeout(Duration.ofSeconds(2)).build();
      DiscoveryResult lab = await(h.dsyncDiscovery(lookup).build()
          .discoverNotify(Dns.name("child.parent.test."), Type.CDS));
      assertThat(lab).as(lab.toString()).isInstanceOfSatisfying(DiscoveryResult.Found.class,
          f -> assertThat(f.endpoints()).containsExactly(io.github.zonecut.core.DnsEndpoint.of("127.0.0.9", 5359)));

      DiscoveryResult production = await(DsyncDiscovery.builder(lookup).overrides(h.endpointOverrides())
          .build().discoverNotify(Dns.name("child.parent.test."), Type.CDS));
      assertThat(production).as(production.toString()).isInstanceOfSatisfying(DiscoveryResult.Refused.class, r -> {
        assertThat(r.reason()).isEqualTo(DiscoveryResult.Reason.TARGET_ADDRESS_REFUSED);
        assertThat(r.refusedAddresses()).extracting(x -> x.toString()).containsExactly("127.0.0.9 (LOOPBACK)");
      });
    }
  }
}
