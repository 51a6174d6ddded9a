package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.DsyncRecord;
import io.github.zonecut.core.DsyncScheme;
import io.github.zonecut.core.EndpointOverrides;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.keystate.AtApexVerifier;
import io.github.zonecut.keystate.AuditEvent;
import io.github.zonecut.keystate.InMemoryTrustStore;
import io.github.zonecut.keystate.KeyEntry;
import io.github.zonecut.keystate.RegistryChange;
import io.github.zonecut.keystate.StoreException;
import io.github.zonecut.keystate.TrustState;
import io.github.zonecut.keystate.TrustStore;
import io.github.zonecut.keystate.BootstrapCoordinator;
import io.github.zonecut.keystate.BootstrapMethod;
import io.github.zonecut.keystate.Delayer;
import io.github.zonecut.keystate.KeyIdentity;
import io.github.zonecut.keystate.KeyLookup;
import io.github.zonecut.keystate.RegistryPolicy;
import io.github.zonecut.keystate.TrustRegistry;
import io.github.zonecut.keystate.VerificationPolicy;
import io.github.zonecut.sig0.InMemorySig0KeyStore;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0KeyState;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0ReplayGuard;
import io.github.zonecut.testkit.TestHierarchy;
import io.github.zonecut.testkit.TestZone;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The whole UPDATE path with zonecut on both sides, in one JVM (issue 10): the child's {@link
 * DelegationAgent} discovers the parent's DSYNC UPDATE target, the parent's real {@link
 * UpdateReceiver} answers there
 * (through the real {@link DsyncServer}), and every change passes the shared acceptance checks ({@link DelegationChecks}, observing the
 * child's servers) before the backend applies it. Story: bootstrap → at-apex validation →
 * trusted → in sync → DS rollover (SHA-256 → SHA-384 via CDS) → a DS matching no key refused →
 * key roll → the parent loses its trust store → BADKEY → exactly one re-bootstrap → trusted
 * again → accepted.
 *
 * <p>The testkit derives the parent's published delegation from the child zone, so the agent
 * reads "published" from the testkit while the receiver applies to its own backend; NS changes
 * by UPDATE are covered by {@code ReceiverBootstrapFlowTest}.
 */
class AgentReceiverFlowTest {
  static final Name PARENT = Name.fromConstantString("parent.test.");
  static final Name CHILD = Name.fromConstantString("child.parent.test.");
  static final Name NS1 = Name.fromConstantString("ns1.child.parent.test.");
  static final Name NS2 = Name.fromConstantString("ns2.other.test.");
  static final Name TARGET = Name.fromConstantString("updater.parent.test.");

  final List<Duration> pauses = new CopyOnWriteArrayList<>();
  final Delayer virtual = d -> {
    pauses.add(d);
    return CompletableFuture.completedFuture(null);
  };

  static <T> T await(CompletionStage<T> s) throws Exception {
    return s.toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** A trust store the test can make forget everything (a parent that lost its database). */
  static final class ForgetfulStore implements TrustStore {
    private volatile InMemoryTrustStore delegate = new InMemoryTrustStore();

    void forget() {
      delegate = new InMemoryTrustStore();
    }

    @Override
    public Optional<KeyEntry> find(KeyIdentity id) throws StoreException {
      return delegate.find(id);
    }

    @Override
    public List<KeyEntry> keysOf(Name owner) throws StoreException {
      return delegate.keysOf(owner);
    }

    @Override
    public List<KeyEntry> inState(TrustState state) throws StoreException {
      return delegate.inState(state);
    }

    @Override
    public void apply(RegistryChange change) throws StoreException {
      delegate.apply(change);
    }

    @Override
    public List<AuditEvent> history(Name owner) throws StoreException {
      return delegate.history(owner);
    }
  }

  static void awaitTrusted(TrustRegistry registry, Sig0KeyPair key) throws Exception {
    KeyIdentity id = KeyIdentity.of(key.publicKey());
    for (int i = 0; i < 400 && !registry.isTrusted(id); i++) {
      Thread.sleep(25);
    }
    assertThat(registry.isTrusted(id)).as("parent trusts " + key.publicKey()).isTrue();
  }

  /**
   * With Ed25519 child keys, and with ML-DSA-44 ones (experimental, algorithm 199; kilobyte
   * KEY records and signatures over TCP): the agent, the receiver and the trust registry take
   * the post-quantum keys with no change in their callers.
   */
  @ParameterizedTest
  @ValueSource(ints = {15, 199})
  void bootstrapSyncRollLoseAndRecover(int childAlgorithm) throws Exception {
    Sig0KeyPair receiverKey = Sig0KeyPair.generate(TARGET, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_HOST);
    Sig0KeyPair first = Sig0KeyPair.generate(CHILD, Sig0Algorithm.of(childAlgorithm),
        Sig0PublicKey.FLAGS_ZONE);
    Sig0KeyPair second = Sig0KeyPair.generate(CHILD, Sig0Algorithm.of(childAlgorithm),
        Sig0PublicKey.FLAGS_ZONE);
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try (TestHierarchy h = TestHierarchy.builder()
            .zone("test.")
            .zone("parent.test.", z -> z.records(receiverKey.publicKey().toKeyRecord(300),
                DsyncRecord.of(Name.fromConstantString("_dsync.parent.test."), 300, Type.ANY,
                    DsyncScheme.update(Codepoints.DEFAULT), 5302, TARGET)))
            // both child keys are published at the apex (at-apex bootstrap, ddns §9.4)
            .zone("child.parent.test.", z -> z.nameservers("ns1", "ns2.other.test.")
                .records(first.publicKey().toKeyRecord(300), second.publicKey().toKeyRecord(300)))
            .zone("other.test.")
            .zone("receiver.test.", z -> z.nameservers("ns.receiver.test."))
            .start();
        NioDnsTransport transport = NioDnsTransport.create(executor)) {
      ValidatingLookup validated = ValidatingLookup.builder(transport,
          h.recursive().dnsEndpoint(), executor).trustAnchors(h.trustAnchors())
          .clock(h.clock()).build();
      EndpointOverrides.Builder o = EndpointOverrides.builder();
      h.nameservers().forEach((n, e) -> o.name(n, e.dnsEndpoint()));
      EndpointOverrides overrides = o.build();

      // The registry's data: what the testkit parent publishes (NS, glue, DS of the child's KSK).
      InMemoryDelegationBackend backend = new InMemoryDelegationBackend();
      backend.put(Delegation.builder(CHILD).nameservers(NS1, NS2)
          .glue(NS1, InetAddress.getLoopbackAddress()).ds(kskDs(h, 2)).build());
      Observer observer = Observer.builder(transport, validated).overrides(overrides)
          .clock(h.clock()).build();
      // the .ch/.li profile accepts SHA-256 and SHA-384 digests (the default: SHA-256 only)
      ChangeCheck check = DelegationChecks.of(AcceptancePolicy.cdsWithDsboot()).asChangeCheck(observer,
          Duration.ofSeconds(30));
      ForgetfulStore store = new ForgetfulStore();
      TrustRegistry registry = new TrustRegistry(store, new RegistryPolicy(
          VerificationPolicy.of(BootstrapMethod.AT_APEX), RegistryPolicy.DEFAULT_ALGORITHMS,
          true), h.clock());
      BootstrapCoordinator coordinator = new BootstrapCoordinator(registry,
          List.of(new AtApexVerifier(KeyLookup.validating(h.newValidatingResolver(), executor))),
          Delayer.using(executor), h.clock());
      UpdateReceiver receiver = UpdateReceiver.builder(Set.of(PARENT), receiverKey, registry,
              backend, Sig0ReplayGuard.create())
          .clock(h.clock())
          .childRateLimit(100, Duration.ofMinutes(1))
          .check(check)
          .bootstrap(coordinator, c -> new BootstrapCoordinator.Delegation(List.of(), List.of()))
          .build();
      // the real DSYNC target server: its workers may wait for the checks' observations
      DsyncServer server = DsyncServer.builder(receiver)
          .bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).start();

      InMemorySig0KeyStore keys = InMemorySig0KeyStore.create();
      keys.store(first, Sig0KeyState.ACTIVE);
      EndpointOverrides.Builder ao = EndpointOverrides.builder();
      h.nameservers().forEach((n, e) -> ao.name(n, e.dnsEndpoint()));
      ao.name(TARGET, io.github.zonecut.core.DnsEndpoint.of(server.address()));
      DelegationAgent agent = DelegationAgent.builder(transport, validated, keys, virtual)
          .endpointOverrides(ao.build())
          .sig0Config(Sig0Config.builder().clock(h.clock()).build())
          .build();

      // 1. bootstrap: self-signed, answered NOERROR and signed; at-apex validation trusts it
      AgentResult boot = await(agent.bootstrap(CHILD));
      assertThat(accepted(boot)).as("bootstrap: " + boot).isTrue();
      awaitTrusted(registry, first);

      // 2. nothing to do yet
      assertThat(await(agent.sync(CHILD))).isInstanceOf(AgentResult.InSync.class);

      // 3. DS rollover to SHA-384, announced by the child's CDS
      TestZone child = h.zone("child.parent.test.");
      DsData sha384 = kskDs(h, 4);
      String cds = "@ 300 IN CDS " + sha384.keyTag() + " " + sha384.algorithm() + " 4 "
          + java.util.HexFormat.of().formatHex(sha384.digest());
      child.add(cds);
      AgentResult roll = await(agent.sync(CHILD));
      assertThat(accepted(roll)).as("DS rollover: " + roll).isTrue();
      assertThat(backend.current(CHILD).orElseThrow().ds()).containsExactly(sha384);

      // a DS that matches no key of the child, of an algorithm that signs nothing there, is
      // refused by the shared checks (RFC 6840 §5.11); nothing applied. (A non-matching DS of a
      // signing algorithm would be a pre-published DS, which is accepted.)
      child.remove(cds);
      int unused = sha384.algorithm() == 8 ? 13 : 8;
      String bogus = "@ 300 IN CDS 4711 " + unused + " 2 " + "ab".repeat(32);
      child.add(bogus);
      AgentResult wrong = await(agent.sync(CHILD));
      assertThat(wrong).isInstanceOf(AgentResult.Sent.class);
      assertThat(((AgentResult.Sent) wrong).outcome())
          .isInstanceOf(UpdateOutcome.Refused.class);
      assertThat(backend.current(CHILD).orElseThrow().ds()).containsExactly(sha384);
      child.remove(bogus);
      child.add(cds);

      // 4. key roll: the new KEY signed by the old, then the old deleted signed by the new
      KeyRollResult rolled = await(agent.rollKey(CHILD, second));
      assertThat(rolled.isComplete()).as("key roll: " + rolled).isTrue();
      assertThat(registry.isTrusted(KeyIdentity.of(second.publicKey()))).isTrue();
      assertThat(registry.find(KeyIdentity.of(first.publicKey()))).isEmpty();

      // 5. the parent loses its trust store: BADKEY, exactly one re-bootstrap, then the
      //    key is known but not yet trusted
      store.forget();
      backend.put(Delegation.builder(CHILD).nameservers(NS1, NS2)
          .glue(NS1, InetAddress.getLoopbackAddress()).ds(kskDs(h, 2)).build());
      AgentResult lost = await(agent.sync(CHILD));
      assertThat(lost).isInstanceOf(AgentResult.Sent.class);
      AgentResult.Sent sent = (AgentResult.Sent) lost;
      assertThat(sent.rebootstrap()).as("exactly one re-bootstrap").isPresent();
      assertThat(sent.rebootstrap().get().isAccepted()).isTrue();
      awaitTrusted(registry, second);

      // 6. trusted again: the change is accepted
      AgentResult recovered = await(agent.sync(CHILD));
      assertThat(accepted(recovered)).as("after re-bootstrap: " + recovered).isTrue();
      assertThat(backend.current(CHILD).orElseThrow().ds()).containsExactly(sha384);
      assertThat(pauses).as("no retry was needed against an answering receiver").isEmpty();
      server.close();
    } finally {
      executor.shutdownNow();
    }
  }

  private static boolean accepted(AgentResult r) {
    return r instanceof AgentResult.Sent s && s.outcome().isAccepted();
  }

  private static DsData kskDs(TestHierarchy h, int digest) {
    return DsData.of(new DSRecord(CHILD, org.xbill.DNS.DClass.IN, 3600, digest,
        h.zone("child.parent.test.").dnskeys().get(0)));
  }
}
