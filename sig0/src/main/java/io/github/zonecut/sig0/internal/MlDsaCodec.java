package io.github.zonecut.sig0.internal;

import io.github.zonecut.sig0.Sig0AlgorithmCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jcajce.interfaces.MLDSAPrivateKey;
import org.bouncycastle.jcajce.spec.MLDSAParameterSpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ML-DSA (FIPS 204) in SIG(0), pure mode with the empty context string: the KEY RDATA public
 * key is the raw FIPS 204 public key ({@code pkEncode}, 1312 octets for ML-DSA-44, 1952 for
 * -65, 2592 for -87), the signature the raw FIPS 204 signature (2420, 3309, 4627 octets). The
 * JCA sees the RFC 9881 encodings: X.509 SubjectPublicKeyInfo with the NIST OID, PKCS#8 with
 * the 32-octet seed ξ ({@code seed [0] IMPLICIT OCTET STRING}), which Bouncy Castle 1.87 and
 * ACCP 2.5 both read. The key-file {@code PrivateKey:} field is that seed.
 */
public final class MlDsaCodec implements Sig0AlgorithmCodec {
  private static final Logger LOG = LoggerFactory.getLogger(MlDsaCodec.class);
  private static final int SEED = 32;

  /** The three FIPS 204 parameter sets. */
  public enum Variant {
    /** ML-DSA-44 (NIST category 2). */
    ML_DSA_44("ML-DSA-44", "2.16.840.1.101.3.4.3.17", 1312, 2420),
    /** ML-DSA-65 (NIST category 3). */
    ML_DSA_65("ML-DSA-65", "2.16.840.1.101.3.4.3.18", 1952, 3309),
    /** ML-DSA-87 (NIST category 5). */
    ML_DSA_87("ML-DSA-87", "2.16.840.1.101.3.4.3.19", 2592, 4627);

    final String jcaName;
    final String oid;
    final int publicKeyLength;
    final int signatureLength;

    Variant(String jcaName, String oid, int publicKeyLength, int signatureLength) {
      this.jcaName = jcaName;
      this.oid = oid;
      this.publicKeyLength = publicKeyLength;
      this.signatureLength = signatureLength;
    }

    /** The FIPS 204 name, e.g. {@code ML-DSA-44}. */
    public String fipsName() {
      return jcaName;
    }

    /** The raw public key length in octets. */
    public int publicKeyLength() {
      return publicKeyLength;
    }

    /** The signature length in octets. */
    public int signatureLength() {
      return signatureLength;
    }
  }

  private final Variant variant;
  private final byte[] spkiPrefix;
  private final byte[] pkcs8Prefix;

  /** The codec of one parameter set. */
  public MlDsaCodec(Variant variant) {
    this.variant = variant;
    byte[] algId = algorithmIdentifier(variant.oid);
    // SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING (0 unused bits) }
    byte[] bitStringHead = concat(new byte[] {0x03}, derLength(variant.publicKeyLength + 1),
        new byte[] {0});
    int body = algId.length + bitStringHead.length + variant.publicKeyLength;
    spkiPrefix = concat(new byte[] {0x30}, derLength(body), algId, bitStringHead);
    // OneAsymmetricKey v0 with privateKey OCTET STRING { [0] IMPLICIT seed } (RFC 9881 §6).
    byte[] inner = {0x04, (byte) (SEED + 2), (byte) 0x80, (byte) SEED};
    int pBody = 3 + algId.length + inner.length + SEED;
    pkcs8Prefix = concat(new byte[] {0x30, (byte) pBody, 0x02, 0x01, 0x00}, algId, inner);
  }

  /** The parameter set. */
  public Variant variant() {
    return variant;
  }

  /**
   * {@code "ML-DSA"}: the key fixes the parameter set, and ACCP 2.5 offers only this name
   * (Bouncy Castle offers it and the per-set names).
   */
  @Override
  public String signatureName() {
    return "ML-DSA";
  }

  @Override
  public String keyAlgorithmName() {
    return "ML-DSA";
  }

