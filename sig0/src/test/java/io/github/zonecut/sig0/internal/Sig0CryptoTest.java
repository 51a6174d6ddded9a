package io.github.zonecut.sig0.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.junit.jupiter.api.Test;

class Sig0CryptoTest {

  @Property(tries = 300)
  void ecdsaRawAndDerRoundTripWithLeadingZeros(
      @ForAll @Size(96) byte[] raw,
      @ForAll @IntRange(min = 0, max = 48) int zerosR,
      @ForAll @IntRange(min = 0, max = 48) int zerosS,
      @ForAll boolean p384) throws Exception {
    int alg = p384 ? 14 : 13;
    int n = p384 ? 48 : 32;
    byte[] sig = Arrays.copyOf(raw, 2 * n);
    Arrays.fill(sig, 0, Math.min(zerosR, n), (byte) 0);
    Arrays.fill(sig, n, n + Math.min(zerosS, n), (byte) 0);
    byte[] der = Sig0Crypto.toJcaSignature(alg, sig);
    assertThat(der).isNotNull();
    ASN1Sequence seq = ASN1Sequence.getInstance(der); // strict DER parser
    assertThat(ASN1Integer.getInstance(seq.getObjectAt(0)).getValue())
        .isEqualTo(new BigInteger(1, Arrays.copyOfRange(sig, 0, n)));
    assertThat(ASN1Integer.getInstance(seq.getObjectAt(1)).getValue())
        .isEqualTo(new BigInteger(1, Arrays.copyOfRange(sig, n, 2 * n)));
    assertThat(Sig0Crypto.toDnsSignature(alg, der)).isEqualTo(sig);
  }

  @Test
  void ecdsaLeadingZeroAndHighBitIntegersConvertExactlyBothWays() throws Exception {
    // P-256: r = 00 80 00..00 01 (31 significant octets, high bit set: DER needs a 00 pad, so 32);
    // s = ff 00..00 02 (high bit set: a 33-octet DER INTEGER).
    byte[] raw256 = new byte[64];
    raw256[1] = (byte) 0x80;
    raw256[31] = 1;
    raw256[32] = (byte) 0xff;
    raw256[63] = 2;
    byte[] der256 = Sig0Crypto.hex("3045"
        + "0220" + "0080" + "00".repeat(29) + "01"
        + "0221" + "00ff" + "00".repeat(30) + "02");
    assertThat(Sig0Crypto.toJcaSignature(13, raw256)).isEqualTo(der256);
    assertThat(Sig0Crypto.toDnsSignature(13, der256)).isEqualTo(raw256);
    // P-384: r = 1 (47 leading zero octets, a 1-octet INTEGER); s = 7f..: 48 octets, no pad.
    byte[] raw384 = new byte[96];
    raw384[47] = 1;
    Arrays.fill(raw384, 48, 96, (byte) 0x7f);
    byte[] der384 = Sig0Crypto.hex("3035" + "020101" + "0230" + "7f".repeat(48));
    assertThat(Sig0Crypto.toJcaSignature(14, raw384)).isEqualTo(der384);
    assertThat(Sig0Crypto.toDnsSignature(14, der384)).isEqualTo(raw384);
    // A provider's INTEGERs shorter than the field are left-padded to fixed width (RFC 6605 §4).
    byte[] shortDer = Sig0Crypto.hex("3006" + "020101" + "020102");
    byte[] expected = new byte[64];
    expected[31] = 1;
    expected[63] = 2;
    assertThat(Sig0Crypto.toDnsSignature(13, shortDer)).isEqualTo(expected);
  }

  @Test
  void ecdsaSignatureOfTheWrongWidthHasNoDerForm() {
    assertThat(Sig0Crypto.toJcaSignature(13, new byte[63])).isNull();
    assertThat(Sig0Crypto.toJcaSignature(14, new byte[64])).isNull();
    byte[] ed = new byte[64];
    assertThat(Sig0Crypto.toJcaSignature(15, ed)).isSameAs(ed);
  }

  @Test
  void malformedDerFromAProviderIsASignatureException() {
    assertThatThrownBy(() -> Sig0Crypto.toDnsSignature(13, new byte[] {0x31, 0}))
        .isInstanceOf(SignatureException.class);
    assertThatThrownBy(() -> Sig0Crypto.toDnsSignature(13, new byte[] {0x30, 3, 2, 1, 1}))
        .isInstanceOf(SignatureException.class);
    byte[] wide = new byte[2 + 2 + 34 + 3];
    wide[0] = 0x30;
    wide[1] = (byte) (wide.length - 2);
    wide[2] = 2;
    wide[3] = 34;
    wide[4] = 1; // 34 significant octets: wider than P-256
    wide[38] = 2;
    wide[39] = 1;
    wide[40] = 1;
    assertThatThrownBy(() -> Sig0Crypto.toDnsSignature(13, wide))
        .isInstanceOf(SignatureException.class).hasMessageContaining("wider");
  }

