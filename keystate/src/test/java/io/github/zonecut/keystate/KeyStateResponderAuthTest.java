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
  void anInquiryAboutTheUnheldKeyThatSignedItGetsASignedKeyUnknown() throws Exception {
    upload(secondChildKey);
    Message m = signedAnswer(builder().build(), signedInquiry(childKey));
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(state(m).orElseThrow().code(KeyStateTable.DRAFT_03))
        .contains(KeyStateCode.KEY_UNKNOWN);
    assertThat(state(m).orElseThrow().keyId()).isEqualTo(childKey.publicKey().keyTag());
  }

  @Test
  void anUnheldKeyAskingAboutAnotherKeyIsBadKeyInTheOpt() throws Exception {
    upload(secondChildKey);
    // signed by childKey (not held) but asking about the held secondChildKey: no state for it
    byte[] q = signer.sign(inquiry(CHILD, secondChildKey.publicKey().keyTag(), 2), childKey);
    Message m = signedAnswer(builder().build(), q);
    assertRefused(m, Rcode.BADKEY);
    assertThat(m.getHeader().getRcode()).as("low four bits in the header").isEqualTo(17 & 0xF);
    assertThat(m.getOPT()).isNotNull();
    assertThat(m.getOPT().getExtendedRcode()).as("upper bits in the OPT").isEqualTo(17 >>> 4);
  }

  @Test
  void aSignatureThatDoesNotVerifyIsBadSig() throws Exception {
    upload(childKey);
    byte[] q = signedInquiry(childKey);
    q[q.length - 1] ^= 1;
    assertRefused(signedAnswer(builder().build(), q), Rcode.BADSIG);
  }

  @Test
  void aSignatureOutsideItsWindowIsBadTimeOnTheResponderClock() throws Exception {
    upload(childKey);
    Sig0Signer stale = Sig0Signer.create(Sig0Config.builder()
        .clock(Clock.offset(CLOCK, Duration.ofHours(-1))).build());
    byte[] q = stale.sign(inquiry(CHILD, childKey.publicKey().keyTag(), 2), childKey);
    assertRefused(signedAnswer(builder().build(), q), Rcode.BADTIME);
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
    assertRefused(signedAnswer(r, q), Rcode.BADTIME);
    assertThat(state(signedAnswer(r, signedInquiry(childKey))))
        .as("a freshly signed inquiry is answered").isPresent();
  }

  @Test
  void aSignerOtherThanTheChildIsRefusedEvenWithAHeldKey() throws Exception {
    upload(childKey);
    upload(otherKey);
    byte[] q = signer.sign(inquiry(CHILD, otherKey.publicKey().keyTag(), 2), otherKey);
    assertRefused(signedAnswer(builder().build(), q), Rcode.REFUSED);
    byte[] sameTag = signer.sign(inquiry(CHILD, childKey.publicKey().keyTag(), 2), otherKey);
    assertRefused(signedAnswer(builder().build(), sameTag), Rcode.REFUSED);
  }

  @Test
  void aSignerOtherThanTheChildIsRefusedBeforeAnyKeyLookup() throws Exception {
    upload(childKey);
    // otherKey is not held: were the signer looked up and verified, this would be BADKEY
    byte[] q = signer.sign(inquiry(CHILD, otherKey.publicKey().keyTag(), 2), otherKey);
    assertRefused(signedAnswer(builder().build(), q), Rcode.REFUSED);
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
    byte[] q = signer.sign(inquiry(CHILD, secondChildKey.publicKey().keyTag(), 2), childKey);
    assertRefused(signedAnswer(builder().build(), q), Rcode.REFUSED);
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
    assertRefused(signedAnswer(lenient, tampered), Rcode.BADSIG);
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
  void aStoreFailureWhileVerifyingIsTemporaryFailureOrServfail() throws Exception {
    TrustRegistry broken = new TrustRegistry(new FailingStore(), registry.policy(), CLOCK);
    byte[] q = signedInquiry(childKey);
    Message m = signedAnswer(KeyStateResponder.builder(broken, receiverKey).clock(CLOCK)
        .signer(signer).build(), q);
    assertThat(state(m)).contains(new KeyStateOption(childKey.publicKey().keyTag(), 1, 0, ""));
    Codepoints v02 = Codepoints.builder().keyStateTable(KeyStateTable.DRAFT_02).build();
    Message m02 = parse(KeyStateResponder.builder(broken, receiverKey).clock(CLOCK)
        .signer(signer).codepoints(v02).build().respond(q, SOURCE).orElseThrow());
    assertThat(m02.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(KeyStateOption.find(m02, v02)).isEmpty();
  }

  @Test
  void overTheChildsLimitASignedInquiryIsRefusedBeforeItIsVerified() throws Exception {
    upload(childKey);
    Sig0ReplayGuard guard = Sig0ReplayGuard.create();
    KeyStateResponder r = builder().replayGuard(guard).childRateLimit(1, Duration.ofMinutes(1))
        .build();
    assertThat(state(signedAnswer(r, signedInquiry(childKey)))).isPresent();
    byte[] q = signedInquiry(childKey);
    Message limited = parse(r.respond(q, SOURCE).orElseThrow());
    assertThat(limited.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(limited.getOPT()).as("rate-limited: a plain REFUSED").isNull();
    KeyStateResponder sameGuard = builder().replayGuard(guard).build();
    assertThat(state(signedAnswer(sameGuard, q)))
        .as("the limited inquiry's signature was not consumed by a verification").isPresent();
  }

  @Test
  void aSharedReplayGuardSpansResponders() throws Exception {
    upload(childKey);
    Sig0ReplayGuard guard = Sig0ReplayGuard.create();
    byte[] q = signedInquiry(childKey);
    assertThat(state(signedAnswer(builder().replayGuard(guard).build(), q))).isPresent();
    assertRefused(signedAnswer(builder().replayGuard(guard).build(), q), Rcode.BADTIME);
  }

  /** A store that fails every call. */
  static final class FailingStore implements TrustStore {
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