  @Override
  public AlgorithmParameterSpec keyGenParameters() {
    switch (variant) {
      case ML_DSA_44:
        return MLDSAParameterSpec.ml_dsa_44;
      case ML_DSA_65:
        return MLDSAParameterSpec.ml_dsa_65;
      default:
        return MLDSAParameterSpec.ml_dsa_87;
    }
  }

  @Override
  public PublicKey decodePublicKey(byte[] keyData, Provider provider)
      throws GeneralSecurityException {
    if (keyData.length != variant.publicKeyLength) {
      throw new InvalidKeyException(variant.jcaName + " public key must be "
          + variant.publicKeyLength + " octets, got " + keyData.length);
    }
    return KeyFactory.getInstance("ML-DSA", provider)
        .generatePublic(new X509EncodedKeySpec(concat(spkiPrefix, keyData)));
  }

  @Override
  public byte[] encodePublicKey(PublicKey key) throws InvalidKeyException {
    byte[] enc = key.getEncoded();
    if (enc == null || enc.length != spkiPrefix.length + variant.publicKeyLength
        || !Arrays.equals(enc, 0, spkiPrefix.length, spkiPrefix, 0, spkiPrefix.length)) {
      throw new InvalidKeyException("not an " + variant.jcaName + " public key: "
          + key.getAlgorithm());
    }
    return Arrays.copyOfRange(enc, spkiPrefix.length, enc.length);
  }

  @Override
  public byte[] toDnsSignature(byte[] jcaSignature) {
    return jcaSignature;
  }

  @Override
  public byte @Nullable [] toJcaSignature(byte[] dnsSignature) {
    return dnsSignature.length == variant.signatureLength ? dnsSignature : null;
  }

  @Override
  public @Nullable String refusal(byte[] dnsSignature, PublicKey key) {
    if (dnsSignature.length != variant.signatureLength) {
      return "signature has the wrong length: " + dnsSignature.length + " octets, "
          + variant.jcaName + " needs " + variant.signatureLength;
    }
    return null;
  }

  @Override
  public boolean fitsKeyType(String jcaAlgorithm) {
    return jcaAlgorithm.equalsIgnoreCase("ML-DSA") || jcaAlgorithm.equalsIgnoreCase(variant.jcaName);
  }

