package io.github.zonecut.keystate;

import static io.github.zonecut.keystate.KeyStateResponderAuthTest.CHILD;
import static io.github.zonecut.keystate.KeyStateResponderAuthTest.CLOCK;
import static io.github.zonecut.keystate.KeyStateResponderAuthTest.NOW;
import static io.github.zonecut.keystate.KeyStateResponderAuthTest.OTHER;
import static io.github.zonecut.keystate.KeyStateResponderAuthTest.RECEIVER;
import static io.github.zonecut.keystate.KeyStateResponderAuthTest.SOURCE;
import static io.github.zonecut.keystate.KeyStateResponderAuthTest.id;
import static io.github.zonecut.keystate.KeyStateResponderAuthTest.inquiry;
import static io.github.zonecut.keystate.KeyStateResponderAuthTest.junkSigned;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.Codepoints.KeyStateTable;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.keystate.KeyStateEvent.KeyRef;
import io.github.zonecut.keystate.KeyStateEvent.Outcome;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0Signer;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * Every path of {@link KeyStateResponder#respond} tells the host what happened: exactly one
 * {@link KeyStateEvent} per call, each outcome reached by a real request, and no key material in
 * it.
 */
class KeyStateResponderEventsTest {
  static Sig0KeyPair receiverKey;
  static Sig0KeyPair childKey;
  static Sig0KeyPair secondChildKey;
  static Sig0KeyPair otherKey;
  /** The outcomes the tests reached, checked to be all of them at the end. */
  static final Set<Outcome> REACHED = EnumSet.noneOf(Outcome.class);

  final Sig0Signer signer = Sig0Signer.create(Sig0Config.builder().clock(CLOCK).build());
  final List<KeyStateEvent> events = new ArrayList<>();
  TrustRegistry registry;

  @BeforeAll
  static void keys() throws Exception {
    receiverKey = Sig0KeyPair.generate(RECEIVER, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    childKey = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    secondChildKey = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ECDSAP256SHA256,
        Sig0PublicKey.FLAGS_HOST);
    otherKey = Sig0KeyPair.generate(OTHER, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
  }

  /** Tests of this class that finished, to check {@link #REACHED} only after a full run. */
  static int finished;

  @AfterEach
  void count() {
    finished++;
  }

  @AfterAll
  static void everyOutcomeIsReached() {
    long tests = java.util.Arrays.stream(KeyStateResponderEventsTest.class.getDeclaredMethods())
        .filter(m -> m.isAnnotationPresent(Test.class)).count();
    if (finished == tests) { // not when a single test is run
      assertThat(REACHED).as("every outcome produced by a real request")
          .containsExactlyInAnyOrder(Outcome.values());
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    registry = new TrustRegistry(new InMemoryTrustStore(), RegistryPolicy.of(VerificationPolicy.of(
        BootstrapMethod.AT_APEX, BootstrapMethod.MANUAL)), CLOCK);
    registry.upload(new UploadEvidence(CHILD, List.of(childKey.publicKey().toKeyRecord(3600)),
        false, id(childKey), NOW), "child");
  }

  KeyStateResponder.Builder builder() {
    return builder(registry);
  }

  KeyStateResponder.Builder builder(TrustRegistry r) {
    return KeyStateResponder.builder(r, receiverKey).clock(CLOCK).signer(signer)
        .listener(events::add);
  }

  byte[] signedInquiry(Sig0KeyPair by) throws Exception {
    return signer.sign(inquiry(CHILD, by.publicKey().keyTag(), 2), by);
  }

  /** Sends {@code query} over TCP from {@link KeyStateResponderAuthTest#SOURCE}. */
  KeyStateEvent one(KeyStateResponder r, byte[] query) {
    return one(r, query, SOURCE, TransportProtocol.TCP);
  }

  /** Sends {@code query}, checks that exactly one event came out and that it matches. */
  KeyStateEvent one(KeyStateResponder r, byte[] query, InetAddress source,
      TransportProtocol protocol) {
    events.clear();
    Optional<byte[]> answer = r.respond(query, source, protocol);
    assertThat(events).as("exactly one event per call").hasSize(1);
    KeyStateEvent e = events.get(0);
    REACHED.add(e.outcome());
    assertThat(e.time()).isEqualTo(NOW);
    assertThat(e.source()).isEqualTo(source);
    assertThat(answer.isPresent()).as("rcode -1 exactly when nothing was sent")
        .isEqualTo(e.rcode() >= 0);
    answer.ifPresent(a -> {
      Message m = parse(a);
      if (!m.getHeader().getFlag(Flags.TC)) {
        assertThat(m.getRcode()).as("the event's RCODE is the one sent").isEqualTo(e.rcode());
      }
      assertThat(m.getSectionArray(Section.ADDITIONAL).length > 0
          && m.getSectionArray(Section.ADDITIONAL)[m.getSectionArray(Section.ADDITIONAL).length
              - 1].getType() == org.xbill.DNS.Type.SIG)
          .as("signed exactly when the event says so").isEqualTo(e.signed());
      Optional<KeyStateOption> state = option(m);
      assertThat(state.isPresent()).as("a state exactly when the event names one")
          .isEqualTo(e.keyState() != null);
    });
    assertNoKeyMaterial(e);
    return e;
  }

  static Message parse(byte[] wire) {
    try {
      return new Message(wire);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  static Optional<KeyStateOption> option(Message m) {
    try {
      return KeyStateOption.find(m, Codepoints.DEFAULT);
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  static void assertNoKeyMaterial(KeyStateEvent e) {
    String s = e.toString();
    for (Sig0KeyPair k : List.of(receiverKey, childKey, secondChildKey, otherKey)) {
      assertThat(s).doesNotContain(Base64.getEncoder().encodeToString(k.publicKey().keyData()))
          .doesNotContain(Base64.getEncoder().encodeToString(k.privateKey(io.github.zonecut.sig0.PrivateKeyAccess.exposingPrivateKeys()).getEncoded()));
    }
  }

  @Test
  void anAnsweredInquiryNamesTheChildTheKeyTheSignerAndTheState() throws Exception {
    KeyStateEvent e = one(builder().build(), signedInquiry(childKey));
    int tag = childKey.publicKey().keyTag();
    assertThat(e.outcome()).isEqualTo(Outcome.ANSWERED);
    assertThat(e.rcode()).isEqualTo(Rcode.NOERROR);
    assertThat(e.keyState()).isEqualTo(KeyStateCode.BOOTSTRAP_AUTO);
    assertThat(e.signed()).isTrue();
    assertThat(e.child()).isEqualTo(CHILD);
    assertThat(e.key()).isEqualTo(new KeyRef(CHILD, 15, tag));
    assertThat(e.signerKey()).isEqualTo(childKey.publicKey());
    assertThat(e.toString()).contains(CHILD + "/15/" + tag);
  }

  @Test
  void aTrustedKeyAskingAboutAKeyNotYetRolledToIsAnsweredKeyUnknown() throws Exception {
    registry.approve(id(childKey), "alice", "ticket");
    KeyStateEvent e = one(builder().build(),
        signer.sign(inquiry(CHILD, childKey.publicKey().keyTag() ^ 1, 2), childKey));
    assertThat(e.outcome()).isEqualTo(Outcome.ANSWERED);
    assertThat(e.keyState()).isEqualTo(KeyStateCode.KEY_UNKNOWN);
    assertThat(e.key()).as("the algorithm of a key that did not sign is not known")
        .isEqualTo(new KeyRef(CHILD, 0, childKey.publicKey().keyTag() ^ 1));
  }

  @Test
  void anAllowedUnsignedInquiryIsAnsweredWithoutASigner() {
    KeyStateEvent e = one(builder().requireSignedInquiries(false).build(),
        inquiry(CHILD, childKey.publicKey().keyTag(), 2).toWire());
    assertThat(e.outcome()).isEqualTo(Outcome.ANSWERED);
    assertThat(e.signerKey()).isNull();
    assertThat(e.signed()).isTrue();
    assertThat(e.keyState()).isEqualTo(KeyStateCode.BOOTSTRAP_AUTO);
  }

  @Test
  void aTcpOnlyResponderKeyTruncatesUdpBeforeAnyWork() throws Exception {
    Sig0KeyPair mlDsa = Sig0KeyPair.generate(RECEIVER, Sig0Algorithm.of(199),
        Sig0PublicKey.FLAGS_HOST);
    KeyStateResponder r = KeyStateResponder.builder(registry, mlDsa).clock(CLOCK).signer(signer)
        .listener(events::add).build();
    KeyStateEvent e = one(r, signedInquiry(childKey), SOURCE, TransportProtocol.UDP);
    assertThat(e.outcome()).isEqualTo(Outcome.TRUNCATED);
    assertThat(e.rcode()).isEqualTo(Rcode.NOERROR);
    assertThat(e.child()).as("nothing was read").isNull();
    assertThat(e.signed()).isFalse();
  }

  @Test
  void dropsSayWhyAndTheSourceLimitIsItsOwnOutcome() throws Exception {
    KeyStateResponder r = builder().sourceRateLimit(1, Duration.ofMinutes(1)).build();
    KeyStateEvent junk = one(r, new byte[] {1, 2, 3});
    assertThat(junk.outcome()).isEqualTo(Outcome.DROPPED);
    assertThat(junk.detail()).startsWith("unparseable");
    assertThat(junk.rcode()).isEqualTo(-1);

    Message response = inquiry(CHILD, 1, 2);
    response.getHeader().setFlag(Flags.QR);
    KeyStateEvent resp = one(r, response.toWire());
    assertThat(resp.outcome()).isEqualTo(Outcome.DROPPED);
    assertThat(resp.detail()).isEqualTo("a response");

    byte[] q = inquiry(CHILD, childKey.publicKey().keyTag(), 2).toWire();
    assertThat(one(r, q).outcome()).isEqualTo(Outcome.UNSIGNED);
    KeyStateEvent limited = one(r, q);
    assertThat(limited.outcome()).isEqualTo(Outcome.SOURCE_RATE_LIMITED);
    assertThat(limited.rcode()).isEqualTo(-1);
  }

  @Test
  void notAQueryIsNotImplemented() {
    Message m = inquiry(CHILD, 1, 2);
    m.getHeader().setOpcode(Opcode.UPDATE);
    KeyStateEvent e = one(builder().build(), m.toWire());
    assertThat(e.outcome()).isEqualTo(Outcome.NOT_IMPLEMENTED);
    assertThat(e.rcode()).isEqualTo(Rcode.NOTIMP);
  }

  @Test
  void malformedInquiries() throws Exception {
    KeyStateEvent noQuestion = one(builder().build(), new Message().toWire());
    assertThat(noQuestion.outcome()).isEqualTo(Outcome.MALFORMED);
    assertThat(noQuestion.rcode()).isEqualTo(Rcode.FORMERR);
    assertThat(noQuestion.child()).isNull();

    // -03: a signed NOERROR carrying code 0
    byte[] badCode = signer.sign(inquiry(CHILD, 4242, 99), childKey);
    KeyStateEvent e03 = one(builder().build(), badCode);
    assertThat(e03.outcome()).isEqualTo(Outcome.MALFORMED);
    assertThat(e03.rcode()).isEqualTo(Rcode.NOERROR);
    assertThat(e03.keyState()).isEqualTo(KeyStateCode.REQUEST_MALFORMED);
    assertThat(e03.signed()).isTrue();
    assertThat(e03.key()).isEqualTo(new KeyRef(CHILD, 0, 4242));

    // -02: FORMERR, unsigned
    Codepoints draft02 = Codepoints.builder().keyStateTable(KeyStateTable.DRAFT_02).build();
    KeyStateEvent e02 = one(builder().codepoints(draft02).build(),
        signer.sign(inquiry(CHILD, 4242, 99), childKey));
    assertThat(e02.outcome()).isEqualTo(Outcome.MALFORMED);
    assertThat(e02.rcode()).isEqualTo(Rcode.FORMERR);
    assertThat(e02.keyState()).isNull();

    // a SIG(0) that is not the last record
    byte[] signed = signedInquiry(childKey);
    byte[] q = ByteBuffer.allocate(signed.length + 15).put(signed)
        .put(new byte[] {0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 127, 0, 0, 1}).array();
    int ar = ((q[10] & 0xFF) << 8 | (q[11] & 0xFF)) + 1;
    q[10] = (byte) (ar >>> 8);
    q[11] = (byte) ar;
    KeyStateEvent misplaced = one(builder().build(), q);
    assertThat(misplaced.outcome()).isEqualTo(Outcome.MALFORMED);
    assertThat(misplaced.rcode()).isEqualTo(Rcode.FORMERR);
    assertThat(misplaced.signed()).isFalse();
  }

  @Test
  void aQueryWithoutTheOptionIsRefused() {
    Message m = Message.newQuery(org.xbill.DNS.Record.newRecord(CHILD, org.xbill.DNS.Type.KEY,
        org.xbill.DNS.DClass.IN));
    KeyStateEvent e = one(builder().build(), m.toWire());
    assertThat(e.outcome()).isEqualTo(Outcome.NO_KEYSTATE_OPTION);
    assertThat(e.rcode()).isEqualTo(Rcode.REFUSED);
    assertThat(e.child()).isEqualTo(CHILD);
    assertThat(e.key()).isNull();
  }

  @Test
  void unauthenticatedInquiries() throws Exception {
    KeyStateResponder r = builder().build();
    int tag = childKey.publicKey().keyTag();
    KeyStateEvent unsigned = one(r, inquiry(CHILD, tag, 2).toWire());
    assertThat(unsigned.outcome()).isEqualTo(Outcome.UNSIGNED);
    assertThat(unsigned.rcode()).isEqualTo(Rcode.REFUSED);

    KeyStateEvent unknown = one(r, signedInquiry(secondChildKey));
    assertThat(unknown.outcome()).isEqualTo(Outcome.UNKNOWN_KEY);
    assertThat(unknown.rcode()).isEqualTo(Rcode.BADKEY);
    assertThat(unknown.signerKey()).isNull();
    assertThat(unknown.key()).isEqualTo(new KeyRef(CHILD, 0,
        secondChildKey.publicKey().keyTag()));

    KeyStateEvent mismatch = one(r, junkSigned(OTHER, 15, tag, tag));
    assertThat(mismatch.outcome()).isEqualTo(Outcome.KEY_MISMATCH);
    assertThat(mismatch.rcode()).isEqualTo(Rcode.REFUSED);

    byte[] tampered = signedInquiry(childKey);
    tampered[tampered.length - 1] ^= 1;
    KeyStateEvent bad = one(r, tampered);
    assertThat(bad.outcome()).isEqualTo(Outcome.BAD_SIGNATURE);
    assertThat(bad.rcode()).isEqualTo(Rcode.BADSIG);

    Sig0Signer stale = Sig0Signer.create(Sig0Config.builder()
        .clock(Clock.offset(CLOCK, Duration.ofHours(-1))).build());
    KeyStateEvent late = one(r, stale.sign(inquiry(CHILD, tag, 2), childKey));
    assertThat(late.outcome()).isEqualTo(Outcome.BAD_TIME);
    assertThat(late.rcode()).isEqualTo(Rcode.BADTIME);

    byte[] q = signedInquiry(childKey);
    assertThat(one(r, q).outcome()).isEqualTo(Outcome.ANSWERED);
    KeyStateEvent replay = one(r, q);
    assertThat(replay.outcome()).isEqualTo(Outcome.REPLAYED);
    assertThat(replay.rcode()).isEqualTo(Rcode.BADTIME);
    assertThat(replay.signed()).isFalse();
  }

  @Test
  void overTheChildsLimit() throws Exception {
    KeyStateResponder r = builder().childRateLimit(1, Duration.ofMinutes(1)).build();
    assertThat(one(r, signedInquiry(childKey)).outcome()).isEqualTo(Outcome.ANSWERED);
    KeyStateEvent e = one(r, signedInquiry(childKey));
    assertThat(e.outcome()).isEqualTo(Outcome.CHILD_RATE_LIMITED);
    assertThat(e.rcode()).isEqualTo(Rcode.REFUSED);
    assertThat(e.signerKey()).as("it verified").isEqualTo(childKey.publicKey());
  }

  @Test
  void aKeyAskingAboutAnotherItMayNotIsASignedRefusal() throws Exception {
    registry.upload(new UploadEvidence(CHILD, List.of(secondChildKey.publicKey()
        .toKeyRecord(3600)), false, id(secondChildKey), NOW), "child");
    byte[] q = signer.sign(inquiry(CHILD, childKey.publicKey().keyTag(), 2), secondChildKey);
    KeyStateEvent e = one(builder().build(), q);
    assertThat(e.outcome()).isEqualTo(Outcome.SIGNER_MISMATCH);
    assertThat(e.rcode()).isEqualTo(Rcode.REFUSED);
    assertThat(e.signed()).isTrue();
    assertThat(e.keyState()).isNull();
  }

  @Test
  void storeFailuresBeforeAndAfterVerification() throws Exception {
    TrustRegistry broken = new TrustRegistry(new KeyStateResponderAuthTest.FailingStore(),
        registry.policy(), CLOCK);
    KeyStateEvent before = one(builder(broken).build(), signedInquiry(childKey));
    assertThat(before.outcome()).isEqualTo(Outcome.STORE_FAILED);
    assertThat(before.rcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(before.signed()).isFalse();

    InMemoryTrustStore keys = new InMemoryTrustStore();
    keys.apply(new RegistryChange(registry.keysOf(CHILD), List.of(), List.of()));
    TrustStore findFails = new KeyStateResponderAuthTest.FailingStore() {
      @Override
      public List<KeyEntry> keysOf(Name owner) {
        return keys.keysOf(owner);
      }
    };
    TrustRegistry half = new TrustRegistry(findFails, registry.policy(), CLOCK);
    KeyStateEvent after = one(builder(half).build(), signedInquiry(childKey));
    assertThat(after.outcome()).isEqualTo(Outcome.STORE_FAILED);
    assertThat(after.rcode()).isEqualTo(Rcode.NOERROR);
    assertThat(after.keyState()).isEqualTo(KeyStateCode.TEMPORARY_FAILURE);
    assertThat(after.signed()).isTrue();
  }

  @Test
  void anAnswerThatCannotBeSignedGoesOutWithoutTheStateAndSaysSo() throws Exception {
    Sig0Signer broken = Sig0Signer.create(Sig0Config.builder().clock(CLOCK)
        .provider(java.security.Security.getProvider("SunRsaSign")).build());
    KeyStateEvent e = one(builder().signer(broken).build(), signedInquiry(childKey));
    assertThat(e.outcome()).isEqualTo(Outcome.SIGNING_FAILED);
    assertThat(e.rcode()).isEqualTo(Rcode.NOERROR);
    assertThat(e.keyState()).isNull();
    assertThat(e.signed()).isFalse();
  }

  @Test
  void anInternalFaultIsAnEventAndNoAnswer() throws Exception {
    InMemoryTrustStore keys = new InMemoryTrustStore();
    keys.apply(new RegistryChange(registry.keysOf(CHILD), List.of(), List.of()));
    TrustStore findBreaks = new KeyStateResponderAuthTest.FailingStore() {
      @Override
      public List<KeyEntry> keysOf(Name owner) {
        return keys.keysOf(owner);
      }

      @Override
      public Optional<KeyEntry> find(KeyIdentity id) {
        throw new IllegalStateException("a bug in the host's store");
      }
    };
    KeyStateEvent e = one(builder(new TrustRegistry(findBreaks, registry.policy(), CLOCK))
        .build(), signedInquiry(childKey));
    assertThat(e.outcome()).isEqualTo(Outcome.INTERNAL_ERROR);
    assertThat(e.rcode()).isEqualTo(-1);
    assertThat(e.signerKey()).isEqualTo(childKey.publicKey());
  }

  @Test
  void aListenerThatThrowsChangesNothing() throws Exception {
    KeyStateResponder quiet = KeyStateResponder.builder(registry, receiverKey).clock(CLOCK)
        .signer(signer).build();
    int[] calls = {0};
    KeyStateResponder throwing = KeyStateResponder.builder(registry, receiverKey).clock(CLOCK)
        .signer(signer).listener(e -> {
          calls[0]++;
          throw new IllegalStateException("listener bug");
        }).build();
    byte[] q = signedInquiry(childKey);
    Message a = parse(quiet.respond(q, SOURCE).orElseThrow());
    Message b = parse(throwing.respond(signedInquiry(childKey), SOURCE).orElseThrow());
    assertThat(calls[0]).as("called once, not again on the fault path").isEqualTo(1);
    assertThat(b.getRcode()).isEqualTo(a.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(option(b)).isEqualTo(option(a)).isPresent();
    byte[] junk = {1, 2, 3};
    assertThat(throwing.respond(junk, SOURCE)).isEmpty();
    assertThat(calls[0]).isEqualTo(2);
  }

  @Test
  void theEventIsValidated() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new KeyStateEvent(NOW, SOURCE, null,
        null, null, Outcome.DROPPED, -1, KeyStateCode.KEY_TRUSTED, false, ""))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new KeyRef(CHILD, 256, 1))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new KeyRef(CHILD, 15, 65536))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new KeyRef(CHILD, 0, 7)).hasToString(CHILD + "/?/7");
  }
}
