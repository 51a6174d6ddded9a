package io.github.zonecut.keystate;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.keystate.VerificationResult.Failed;
import io.github.zonecut.keystate.VerificationResult.NotApplicable;
import io.github.zonecut.keystate.VerificationResult.Pending;
import io.github.zonecut.keystate.VerificationResult.Verified;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.testkit.Fault;
import io.github.zonecut.testkit.ParentDs;
import io.github.zonecut.testkit.TestHierarchy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;

/**
 * The four bootstrap methods on a signed in-process hierarchy: each succeeds where its
 * preconditions hold and fails or steps aside where they do not (spec/specs.md §9.4).
 */
class HierarchyBootstrapTest {
  static final Name SECURE = Name.fromConstantString("secure.parent.test.");
  static final Name INSECURE = Name.fromConstantString("insecure.parent.test.");
  static final Name INDOMAIN = Name.fromConstantString("indomain.parent.test.");
  static final Name BOGUS = Name.fromConstantString("bogus.parent.test.");
  static final Name OPERATOR_NS = Name.fromConstantString("ns.operator.test.");

  static ExecutorService executor;
  static NioDnsTransport transport;
  static TestHierarchy h;
  static KEYRecord secureKey;
  static KEYRecord insecureKey;
  static KEYRecord indomainKey;
  static KEYRecord bogusKey;
  static KeyLookup validated;

  static KEYRecord key(Name owner) throws Exception {
    return Sig0KeyPair.generate(owner, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST)
        .publicKey().toKeyRecord(300);
  }

  @BeforeAll
  static void start() throws Exception {
    executor = Executors.newFixedThreadPool(2);
    transport = NioDnsTransport.create(executor);
    secureKey = key(SECURE);
    insecureKey = key(INSECURE);
    indomainKey = key(INDOMAIN);
    bogusKey = key(BOGUS);
    Name signal = AtNsVerifier.signalName(INSECURE, OPERATOR_NS).orElseThrow();
    KEYRecord published = new KEYRecord(signal, insecureKey.getDClass(), 300,
        insecureKey.getFlags(), insecureKey.getProtocol(), insecureKey.getAlgorithm(),
        insecureKey.getKey());
    h = TestHierarchy.builder()
        .zone("test.")
        .zone("parent.test.")
        .zone("operator.test.", z -> z.nameservers("ns.operator.test.").records(published))
        .zone("secure.parent.test.", z -> z.records(secureKey))
        .zone("insecure.parent.test.", z -> z.unsigned()
            .nameservers("ns1.insecure.parent.test.", "ns2.insecure.parent.test.",
                "ns.operator.test.")
            .records(insecureKey))
        .zone("indomain.parent.test.", z -> z.unsigned().records(indomainKey))
        .zone("bogus.parent.test.", z -> z.parentDs(ParentDs.WRONG).records(bogusKey))
        .start();
    validated = KeyLookup.validating(h.newValidatingResolver(), executor);
  }

  @AfterAll
  static void stop() {
    h.close();
    transport.close();
    executor.shutdownNow();
  }

  static VerificationResult run(BootstrapVerifier v, KEYRecord k, List<Name> ns,
      List<DnsEndpoint> servers, VerificationProgress p) throws Exception {
    return v.verify(new VerificationRequest(KeyIdentity.of(k), ns, servers, p))
        .toCompletableFuture().get();
  }

  static List<DnsEndpoint> servers(String... names) {
    List<DnsEndpoint> out = new ArrayList<>();
    for (String n : names) {
      out.add(DnsEndpoint.of(h.nameserver(n).address()));
    }
    return out;
  }

  static List<Name> names(String... names) {
    return java.util.Arrays.stream(names).map(Name::fromConstantString).toList();
  }

  // --- at-apex ---

  @Test
  void atApexSucceedsForASignedChild() throws Exception {
    assertThat(run(new AtApexVerifier(validated), secureKey, List.of(), List.of(), null))
        .isInstanceOf(Verified.class);
  }

  @Test
  void atApexDoesNotApplyToAnUnsignedChild() throws Exception {
    assertThat(run(new AtApexVerifier(validated), insecureKey, List.of(), List.of(), null))
        .isInstanceOf(NotApplicable.class);
  }

  @Test
  void atApexFailsUnderABogusDs() throws Exception {
    assertThat(run(new AtApexVerifier(validated), bogusKey, List.of(), List.of(), null))
        .isInstanceOf(Failed.class).extracting(r -> ((Failed) r).reason()).asString()
        .contains("BOGUS");
  }