  @Override
  public PrivateKey privateKeyFromFile(byte[] field, Provider provider)
      throws GeneralSecurityException {
    if (field.length != SEED) {
      throw new InvalidKeyException(variant.jcaName + " private key must be the " + SEED
          + "-octet FIPS 204 seed, got " + field.length + " octets");
    }
    byte[] pkcs8 = concat(pkcs8Prefix, field);
    try {
      return KeyFactory.getInstance("ML-DSA", provider).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  @Override
  public byte[] privateKeyToFile(PrivateKey key) throws InvalidKeyException {
    byte[] encoded = key.getEncoded();
    if (encoded == null) {
      throw new InvalidKeyException("private key cannot be encoded (hardware key?)");
    }
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(encoded);
      if (!info.getPrivateKeyAlgorithm().getAlgorithm().equals(new ASN1ObjectIdentifier(variant.oid))) {
        throw new InvalidKeyException("not an " + variant.jcaName + " private key");
      }
      ASN1Primitive p = ASN1Primitive.fromByteArray(info.getPrivateKey().getOctets());
      byte[] seed;
      if (p instanceof ASN1TaggedObject && ((ASN1TaggedObject) p).getTagNo() == 0) {
        seed = ASN1OctetString.getInstance((ASN1TaggedObject) p, false).getOctets();
      } else if (p instanceof ASN1Sequence) {
        seed = ASN1OctetString.getInstance(((ASN1Sequence) p).getObjectAt(0)).getOctets();
      } else {
        throw new InvalidKeyException(variant.jcaName
            + " private key holds only the expanded key; zonecut's key files hold the seed");
      }
      if (seed.length != SEED) {
        throw new InvalidKeyException(variant.jcaName + " seed of " + seed.length + " octets");
      }
      return seed;
    } catch (IOException | RuntimeException e) {
      throw new InvalidKeyException("not an RFC 9881 " + variant.jcaName + " PKCS#8 key", e);
    } finally {
      Arrays.fill(encoded, (byte) 0);
    }
  }

  /**
   * The same key in its seed-only PKCS#8 form, which every provider reads (ACCP 2.5 refuses
   * Bouncy Castle's seed-and-expanded form); the key unchanged when it has no seed.
   */
  public PrivateKey seedForm(PrivateKey key) {
    try {
      byte[] seed = privateKeyToFile(key);
      try {
        return privateKeyFromFile(seed, Sig0Providers.bouncyCastle());
      } finally {
        Arrays.fill(seed, (byte) 0);
      }
    } catch (GeneralSecurityException e) {
      return key;
    }
  }

  @Override
  public byte[] publicKeyFromPrivate(PrivateKey key) throws InvalidKeyException {
    byte[] seed = privateKeyToFile(key);
    try {
      PrivateKey bc = privateKeyFromFile(seed, Sig0Providers.bouncyCastle());
      if (!(bc instanceof MLDSAPrivateKey)) {
        throw new InvalidKeyException("Bouncy Castle did not build an ML-DSA key");
      }
      return encodePublicKey(((MLDSAPrivateKey) bc).getPublicKey());
    } catch (InvalidKeyException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new InvalidKeyException("cannot derive the " + variant.jcaName + " public key", e);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /**
   * The self-test: a fixed seed (0x00..0x1f) gives a Bouncy Castle key; {@code provider}
   * verifies Bouncy Castle's signature over the known-answer message, rejects it with one bit
   * flipped, and signs so that Bouncy Castle verifies (ML-DSA may be hedged: no byte equality).
   */
  @Override
  public boolean selfTest(Provider provider) {
    try {
      Provider bc = Sig0Providers.bouncyCastle();
      byte[] seed = new byte[SEED];
      for (int i = 0; i < SEED; i++) {
        seed[i] = (byte) i;
      }
      byte[] msg = KnownAnswers.MESSAGE.getBytes(StandardCharsets.US_ASCII);
      PrivateKey priv = privateKeyFromFile(seed, bc);
      PublicKey pub = decodePublicKey(publicKeyFromPrivate(priv), bc);
      byte[] good = sign(bc, priv, msg);
      PublicKey forP = Sig0Providers.forVerify(this, pub, provider);
      if (!verify(provider, forP, msg, good)) {
        return false;
      }
      byte[] bad = good.clone();
      bad[bad.length / 2] ^= 0x10;
      boolean badOk;
      try {
        badOk = verify(provider, forP, msg, bad);
      } catch (GeneralSecurityException | RuntimeException e) {
        badOk = false;
      }
      if (badOk) {
        return false;
      }
      byte[] mine = sign(provider, Sig0Providers.forSign(this, priv, provider), msg);
      return mine.length == variant.signatureLength && verify(bc, pub, msg, mine);
    } catch (GeneralSecurityException | RuntimeException | LinkageError e) {
      LOG.debug("SIG(0) {}: {} known-answer test failed: {}", variant.jcaName,
          Sig0Providers.label(provider), e.toString());
      return false;
    }
  }

  private byte[] sign(Provider p, PrivateKey k, byte[] msg) throws GeneralSecurityException {
    Signature s = Signature.getInstance("ML-DSA", p);
    s.initSign(k);
    s.update(msg);
    return s.sign();
  }

  private boolean verify(Provider p, PublicKey k, byte[] msg, byte[] sig)
      throws GeneralSecurityException {
    Signature s = Signature.getInstance("ML-DSA", p);
    s.initVerify(k);
    s.update(msg);
    return s.verify(sig);
  }

  private static byte[] algorithmIdentifier(String oid) {
    try {
      byte[] o = new ASN1ObjectIdentifier(oid).getEncoded();
      return concat(new byte[] {0x30, (byte) o.length}, o);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] derLength(int n) {
    if (n < 0x80) {
      return new byte[] {(byte) n};
    }
    if (n < 0x100) {
      return new byte[] {(byte) 0x81, (byte) n};
    }
    return new byte[] {(byte) 0x82, (byte) (n >>> 8), (byte) n};
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof MlDsaCodec && ((MlDsaCodec) o).variant == variant;
  }

  @Override
  public int hashCode() {
    return variant.hashCode();
  }

  @Override
  public String toString() {
    return "MlDsaCodec[" + variant.jcaName + "]";
  }
}
