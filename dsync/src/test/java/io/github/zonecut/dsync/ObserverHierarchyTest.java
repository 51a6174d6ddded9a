package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.testkit.Fault;
import io.github.zonecut.testkit.TestHierarchy;
import io.github.zonecut.testkit.TestZone;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;

/**
 * The Observer against a real in-process signed hierarchy (testkit): every server of the child
 * asked over TCP, the chain validated from the hierarchy's trust anchor, then the checks.
 */
class ObserverHierarchyTest {
  static final Name CHILD = Name.fromConstantString("child.test.");
  static final Name NS1 = Name.fromConstantString("ns1.nsop.test.");
  static final Name NS2 = Name.fromConstantString("ns2.nsop.test.");

  ExecutorService executor;
  NioDnsTransport transport;
  TestHierarchy h;
  Observer observer;
  Delegation current;
  TestZone child;

  @BeforeEach
  void start() throws Exception {
    executor = Executors.newFixedThreadPool(2);
    transport = NioDnsTransport.create(executor);
    h = TestHierarchy.builder()
        .zone("test.")
        .zone("child.test.", z -> z.nameservers("ns1.nsop.test.", "ns2.nsop.test."))
        .start();
    ValidatingLookup validating = ValidatingLookup.builder(transport,
        DnsEndpoint.of(h.recursive().address()), executor)
        .trustAnchors(h.trustAnchors()).clock(h.clock()).build();
    observer = Observer.builder(transport, validating).overrides(h.endpointOverrides())
        .clock(h.clock()).timeout(Duration.ofSeconds(2)).build();
    child = h.zone("child.test.");
    current = Delegation.builder(CHILD).nameservers(NS1, NS2)
        .ds(DsData.of(child.ds().get(0))).build();
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
    transport.close();
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** The child asks for a SHA-384 DS beside its SHA-256 one (same key: continuity holds). */
  private void publishCds() {
    DNSKEYRecord ksk = child.dnskeys().stream().filter(k -> k.getFlags() == 257).findFirst()
        .orElseThrow();
    DsData sha256 = DsData.compute(CHILD, ksk, DsData.SHA256);
    DsData sha384 = DsData.compute(CHILD, ksk, DsData.SHA384);
    child.edit(e -> {
      for (DsData d : new DsData[] {sha256, sha384}) {
        e.add(new CDSRecord(CHILD, DClass.IN, 300, d.keyTag(), d.algorithm(), d.digestType(),
            d.digest()));
      }
    });
  }

  private Observations observe() throws Exception {
    return observer.observe(CHILD, Optional.of(current)).toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  @Test
  void observesEveryServerAndAcceptsAConsistentValidatedCds() throws Exception {
    publishCds();
    Observations obs = observe();

    assertThat(obs.servers()).extracting(ServerObservation::nameserver)
        .containsExactlyInAnyOrder(NS1, NS2);
    assertThat(obs.answersAuthoritatively(NS1)).isTrue();
    assertThat(obs.answersAuthoritatively(NS2)).isTrue();

    Decision d = AcceptanceChecks.of(AcceptancePolicy.cdsWithDsboot()).cds(obs);
    assertThat(d).isInstanceOf(Decision.Accept.class);
    assertThat(((Decision.Accept) d).desired().ds()).hasSize(2)
        .extracting(DsData::digestType).containsExactlyInAnyOrder(2, 4);
    // a SHA-256-only parent already has what it would take: nothing to do
    assertThat(AcceptanceChecks.of(AcceptancePolicy.cdsWithCsync()).cds(obs))
        .isInstanceOf(Decision.NoChange.class);
  }

  @Test
  void refusesWhenOneServerDiverges() throws Exception {
    h.nameserver("ns2.nsop.test.").freeze(); // ns2 misses the edit: a stale secondary
    publishCds();

    Decision d = AcceptanceChecks.of(AcceptancePolicy.cdsWithDsboot()).cds(observe());

    assertThat(d).isInstanceOf(Decision.Refused.class);
    assertThat(((Decision.Refused) d).reason()).isEqualTo(Reason.INCONSISTENT);
  }

  @Test
  void aSilentServerMakesItARetry() throws Exception {
    publishCds();
    h.nameserver("ns2.nsop.test.").setFault(Fault.silence());

    Decision d = AcceptanceChecks.of(AcceptancePolicy.cdsWithDsboot()).cds(observe());

    assertThat(d).isInstanceOf(Decision.Pending.class);
    assertThat(((Decision.Pending) d).reason()).isEqualTo(Reason.SERVER_UNREACHABLE);
  }

  @Test
  void theUpdatePathRefusesALameAddedNameserver() throws Exception {
    Name nowhere = Name.fromConstantString("ns9.nowhere.test.");
    Observations obs = observer.observe(CHILD, Optional.of(current), Set.of(nowhere))
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(obs.servers()).anyMatch(s -> s instanceof ServerObservation.Unresolved
        && s.nameserver().equals(nowhere));

    Delegation desired = Delegation.builder(CHILD).nameservers(NS1, NS2, nowhere)
        .ds(current.ds().toArray(new DsData[0])).build();
    DelegationChange change = new DelegationChange("u1", CHILD, current, desired,
        DelegationChange.Source.UPDATE, h.clock().instant());
    CheckResult r = DelegationChecks.defaults().check(change, obs);
    assertThat(r).isInstanceOf(CheckResult.Failed.class);
    assertThat(((CheckResult.Failed) r).reason()).isEqualTo(Reason.LAME_NAMESERVER);

    Delegation same = Delegation.builder(CHILD).nameservers(NS1, NS2)
        .ds(current.ds().toArray(new DsData[0])).build();
    assertThat(DelegationChecks.defaults().check(new DelegationChange("u2", CHILD, current,
        same, DelegationChange.Source.UPDATE, h.clock().instant()), obs).passed()).isTrue();
  }

  @Test
  void aCsyncObservedOnTheHierarchyDropsANameserverOnlyWhenImmediate() throws Exception {
    child.edit(e -> e.replace("child.test. 3600 IN NS ns1.nsop.test.")
        .add("child.test. 300 IN CSYNC 0 0 NS"));
    AcceptanceChecks checks = AcceptanceChecks.of(AcceptancePolicy.cdsWithCsync());

    Decision waiting = checks.csync(observe());
    assertThat(waiting).isInstanceOf(Decision.Pending.class);
    assertThat(((Decision.Pending) waiting).reason()).isEqualTo(Reason.APPROVAL_REQUIRED);

    child.edit(e -> e.replace("child.test. 300 IN CSYNC 0 1 NS"));
    Decision d = checks.csync(observe());
    assertThat(d).isInstanceOf(Decision.Accept.class);
    assertThat(((Decision.Accept) d).desired().nameservers()).containsExactly(NS1);
    assertThat(((Decision.Accept) d).desired().ds()).isEqualTo(current.ds());
  }
}
