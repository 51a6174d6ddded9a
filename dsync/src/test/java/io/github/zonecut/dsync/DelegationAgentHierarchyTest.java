package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.DsyncRecord;
import io.github.zonecut.core.DsyncScheme;
import io.github.zonecut.core.EndpointOverrides;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.keystate.Delayer;
import io.github.zonecut.sig0.InMemorySig0KeyStore;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0KeyState;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.testkit.Fault;
import io.github.zonecut.testkit.ParentDs;
import io.github.zonecut.testkit.TestHierarchy;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SIGRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The child's agent on the in-process hierarchy: the parent publishes a DSYNC UPDATE target
 * whose KEY is SECURE in the signed parent; the target's endpoint is a scripted receiver, honest
 * or hostile. The child zone is signed but its delegation has no DS yet, so the agent has a DS
 * to add.
 */
class DelegationAgentHierarchyTest {
  static final Name PARENT = Name.fromConstantString("parent.test.");
  static final Name CHILD = Name.fromConstantString("child.parent.test.");
  static final Name NS1 = Name.fromConstantString("ns1.child.parent.test.");
  static final Name NS2 = Name.fromConstantString("ns2.other.test.");
  static final Name TARGET = Name.fromConstantString("updater.parent.test.");

  static ExecutorService executor;
  static NioDnsTransport transport;
  static TestHierarchy h;
  static Sig0KeyPair receiverKey;
  static FakeReceiver receiver;
  static ValidatingLookup validated;
  static EndpointOverrides overrides;
  static final List<Duration> pauses = new CopyOnWriteArrayList<>();
  static final Delayer VIRTUAL = d -> {
    pauses.add(d);
    return CompletableFuture.completedFuture(null);
  };

  InMemorySig0KeyStore keys;
  Sig0KeyPair childKey;