  @Test
  void atApexFailsWhenTheSecureRrsetLacksTheKey() throws Exception {
    KEYRecord other = key(SECURE);
    assertThat(run(new AtApexVerifier(validated), other, List.of(), List.of(), null))
        .isInstanceOf(Failed.class);
  }

  // --- at-ns ---

  @Test
  void atNsSucceedsThroughASignedOperatorZoneSkippingInDomainNs() throws Exception {
    VerificationResult r = run(new AtNsVerifier(validated), insecureKey,
        names("ns1.insecure.parent.test.", "ns.operator.test."), List.of(), null);
    assertThat(r).isInstanceOf(Verified.class);
    assertThat(((Verified) r).evidence()).contains("_sig0key.insecure.parent.test._signal")
        .contains("inside the child");
  }

  @Test
  void atNsDoesNotApplyWithOnlyInDomainNameservers() throws Exception {
    assertThat(run(new AtNsVerifier(validated), indomainKey, names("ns1.indomain.parent.test."),
        List.of(), null)).isInstanceOf(NotApplicable.class);
  }

  @Test
  void atNsFailsWhenTheSignalDoesNotCarryTheKey() throws Exception {
    KEYRecord other = key(INSECURE);
    assertThat(run(new AtNsVerifier(validated), other, names("ns.operator.test."), List.of(),
        null)).isInstanceOf(Failed.class);
  }

  @Test
  void atNsSkipsNameserversWhoseSignallingNameIsTooLong() throws Exception {
    String label = "a".repeat(63);
    Name longNs = Name.fromString(label + "." + label + "." + label + "." + "b".repeat(40)
        + ".test.");
    assertThat(AtNsVerifier.signalName(INSECURE, longNs)).isEmpty();
    assertThat(AtNsVerifier.signalName(INSECURE, OPERATOR_NS)).get().hasToString(
        "_sig0key.insecure.parent.test._signal.ns.operator.test.");
    assertThat(run(new AtNsVerifier(validated), insecureKey, List.of(longNs), List.of(), null))
        .isInstanceOf(NotApplicable.class).extracting(r -> ((NotApplicable) r).reason())
        .asString().contains("255");
  }

  // --- unsigned ---

  UnsignedVerifier unsigned(Clock clock) {
    return new UnsignedVerifier(s -> KeyLookup.direct(transport, s, Duration.ofSeconds(5)),
        VerificationPolicy.of(BootstrapMethod.UNSIGNED), clock);
  }

