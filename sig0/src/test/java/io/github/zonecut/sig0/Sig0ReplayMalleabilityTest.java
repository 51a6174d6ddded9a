package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.sig0.internal.WireScan;
import java.math.BigInteger;
import java.time.Clock;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Message;

/**
 * Issue 9 item 1: the replay guard is keyed on what was signed, so a re-encoded signature over
 * the same data is a replay; RSA signatures must be exactly the modulus length.
 */
class Sig0ReplayMalleabilityTest {
  /** The order of the P-256 group (FIPS 186-4 D.1.2.3). */
  static final BigInteger P256_N = new BigInteger(
      "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
  static final BigInteger P384_N = new BigInteger(
      "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973",
      16);

  /** The ECDSA signature (r, n − s) in place of (r, s): it verifies just the same. */
  static byte[] negateS(byte[] wire, BigInteger n) throws Exception {
    WireScan scan = WireScan.scan(wire);
    int half = scan.signatureLength / 2;
    int sOff = scan.signatureOffset + half;
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(wire, sOff, sOff + half));
    byte[] out = wire.clone();
    byte[] fixed = new byte[half];
    byte[] neg = n.subtract(s).toByteArray();
    int len = Math.min(neg.length, half);
    System.arraycopy(neg, neg.length - len, fixed, half - len, len);
    System.arraycopy(fixed, 0, out, sOff, half);
    return out;
  }

  private static Sig0Verifier verifier(Sig0PublicKey key, Clock clock, Sig0ReplayGuard guard) {
    return Sig0Verifier.builder(Sig0KeyLookup.of(key))
        .config(Sig0Config.builder().clock(clock).build()).replayGuard(guard).build();
  }

