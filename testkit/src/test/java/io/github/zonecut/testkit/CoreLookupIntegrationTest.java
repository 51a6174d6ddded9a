package io.github.zonecut.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.DirectLookup;
import io.github.zonecut.core.DnsLookup;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.core.Verdict;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/** zonecut core's validated and direct lookups against the testkit hierarchy and its faults. */
class CoreLookupIntegrationTest {
  @RegisterExtension
  static final TestHierarchyExtension HIERARCHY =
      TestHierarchyExtension.of(
          b -> b.clock(Dns.CLOCK)
              .zone("test.", z -> z.nameservers("ns1.test.", "ns2.test.").records("www A 192.0.2.1"))
              .zone("p256.test.", z -> z.algorithm(SigningAlgorithm.ECDSAP256SHA256).records("www A 192.0.2.2"))
              .zone("ed25519.test.", z -> z.algorithm(SigningAlgorithm.ED25519).records("www A 192.0.2.3"))
              .zone("insecure.test.", z -> z.parentDs(ParentDs.ABSENT).records("www A 192.0.2.4"))
              .zone("wrong.test.", z -> z.parentDs(ParentDs.WRONG).records("www A 192.0.2.5")));

  @RegisterExtension
  static final CoreTransportExtension NET = new CoreTransportExtension();

  @AfterEach
  void reset() {
    TestHierarchy h = HIERARCHY.get();
    h.nameservers().values().forEach(e -> {
      e.clearFault();
      e.thaw();
    });
    h.recursive().clearFault();
  }

  private static DnsLookup validated() throws Exception {
    TestHierarchy h = HIERARCHY.get();
    return ValidatingLookup.builder(NET.transport(), h.recursive().dnsEndpoint(), NET.executor())
        .trustAnchors(h.trustAnchors())
        .clock(h.clock())
        .timeout(Duration.ofSeconds(2))
        .build();
  }

  private static DnsLookup direct(String nameserver, Duration timeout) {
    return DirectLookup.builder(NET.transport(), HIERARCHY.get().nameserver(nameserver).dnsEndpoint())
        .timeout(timeout)
        .build();
  }

