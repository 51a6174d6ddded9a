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
}