  @BeforeAll
  static void start() throws Exception {
    executor = Executors.newFixedThreadPool(2);
    transport = NioDnsTransport.create(executor);
    receiverKey = Sig0KeyPair.generate(TARGET, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    Sig0KeyPair forger = Sig0KeyPair.generate(TARGET, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_HOST);
    receiver = new FakeReceiver(receiverKey, forger);
    h = TestHierarchy.builder()
        .zone("test.")
        .zone("parent.test.", z -> z.records(receiverKey.publicKey().toKeyRecord(300),
            DsyncRecord.of(Name.fromConstantString("_dsync.parent.test."), 300, Type.ANY,
                DsyncScheme.update(Codepoints.DEFAULT), 5302, TARGET)))
        .zone("child.parent.test.", z -> z.nameservers("ns1", "ns2.other.test.")
            .parentDs(ParentDs.ABSENT))
        .zone("other.test.")
        .zone("receiver.test.", z -> z.nameservers("ns.receiver.test."))
        .start();
    h.nameserver("ns.receiver.test.").setFault(Fault.script(receiver));
    validated = ValidatingLookup.builder(transport, h.recursive().dnsEndpoint(), executor)
        .trustAnchors(h.trustAnchors()).build();
    EndpointOverrides.Builder o = EndpointOverrides.builder();
    h.nameservers().forEach((n, e) -> o.name(n, e.dnsEndpoint()));
    o.name(TARGET, h.nameserver("ns.receiver.test.").dnsEndpoint());
    overrides = o.build();
  }

  @AfterAll
  static void stop() {
    h.close();
    transport.close();
    executor.shutdownNow();
  }

  @BeforeEach
  void freshKeys() throws Exception {
    keys = InMemorySig0KeyStore.create();
    childKey = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    keys.store(childKey, Sig0KeyState.ACTIVE);
    receiver.reset(FakeReceiver.Mode.ACCEPT);
    pauses.clear();
  }

  DelegationAgent agent() {
    return DelegationAgent.builder(transport, validated, keys, VIRTUAL)
        .endpointOverrides(overrides).build();
  }

  static <T> T await(java.util.concurrent.CompletionStage<T> s) throws Exception {
    return s.toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static List<DnsEndpoint> childServers() {
    return List.of(h.nameserver("ns1.child.parent.test.").dnsEndpoint(),
        h.nameserver("ns2.other.test.").dnsEndpoint());
  }

  static DsData childKskDs(int digest) {
    return DsData.of(new DSRecord(CHILD, org.xbill.DNS.DClass.IN, 3600, digest,
        h.zone("child.parent.test.").dnskeys().get(0)));
  }

  static int signerTag(Message m) {
    List<Record> add = m.getSection(Section.ADDITIONAL);
    Record last = add.get(add.size() - 1);
    assertThat(last).isInstanceOf(SIGRecord.class);
    return ((SIGRecord) last).getFootprint();
  }

  // ---- where the UPDATEs go ----

  @Test
  void aLoopbackTargetIsRefusedUnlessTheAddressPolicyAllowsIt() throws Exception {
    // no override for the target: its A record (loopback) and the DSYNC port decide
    EndpointOverrides.Builder o = EndpointOverrides.builder();
    h.nameservers().forEach((n, e) -> o.name(n, e.dnsEndpoint()));
    EndpointOverrides serversOnly = o.build();
    var parent = h.zone("parent.test.");
    parent.add("updater 300 IN A 127.0.0.1");
    try {
      DelegationAgent.Located strict = await(DelegationAgent.builder(transport, validated, keys,
          VIRTUAL).endpointOverrides(serversOnly).build().locate(CHILD));
      assertThat(strict.target()).isNull();
      assertThat(strict.failure()).isInstanceOf(AgentResult.NoReceiver.class);
      assertThat(((AgentResult.NoReceiver) strict.failure()).discovery())
          .isInstanceOfSatisfying(io.github.zonecut.core.DiscoveryResult.Refused.class,
              r -> assertThat(r.reason()).isEqualTo(
                  io.github.zonecut.core.DiscoveryResult.Reason.TARGET_ADDRESS_REFUSED));

      DelegationAgent.Located lab = await(DelegationAgent.builder(transport, validated, keys,
              VIRTUAL).endpointOverrides(serversOnly)
          .addressPolicy(io.github.zonecut.core.AddressPolicy.allowLoopbackAndPrivateForTesting())
          .build().locate(CHILD));
      assertThat(lab.failure()).isNull();
      assertThat(lab.target().endpoints()).containsExactly(
          DnsEndpoint.of(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 5302)));
      assertThat(lab.target().receiverKeys()).containsExactly(receiverKey.publicKey());
    } finally {
      parent.remove("updater 300 IN A 127.0.0.1");
    }
  }

  // ---- desired and published delegation ----

  @Test
  void desiredDelegationComesFromTheChildsServersWithInBailiwickGlueOnly() throws Exception {
    DelegationRead r = await(DelegationReader.builder(transport).build()
        .desired(CHILD, childServers(), null));
    assertThat(r).isInstanceOf(DelegationRead.Found.class);
    Delegation d = ((DelegationRead.Found) r).delegation();
    assertThat(d.nameservers()).containsExactlyInAnyOrder(NS1, NS2);
    assertThat(d.glue()).containsOnlyKeys(NS1);
    assertThat(d.glue().get(NS1)).containsExactly(InetAddress.getLoopbackAddress());
    // no CDS/CDNSKEY: DS computed from the key-signing DNSKEY, SHA-256 by default
    assertThat(d.ds()).containsExactly(childKskDs(2));
    assertThat(h.zone("child.parent.test.").ds().stream().map(DsData::of))
        .containsExactly(childKskDs(2));
  }

  @Test
  void theDigestPolicyAddsSha384() throws Exception {
    DelegationRead r = await(DelegationReader.builder(transport)
        .digestPolicy(DsDigestPolicy.SHA256_AND_SHA384).build()
        .desired(CHILD, childServers(), null));
    assertThat(((DelegationRead.Found) r).delegation().ds())
        .containsExactlyInAnyOrder(childKskDs(2), childKskDs(4));
  }

  @Test
  void cdsWinsAndTheDeleteSentinelMeansNoDs() throws Exception {
    var zone = h.zone("child.parent.test.");
    DelegationReader reader = DelegationReader.builder(transport).build();
    String cds = "@ 300 IN CDS 12345 13 2 "
        + "0101010101010101010101010101010101010101010101010101010101010101";
    try {
      zone.add(cds);
      Delegation d = ((DelegationRead.Found) await(reader.desired(CHILD, childServers(), null)))
          .delegation();
      assertThat(d.ds()).extracting(DsData::keyTag).containsExactly(12345);
      zone.remove(cds);
      zone.add("@ 300 IN CDS 0 0 0 00");
      d = ((DelegationRead.Found) await(reader.desired(CHILD, childServers(), null)))
          .delegation();
      assertThat(d.ds()).isEmpty();
    } finally {
      zone.edit(e -> e.removeRRset("@", Type.CDS));
    }
  }

  @Test
  void serversThatDisagreeAreInconsistent() throws Exception {
    var ns2 = h.nameserver("ns2.other.test.");
    var zone = h.zone("child.parent.test.");
    ns2.freeze();
    try {
      zone.add("@ 300 IN CDS 12345 13 2 "
          + "0101010101010101010101010101010101010101010101010101010101010101");
      DelegationRead r = await(DelegationReader.builder(transport).build()
          .desired(CHILD, childServers(), null));
      assertThat(r).isInstanceOf(DelegationRead.Inconsistent.class);
    } finally {
      zone.edit(e -> e.removeRRset("@", Type.CDS));
      ns2.thaw();
    }
  }

  @Test
  void publishedDelegationComesFromTheParentsReferral() throws Exception {
    DelegationRead r = await(DelegationReader.builder(transport).build()
        .published(CHILD, List.of(h.nameserver("ns1.parent.test.").dnsEndpoint())));
    Delegation d = ((DelegationRead.Found) r).delegation();
    assertThat(d.nameservers()).containsExactlyInAnyOrder(NS1, NS2);
    assertThat(d.glue()).isEqualTo(Map.of(NS1, Set.of(InetAddress.getLoopbackAddress())));
    assertThat(d.ds()).isEmpty();
  }

  // ---- the agent against an honest receiver ----

  @Test
  void syncSendsTheMissingDsSignedByTheChildsKeyAndIsAccepted() throws Exception {
    AgentResult r = await(agent().sync(CHILD));
    assertThat(r).isInstanceOf(AgentResult.Sent.class);
    AgentResult.Sent s = (AgentResult.Sent) r;
    assertThat(s.outcome()).isInstanceOf(UpdateOutcome.Accepted.class);
    assertThat(s.delta().orElseThrow().dsToAdd()).containsExactly(childKskDs(2));
    assertThat(s.rebootstrap()).isEmpty();
    Message sent = receiver.updateMessages().get(0);
    assertThat(sent.getSection(Section.ZONE).get(0).getName()).isEqualTo(PARENT);
    assertThat(sent.getSection(Section.UPDATE)).hasSize(1);
    assertThat(sent.getSection(Section.UPDATE).get(0).getType()).isEqualTo(Type.DS);
    assertThat(signerTag(sent)).isEqualTo(childKey.publicKey().keyTag());
  }

  @Test
  void bootstrapIsSelfSignedDelAnyKeyThenAddKey() throws Exception {
    AgentResult r = await(agent().bootstrap(CHILD));
    assertThat(((AgentResult.Sent) r).outcome().isAccepted()).isTrue();
    Message sent = receiver.updateMessages().get(0);
    assertThat(FakeReceiver.isBootstrap(sent)).isTrue();
    assertThat(sent.getSection(Section.UPDATE)).hasSize(2);
    assertThat(signerTag(sent)).isEqualTo(childKey.publicKey().keyTag());
  }

  @Test
  void keyRollAddsWithTheOldKeyThenDeletesWithTheNew() throws Exception {
    Sig0KeyPair next = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_HOST);
    KeyRollResult r = await(agent().rollKey(CHILD, next));
    assertThat(r.isComplete()).isTrue();
    List<Message> sent = receiver.updateMessages();
    assertThat(sent).hasSize(2);
    assertThat(signerTag(sent.get(0))).isEqualTo(childKey.publicKey().keyTag());
    assertThat(sent.get(0).getSection(Section.UPDATE).get(0).getDClass())
        .isEqualTo(org.xbill.DNS.DClass.IN);
    assertThat(signerTag(sent.get(1))).isEqualTo(next.publicKey().keyTag());
    assertThat(sent.get(1).getSection(Section.UPDATE).get(0).getDClass())
        .isEqualTo(org.xbill.DNS.DClass.NONE);
    assertThat(keys.activeKeyPairs(CHILD)).extracting(Sig0KeyPair::publicKey)
        .containsExactly(next.publicKey());
  }

