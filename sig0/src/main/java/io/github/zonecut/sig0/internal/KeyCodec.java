package io.github.zonecut.sig0.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Private-key codecs: the raw private values BIND's key files hold (EC scalar, EdDSA seed),
 * PKCS#8 for EdDSA, and deriving the public key field from a private key so that a key pair
 * read from files is checked for consistency.
 */
public final class KeyCodec {
  private KeyCodec() {}

  // RFC 8410 PKCS#8 prefixes (version 0, no public key); the seed follows.
  private static final byte[] ED25519_PKCS8 = Sig0Crypto.hex("302e020100300506032b657004220420");
  private static final byte[] ED448_PKCS8 = Sig0Crypto.hex("3047020100300506032b6571043b0439");

  /**
   * An EC (13/14) or EdDSA (15/16) private key from its raw value (scalar or seed).
   *
   * <p>An ECDSA scalar is a big-endian unsigned integer and may be shorter than the field: BIND
   * 9.18 writes it without its leading zero octets (about one key in 256 has a 31-octet
   * {@code PrivateKey}). It is read as the integer it is, as BIND and miekg/dns read it; left
   * aligning it instead (Net::DNS::SEC 1.20's {@code pack "a32"}) yields another key.
   */
  public static PrivateKey privateFromRaw(int alg, byte[] raw, Provider provider)
      throws GeneralSecurityException {
    switch (alg) {
      case 13:
      case 14:
        {
          BigInteger d = new BigInteger(1, raw);
          int n = Sig0Crypto.fieldLength(alg);
          if (d.signum() == 0 || d.bitLength() > 8 * n) {
            throw new InvalidKeyException(
                "ECDSA private key must be a non-zero integer of at most " + n + " octets");
          }
          return KeyFactory.getInstance("EC", provider)
              .generatePrivate(new ECPrivateKeySpec(d, Sig0Crypto.curve(alg, provider)));
        }
      case 15:
      case 16:
        {
          int n = Sig0Crypto.fieldLength(alg);
          if (raw.length != n) {
            throw new InvalidKeyException("EdDSA private key must be " + n + " octets, got " + raw.length);
          }
          byte[] prefix = alg == 15 ? ED25519_PKCS8 : ED448_PKCS8;
          byte[] pkcs8 = Arrays.copyOf(prefix, prefix.length + n);
          System.arraycopy(raw, 0, pkcs8, prefix.length, n);
          return KeyFactory.getInstance(Sig0Crypto.keyAlgorithmName(alg), provider)
              .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        }
      default:
        throw new InvalidKeyException("no raw private key form for algorithm " + alg);
    }
  }

  /** The raw private value of an EC (fixed-width scalar) or EdDSA (seed) private key. */
  public static byte[] rawPrivate(int alg, PrivateKey key) throws InvalidKeyException {
    switch (alg) {
      case 13:
      case 14:
        {
          if (!(key instanceof ECPrivateKey)) {
            throw new InvalidKeyException("not an EC private key: " + key.getAlgorithm());
          }
          int n = Sig0Crypto.fieldLength(alg);
          ECPrivateKey ec = (ECPrivateKey) key;
          if (ec.getParams().getCurve().getField().getFieldSize() != 8 * n) {
            throw new InvalidKeyException("EC key is not on " + Sig0Crypto.curveName(alg));
          }
          byte[] out = new byte[n];
          Sig0Crypto.fixed(ec.getS(), out, 0, n);
          return out;
        }
      case 15:
      case 16:
        {
          byte[] encoded = key.getEncoded();
          if (encoded == null) {
            throw new InvalidKeyException("private key cannot be encoded (hardware key?)");
          }
          try {
            byte[] seed = ASN1OctetString.getInstance(
                PrivateKeyInfo.getInstance(encoded).parsePrivateKey()).getOctets();
            if (seed.length != Sig0Crypto.fieldLength(alg)) {
              throw new InvalidKeyException("EdDSA seed of " + seed.length + " octets");
            }
            return seed;
          } catch (java.io.IOException | RuntimeException e) {
            throw new InvalidKeyException("not an EdDSA PKCS#8 key", e);
          }
        }
      default:
        throw new InvalidKeyException("no raw private key form for algorithm " + alg);
    }
  }

  /** The public key field (DNSKEY format) that belongs to a private key. */
  public static byte[] publicFromPrivate(int alg, PrivateKey key) throws InvalidKeyException {
    switch (alg) {
      case 8:
      case 10:
        {
          if (!(key instanceof RSAPrivateCrtKey)) {
            throw new InvalidKeyException("RSA private key without CRT parameters");
          }
          RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) key;
          return rsaPublic(rsa.getPublicExponent(), rsa.getModulus());
        }
      case 13:
      case 14:
        {
          X9ECParameters curve = ECNamedCurveTable.getByName(Sig0Crypto.curveName(alg));
          BigInteger d = new BigInteger(1, rawPrivate(alg, key));
          ECPoint q = curve.getG().multiply(d).normalize();
          int n = Sig0Crypto.fieldLength(alg);
          byte[] out = new byte[2 * n];
          Sig0Crypto.fixed(q.getAffineXCoord().toBigInteger(), out, 0, n);
          Sig0Crypto.fixed(q.getAffineYCoord().toBigInteger(), out, n, n);
          return out;
        }
      case 15:
        return new Ed25519PrivateKeyParameters(rawPrivate(alg, key), 0).generatePublicKey().getEncoded();
      case 16:
        return new Ed448PrivateKeyParameters(rawPrivate(alg, key), 0).generatePublicKey().getEncoded();
      default:
        throw new InvalidKeyException("unsupported SIG(0) algorithm " + alg);
    }
  }

  /** RFC 3110 public key field from exponent and modulus. */
  public static byte[] rsaPublic(BigInteger e, BigInteger n) {
    byte[] eb = Sig0Crypto.unsigned(e);
    byte[] nb = Sig0Crypto.unsigned(n);
    int head = eb.length < 256 ? 1 : 3;
    byte[] out = new byte[head + eb.length + nb.length];
    if (head == 1) {
      out[0] = (byte) eb.length;
    } else {
      out[1] = (byte) (eb.length >>> 8);
      out[2] = (byte) eb.length;
    }
    System.arraycopy(eb, 0, out, head, eb.length);
    System.arraycopy(nb, 0, out, head + eb.length, nb.length);
    return out;
  }
}
