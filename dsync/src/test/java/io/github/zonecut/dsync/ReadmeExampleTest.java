package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.testkit.TestHierarchy;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** The README's acceptance-check snippet, kept compiling and running. */
class ReadmeExampleTest {

  /** README: "CDS/CDNSKEY/CSYNC acceptance checks". */
  static String scanOnce(NioDnsTransport transport, ValidatingLookup validating,
      Name child, Optional<Delegation> current, Observer.Builder observerSettings)
      throws Exception {
    AcceptanceChecks checks = AcceptanceChecks.of(AcceptancePolicy.cdsWithCsync());
    Observer observer = observerSettings.build();
    Observations seen = observer.observe(child, current).toCompletableFuture().get();
    Decision decision = checks.cds(seen);
    if (decision instanceof Decision.Accept) {
      DelegationChange change = ((Decision.Accept) decision)
          .toChange("scan-1", DelegationChange.Source.SCAN, seen.observedAt());
      return "apply " + change.delta(); // backend.apply(change)
    } else if (decision instanceof Decision.Pending) {
      Decision.Pending p = (Decision.Pending) decision;
      return "pending " + p.reason() + ": " + p.detail(); // persist p.history(), scan again
    } else if (decision instanceof Decision.Refused) {
      Decision.Refused r = (Decision.Refused) decision;
      return "refused " + r.reason() + ": " + r.detail(); // tell the registrant
    }
    return "no change";
  }

  @Test
  void theSnippetRuns() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try (TestHierarchy h = TestHierarchy.builder().zone("test.").zone("child.test.").start();
        NioDnsTransport transport = NioDnsTransport.create(executor)) {
      ValidatingLookup validating = ValidatingLookup.builder(transport,
          DnsEndpoint.of(h.recursive().address()), executor).trustAnchors(h.trustAnchors())
          .clock(h.clock()).build();
      Name child = Name.fromConstantString("child.test.");
      Delegation current = Delegation.builder(child)
          .nameservers(Name.fromConstantString("ns1.child.test."))
          .glue(Name.fromConstantString("ns1.child.test."), java.net.InetAddress.getLoopbackAddress())
          .ds(DsData.of(h.zone("child.test.").ds().get(0))).build();
      String outcome = scanOnce(transport, validating, child, Optional.of(current),
          Observer.builder(transport, validating).overrides(h.endpointOverrides())
              .clock(h.clock()));
      assertThat(outcome).isEqualTo("no change");
    } finally {
      executor.shutdownNow();
    }
  }
}
