package io.github.zonecut.sig0.internal;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Provider;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.jspecify.annotations.Nullable;

/**
 * The crypto step of SIG(0): JCA names, the DNSKEY public-key formats (RFC 3110, RFC 6605,
 * RFC 8080) and the ECDSA signature conversion between DER (JCA) and r‖s (DNS).
 */
public final class Sig0Crypto {
  private Sig0Crypto() {}

  // RFC 8410 SubjectPublicKeyInfo prefixes; the raw key follows.
  private static final byte[] ED25519_SPKI = hex("302a300506032b6570032100");
  private static final byte[] ED448_SPKI = hex("3043300506032b6571033a00");

  /** The JCA {@code Signature} name for a supported algorithm number. */
  public static String signatureName(int alg) {
    switch (alg) {
      case 8:
        return "SHA256withRSA";
      case 10:
        return "SHA512withRSA";
      case 13:
        return "SHA256withECDSA";
      case 14:
        return "SHA384withECDSA";
      case 15:
        return "Ed25519";
      case 16:
        return "Ed448";
      default:
        throw new IllegalArgumentException("unsupported SIG(0) algorithm " + alg);
    }
  }

  /** The JCA {@code KeyFactory}/{@code KeyPairGenerator} name for a supported algorithm. */
  public static String keyAlgorithmName(int alg) {
    switch (alg) {
      case 8:
      case 10:
        return "RSA";
      case 13:
      case 14:
        return "EC";
      case 15:
        return "Ed25519";
      case 16:
        return "Ed448";
      default:
        throw new IllegalArgumentException("unsupported SIG(0) algorithm " + alg);
    }
  }

  /** The JCA curve name for ECDSA algorithms 13 and 14. */
  public static String curveName(int alg) {
    return alg == 13 ? "secp256r1" : "secp384r1";
  }

  /** Field width in octets of ECDSA (13: 32, 14: 48) and EdDSA (15: 32, 16: 57) keys. */
  public static int fieldLength(int alg) {
    switch (alg) {
      case 13:
      case 15:
        return 32;
      case 14:
        return 48;
      case 16:
        return 57;
      default:
        throw new IllegalArgumentException("no fixed field length for algorithm " + alg);
    }
  }

  /** The curve parameters of algorithm 13 or 14 from the given provider. */
  public static ECParameterSpec curve(int alg, Provider provider) throws GeneralSecurityException {
    AlgorithmParameters params = AlgorithmParameters.getInstance("EC", provider);
    params.init(new ECGenParameterSpec(curveName(alg)));
    return params.getParameterSpec(ECParameterSpec.class);
  }

  /**
   * Decodes the public key field of a KEY/DNSKEY record.
   *
   * @throws InvalidKeyException when the bytes are not a key of that algorithm
   */
  public static PublicKey decodePublicKey(int alg, byte[] key, Provider provider)
      throws GeneralSecurityException {
    switch (alg) {
      case 8:
      case 10:
        return decodeRsa(key, provider);
      case 13:
      case 14:
        {
          int n = fieldLength(alg);
          if (key.length != 2 * n) {
            throw new InvalidKeyException(
                "ECDSA key must be " + (2 * n) + " octets, got " + key.length);
          }
          BigInteger x = new BigInteger(1, Arrays.copyOfRange(key, 0, n));
          BigInteger y = new BigInteger(1, Arrays.copyOfRange(key, n, 2 * n));
          return KeyFactory.getInstance("EC", provider)
              .generatePublic(new ECPublicKeySpec(new ECPoint(x, y), curve(alg, provider)));
        }
      case 15:
      case 16:
        {
          int n = alg == 15 ? 32 : 57;
          if (key.length != n) {
            throw new InvalidKeyException("EdDSA key must be " + n + " octets, got " + key.length);
          }
          byte[] prefix = alg == 15 ? ED25519_SPKI : ED448_SPKI;
          byte[] spki = Arrays.copyOf(prefix, prefix.length + n);
          System.arraycopy(key, 0, spki, prefix.length, n);
          return KeyFactory.getInstance(keyAlgorithmName(alg), provider)
              .generatePublic(new X509EncodedKeySpec(spki));
        }
      default:
        throw new InvalidKeyException("unsupported SIG(0) algorithm " + alg);
    }
  }

