package io.github.zonecut.keystate;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.Codepoints.KeyStateTable;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyLookup;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0Outcome;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0ReplayGuard;
import io.github.zonecut.sig0.Sig0ResponseForm;
import io.github.zonecut.sig0.Sig0Signer;
import io.github.zonecut.sig0.Sig0Verifier;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SIGRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The responder authenticates the child's inquiry (mutual authentication, ddns §9.3): each
 * refusal path with its RCODE, and that a refusal never carries a key state.
 */
class KeyStateResponderAuthTest {
  static final Name CHILD = Name.fromConstantString("child.parent.example.");
  static final Name OTHER = Name.fromConstantString("other.parent.example.");
  static final Name RECEIVER = Name.fromConstantString("updater.parent.example.");
  static final InetAddress SOURCE = InetAddress.getLoopbackAddress();
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  static Sig0KeyPair receiverKey;
  static Sig0KeyPair childKey;
  static Sig0KeyPair secondChildKey;
  static Sig0KeyPair otherKey;

  final Sig0Signer signer = Sig0Signer.create(Sig0Config.builder().clock(CLOCK).build());
  TrustRegistry registry;

  @BeforeAll
  static void keys() throws Exception {
    receiverKey = Sig0KeyPair.generate(RECEIVER, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    childKey = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    secondChildKey = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ECDSAP256SHA256,
        Sig0PublicKey.FLAGS_HOST);
    otherKey = Sig0KeyPair.generate(OTHER, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
  }

  @BeforeEach
  void setUp() {
    registry = new TrustRegistry(new InMemoryTrustStore(), RegistryPolicy.of(VerificationPolicy.of(
        BootstrapMethod.AT_APEX, BootstrapMethod.MANUAL)), CLOCK);
  }

  KeyStateResponder.Builder builder() {
    return KeyStateResponder.builder(registry, receiverKey).clock(CLOCK)
        .signer(signer);
  }

  static KeyIdentity id(Sig0KeyPair k) {
    return KeyIdentity.of(k.publicKey().toKeyRecord(3600));
  }

  void upload(Sig0KeyPair k) throws Exception {
    registry.upload(new UploadEvidence(k.publicKey().owner(),
        List.of(k.publicKey().toKeyRecord(3600)), false, id(k), NOW), "child");
  }

  static Message inquiry(Name qname, int keyId, int code) {
    Message q = Message.newQuery(Record.newRecord(qname, Type.KEY, DClass.IN));
    q.addRecord(new OPTRecord(1232, 0, 0, 0, new KeyStateOption(keyId, code, 0, "")
        .toEdnsOption(Codepoints.DEFAULT)), Section.ADDITIONAL);
    return q;
  }

  byte[] signedInquiry(Sig0KeyPair by) throws Exception {
    return signer.sign(inquiry(CHILD, by.publicKey().keyTag(), 2), by);
  }

  static Message parse(byte[] w) throws Exception {
    return new Message(w);
  }

  /** The answer, checked to be signed by the receiver over this query. */
  static Message signedAnswer(KeyStateResponder r, byte[] query) throws Exception {
    byte[] a = r.respond(query, SOURCE).orElseThrow();
    assertThat(Sig0Verifier.builder(Sig0KeyLookup.of(receiverKey.publicKey()))
        .config(Sig0Config.builder().clock(CLOCK).build()).replayGuard(Sig0ReplayGuard.create()).build().verifyResponse(a, query))
        .as("the answer is signed by the receiver").isInstanceOf(Sig0Outcome.Verified.class);
    return parse(a);
  }

  /** The answer, checked to carry no SIG(0): the parent signs nothing a stranger can trigger. */
  static Message unsignedAnswer(KeyStateResponder r, byte[] query) throws Exception {
    Message m = parse(r.respond(query, SOURCE).orElseThrow());
    assertThat(m.getSectionArray(Section.ADDITIONAL)).as("the answer is not signed")
        .noneMatch(x -> x.getType() == Type.SIG);
    return m;
  }

  /**
   * An inquiry for {@link #CHILD} about {@code keyId} carrying a SIG(0) with junk signature
   * octets: what a stranger without any key can send.
   */
  static byte[] junkSigned(Name signer, int algorithm, int keyTag, int keyId) {
    Message q = inquiry(CHILD, keyId, 2);
    q.addRecord(new SIGRecord(Name.root, DClass.ANY, 0, 0, algorithm, 0,
        NOW.plusSeconds(300), NOW.minusSeconds(300), keyTag, signer, new byte[64]),
        Section.ADDITIONAL);
    return q.toWire();
  }

  static Optional<KeyStateOption> state(Message m) throws Exception {
    return KeyStateOption.find(m, Codepoints.DEFAULT);
  }

  static void assertRefused(Message m, int rcode) throws Exception {
    assertThat(m.getRcode()).as("RCODE").isEqualTo(rcode);
    assertThat(state(m)).as("a refusal discloses no key state").isEmpty();
  }

  enum Held { KNOWN, VALIDATING, TRUSTED, VALIDATION_FAILED, REFUSED }

  @ParameterizedTest
  @EnumSource(Held.class)
  void aSignedInquiryIsAnsweredForAKeyInAnyStateTheRegistryHolds(Held held) throws Exception {
    upload(childKey);
    KeyStateCode expected = KeyStateCode.BOOTSTRAP_AUTO;
    switch (held) {
      case KNOWN -> { }
      case VALIDATING -> registry.startValidation(id(childKey), BootstrapMethod.AT_APEX, "v");
      case TRUSTED -> {
        registry.approve(id(childKey), "alice", "ticket");
        expected = KeyStateCode.KEY_TRUSTED;
      }
      case VALIDATION_FAILED -> {
        registry.startValidation(id(childKey), BootstrapMethod.AT_APEX, "v");
        registry.validationFailed(id(childKey), "v", "bogus");
        expected = KeyStateCode.KEY_VALIDATION_FAILED;
      }
      case REFUSED -> {
        registry.refuse(id(childKey), "alice", "policy");
        expected = KeyStateCode.KEY_REFUSED;
      }
    }
    assertThat(registry.find(id(childKey)).orElseThrow().state().name()).isEqualTo(held.name());
    Message m = signedAnswer(builder().build(), signedInquiry(childKey));
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(state(m).orElseThrow().code(KeyStateTable.DRAFT_03)).contains(expected);
    assertThat(state(m).orElseThrow().keyId()).isEqualTo(childKey.publicKey().keyTag());
  }

  @Test
  void anInquiryAboutTheUnheldKeyThatSignedItIsAnUnsignedBadKey() throws Exception {
    upload(secondChildKey);
    // This used to be a signed KEY_UNKNOWN. Issue 9 item 2: the signature could not be checked
    // (the key is not held), so anyone could have sent it, and the parent signs nothing a
    // stranger can trigger; an unsigned BADKEY already tells the real child to re-bootstrap
    // (ddns §8), as an UPDATE signed by an unknown key would.
    Message m = unsignedAnswer(builder().build(), signedInquiry(childKey));
    assertRefused(m, Rcode.BADKEY);
  }

  @Test
  void anUnheldKeyAskingAboutAnotherKeyIsAnUnsignedBadKeyInTheOpt() throws Exception {
    upload(secondChildKey);
    // signed by childKey (not held) but asking about the held secondChildKey: no state for it
    byte[] q = signer.sign(inquiry(CHILD, secondChildKey.publicKey().keyTag(), 2), childKey);
    Message m = unsignedAnswer(builder().build(), q);
    assertRefused(m, Rcode.BADKEY);
    assertThat(m.getHeader().getRcode()).as("low four bits in the header").isEqualTo(17 & 0xF);
    assertThat(m.getOPT()).isNotNull();
    assertThat(m.getOPT().getExtendedRcode()).as("upper bits in the OPT").isEqualTo(17 >>> 4);
  }

  @Test
  void theAnswerIsTheStateOfTheKeyThatVerifiedNotOfItsTag() throws Exception {
    upload(childKey);
    // A key of the child whose tag collides with childKey's, held TRUSTED. Issue 9 item 5: the
    // answer used to be the most advanced state among keys sharing the tag, so a self-uploaded
    // KNOWN key colliding with the trusted key's tag (~80 k Ed25519 generations) got a signed
    // KEY_TRUSTED. Here the roles are built the other way round (the colliding bytes are the
    // trusted ones), which needs no grinding.
    org.xbill.DNS.KEYRecord real = childKey.publicKey().toKeyRecord(3600);
    org.xbill.DNS.KEYRecord twin = collidingKey(real);
    assertThat(twin.getFootprint()).isEqualTo(real.getFootprint());
    registry.upload(new UploadEvidence(CHILD, List.of(twin), false, KeyIdentity.of(twin), NOW),
        "twin");
    registry.approve(KeyIdentity.of(twin), "alice", "ticket");
    Message m = signedAnswer(builder().build(), signedInquiry(childKey));
    assertThat(state(m).orElseThrow().code(KeyStateTable.DRAFT_03))
        .as("the key that signed is only known").contains(KeyStateCode.BOOTSTRAP_AUTO);
  }

  /**
   * Another public key with the same owner, flags, algorithm and key tag as {@code k}: two of its
   * 16-bit words swapped (the tag is their ones'-complement sum, RFC 4034 Appendix B).
   */
  static org.xbill.DNS.KEYRecord collidingKey(org.xbill.DNS.KEYRecord k) {
    byte[] pub = k.getKey();
    for (int i = 2; i + 1 < pub.length; i += 2) {
      if (pub[0] != pub[i] || pub[1] != pub[i + 1]) {
        byte[] p = pub.clone();
        p[0] = pub[i];
        p[1] = pub[i + 1];
        p[i] = pub[0];
        p[i + 1] = pub[1];
        return new org.xbill.DNS.KEYRecord(k.getName(), DClass.IN, 3600, k.getFlags(),
            k.getProtocol(), k.getAlgorithm(), p);
      }
    }
    throw new AssertionError("no colliding key");
  }

  @Test
  void aKeyRollIsAnsweredToTheTrustedOldKeyAskingAboutTheNewOne() throws Exception {
    registry = new TrustRegistry(new InMemoryTrustStore(), new RegistryPolicy(
        VerificationPolicy.of(BootstrapMethod.MANUAL), RegistryPolicy.DEFAULT_ALGORITHMS, true),
        CLOCK);
    upload(childKey);
    registry.approve(id(childKey), "alice", "ticket");
    Sig0KeyPair next = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_HOST);
    KeyStateResponder r = builder().build();
    byte[] aboutNext = signer.sign(inquiry(CHILD, next.publicKey().keyTag(), 2), childKey);
    // Issue 10: this used to be REFUSED. Before the roll, the trusted key learns the new key has
    // not arrived; after it, the new key's state, in a signed answer.
    KeyStateOption before = state(signedAnswer(r, aboutNext)).orElseThrow();
    assertThat(before.code(KeyStateTable.DRAFT_03)).contains(KeyStateCode.KEY_UNKNOWN);
    assertThat(before.keyId()).isEqualTo(next.publicKey().keyTag());

    assertThat(registry.rollTo(id(childKey), next.publicKey().toKeyRecord(3600), "child"))
        .isInstanceOf(RegistryOutcome.Applied.class);
    aboutNext = signer.sign(inquiry(CHILD, next.publicKey().keyTag(), 2), childKey);
    KeyStateOption after = state(signedAnswer(r, aboutNext)).orElseThrow();
    assertThat(after.code(KeyStateTable.DRAFT_03)).contains(KeyStateCode.KEY_TRUSTED);
    assertThat(after.keyId()).isEqualTo(next.publicKey().keyTag());
    assertThat(state(signedAnswer(r, signedInquiry(next))).orElseThrow()
        .code(KeyStateTable.DRAFT_03)).contains(KeyStateCode.KEY_TRUSTED);

    assertThat(registry.retire(id(childKey), id(next), "child"))
        .isInstanceOf(RegistryOutcome.Applied.class);
    assertRefused(unsignedAnswer(r, signedInquiry(childKey)), Rcode.BADKEY);
    assertThat(state(signedAnswer(r, signedInquiry(next))).orElseThrow()
        .code(KeyStateTable.DRAFT_03)).contains(KeyStateCode.KEY_TRUSTED);
  }

