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