  // RFC 3110 §2: exponent length (1 octet, or 0 then 2 octets), exponent, modulus.
  private static PublicKey decodeRsa(byte[] key, Provider provider)
      throws GeneralSecurityException {
    if (key.length < 3) {
      throw new InvalidKeyException("RSA key too short: " + key.length + " octets");
    }
    int pos = 1;
    int expLen = key[0] & 0xFF;
    if (expLen == 0) {
      expLen = ((key[1] & 0xFF) << 8) | (key[2] & 0xFF);
      pos = 3;
    }
    if (expLen == 0 || pos + expLen >= key.length) {
      throw new InvalidKeyException("RSA key exponent length " + expLen + " does not fit");
    }
    BigInteger e = new BigInteger(1, Arrays.copyOfRange(key, pos, pos + expLen));
    BigInteger n = new BigInteger(1, Arrays.copyOfRange(key, pos + expLen, key.length));
    if (n.bitLength() < 512 || n.bitLength() > 4096) {
      throw new InvalidKeyException("RSA modulus of " + n.bitLength() + " bits is out of range");
    }
    return KeyFactory.getInstance("RSA", provider).generatePublic(new RSAPublicKeySpec(n, e));
  }

  /**
   * Encodes a JCA public key as the public key field of a KEY/DNSKEY record.
   *
   * @throws InvalidKeyException when the key does not fit the algorithm
   */
  public static byte[] encodePublicKey(int alg, PublicKey key) throws InvalidKeyException {
    switch (alg) {
      case 8:
      case 10:
        {
          if (!(key instanceof RSAPublicKey)) {
            throw new InvalidKeyException("not an RSA public key: " + key.getAlgorithm());
          }
          RSAPublicKey rsa = (RSAPublicKey) key;
          return KeyCodec.rsaPublic(rsa.getPublicExponent(), rsa.getModulus());
        }
      case 13:
      case 14:
        {
          if (!(key instanceof ECPublicKey)) {
            throw new InvalidKeyException("not an EC public key: " + key.getAlgorithm());
          }
          int n = fieldLength(alg);
          ECPoint w = ((ECPublicKey) key).getW();
          byte[] out = new byte[2 * n];
          fixed(w.getAffineX(), out, 0, n);
          fixed(w.getAffineY(), out, n, n);
          return out;
        }
      case 15:
      case 16:
        {
          byte[] raw;
          try {
            raw = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getPublicKeyData().getOctets();
          } catch (RuntimeException e) {
            throw new InvalidKeyException("not an EdDSA public key: " + key.getAlgorithm(), e);
          }
          if (raw.length != (alg == 15 ? 32 : 57)) {
            throw new InvalidKeyException("EdDSA key of " + raw.length + " octets");
          }
          return raw;
        }
      default:
        throw new InvalidKeyException("unsupported SIG(0) algorithm " + alg);
    }
  }

