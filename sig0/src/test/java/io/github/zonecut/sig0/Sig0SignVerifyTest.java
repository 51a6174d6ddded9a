package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.MalformedDataException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

class Sig0SignVerifyTest {
  static final Instant NOW = Instant.parse("2026-11-25T18:00:00Z");
  static final Sig0Config CONFIG =
      Sig0Config.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
  private static final Map<Integer, Sig0KeyPair> KEYS = new ConcurrentHashMap<>();

  static Sig0KeyPair key(int alg) {
    return KEYS.computeIfAbsent(alg, a -> {
      try {
        return Sig0KeyPair.generate(Name.fromConstantString("child.parent.test."),
            Sig0Algorithm.of(a), Sig0PublicKey.FLAGS_HOST);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  static Message update() throws Exception {
    Update u = new Update(Name.fromString("parent.test."));
    u.add(new TXTRecord(Name.fromString("child.parent.test."), DClass.IN, 300, "hello"));
    u.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    return u;
  }

  static Sig0Verifier verifier(Sig0KeyPair key) {
    return Sig0Verifier.builder(Sig0KeyLookup.of(key.publicKey())).config(CONFIG).replayGuard(Sig0ReplayGuard.create()).build();
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 10, 13, 14, 15, 16})
  void signsAfterOptAndVerifies(int alg) throws Exception {
    Sig0KeyPair key = key(alg);
    byte[] wire = Sig0Signer.create(CONFIG).sign(update(), key);

    Message parsed = new Message(wire);
    Record[] additional = parsed.getSectionArray(Section.ADDITIONAL);
    assertThat(additional).hasSize(2);
    assertThat(additional[0].getType()).isEqualTo(Type.OPT);
    assertThat(additional[1].getType()).isEqualTo(Type.SIG);
    assertThat(additional[1].getName()).isEqualTo(Name.root);
    assertThat(additional[1].getDClass()).isEqualTo(DClass.ANY);
    assertThat(additional[1].getTTL()).isZero();
    org.xbill.DNS.SIGRecord sig = (org.xbill.DNS.SIGRecord) additional[1];
    assertThat(sig.getTypeCovered()).isZero();
    assertThat(sig.getTimeSigned()).isEqualTo(NOW.minusSeconds(300));
    assertThat(sig.getExpire()).isEqualTo(NOW.plusSeconds(300));
    assertThat(sig.getFootprint()).isEqualTo(key.publicKey().keyTag());

    Sig0Outcome out = verifier(key).verify(wire);
    assertThat(out).isEqualTo(new Sig0Outcome.Verified(
        key.publicKey(), NOW.minusSeconds(300), NOW.plusSeconds(300)));
  }

  @Test
  void dnsjavaVerifiesWhatWeSign() throws Exception {
    Sig0KeyPair key = key(13);
    byte[] wire = Sig0Signer.create(CONFIG).sign(update(), key);
    Message parsed = new Message(wire);
    org.xbill.DNS.SIGRecord sig = (org.xbill.DNS.SIGRecord) parsed.getSectionArray(Section.ADDITIONAL)[1];
    org.xbill.DNS.SIG0.verifyMessage(parsed, wire, key.publicKey().toKeyRecord(0), null, NOW);
    assertThat(sig.getSigner()).isEqualTo(key.publicKey().owner());
  }

  @Test
  void anyChangedOctetOrWrongKeyFails() throws Exception {
    Sig0KeyPair key = key(15);
    byte[] wire = Sig0Signer.create(CONFIG).sign(update(), key);
    byte[] flipped = wire.clone();
    flipped[2] ^= 0x01; // a header flag
    assertThat(verifier(key).verify(flipped)).isInstanceOf(Sig0Outcome.BadSignature.class);
    byte[] sigFlipped = wire.clone();
    sigFlipped[sigFlipped.length - 1] ^= 0x01;
    assertThat(verifier(key).verify(sigFlipped)).isInstanceOf(Sig0Outcome.BadSignature.class);
  }

  @Test
  void ecdsaSignatureOfTheWrongLengthIsBadSignature() throws Exception {
    Sig0KeyPair key = key(13);
    byte[] wire = Sig0Signer.create(CONFIG).sign(update(), key);
    // Drop one signature octet and fix RDLENGTH.
    byte[] shorter = java.util.Arrays.copyOf(wire, wire.length - 1);
    int rdlenOff = wire.length - 64 - (18 + key.publicKey().owner().toWire().length) - 2;
    int rdlen = ((shorter[rdlenOff] & 0xFF) << 8 | (shorter[rdlenOff + 1] & 0xFF)) - 1;
    shorter[rdlenOff] = (byte) (rdlen >>> 8);
    shorter[rdlenOff + 1] = (byte) rdlen;
    Sig0Outcome out = verifier(key).verify(shorter);
    assertThat(out).isInstanceOf(Sig0Outcome.BadSignature.class);
    assertThat(((Sig0Outcome.BadSignature) out).reason()).contains("wrong length");
  }

  @Test
  void signingTwiceIsRefused() throws Exception {
    Sig0Signer signer = Sig0Signer.create(CONFIG);
    byte[] once = signer.sign(update(), key(15));
    assertThatThrownBy(() -> signer.sign(once, key(15)))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("already carries a SIG(0)");
  }

  @Test
  void signingGarbageIsRefused() {
    Sig0Signer signer = Sig0Signer.create(CONFIG);
    assertThatThrownBy(() -> signer.sign(new byte[] {1, 2, 3}, key(15)))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("DNS header");
  }

  @Test
  void signingAMessageWithTsigIsRefused() throws Exception {
    Message m = update();
    m.setTSIG(new org.xbill.DNS.TSIG(org.xbill.DNS.TSIG.HMAC_SHA256, "k.", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
    byte[] withTsig = m.toWire(65535);
    assertThatThrownBy(() -> Sig0Signer.create(CONFIG).sign(withTsig, key(15)))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("TSIG");
  }

  @Test
  void unsignedMessageIsUnsignedAndRefused() throws Exception {
    Sig0Outcome out = verifier(key(15)).verify(update().toWire());
    assertThat(out).isEqualTo(new Sig0Outcome.Unsigned());
    assertThat(out.rcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void clockSkewInsideToleranceVerifies() throws Exception {
    Sig0KeyPair key = key(15);
    byte[] wire = Sig0Signer.create(CONFIG).sign(update(), key);
    // A receiver whose clock runs 9 minutes behind: outside [inception, expiration] but within skew.
    Sig0Config behind = Sig0Config.builder()
        .clock(Clock.fixed(NOW.minus(Duration.ofMinutes(9)), ZoneOffset.UTC)).build();
    assertThat(Sig0Verifier.builder(Sig0KeyLookup.of(key.publicKey())).config(behind).replayGuard(Sig0ReplayGuard.create()).build().verify(wire))
        .isInstanceOf(Sig0Outcome.Verified.class);
    Sig0Config farBehind = Sig0Config.builder()
        .clock(Clock.fixed(NOW.minus(Duration.ofMinutes(11)), ZoneOffset.UTC)).build();
    Sig0Outcome out = Sig0Verifier.builder(Sig0KeyLookup.of(key.publicKey())).config(farBehind).replayGuard(Sig0ReplayGuard.create()).build().verify(wire);
    assertThat(out).isEqualTo(new Sig0Outcome.BadTime(-360, NOW.minusSeconds(300), NOW.plusSeconds(300)));
  }

  @Test
  void responsesVerifyInTheFormTheyWereSignedIn() throws Exception {
    Sig0KeyPair child = key(15);
    Sig0KeyPair parent = key(13);
    Sig0Signer signer = Sig0Signer.create(CONFIG);
    byte[] query = signer.sign(update(), child);
    Message resp = new Message(new Message(query).getHeader().getID());
    resp.getHeader().setFlag(org.xbill.DNS.Flags.QR);
    resp.getHeader().setOpcode(org.xbill.DNS.Opcode.UPDATE);
    byte[] unsignedResponse = resp.toWire();

    byte[] withQuery = signer.signResponse(unsignedResponse, query, parent, Sig0ResponseForm.WITH_QUERY);
    byte[] requestStyle = signer.signResponse(unsignedResponse, query, parent, Sig0ResponseForm.REQUEST_STYLE);

    Sig0KeyLookup keys = Sig0KeyLookup.of(parent.publicKey());
    Sig0Verifier either = Sig0Verifier.builder(keys).config(CONFIG).insecureWithoutReplayGuard().build();
    assertThat(either.verifyResponse(withQuery, query)).isInstanceOf(Sig0Outcome.Verified.class);
    assertThat(either.verifyResponse(requestStyle, query)).isInstanceOf(Sig0Outcome.Verified.class);
    assertThat(either.verify(requestStyle)).isInstanceOf(Sig0Outcome.Verified.class);

    Sig0Verifier rfcOnly = Sig0Verifier.builder(keys).config(CONFIG)
        .responseForms(EnumSet.of(Sig0ResponseForm.WITH_QUERY)).replayGuard(Sig0ReplayGuard.create()).build();
    assertThat(rfcOnly.verifyResponse(withQuery, query)).isInstanceOf(Sig0Outcome.Verified.class);
    assertThat(rfcOnly.verifyResponse(requestStyle, query)).isInstanceOf(Sig0Outcome.BadSignature.class);

    Sig0Verifier requestOnly = Sig0Verifier.builder(keys).config(CONFIG)
        .responseForms(EnumSet.of(Sig0ResponseForm.REQUEST_STYLE)).replayGuard(Sig0ReplayGuard.create()).build();
    assertThat(requestOnly.verifyResponse(requestStyle, query)).isInstanceOf(Sig0Outcome.Verified.class);
    assertThat(requestOnly.verifyResponse(withQuery, query)).isInstanceOf(Sig0Outcome.BadSignature.class);

    // The query bytes are covered: another query does not verify the WITH_QUERY response.
    byte[] otherQuery = signer.sign(update(), child);
    assertThat(rfcOnly.verifyResponse(withQuery, otherQuery)).isInstanceOf(Sig0Outcome.BadSignature.class);
    assertThatThrownBy(() -> Sig0Verifier.builder(keys).responseForms(EnumSet.noneOf(Sig0ResponseForm.class)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void signersAndVerifiersAreSafeToShareBetweenThreads() throws Exception {
    Sig0Signer signer = Sig0Signer.create(CONFIG);
    Sig0KeyPair ed = key(15);
    Sig0KeyPair ec = key(13);
    Sig0Verifier v = Sig0Verifier.builder(Sig0KeyLookup.of(ed.publicKey(), ec.publicKey()))
        .config(CONFIG).replayGuard(Sig0ReplayGuard.create()).build();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Future<Sig0Outcome>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 200; i++) {
        Sig0KeyPair k = i % 2 == 0 ? ed : ec;
        byte[] bad = i % 5 == 0 ? new byte[] {1} : null;
        results.add(pool.submit(() -> v.verify(bad != null ? bad : signer.sign(update(), k))));
      }
      int verified = 0;
      for (int i = 0; i < results.size(); i++) {
        Sig0Outcome out = results.get(i).get();
        if (i % 5 == 0) {
          assertThat(out).isInstanceOf(Sig0Outcome.Malformed.class);
        } else {
          // ECDSA signatures are randomised, so every message is fresh; Ed25519 ones repeat.
          assertThat(out).isInstanceOfAny(Sig0Outcome.Verified.class, Sig0Outcome.Replayed.class);
          verified += out instanceof Sig0Outcome.Verified ? 1 : 0;
        }
      }
      assertThat(verified).isGreaterThanOrEqualTo(80);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void toStringsHideSecrets() {
    Sig0KeyPair key = key(15);
    assertThat(key.toString()).doesNotContain("PrivateKey").contains("hidden");
    assertThat(key.toString()).isEqualTo("Sig0KeyPair[" + key.publicKey() + ", private key hidden]");
    assertThat(verifier(key).toString()).contains("BC").contains("Sig0ReplayGuard");
  }
}