  @Test
  void unsignedNeedsThreeIdenticalRounds() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    UnsignedVerifier v = unsigned(clock);
    List<DnsEndpoint> servers = servers("ns1.insecure.parent.test.", "ns2.insecure.parent.test.");
    VerificationResult r1 = run(v, insecureKey, List.of(), servers, null);
    assertThat(r1).isInstanceOf(Pending.class);
    VerificationProgress p1 = ((Pending) r1).progress();
    assertThat(p1.roundsDone()).isEqualTo(1);
    assertThat(p1.nextRoundAt()).isEqualTo(clock.instant().plusSeconds(60));
    VerificationResult r2 = run(v, insecureKey, List.of(), servers, p1);
    assertThat(((Pending) r2).progress().roundsDone()).isEqualTo(2);
    assertThat(run(v, insecureKey, List.of(), servers, ((Pending) r2).progress()))
        .isInstanceOf(Verified.class);
  }

  @Test
  void unsignedFailsWhenServersDiverge() throws Exception {
    var ns2 = h.nameserver("ns2.insecure.parent.test.");
    ns2.freeze();
    try {
      KEYRecord extra = key(INSECURE);
      h.zone("insecure.parent.test.").edit(e -> e.add(extra));
      try {
        VerificationResult r = run(unsigned(Clock.systemUTC()), insecureKey, List.of(),
            servers("ns1.insecure.parent.test.", "ns2.insecure.parent.test."), null);
        assertThat(r).isInstanceOf(Failed.class).extracting(x -> ((Failed) x).reason())
            .asString().contains("different");
      } finally {
        h.zone("insecure.parent.test.").edit(e -> e.remove(extra));
      }
    } finally {
      ns2.thaw();
    }
  }

  @Test
  void unsignedFailsWhenTheRrsetChangesBetweenRounds() throws Exception {
    VerificationProgress earlier = new VerificationProgress(1, "sha256:something-else",
        Instant.EPOCH);
    assertThat(run(unsigned(Clock.systemUTC()), insecureKey, List.of(),
        servers("ns1.insecure.parent.test."), earlier)).isInstanceOf(Failed.class);
  }

  @Test
  void aSilentServerMakesTheRoundInconclusive() throws Exception {
    var ns2 = h.nameserver("ns2.insecure.parent.test.");
    ns2.setFault(Fault.servfail());
    try {
      assertThat(run(unsigned(Clock.systemUTC()), insecureKey, List.of(),
          servers("ns1.insecure.parent.test.", "ns2.insecure.parent.test."), null))
          .isInstanceOf(VerificationResult.Inconclusive.class);
    } finally {
      ns2.clearFault();
    }
  }

  // --- the coordinator: policy order, fall-through, manual ---

  @Test
  void theCoordinatorFallsThroughToWhatAppliesAndWaitsBetweenRounds() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    TrustRegistry registry = new TrustRegistry(new InMemoryTrustStore(), RegistryPolicy.of(
        VerificationPolicy.of(BootstrapMethod.AT_APEX, BootstrapMethod.AT_NS,
            BootstrapMethod.UNSIGNED, BootstrapMethod.MANUAL)), clock);
    List<Duration> waits = new ArrayList<>();
    BootstrapCoordinator c = new BootstrapCoordinator(registry, List.of(
        new AtApexVerifier(validated), new AtNsVerifier(validated), unsigned(clock)),
        d -> {
          waits.add(d);
          return CompletableFuture.completedFuture(null);
        }, clock);
    KeyIdentity id = KeyIdentity.of(indomainKey);
    registry.upload(new UploadEvidence(INDOMAIN, List.of(indomainKey), true, id,
        clock.instant()), "child");
    // in-domain only, unsigned: at-apex and at-ns step aside, unsigned runs three rounds
    KeyEntry e = c.bootstrap(id, new BootstrapCoordinator.Delegation(
        names("ns1.indomain.parent.test."), servers("ns1.indomain.parent.test.")))
        .toCompletableFuture().get();
    assertThat(e.state()).isEqualTo(TrustState.TRUSTED);
    assertThat(e.method()).isEqualTo(BootstrapMethod.UNSIGNED);
    assertThat(waits).containsExactly(Duration.ofSeconds(60), Duration.ofSeconds(60));

    KeyIdentity secureId = KeyIdentity.of(secureKey);
    registry.upload(new UploadEvidence(SECURE, List.of(secureKey), false, secureId,
        clock.instant()), "child");
    assertThat(c.bootstrap(secureId, new BootstrapCoordinator.Delegation(List.of(), List.of()))
        .toCompletableFuture().get().method()).isEqualTo(BootstrapMethod.AT_APEX);

    KeyIdentity bogusId = KeyIdentity.of(bogusKey);
    registry.upload(new UploadEvidence(BOGUS, List.of(bogusKey), false, bogusId,
        clock.instant()), "child");
    assertThat(c.bootstrap(bogusId, new BootstrapCoordinator.Delegation(List.of(), List.of()))
        .toCompletableFuture().get().state()).isEqualTo(TrustState.VALIDATION_FAILED);
  }

  @Test
  void withNothingApplicableTheKeyWaitsForAnOperator() throws Exception {
    Clock clock = Clock.systemUTC();
    TrustRegistry registry = new TrustRegistry(new InMemoryTrustStore(), RegistryPolicy.of(
        VerificationPolicy.of(BootstrapMethod.AT_APEX, BootstrapMethod.MANUAL)), clock);
    BootstrapCoordinator c = new BootstrapCoordinator(registry,
        List.of(new AtApexVerifier(validated)), d -> CompletableFuture.completedFuture(null),
        clock);
    KeyIdentity id = KeyIdentity.of(insecureKey);
    registry.upload(new UploadEvidence(INSECURE, List.of(insecureKey), false, id,
        clock.instant()), "child");
    KeyEntry e = c.bootstrap(id, new BootstrapCoordinator.Delegation(List.of(), List.of()))
        .toCompletableFuture().get();
    assertThat(e.state()).isEqualTo(TrustState.MANUAL_REQUIRED);
    assertThat(registry.keyState(INSECURE, e.keyTag())).isEqualTo(KeyStateCode.BOOTSTRAP_MANUAL);
    assertThat(((RegistryOutcome.Applied) registry.approve(id, "alice", "signed letter"))
        .key().state()).isEqualTo(TrustState.TRUSTED);
  }
}