  // Group orders: Ed25519 L (RFC 8032 §5.1), Ed448 L (§5.2), P-256 and P-384 n (SEC 2).
  private static final BigInteger ED25519_L =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
  private static final BigInteger ED448_L = BigInteger.ONE.shiftLeft(446).subtract(new BigInteger(
      "13818066809895115352007386748515426880336692474882178609894547503885"));
  private static final BigInteger P256_N = new BigInteger(
      "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);
  private static final BigInteger P384_N = new BigInteger(
      "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973",
      16);

  /**
   * Why a DNS-form signature is refused before any provider sees it, or {@code null} when it is
   * well-formed: the wrong length for the algorithm (Ed25519 64, Ed448 114, ECDSA 2 × field),
   * an EdDSA S ≥ L (RFC 8032 §5.1.7 step 1, §5.2.7; some implementations reduce S instead), an
   * ECDSA r or s outside [1, n − 1] (SEC 1 §4.1.4 step 1). These are the cases where providers
   * have been seen to disagree; zonecut refuses them whatever the provider.
   */
  public static @Nullable String nonCanonical(int alg, byte[] sig) {
    // Compared octet by octet against the order's fixed-width encoding: this runs per message,
    // and the same verdict as the integer comparison costs no BigInteger.
    switch (alg) {
      case 13:
      case 14:
        {
          int n = fieldLength(alg);
          if (sig.length != 2 * n) {
            return "signature has the wrong length: " + sig.length + " octets, ECDSA needs " + (2 * n);
          }
          byte[] order = alg == 13 ? P256_N_BYTES : P384_N_BYTES;
          if (!inRange(sig, 0, order) || !inRange(sig, n, order)) {
            return "ECDSA r or s outside [1, n-1]";
          }
          return null;
        }
      case 15:
      case 16:
        {
          int n = alg == 15 ? 64 : 114;
          if (sig.length != n) {
            return "signature has the wrong length: " + sig.length + " octets, EdDSA needs " + n;
          }
          byte[] lLe = alg == 15 ? ED25519_L_LE : ED448_L_LE;
          if (!belowLittleEndian(sig, n / 2, lLe)) {
            return "EdDSA S is not below the group order L (RFC 8032)";
          }
          return null;
        }
      default:
        return null;
    }
  }

  // Whether the big-endian integer at sig[off, off + order.length) is in [1, order - 1].
  private static boolean inRange(byte[] sig, int off, byte[] order) {
    boolean zero = true;
    int cmp = 0;
    for (int i = 0; i < order.length; i++) {
      int a = sig[off + i] & 0xFF;
      zero &= a == 0;
      if (cmp == 0) {
        cmp = Integer.compare(a, order[i] & 0xFF);
      }
    }
    return !zero && cmp < 0;
  }

  // Whether the little-endian integer at sig[off, off + lLe.length) is below lLe's.
  private static boolean belowLittleEndian(byte[] sig, int off, byte[] lLe) {
    for (int i = lLe.length - 1; i >= 0; i--) {
      int a = sig[off + i] & 0xFF;
      int b = lLe[i] & 0xFF;
      if (a != b) {
        return a < b;
      }
    }
    return false; // equal to L
  }

  private static byte[] bigEndian(BigInteger v, int len) {
    byte[] out = new byte[len];
    fixed(v, out, 0, len);
    return out;
  }

  private static byte[] littleEndian(BigInteger v, int len) {
    byte[] be = bigEndian(v, len);
    byte[] out = new byte[len];
    for (int i = 0; i < len; i++) {
      out[i] = be[len - 1 - i];
    }
    return out;
  }

  private static final byte[] P256_N_BYTES = bigEndian(P256_N, 32);
  private static final byte[] P384_N_BYTES = bigEndian(P384_N, 48);
  private static final byte[] ED25519_L_LE = littleEndian(ED25519_L, 32);
  private static final byte[] ED448_L_LE = littleEndian(ED448_L, 57);

  /**
   * Why zonecut refuses a DNS-form signature under {@code key} before any provider sees it, or
   * {@code null}: {@link #nonCanonical}, or an RSA signature that is not exactly as long as the
   * modulus (RFC 8017 §8.2.2 step 1; Bouncy Castle accepts one with its leading zero octet
   * dropped, another encoding of the same signature).
   */
  public static @Nullable String refusal(int alg, byte[] sig, PublicKey key) {
    if (key instanceof RSAPublicKey) {
      int k = (((RSAPublicKey) key).getModulus().bitLength() + 7) / 8;
      if (sig.length != k) {
        return "RSA signature of " + sig.length + " octets, the modulus has " + k
            + " (RFC 8017 §8.2.2)";
      }
      return null;
    }
    return nonCanonical(alg, sig);
  }

  // RFC 8017 §9.2 note 1: DigestInfo prefixes, NULL parameters included.
  private static final byte[] SHA256_DIGEST_INFO = hex("3031300d060960864801650304020105000420");
  private static final byte[] SHA512_DIGEST_INFO = hex("3051300d060960864801650304020305000440");

  /** The DER DigestInfo of an RSASHA256 (8) or RSASHA512 (10) hash (RFC 8017 §9.2). */
  public static byte[] pkcs1DigestInfo(int alg, byte[] hash) {
    byte[] prefix = alg == 8 ? SHA256_DIGEST_INFO : SHA512_DIGEST_INFO;
    byte[] out = Arrays.copyOf(prefix, prefix.length + hash.length);
    System.arraycopy(hash, 0, out, prefix.length, hash.length);
    return out;
  }

  /**
   * EMSA-PKCS1-v1_5 (RFC 8017 §9.2 step 5): {@code 00 01 FF..FF 00 ‖ digestInfo}, {@code k}
   * octets.
   */
  public static byte[] pkcs1Encoding(int k, byte[] digestInfo) {
    byte[] em = new byte[k];
    int ps = k - digestInfo.length - 3;
    if (ps < 8) {
      throw new IllegalArgumentException("RSA modulus too short for the digest");
    }
    em[1] = 1;
    Arrays.fill(em, 2, 2 + ps, (byte) 0xFF);
    System.arraycopy(digestInfo, 0, em, 3 + ps, digestInfo.length);
    return em;
  }

  /** The magnitude of a non-negative integer without a sign octet. */
  public static byte[] unsigned(BigInteger v) {
    byte[] b = v.toByteArray();
    if (b.length > 1 && b[0] == 0) {
      return Arrays.copyOfRange(b, 1, b.length);
    }
    return b;
  }

  /** Writes {@code v} big-endian into exactly {@code len} octets (left-padded with zeros). */
  public static void fixed(BigInteger v, byte[] out, int off, int len) {
    byte[] b = unsigned(v);
    if (b.length > len) {
      throw new IllegalArgumentException("integer of " + b.length + " octets exceeds " + len);
    }
    System.arraycopy(b, 0, out, off + len - b.length, b.length);
  }

  /**
   * Converts a JCA signature to its DNS form: for ECDSA, DER {@code SEQUENCE{r,s}} to fixed-width
   * r‖s (RFC 6605 §4); other algorithms unchanged.
   */
  public static byte[] toDnsSignature(int alg, byte[] jca) throws GeneralSecurityException {
    if (alg != 13 && alg != 14) {
      return jca;
    }
    int n = fieldLength(alg);
    byte[] out = new byte[2 * n];
    int[] pos = {0};
    expect(jca, pos, 0x30);
    int seqLen = derLength(jca, pos);
    if (pos[0] + seqLen != jca.length) {
      throw new java.security.SignatureException("DER signature has trailing or missing octets");
    }
    copyInteger(jca, pos, out, 0, n);
    copyInteger(jca, pos, out, n, n);
    if (pos[0] != jca.length) {
      throw new java.security.SignatureException("DER signature has trailing octets");
    }
    return out;
  }

  /**
   * Converts a DNS signature to the JCA form: for ECDSA, r‖s to DER; {@code null} when an ECDSA
   * signature does not have exactly twice the field length (it cannot verify).
   */
  public static byte @Nullable [] toJcaSignature(int alg, byte[] dns) {
    if (alg != 13 && alg != 14) {
      return dns;
    }
    int n = fieldLength(alg);
    if (dns.length != 2 * n) {
      return null;
    }
    byte[] r = derInteger(dns, 0, n);
    byte[] s = derInteger(dns, n, n);
    int bodyLen = r.length + s.length;
    // bodyLen <= 2 * (2 + 49) = 102 < 128, so the short length form always applies.
    byte[] out = new byte[2 + bodyLen];
    out[0] = 0x30;
    out[1] = (byte) bodyLen;
    System.arraycopy(r, 0, out, 2, r.length);
    System.arraycopy(s, 0, out, 2 + r.length, s.length);
    return out;
  }

  private static byte[] derInteger(byte[] src, int off, int len) {
    int start = off;
    int end = off + len;
    while (start < end - 1 && src[start] == 0) {
      start++;
    }
    boolean pad = (src[start] & 0x80) != 0;
    int vlen = end - start + (pad ? 1 : 0);
    byte[] out = new byte[2 + vlen];
    out[0] = 0x02;
    out[1] = (byte) vlen;
    System.arraycopy(src, start, out, 2 + (pad ? 1 : 0), end - start);
    return out;
  }

  private static void expect(byte[] der, int[] pos, int tag) throws GeneralSecurityException {
    if (pos[0] >= der.length || (der[pos[0]] & 0xFF) != tag) {
      throw new java.security.SignatureException("DER signature: expected tag " + tag);
    }
    pos[0]++;
  }

  private static int derLength(byte[] der, int[] pos) throws GeneralSecurityException {
    if (pos[0] >= der.length) {
      throw new java.security.SignatureException("DER signature truncated");
    }
    int b = der[pos[0]++] & 0xFF;
    if (b < 0x80) {
      return b;
    }
    if (b != 0x81 || pos[0] >= der.length) {
      throw new java.security.SignatureException("DER signature: unexpected length form");
    }
    return der[pos[0]++] & 0xFF;
  }

  private static void copyInteger(byte[] der, int[] pos, byte[] out, int off, int n)
      throws GeneralSecurityException {
    expect(der, pos, 0x02);
    int len = derLength(der, pos);
    if (len == 0 || pos[0] + len > der.length) {
      throw new java.security.SignatureException("DER signature: bad INTEGER length");
    }
    int start = pos[0];
    int end = start + len;
    while (start < end && der[start] == 0) {
      start++;
    }
    if (end - start > n) {
      throw new java.security.SignatureException("DER signature: INTEGER wider than the curve");
    }
    System.arraycopy(der, start, out, off + n - (end - start), end - start);
    pos[0] = end;
  }

  static byte[] hex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}
