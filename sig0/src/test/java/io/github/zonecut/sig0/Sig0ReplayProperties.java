package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.sig0.internal.WireScan;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Update;

/**
 * Whatever is done to the signature field of a signed message (re-signed by the same key over
 * the same data, ECDSA s → n − s, Ed25519 S → S + L, a flipped bit), a guard lets the signed
 * data through at most once.
 */
class Sig0ReplayProperties {
  /** The order of the Ed25519 base point (RFC 8032 §5.1). */
  private static final BigInteger ED25519_L =
      BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
  private static final Map<String, Sig0KeyPair> KEYS = new ConcurrentHashMap<>();

  enum Change { RESIGN, NEGATE, FLIP_BIT, NONE }

  private static Sig0KeyPair key(int alg, int index) {
    return KEYS.computeIfAbsent(alg + "/" + index, k -> {
      try {
        return Sig0KeyPair.generate(Name.fromConstantString("child" + index + ".parent.test."),
            Sig0Algorithm.of(alg), Sig0PublicKey.FLAGS_HOST);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Property(tries = 200)
  void theSameSignedDataNeverPassesTheGuardTwice(
      @ForAll boolean ecdsa,
      @ForAll @IntRange(min = 0, max = 2) int keyIndex,
      @ForAll @IntRange(min = 0, max = 0xFFFF) int id,
      @ForAll @AlphaChars @StringLength(min = 1, max = 60) String text,
      @ForAll Change change,
      @ForAll @IntRange(min = 0, max = 1023) int bit,
      @ForAll boolean changedFirst) throws Exception {
    int alg = ecdsa ? 13 : 15;
    Sig0KeyPair key = key(alg, keyIndex);
    Update u = new Update(Name.fromString("parent.test."));
    u.add(new TXTRecord(key.publicKey().owner(), DClass.IN, 300, text));
    u.getHeader().setID(id);
    Sig0Signer signer = Sig0Signer.create(Sig0SignVerifyTest.CONFIG);
    byte[] original = signer.sign(u, key);
    byte[] changed = change(original, change, alg, bit, () -> signer.sign(u, key));

    Sig0Verifier v = Sig0SignVerifyTest.verifier(key);
    List<Sig0Outcome> outcomes = new ArrayList<>();
    outcomes.add(v.verify(changedFirst ? changed : original));
    outcomes.add(v.verify(changedFirst ? original : changed));
    // A third try of each, for good measure.
    outcomes.add(v.verify(original));
    outcomes.add(v.verify(changed));

    assertThat(outcomes).filteredOn(o -> o instanceof Sig0Outcome.Verified).hasSize(1);
    assertThat(outcomes).allMatch(o -> o instanceof Sig0Outcome.Verified
        || o instanceof Sig0Outcome.Replayed || o instanceof Sig0Outcome.BadSignature);
  }

  interface Signing {
    byte[] sign() throws Exception;
  }

  private static byte[] change(byte[] wire, Change change, int alg, int bit, Signing resign)
      throws Exception {
    WireScan scan = WireScan.scan(wire);
    int off = scan.signatureOffset;
    int len = scan.signatureLength;
    switch (change) {
      case RESIGN:
        return resign.sign();
      case NEGATE:
        if (alg == 13) {
          return Sig0ReplayMalleabilityTest.negateS(wire, Sig0ReplayMalleabilityTest.P256_N);
        }
        return ed25519PlusL(wire, off + len / 2);
      case FLIP_BIT:
        byte[] flipped = wire.clone();
        int b = bit % (len * 8);
        flipped[off + b / 8] ^= (byte) (1 << (b % 8));
        return flipped;
      case NONE:
      default:
        return wire.clone();
    }
  }

  /** Ed25519 S (32 octets little-endian) replaced by S + L: non-canonical, must not verify. */
  private static byte[] ed25519PlusL(byte[] wire, int sOff) {
    byte[] le = new byte[32];
    System.arraycopy(wire, sOff, le, 0, 32);
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = le[31 - i];
    }
    byte[] sum = new BigInteger(1, be).add(ED25519_L).toByteArray();
    byte[] fixed = new byte[32];
    int n = Math.min(sum.length, 32);
    System.arraycopy(sum, sum.length - n, fixed, 32 - n, n);
    byte[] out = wire.clone();
    for (int i = 0; i < 32; i++) {
      out[sOff + i] = fixed[31 - i];
    }
    return out;
  }
}
