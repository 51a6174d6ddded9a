package io.github.zonecut.sig0.internal;

import io.github.zonecut.sig0.Sig0AlgorithmCodec;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import org.jspecify.annotations.Nullable;

/**
 * The six IANA algorithms zonecut ships (8, 10, 13, 14, 15, 16): RFC 3110, RFC 5702, RFC 6605
 * and RFC 8080 formats, through {@link Sig0Crypto} and {@link KeyCodec}.
 */
public final class ClassicCodec implements Sig0AlgorithmCodec {
  private final int alg;

  private ClassicCodec(int alg) {
    this.alg = alg;
  }

  /** The codec of algorithm 8, 10, 13, 14, 15 or 16. */
  public static ClassicCodec of(int alg) {
    Sig0Crypto.signatureName(alg); // validates the number
    return new ClassicCodec(alg);
  }

  /** The algorithm number. */
  public int number() {
    return alg;
  }

  @Override
  public String signatureName() {
    return Sig0Crypto.signatureName(alg);
  }

  @Override
  public String keyAlgorithmName() {
    return Sig0Crypto.keyAlgorithmName(alg);
  }

  @Override
  public @Nullable AlgorithmParameterSpec keyGenParameters() {
    if (alg == 8 || alg == 10) {
      return new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4);
    }
    if (alg == 13 || alg == 14) {
      return new ECGenParameterSpec(Sig0Crypto.curveName(alg));
    }
    return null;
  }

  @Override
  public PublicKey decodePublicKey(byte[] keyData, Provider provider)
      throws GeneralSecurityException {
    return Sig0Crypto.decodePublicKey(alg, keyData, provider);
  }

  @Override
  public byte[] encodePublicKey(PublicKey key) throws InvalidKeyException {
    return Sig0Crypto.encodePublicKey(alg, key);
  }

  @Override
  public byte[] toDnsSignature(byte[] jcaSignature) throws GeneralSecurityException {
    return Sig0Crypto.toDnsSignature(alg, jcaSignature);
  }

  @Override
  public byte @Nullable [] toJcaSignature(byte[] dnsSignature) {
    return Sig0Crypto.toJcaSignature(alg, dnsSignature);
  }

  @Override
  public @Nullable String refusal(byte[] dnsSignature, PublicKey key) {
    return Sig0Crypto.refusal(alg, dnsSignature, key);
  }

  @Override
  public boolean fitsKeyType(String have) {
    String want = keyAlgorithmName();
    return have.equalsIgnoreCase(want)
        || (want.equals("EC") && have.equalsIgnoreCase("ECDSA"))
        || (alg >= 15 && have.equalsIgnoreCase("EdDSA"));
  }

  @Override
  public PrivateKey privateKeyFromFile(byte[] field, Provider provider)
      throws GeneralSecurityException {
    return KeyCodec.privateFromRaw(alg, field, provider);
  }

  @Override
  public byte[] privateKeyToFile(PrivateKey key) throws InvalidKeyException {
    return KeyCodec.rawPrivate(alg, key);
  }

  @Override
  public byte[] publicKeyFromPrivate(PrivateKey key) throws InvalidKeyException {
    return KeyCodec.publicFromPrivate(alg, key);
  }

  @Override
  public boolean selfTest(Provider provider) {
    return Sig0Providers.selfTest(alg, provider);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ClassicCodec && ((ClassicCodec) o).alg == alg;
  }

  @Override
  public int hashCode() {
    return alg;
  }

  @Override
  public String toString() {
    return "ClassicCodec[" + alg + "]";
  }
}