  @Test
  void publicKeysOfTheWrongSizeAreRefused() {
    var bc = io.github.zonecut.sig0.Sig0Config.defaultProvider();
    assertThatThrownBy(() -> Sig0Crypto.decodePublicKey(15, new byte[31], bc))
        .hasMessageContaining("32 octets");
    assertThatThrownBy(() -> Sig0Crypto.decodePublicKey(13, new byte[65], bc))
        .hasMessageContaining("64 octets");
    assertThatThrownBy(() -> Sig0Crypto.decodePublicKey(8, new byte[] {3, 1, 0, 1}, bc))
        .hasMessageContaining("does not fit");
    assertThatThrownBy(() -> Sig0Crypto.decodePublicKey(8, new byte[] {1, 3, 5, 5, 5}, bc))
        .hasMessageContaining("out of range");
    // A point not on the curve.
    assertThatThrownBy(() -> Sig0Crypto.decodePublicKey(13, new byte[64], bc))
        .isInstanceOf(Exception.class);
  }

  // The integer comparisons nonCanonical made with BigInteger before it compared octets.
  private static final BigInteger ED25519_L =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
  private static final BigInteger ED448_L = BigInteger.ONE.shiftLeft(446).subtract(new BigInteger(
      "13818066809895115352007386748515426880336692474882178609894547503885"));
  private static final BigInteger P256_N = new BigInteger(
      "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);
  private static final BigInteger P384_N = new BigInteger("ffffffffffffffffffffffffffffffffffff"
      + "ffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973", 16);

  private static boolean referenceCanonical(int alg, byte[] sig) {
    if (alg == 13 || alg == 14) {
      int n = alg == 13 ? 32 : 48;
      BigInteger order = alg == 13 ? P256_N : P384_N;
      BigInteger r = new BigInteger(1, Arrays.copyOfRange(sig, 0, n));
      BigInteger s = new BigInteger(1, Arrays.copyOfRange(sig, n, 2 * n));
      return r.signum() > 0 && s.signum() > 0 && r.compareTo(order) < 0 && s.compareTo(order) < 0;
    }
    int n = alg == 15 ? 64 : 114;
    byte[] le = Arrays.copyOfRange(sig, n / 2, n);
    byte[] be = new byte[le.length];
    for (int i = 0; i < le.length; i++) {
      be[i] = le[le.length - 1 - i];
    }
    return new BigInteger(1, be).compareTo(alg == 15 ? ED25519_L : ED448_L) < 0;
  }

  private static byte[] fixedWidth(BigInteger v, int len, boolean littleEndian) {
    byte[] out = new byte[len];
    Sig0Crypto.fixed(v, out, 0, len);
    if (littleEndian) {
      for (int i = 0; i < len / 2; i++) {
        byte t = out[i];
        out[i] = out[len - 1 - i];
        out[len - 1 - i] = t;
      }
    }
    return out;
  }

  @Property(tries = 400)
  void octetComparisonsAgreeWithTheIntegerOnes(@ForAll @Size(114) byte[] raw,
      @ForAll @IntRange(min = 0, max = 3) int which, @ForAll @IntRange(min = 0, max = 7) int edge,
      @ForAll @IntRange(min = -2, max = 2) int delta) {
    int alg = new int[] {13, 14, 15, 16}[which];
    int n = alg == 13 || alg == 15 ? 64 : alg == 14 ? 96 : 114;
    byte[] sig = Arrays.copyOf(raw, n);
    // Put one half at or next to the order (or zero, or all ones), the other random.
    BigInteger order = alg == 13 ? P256_N : alg == 14 ? P384_N : alg == 15 ? ED25519_L : ED448_L;
    int half = n / 2;
    boolean ec = alg == 13 || alg == 14;
    BigInteger v = switch (edge) {
      case 0 -> order.add(BigInteger.valueOf(delta));
      case 1 -> BigInteger.valueOf(Math.abs(delta));
      case 2 -> BigInteger.ONE.shiftLeft(8 * half).subtract(BigInteger.ONE);
      default -> null;
    };
    if (v != null && v.signum() >= 0 && v.bitLength() <= 8 * half) {
      int at = ec && (raw[0] & 1) == 0 ? 0 : half; // ECDSA: r or s; EdDSA: S
      System.arraycopy(fixedWidth(v, half, !ec), 0, sig, at, half);
    }
    assertThat(Sig0Crypto.nonCanonical(alg, sig) == null).isEqualTo(referenceCanonical(alg, sig));
  }

  @Test
  void theOrdersThemselvesAndZeroAreRefused() {
    assertThat(Sig0Crypto.nonCanonical(13, new byte[64])).contains("outside");
    byte[] p256 = new byte[64];
    System.arraycopy(fixedWidth(P256_N, 32, false), 0, p256, 0, 32);
    p256[63] = 1;
    assertThat(Sig0Crypto.nonCanonical(13, p256)).contains("outside");
    System.arraycopy(fixedWidth(P256_N.subtract(BigInteger.ONE), 32, false), 0, p256, 0, 32);
    assertThat(Sig0Crypto.nonCanonical(13, p256)).isNull();
    byte[] ed = new byte[64];
    System.arraycopy(fixedWidth(ED25519_L, 32, true), 0, ed, 32, 32);
    assertThat(Sig0Crypto.nonCanonical(15, ed)).contains("below the group order");
    System.arraycopy(fixedWidth(ED25519_L.subtract(BigInteger.ONE), 32, true), 0, ed, 32, 32);
    assertThat(Sig0Crypto.nonCanonical(15, ed)).isNull();
    byte[] ed448 = new byte[114];
    System.arraycopy(fixedWidth(ED448_L, 57, true), 0, ed448, 57, 57);
    assertThat(Sig0Crypto.nonCanonical(16, ed448)).contains("below the group order");
  }
}