  private static LookupResult run(DnsLookup lookup, String name, int type) throws Exception {
    return lookup.lookup(Dns.name(name), type).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"p256.test.", "ed25519.test."})
  void validatedAnswerNxdomainAndNodataAreSecure(String zone) throws Exception {
    DnsLookup lookup = validated();
    assertThat(run(lookup, "www." + zone, Type.A))
        .isInstanceOfSatisfying(LookupResult.Answer.class, a -> assertThat(a.verdict()).isEqualTo(Verdict.SECURE));
    assertThat(run(lookup, "nope." + zone, Type.A))
        .isInstanceOfSatisfying(LookupResult.NxDomain.class, n -> {
          assertThat(n.verdict()).isEqualTo(Verdict.SECURE);
          assertThat(n.soa()).extracting(SOARecord::getName).isEqualTo(Dns.name(zone));
        });
    assertThat(run(lookup, "www." + zone, Type.AAAA))
        .isInstanceOfSatisfying(LookupResult.NoData.class, n -> assertThat(n.verdict()).isEqualTo(Verdict.SECURE));
  }

  @Test
  void validatedInsecureAndBogus() throws Exception {
    DnsLookup lookup = validated();
    assertThat(run(lookup, "www.insecure.test.", Type.A))
        .isInstanceOfSatisfying(LookupResult.Answer.class, a -> assertThat(a.verdict()).isEqualTo(Verdict.INSECURE));
    assertThat(run(lookup, "www.wrong.test.", Type.A)).isInstanceOf(LookupResult.Bogus.class);
  }

  @Test
  void validatedLookupSeesRecursiveFaults() throws Exception {
    TestHierarchy h = HIERARCHY.get();
    h.recursive().setFault(Fault.bogusSignatures());
    assertThat(run(validated(), "www.p256.test.", Type.A)).isInstanceOf(LookupResult.Bogus.class);
    h.recursive().setFault(Fault.servfail());
    assertThat(run(validated(), "www.p256.test.", Type.A)).isInstanceOf(LookupResult.ServFail.class);
    h.recursive().setFault(Fault.silence());
    assertThat(run(validated(), "www.p256.test.", Type.A)).isInstanceOf(LookupResult.Timeout.class);
    h.recursive().setFault(Fault.truncate());
    assertThat(run(validated(), "www.p256.test.", Type.A))
        .isInstanceOfSatisfying(LookupResult.Answer.class, a -> assertThat(a.verdict()).isEqualTo(Verdict.SECURE));
  }

  @Test
  void directLookupIsUnvalidatedAndSeesReferrals() throws Exception {
    DnsLookup ns1 = direct("ns1.test.", Duration.ofSeconds(2));
    assertThat(run(ns1, "www.test.", Type.A))
        .isInstanceOfSatisfying(LookupResult.Answer.class, a -> assertThat(a.verdict()).isEqualTo(Verdict.UNVALIDATED));
    assertThat(run(ns1, "nope.test.", Type.A)).isInstanceOf(LookupResult.NxDomain.class);
    assertThat(run(ns1, "www.test.", Type.AAAA)).isInstanceOf(LookupResult.NoData.class);
    assertThat(run(ns1, "www.p256.test.", Type.A))
        .isInstanceOfSatisfying(LookupResult.Failed.class,
            f -> assertThat(f.problem()).isEqualTo(LookupResult.Problem.UNEXPECTED_ANSWER));
  }

  @Test
  void directLookupSeesEveryNameserverFault() throws Exception {
    TestHierarchy h = HIERARCHY.get();
    Endpoint ns1 = h.nameserver("ns1.test.");
    DnsLookup lookup = direct("ns1.test.", Duration.ofMillis(500));

    ns1.setFault(Fault.silence());
    assertThat(run(lookup, "www.test.", Type.A)).isInstanceOf(LookupResult.Timeout.class);
    ns1.setFault(Fault.delay(Duration.ofSeconds(2)));
    assertThat(run(lookup, "www.test.", Type.A)).isInstanceOf(LookupResult.Timeout.class);
    ns1.setFault(Fault.servfail());
    assertThat(run(lookup, "www.test.", Type.A)).isInstanceOf(LookupResult.ServFail.class);
    ns1.setFault(Fault.rcode(Rcode.REFUSED));
    assertThat(run(lookup, "www.test.", Type.A))
        .isInstanceOfSatisfying(LookupResult.Failed.class, f -> {
          assertThat(f.problem()).isEqualTo(LookupResult.Problem.ERROR_RCODE);
          assertThat(f.rcode()).isEqualTo(Rcode.REFUSED);
        });
    ns1.setFault(Fault.truncate());
    assertThat(run(direct("ns1.test.", Duration.ofSeconds(3)), "www.test.", Type.A)).isInstanceOf(LookupResult.Answer.class);
    ns1.setFault(Fault.bogusSignatures());
    assertThat(run(lookup, "www.test.", Type.A)).isInstanceOf(LookupResult.Answer.class); // unvalidated: not noticed
    ns1.setFault(Fault.script(q -> Optional.of(new byte[] {0, 1, 2})));
    assertThat(run(DirectLookup.builder(NET.transport(), ns1.dnsEndpoint())
            .protocol(io.github.zonecut.core.TransportProtocol.TCP).timeout(Duration.ofSeconds(2)).build(),
        "www.test.", Type.A))
        .isInstanceOfSatisfying(LookupResult.Failed.class,
            f -> assertThat(f.problem()).isEqualTo(LookupResult.Problem.MALFORMED_RESPONSE));
  }

  @Test
  void directLookupsSeeDivergentNameservers() throws Exception {
    TestHierarchy h = HIERARCHY.get();
    h.nameserver("ns2.test.").freeze();
    h.zone("test.").replace("www A 192.0.2.100");
    try {
      LookupResult fresh = run(direct("ns1.test.", Duration.ofSeconds(2)), "www.test.", Type.A);
      LookupResult stale = run(direct("ns2.test.", Duration.ofSeconds(2)), "www.test.", Type.A);
      assertThat(((LookupResult.Answer) fresh).rrset().first().rdataToString()).isEqualTo("192.0.2.100");
      assertThat(((LookupResult.Answer) stale).rrset().first().rdataToString()).isEqualTo("192.0.2.1");
    } finally {
      h.zone("test.").replace("www A 192.0.2.1");
    }
  }
}