  @Test
  void aRollWhoseSecondStepIsRefusedResumesAtTheSecondStep() throws Exception {
    Sig0KeyPair next = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_HOST);
    receiver.reset(FakeReceiver.Mode.NEW_KEY_NOT_YET_TRUSTED);
    DelegationAgent agent = agent();
    KeyRollResult first = await(agent.rollKey(CHILD, next));
    assertThat(first.isComplete()).isFalse();
    assertThat(((AgentResult.Sent) first.addNew().orElseThrow()).outcome().isAccepted()).isTrue();
    UpdateOutcome step2 = ((AgentResult.Sent) first.deleteOld().orElseThrow()).outcome();
    assertThat(((UpdateOutcome.Refused) step2).reason())
        .isEqualTo(RefusalReason.KEY_KNOWN_NOT_TRUSTED);
    // the old key still signs; the new one waits, PUBLISHED
    assertThat(keys.activeKeyPairs(CHILD)).extracting(Sig0KeyPair::publicKey)
        .containsExactly(childKey.publicKey());
    receiver.reset(FakeReceiver.Mode.ACCEPT);
    KeyRollResult second = await(agent.rollKey(CHILD, next));
    assertThat(second.addNew()).isEmpty();
    assertThat(second.isComplete()).isTrue();
    assertThat(receiver.updates).hasSize(1);
    assertThat(keys.activeKeyPairs(CHILD)).extracting(Sig0KeyPair::publicKey)
        .containsExactly(next.publicKey());
  }

  // ---- hostile parents ----

  @Test
  void foreverBadkeyReBootstrapsExactlyOnceThenReportsUnknownKey() throws Exception {
    receiver.reset(FakeReceiver.Mode.BADKEY_FOREVER);
    AgentResult.Sent s = (AgentResult.Sent) await(agent().sync(CHILD));
    assertThat(s.outcome()).isInstanceOf(UpdateOutcome.UnknownKey.class);
    assertThat(((UpdateOutcome.UnknownKey) s.outcome()).rebootstrapped()).isTrue();
    assertThat(((UpdateOutcome.UnknownKey) s.outcome()).authenticated()).isTrue();
    assertThat(s.rebootstrap().orElseThrow()).isInstanceOf(UpdateOutcome.UnknownKey.class);
    List<Message> sent = receiver.updateMessages();
    assertThat(sent).hasSize(2);
    assertThat(FakeReceiver.isBootstrap(sent.get(0))).isFalse();
    assertThat(FakeReceiver.isBootstrap(sent.get(1))).isTrue();
  }

  @Test
  void anUnsignedBadkeyTriggersOneReBootstrapButIsMarkedUnauthenticated() throws Exception {
    receiver.reset(FakeReceiver.Mode.UNSIGNED_BADKEY);
    AgentResult.Sent s = (AgentResult.Sent) await(agent().sync(CHILD));
    UpdateOutcome.UnknownKey u = (UpdateOutcome.UnknownKey) s.outcome();
    assertThat(u.authenticated()).isFalse();
    assertThat(u.rebootstrapped()).isTrue();
    assertThat(receiver.updates).hasSize(2);

    receiver.reset(FakeReceiver.Mode.UNSIGNED_BADKEY);
    DelegationAgent strict = DelegationAgent.builder(transport, validated, keys, VIRTUAL)
        .endpointOverrides(overrides).ignoreUnsignedBadkey().build();
    s = (AgentResult.Sent) await(strict.sync(CHILD));
    assertThat(s.outcome()).isInstanceOf(UpdateOutcome.UnsignedAnswer.class);
    assertThat(s.rebootstrap()).isEmpty();
    assertThat(receiver.updates).hasSize(RetrySchedule.DRAFT_MAX_TRIES);
  }

  @Test
  void badkeyThenAcceptedBootstrapRetriesOnceAndLearnsTheKeyIsNotYetTrusted() throws Exception {
    receiver.reset(FakeReceiver.Mode.BADKEY_THEN_KNOWN_NOT_TRUSTED);
    AgentResult.Sent s = (AgentResult.Sent) await(agent().sync(CHILD));
    assertThat(s.rebootstrap().orElseThrow().isAccepted()).isTrue();
    assertThat(s.outcome()).isInstanceOf(UpdateOutcome.Refused.class);
    assertThat(((UpdateOutcome.Refused) s.outcome()).reason())
        .isEqualTo(RefusalReason.KEY_KNOWN_NOT_TRUSTED);
    assertThat(receiver.updates).hasSize(3);
  }

  @Test
  void aForgedAnswerIsNeverAccepted() throws Exception {
    receiver.reset(FakeReceiver.Mode.FORGED_ACCEPT);
    AgentResult.Sent s = (AgentResult.Sent) await(agent().sync(CHILD));
    assertThat(s.outcome()).isInstanceOf(UpdateOutcome.ForgedAnswer.class);
    assertThat(receiver.updates).hasSize(RetrySchedule.DRAFT_MAX_TRIES);
    assertThat(pauses).hasSize(RetrySchedule.DRAFT_MAX_TRIES - 1);
  }

  @Test
  void anUnsignedAnswerFromAReceiverThatPublishesAKeyIsNeverAccepted() throws Exception {
    receiver.reset(FakeReceiver.Mode.UNSIGNED_ACCEPT);
    AgentResult.Sent s = (AgentResult.Sent) await(agent().sync(CHILD));
    assertThat(s.outcome()).isInstanceOf(UpdateOutcome.UnsignedAnswer.class);
    assertThat(((UpdateOutcome.UnsignedAnswer) s.outcome()).claimedRcode()).isZero();
    assertThat(s.outcome().isAccepted()).isFalse();
    assertThat(receiver.updates).hasSize(RetrySchedule.DRAFT_MAX_TRIES);
  }

  @Test
  void aRefusedStormCostsOneUpdatePerSync() throws Exception {
    receiver.reset(FakeReceiver.Mode.REFUSE);
    DelegationAgent agent = agent();
    for (int i = 0; i < 5; i++) {
      AgentResult.Sent s = (AgentResult.Sent) await(agent.sync(CHILD));
      assertThat(s.outcome()).isInstanceOf(UpdateOutcome.Refused.class);
      assertThat(((UpdateOutcome.Refused) s.outcome()).reason()).isEqualTo(RefusalReason.POLICY);
    }
    assertThat(receiver.updates).hasSize(5);
  }

  @Test
  void aSilentReceiverGetsBoundedTriesThenNoAnswer() throws Exception {
    receiver.reset(FakeReceiver.Mode.SILENT);
    DelegationAgent agent = DelegationAgent.builder(transport, validated, keys, VIRTUAL)
        .endpointOverrides(overrides)
        .retryScheduleBelowDraftGuidance(RetrySchedule.belowDraftGuidance(
            Duration.ofMillis(100), Duration.ofMillis(200), 3))
        .build();
    AgentResult.Sent s = (AgentResult.Sent) await(agent.sync(CHILD));
    assertThat(s.outcome()).isInstanceOf(UpdateOutcome.NoAnswer.class);
    assertThat(((UpdateOutcome.NoAnswer) s.outcome()).tries()).isEqualTo(3);
    assertThat(receiver.updates).hasSize(3);
  }

  @Test
  void everyAuthenticatedRcodeIsItsOwnOutcome() throws Exception {
    DelegationAgent agent = agent();
    Object[][] cases = {
        {org.xbill.DNS.Rcode.BADSIG, -1, UpdateOutcome.BadSignature.class},
        {org.xbill.DNS.Rcode.BADTIME, -1, UpdateOutcome.BadTime.class},
        {org.xbill.DNS.Rcode.NOTAUTH, -1, UpdateOutcome.ErrorRcode.class},
        {org.xbill.DNS.Rcode.REFUSED, Codepoints.DEFAULT.edeKeyValidationFailed(),
            UpdateOutcome.Refused.class},
        {org.xbill.DNS.Rcode.REFUSED, Codepoints.DEFAULT.edeManualBootstrapRequired(),
            UpdateOutcome.Refused.class},
    };
    for (Object[] c : cases) {
      receiver.reset(FakeReceiver.Mode.FIXED);
      receiver.rcode = (Integer) c[0];
      receiver.ede = (Integer) c[1];
      AgentResult.Sent s = (AgentResult.Sent) await(agent.sync(CHILD));
      assertThat(s.outcome()).isInstanceOf((Class<?>) c[2]);
      assertThat(receiver.updates).hasSize(1);
      if (s.outcome() instanceof UpdateOutcome.Refused) {
        UpdateOutcome.Refused r = (UpdateOutcome.Refused) s.outcome();
        assertThat(r.reason()).isEqualTo(RefusalReason.of((Integer) c[1], Codepoints.DEFAULT))
            .isNotEqualTo(RefusalReason.POLICY);
        assertThat(r.reply().firstError().orElseThrow().infoCode()).isEqualTo(c[1]);
      }
    }
    receiver.ede = -1;
  }

  @Test
  void withoutAnActiveKeyNothingIsSent() throws Exception {
    keys.setState(childKey.publicKey(), Sig0KeyState.RETIRED);
    assertThat(await(agent().sync(CHILD))).isInstanceOf(AgentResult.NoSigningKey.class);
    assertThat(receiver.updates).isEmpty();
  }

  @Test
  void theParentZoneIsTakenFromTheDsyncOwnerLabelWise() {
    assertThat(DelegationAgent.parentZone(CHILD, Name.fromConstantString("_dsync.parent.test.")))
        .isEqualTo(PARENT);
    assertThat(DelegationAgent.parentZone(CHILD,
        Name.fromConstantString("child._dsync.parent.test."))).isEqualTo(PARENT);
    assertThat(DelegationAgent.parentZone(CHILD, Name.fromConstantString("_dsync.other.test.")))
        .isNull();
  }
}