  @Test
  void onlyATrustedKeyMayAskAboutTheKeyItRolledTo() throws Exception {
    registry = new TrustRegistry(new InMemoryTrustStore(), new RegistryPolicy(
        VerificationPolicy.of(BootstrapMethod.MANUAL), RegistryPolicy.DEFAULT_ALGORITHMS, true),
        CLOCK);
    upload(childKey);
    Sig0KeyPair next = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_HOST);
    byte[] aboutNext = signer.sign(inquiry(CHILD, next.publicKey().keyTag(), 2), childKey);
    assertRefused(signedAnswer(builder().build(), aboutNext), Rcode.REFUSED);
  }

  @Test
  void aSignatureThatDoesNotVerifyIsBadSig() throws Exception {
    upload(childKey);
    byte[] q = signedInquiry(childKey);
    q[q.length - 1] ^= 1;
    assertRefused(unsignedAnswer(builder().build(), q), Rcode.BADSIG);
  }

  @Test
  void aSignatureOutsideItsWindowIsBadTimeOnTheResponderClock() throws Exception {
    upload(childKey);
    Sig0Signer stale = Sig0Signer.create(Sig0Config.builder()
        .clock(Clock.offset(CLOCK, Duration.ofHours(-1))).build());
    byte[] q = stale.sign(inquiry(CHILD, childKey.publicKey().keyTag(), 2), childKey);
    assertRefused(unsignedAnswer(builder().build(), q), Rcode.BADTIME);
    KeyStateResponder thenClock = builder().clock(Clock.offset(CLOCK, Duration.ofHours(-1)))
        .build();
    assertThat(state(signedAnswer(thenClock, q))).as("the injected clock decides").isPresent();
    KeyStateResponder thenConfig = builder().verifierConfig(Sig0Config.builder()
        .clock(Clock.offset(CLOCK, Duration.ofHours(-1))).build()).build();
    assertThat(state(signedAnswer(thenConfig, q))).as("the verifier config's clock decides")
        .isPresent();
  }

  @Test
  void aReplayedInquiryIsBadTime() throws Exception {
    upload(childKey);
    KeyStateResponder r = builder().build();
    byte[] q = signedInquiry(childKey);
    assertThat(state(signedAnswer(r, q))).isPresent();
    // a replay is what a stranger who captured the inquiry sends: not signed
    assertRefused(unsignedAnswer(r, q), Rcode.BADTIME);
    assertThat(state(signedAnswer(r, signedInquiry(childKey))))
        .as("a freshly signed inquiry is answered").isPresent();
  }

  @Test
  void aSignerOtherThanTheChildGetsNoSignedAnswerEvenWithAHeldKey() throws Exception {
    upload(childKey);
    upload(otherKey);
    registry.approve(id(otherKey), "alice", "ticket");
    // Issue 9 item 2: these used to be signed REFUSED answers, which requireSignedInquiries(true)
    // is meant to deny strangers. other.'s key is held, trusted even, but it does not speak for
    // child.: its signature is not checked, so the answer is unsigned. The child holds no key
    // with other.'s algorithm and tag: BADKEY, as for an UPDATE signed by an unknown key.
    KeyStateResponder r = builder().requireSignedInquiries(true).build();
    byte[] q = signer.sign(inquiry(CHILD, otherKey.publicKey().keyTag(), 2), otherKey);
    assertRefused(unsignedAnswer(r, q), Rcode.BADKEY);
    byte[] sameTag = signer.sign(inquiry(CHILD, childKey.publicKey().keyTag(), 2), otherKey);
    assertRefused(unsignedAnswer(r, sameTag), Rcode.BADKEY);
    // the SIG(0) names other. but carries the algorithm and tag of a key the child holds
    byte[] held = junkSigned(OTHER, 15, childKey.publicKey().keyTag(),
        childKey.publicKey().keyTag());
    assertRefused(unsignedAnswer(r, held), Rcode.REFUSED);
  }

  @Test
  void aJunkSigWithAnUnsupportedAlgorithmGetsNoSignedStateForATrustedKey() throws Exception {
    upload(childKey);
    registry.approve(id(childKey), "alice", "ticket");
    int tag = childKey.publicKey().keyTag();
    // Issue 9 item 2: algorithm 200 is unsupported, so the verifier gives up before any
    // cryptography; the old responder answered a signed KEY_UNKNOWN for a TRUSTED key, which
    // with the request-style form an on-path attacker could hand to the real child.
    for (Sig0ResponseForm f : Sig0ResponseForm.values()) {
      Message m = unsignedAnswer(builder().responseForm(f).build(), junkSigned(CHILD, 200, tag,
          tag));
      assertRefused(m, Rcode.BADKEY);
    }
  }

  @Test
  void aJunkSigWithAMismatchedAlgorithmGetsNoSignedAnswer() throws Exception {
    upload(childKey);
    registry.approve(id(childKey), "alice", "ticket");
    int tag = childKey.publicKey().keyTag();
    // the trusted key is Ed25519 (15); the SIG(0) claims ECDSA P-256 (13) with its tag
    assertRefused(unsignedAnswer(builder().build(), junkSigned(CHILD, 13, tag, tag)),
        Rcode.BADKEY);
  }

  @Test
  void aStrangerEnumeratingTagsGetsNoSignedAnswerEitherWay() throws Exception {
    upload(childKey);
    registry.approve(id(childKey), "alice", "ticket");
    int held = childKey.publicKey().keyTag();
    int notHeld = (held + 1) & 0xFFFF;
    KeyStateResponder r = builder().build();
    // Issue 9 item 2: held gave BADSIG, not held a signed KEY_UNKNOWN; neither is signed now.
    // (The RCODEs still differ, as they do for an UPDATE: key tags are public, signatures are
    // what must not be obtainable.)
    assertRefused(unsignedAnswer(r, junkSigned(CHILD, 15, held, held)), Rcode.BADSIG);
    assertRefused(unsignedAnswer(r, junkSigned(CHILD, 15, notHeld, notHeld)), Rcode.BADKEY);
  }

  @Test
  void aStrangersSignaturesNeverReachTheSharedReplayGuard() throws Exception {
    upload(childKey);
    Sig0ReplayGuard guard = Sig0ReplayGuard.create();
    KeyStateResponder r = builder().replayGuard(guard).build();
    Sig0KeyPair stranger = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_HOST);
    // Issue 9 item 6: a valid signature by a key the registry does not hold, and junk, are
    // refused before the guard is consulted, so they cannot push out UPDATE signatures.
    for (int i = 0; i < 5; i++) {
      assertRefused(unsignedAnswer(r, signer.sign(inquiry(CHILD, stranger.publicKey().keyTag(),
          2), stranger)), Rcode.BADKEY);
      assertRefused(unsignedAnswer(r, junkSigned(CHILD, 15, childKey.publicKey().keyTag(),
          childKey.publicKey().keyTag())), Rcode.BADSIG);
    }
    assertThat(guard.size()).isZero();
    assertThat(state(signedAnswer(r, signedInquiry(childKey)))).isPresent();
    assertThat(guard.size()).as("a held key's verified signature is remembered").isEqualTo(1);
  }

  @Test
  void theSignerIsComparedLabelWiseNotByCase() throws Exception {
    upload(childKey);
    Message q = inquiry(Name.fromConstantString("CHILD.Parent.EXAMPLE."),
        childKey.publicKey().keyTag(), 2);
    assertThat(state(signedAnswer(builder().build(), signer.sign(q, childKey)))).isPresent();
  }

  @Test
  void aKeyIdOtherThanTheSigningKeysTagIsRefused() throws Exception {
    upload(childKey);
    upload(secondChildKey);
    registry.approve(id(childKey), "alice", "ticket");
    // the trusted key asks about a key it did not roll to (a self-uploaded one): signed REFUSED
    byte[] q = signer.sign(inquiry(CHILD, secondChildKey.publicKey().keyTag(), 2), childKey);
    assertRefused(signedAnswer(builder().build(), q), Rcode.REFUSED);
    // a KNOWN key asking about the trusted one: verified, so the refusal is signed too
    byte[] known = signer.sign(inquiry(CHILD, childKey.publicKey().keyTag(), 2), secondChildKey);
    assertRefused(signedAnswer(builder().build(), known), Rcode.REFUSED);
    assertThat(state(signedAnswer(builder().build(), signedInquiry(secondChildKey))))
        .as("the key itself may ask").isPresent();
  }

  @Test
  void aSignedMalformedRequestStillGetsCodeZeroWithoutAKeyIdCheck() throws Exception {
    upload(childKey);
    byte[] q = signer.sign(inquiry(CHILD, 4242, 99), childKey);
    assertThat(state(signedAnswer(builder().build(), q)))
        .contains(new KeyStateOption(4242, 0, 0, ""));
  }

  @Test
  void aSig0ThatIsNotTheLastRecordIsFormErr() throws Exception {
    upload(childKey);
    byte[] signed = signedInquiry(childKey);
    // append ". 0 IN A 127.0.0.1" after the SIG(0) and count it in ARCOUNT
    ByteBuffer b = ByteBuffer.allocate(signed.length + 15).put(signed)
        .put(new byte[] {0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 127, 0, 0, 1});
    byte[] q = b.array();
    int ar = ((q[10] & 0xFF) << 8 | (q[11] & 0xFF)) + 1;
    q[10] = (byte) (ar >>> 8);
    q[11] = (byte) ar;
    Message m = parse(builder().build().respond(q, SOURCE).orElseThrow());
    assertRefused(m, Rcode.FORMERR);
  }

  @Test
  void unsignedInquiriesAreRefusedByDefault() throws Exception {
    upload(childKey);
    byte[] q = inquiry(CHILD, childKey.publicKey().keyTag(), 2).toWire();
    for (KeyStateResponder r : List.of(builder().build(),
        builder().requireSignedInquiries(true).build())) {
      Message m = parse(r.respond(q, SOURCE).orElseThrow());
      assertRefused(m, Rcode.REFUSED);
      assertThat(m.getSectionArray(Section.ADDITIONAL))
          .as("a stranger's plain query makes the parent sign nothing")
          .noneMatch(x -> x.getType() == Type.SIG);
    }
  }

  @Test
  void unsignedInquiriesAreAnsweredWhenAllowedButBadSignaturesStillRefused() throws Exception {
    upload(childKey);
    KeyStateResponder lenient = builder().requireSignedInquiries(false).build();
    byte[] q = inquiry(CHILD, childKey.publicKey().keyTag(), 2).toWire();
    assertThat(state(signedAnswer(lenient, q)).orElseThrow().code(KeyStateTable.DRAFT_03))
        .contains(KeyStateCode.BOOTSTRAP_AUTO);
    byte[] tampered = signedInquiry(childKey);
    tampered[tampered.length - 1] ^= 1;
    assertRefused(unsignedAnswer(lenient, tampered), Rcode.BADSIG);
  }

  @Test
  void aRefusalGoesOutUnsignedWhenItCannotBeSigned() throws Exception {
    Sig0Signer broken = Sig0Signer.create(Sig0Config.builder().clock(CLOCK)
        .provider(java.security.Security.getProvider("SunRsaSign")).build());
    KeyStateResponder r = builder().signer(broken).build();
    byte[] q = signer.sign(inquiry(CHILD, childKey.publicKey().keyTag() ^ 1, 2), childKey);
    Message m = parse(r.respond(q, SOURCE).orElseThrow());
    assertRefused(m, Rcode.BADKEY);
    assertThat(m.getSectionArray(Section.ADDITIONAL)).noneMatch(x -> x.getType() == Type.SIG);
  }

  @Test
  void aStoreFailureWhileVerifyingIsAnUnsignedServfail() throws Exception {
    TrustRegistry broken = new TrustRegistry(new FailingStore(), registry.policy(), CLOCK);
    byte[] q = signedInquiry(childKey);
    // The signature could not be checked, so nothing is signed (it used to be a signed
    // temporary failure, which a stranger could trigger while the store was down).
    for (KeyStateTable table : KeyStateTable.values()) {
      Codepoints cp = Codepoints.builder().keyStateTable(table).build();
      Message m = unsignedAnswer(KeyStateResponder.builder(broken, receiverKey).clock(CLOCK)
          .signer(signer).codepoints(cp).build(), q);
      assertThat(m.getRcode()).isEqualTo(Rcode.SERVFAIL);
      assertThat(KeyStateOption.find(m, cp)).isEmpty();
    }
  }

  @Test
  void aStoreFailureAfterVerificationIsASignedTemporaryFailure() throws Exception {
    upload(childKey);
    InMemoryTrustStore keys = new InMemoryTrustStore();
    keys.apply(new RegistryChange(registry.keysOf(CHILD), List.of(), List.of()));
    TrustStore findFails = new FailingStore() {
      @Override
      public List<KeyEntry> keysOf(Name owner) {
        return keys.keysOf(owner);
      }
    };
    TrustRegistry half = new TrustRegistry(findFails, registry.policy(), CLOCK);
    Message m = signedAnswer(KeyStateResponder.builder(half, receiverKey).clock(CLOCK)
        .signer(signer).build(), signedInquiry(childKey));
    assertThat(state(m)).contains(new KeyStateOption(childKey.publicKey().keyTag(), 1, 0, ""));
  }

  @Test
  void overTheChildsLimitAVerifiedInquiryIsAPlainRefused() throws Exception {
    upload(childKey);
    KeyStateResponder r = builder().childRateLimit(1, Duration.ofMinutes(1)).build();
    assertThat(state(signedAnswer(r, signedInquiry(childKey)))).isPresent();
    Message limited = unsignedAnswer(r, signedInquiry(childKey));
    assertThat(limited.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(limited.getOPT()).as("rate-limited: a plain REFUSED, no signing work").isNull();
  }

  @Test
  void aStrangersFloodDoesNotUseUpTheChildsAllowance() throws Exception {
    upload(childKey);
    KeyStateResponder r = builder().childRateLimit(10, Duration.ofMinutes(1))
        .sourceRateLimit(1000, Duration.ofMinutes(1)).build();
    InetAddress stranger = InetAddress.getByAddress(new byte[] {127, 0, 1, 1});
    byte[] unsigned = inquiry(CHILD, childKey.publicKey().keyTag(), 2).toWire();
    byte[] junk = junkSigned(CHILD, 15, childKey.publicKey().keyTag(),
        childKey.publicKey().keyTag());
    // Issue 9 item 3: the child's bucket used to be charged before authentication, so ten
    // unsigned inquiries a minute from anywhere made the real child's inquiry REFUSED.
    for (int i = 0; i < 50; i++) {
      assertThat(r.respond(i % 2 == 0 ? unsigned : junk, stranger)).isPresent();
    }
    assertThat(state(signedAnswer(r, signedInquiry(childKey))))
        .as("the real child is answered").isPresent();
  }

  @Test
  void unauthenticatedTrafficIsLimitedPerSourcePrefix() throws Exception {
    upload(childKey);
    KeyStateResponder r = builder().sourceRateLimit(2, Duration.ofMinutes(1)).build();
    byte[] q = inquiry(CHILD, childKey.publicKey().keyTag(), 2).toWire();
    InetAddress a = InetAddress.getByAddress(new byte[] {127, 0, 1, 1});
    InetAddress sameSlash24 = InetAddress.getByAddress(new byte[] {127, 0, 1, (byte) 200});
    InetAddress otherSlash24 = InetAddress.getByAddress(new byte[] {127, 0, 2, 1});
    assertThat(r.respond(q, a)).isPresent();
    assertThat(r.respond(q, sameSlash24)).isPresent();
    assertThat(r.respond(q, a)).as("over the /24's limit: dropped").isEmpty();
    assertThat(r.respond(q, sameSlash24)).isEmpty();
    assertThat(r.respond(q, otherSlash24)).isPresent();
    KeyStateResponder perAddress = builder().sourceRateLimit(1, Duration.ofMinutes(1))
        .sourcePrefixes(32, 128).build();
    assertThat(perAddress.respond(q, a)).isPresent();
    assertThat(perAddress.respond(q, sameSlash24)).as("/32: another key").isPresent();
    assertThat(perAddress.respond(q, a)).isEmpty();
  }

  @Test
  void aSharedReplayGuardSpansResponders() throws Exception {
    upload(childKey);
    Sig0ReplayGuard guard = Sig0ReplayGuard.create();
    byte[] q = signedInquiry(childKey);
    assertThat(state(signedAnswer(builder().replayGuard(guard).build(), q))).isPresent();
    assertRefused(unsignedAnswer(builder().replayGuard(guard).build(), q), Rcode.BADTIME);
  }

  /** A store that fails every call. */
  static class FailingStore implements TrustStore {
    @Override
    public Optional<KeyEntry> find(KeyIdentity id) throws StoreException {
      throw new StoreException("disk on fire");
    }

    @Override
    public List<KeyEntry> keysOf(Name owner) throws StoreException {
      throw new StoreException("disk on fire");
    }

    @Override
    public List<KeyEntry> inState(TrustState state) throws StoreException {
      throw new StoreException("disk on fire");
    }

    @Override
    public void apply(RegistryChange change) throws StoreException {
      throw new StoreException("disk on fire");
    }

    @Override
    public List<AuditEvent> history(Name owner) throws StoreException {
      throw new StoreException("disk on fire");
    }
  }
}