  private static Sig0Verifier unguarded(Sig0PublicKey key, Clock clock) {
    return Sig0Verifier.builder(Sig0KeyLookup.of(key))
        .config(Sig0Config.builder().clock(clock).build()).insecureWithoutReplayGuard().build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sig0-nsupdate-ecdsap256sha256", "sig0-miekg-ecdsap256sha256"})
  void theMalleatedP256VectorIsAReplayOfTheOriginalAndViceVersa(String vector) throws Exception {
    Sig0PublicKey key = TestVectors.publicKey(TestVectors.KEY_P256);
    Clock clock = TestVectors.insideWindow(vector);
    byte[] original = TestVectors.wire(vector);
    byte[] malleated = negateS(original, P256_N);
    assertThat(malleated).isNotEqualTo(original);
    // The malleated signature is a valid signature (FIPS 186 accepts high s).
    assertThat(unguarded(key, clock).verify(malleated)).isInstanceOf(Sig0Outcome.Verified.class);

    Sig0Verifier v = verifier(key, clock, Sig0ReplayGuard.create());
    assertThat(v.verify(original)).isInstanceOf(Sig0Outcome.Verified.class);
    assertThat(v.verify(malleated)).isEqualTo(new Sig0Outcome.Replayed(key));

    Sig0Verifier w = verifier(key, clock, Sig0ReplayGuard.create());
    assertThat(w.verify(malleated)).isInstanceOf(Sig0Outcome.Verified.class);
    assertThat(w.verify(original)).isEqualTo(new Sig0Outcome.Replayed(key));
    assertThat(w.verify(malleated)).isEqualTo(new Sig0Outcome.Replayed(key));
  }

  @ParameterizedTest
  @ValueSource(ints = {13, 14})
  void aMalleatedGeneratedEcdsaSignatureIsAReplay(int alg) throws Exception {
    Sig0KeyPair key = Sig0SignVerifyTest.key(alg);
    byte[] wire = Sig0Signer.create(Sig0SignVerifyTest.CONFIG).sign(Sig0SignVerifyTest.update(), key);
    byte[] malleated = negateS(wire, alg == 13 ? P256_N : P384_N);
    Sig0Verifier v = verifier(key.publicKey(), Sig0SignVerifyTest.CONFIG.clock(),
        Sig0ReplayGuard.create());
    assertThat(unguarded(key.publicKey(), Sig0SignVerifyTest.CONFIG.clock()).verify(malleated))
        .isInstanceOf(Sig0Outcome.Verified.class);
    assertThat(v.verify(wire)).isInstanceOf(Sig0Outcome.Verified.class);
    assertThat(v.verify(malleated)).isInstanceOf(Sig0Outcome.Replayed.class);
  }

  @Test
  void aResignatureOfTheSameDataIsAReplay() throws Exception {
    Sig0KeyPair key = Sig0SignVerifyTest.key(13);
    Sig0Signer signer = Sig0Signer.create(Sig0SignVerifyTest.CONFIG);
    Message m = Sig0SignVerifyTest.update();
    byte[] first = signer.sign(m, key);
    byte[] second = signer.sign(m, key); // ECDSA: a fresh k, other signature octets
    assertThat(second).isNotEqualTo(first);
    Sig0Verifier v = Sig0SignVerifyTest.verifier(key);
    assertThat(v.verify(first)).isInstanceOf(Sig0Outcome.Verified.class);
    assertThat(v.verify(second)).isInstanceOf(Sig0Outcome.Replayed.class);
  }

  /** The SIG(0) with its signature replaced by {@code sig} and RDLENGTH adjusted. */
  static byte[] withSignature(byte[] wire, byte[] sig) throws Exception {
    WireScan scan = WireScan.scan(wire);
    int rdLenOff = scan.sigStart + 1 + 8; // owner root (1), type, class, TTL
    int rdLen = WireScan.u16(wire, rdLenOff) - scan.signatureLength + sig.length;
    byte[] out = Arrays.copyOf(wire, scan.signatureOffset + sig.length);
    System.arraycopy(sig, 0, out, scan.signatureOffset, sig.length);
    out[rdLenOff] = (byte) (rdLen >>> 8);
    out[rdLenOff + 1] = (byte) rdLen;
    return out;
  }

  @Test
  void anRsaSignatureWithItsLeadingZeroDroppedIsBadSig() throws Exception {
    Sig0KeyPair key = Sig0SignVerifyTest.key(8);
    Sig0Signer signer = Sig0Signer.create(Sig0SignVerifyTest.CONFIG);
    Message m = Sig0SignVerifyTest.update();
    byte[] wire = null;
    // About one signature in 256 starts with 0x00; 5,000 tries miss with probability e^-19.
    for (int id = 0; id < 5000 && wire == null; id++) {
      m.getHeader().setID(id);
      byte[] w = signer.sign(m, key);
      WireScan scan = WireScan.scan(w);
      if (w[scan.signatureOffset] == 0) {
        wire = w;
      }
    }
    assertThat(wire).as("an RSA signature starting with 0x00").isNotNull();
    WireScan scan = WireScan.scan(wire);
    byte[] sig = scan.signature(wire);
    byte[] shortened = withSignature(wire, Arrays.copyOfRange(sig, 1, sig.length));
    assertThat(WireScan.scan(shortened).signatureLength).isEqualTo(sig.length - 1);

    Sig0Verifier v = Sig0SignVerifyTest.verifier(key);
    Sig0Outcome out = v.verify(shortened);
    assertThat(out).isInstanceOf(Sig0Outcome.BadSignature.class);
    assertThat(((Sig0Outcome.BadSignature) out).reason()).contains("RFC 8017");
    assertThat(out.rcode()).isEqualTo(Sig0Outcome.BADSIG);
    assertThat(v.verify(wire)).isInstanceOf(Sig0Outcome.Verified.class);
    assertThat(v.verify(shortened)).isInstanceOf(Sig0Outcome.BadSignature.class);
  }

  @Test
  void anRsaSignatureLongerOrShorterThanTheModulusIsBadSig() throws Exception {
    Sig0PublicKey key = TestVectors.publicKey(TestVectors.KEY_RSA);
    String vector = "sig0-nsupdate-rsasha256";
    byte[] wire = TestVectors.wire(vector);
    byte[] sig = WireScan.scan(wire).signature(wire);
    byte[] padded = new byte[sig.length + 1];
    System.arraycopy(sig, 0, padded, 1, sig.length);
    Sig0Verifier v = unguarded(key, TestVectors.insideWindow(vector));
    assertThat(v.verify(withSignature(wire, padded)))
        .isInstanceOf(Sig0Outcome.BadSignature.class);
    assertThat(v.verify(withSignature(wire, Arrays.copyOf(sig, sig.length - 1))))
        .isInstanceOf(Sig0Outcome.BadSignature.class);
    assertThat(v.verify(wire)).isInstanceOf(Sig0Outcome.Verified.class);
  }

  @Test
  void twoVerifiersSharingOneGuardSeeEachOthersMessages() throws Exception {
    Sig0KeyPair key = Sig0SignVerifyTest.key(15);
    byte[] wire = Sig0Signer.create(Sig0SignVerifyTest.CONFIG).sign(Sig0SignVerifyTest.update(), key);
    Sig0ReplayGuard shared = Sig0ReplayGuard.create();
    Sig0Verifier perRequest1 = verifier(key.publicKey(), Sig0SignVerifyTest.CONFIG.clock(), shared);
    Sig0Verifier perRequest2 = verifier(key.publicKey(), Sig0SignVerifyTest.CONFIG.clock(), shared);
    assertThat(perRequest1.verify(wire)).isInstanceOf(Sig0Outcome.Verified.class);
    assertThat(perRequest2.verify(wire)).isEqualTo(new Sig0Outcome.Replayed(key.publicKey()));
  }
}
