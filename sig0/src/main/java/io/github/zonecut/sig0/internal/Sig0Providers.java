package io.github.zonecut.sig0.internal;

import java.lang.reflect.Method;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import io.github.zonecut.sig0.Sig0AlgorithmCodec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which JCA provider signs and verifies each SIG(0) algorithm, and the known-answer self-test a
 * provider passes before zonecut uses it.
 *
 * <p>Candidates, fastest first: the Amazon Corretto Crypto Provider (AWS-LC, native; an
 * optional dependency, loaded reflectively) for 8, 10, 13, 14 and 15, then Bouncy Castle for
 * every algorithm. A candidate is used for an algorithm when it is present, loaded ({@code
 * getLoadingError() == null}), offers the {@code Signature}, and passes {@link #selfTest}.
 * Providers are held, never registered with {@link java.security.Security}. The selection is
 * computed once per class loader and is immutable.
 */
public final class Sig0Providers {
  private static final Logger LOG = LoggerFactory.getLogger(Sig0Providers.class);
  /** The ACCP provider class, loaded reflectively. */
  public static final String ACCP_CLASS =
      "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";
  /** The algorithms zonecut signs and verifies, in number order. */
  static final int[] ALGORITHMS = {8, 10, 13, 14, 15, 16};

  private Sig0Providers() {}

  /** The shared Bouncy Castle instance, not registered with the JVM. */
  public static Provider bouncyCastle() {
    return Bc.INSTANCE;
  }

  private static final class Bc {
    static final Provider INSTANCE = new BouncyCastleProvider();
  }

  private static final class Accp {
    static final @Nullable Provider INSTANCE;
    static final String STATUS;

    static {
      Provider p = null;
      String status;
      try {
        Class<?> c = accpClass();
        if (c == null) {
          status = "not on the class or module path";
        } else {
          Object instance = c.getField("INSTANCE").get(null);
          Method err = c.getMethod("getLoadingError");
          Object error = err.invoke(instance);
          if (error != null) {
            status = "failed to load: " + error;
          } else {
            p = (Provider) instance;
            status = "loaded " + label(p);
          }
        }
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        status = "failed to load: " + e;
      }
      INSTANCE = p;
      STATUS = status;
    }

    private static @Nullable Class<?> accpClass() {
      try {
        return Class.forName(ACCP_CLASS, true, Sig0Providers.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        // On the module path the provider module is resolved through service binding.
        try {
          return ServiceLoader.load(Provider.class, Sig0Providers.class.getClassLoader()).stream()
              .map(ServiceLoader.Provider::type)
              .filter(t -> t.getName().equals(ACCP_CLASS))
              .findFirst()
              .orElse(null);
        } catch (java.util.ServiceConfigurationError | LinkageError f) {
          return null;
        }
      }
    }
  }

  private static final class AccpRsa {
    static final boolean STRICT = accp() != null
        && refusesMissingNull(8, accp()) && refusesMissingNull(10, accp());
  }

  /**
   * Whether {@code p}'s {@code SHA256withRSA}/{@code SHA512withRSA} compare the whole RFC 8017
   * encoding, refusing a DigestInfo without its NULL parameters: checked once for ACCP; every
   * other provider is treated as lenient (Bouncy Castle 1.87 and SunRsaSign accept it), and
   * zonecut checks the encoding itself.
   */
  public static boolean strictPkcs1(Provider p) {
    return p == accp() && AccpRsa.STRICT;
  }

  /** Signs the known-answer message with a NULL-less DigestInfo and asks {@code p} to verify. */
  static boolean refusesMissingNull(int alg, Provider p) {
    try {
      KnownAnswers.Vector v = KnownAnswers.forAlgorithm(alg);
      Base64.Decoder d = Base64.getDecoder();
      Provider bc = bouncyCastle();
      KeyFactory kf = KeyFactory.getInstance("RSA", bc);
      PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(d.decode(v.pkcs8())));
      PublicKey pub = kf.generatePublic(new X509EncodedKeySpec(d.decode(v.spki())));
      byte[] msg = KnownAnswers.MESSAGE.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      byte[] hash = java.security.MessageDigest.getInstance(alg == 8 ? "SHA-256" : "SHA-512")
          .digest(msg);
      byte[] full = Sig0Crypto.pkcs1DigestInfo(alg, hash);
      // The same DigestInfo without the two NULL octets, lengths adjusted (Wycheproof MissingNull).
      byte[] missing = new byte[full.length - 2];
      int algIdEnd = 2 + 2 + (full[3] & 0xFF);
      System.arraycopy(full, 0, missing, 0, algIdEnd - 2);
      System.arraycopy(full, algIdEnd, missing, algIdEnd - 2, full.length - algIdEnd);
      missing[1] -= 2;
      missing[3] -= 2;
      int k = (((java.security.interfaces.RSAPublicKey) pub).getModulus().bitLength() + 7) / 8;
      javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("RSA/ECB/NoPadding", bc);
      c.init(javax.crypto.Cipher.DECRYPT_MODE, priv);
      byte[] sig = c.doFinal(Sig0Crypto.pkcs1Encoding(k, missing));
      return !verifyOrFalse(alg, p, forVerify(alg, pub, p), msg, sig)
          && verify(alg, p, forVerify(alg, pub, p), msg, d.decode(v.signature()));
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** The Amazon Corretto Crypto Provider when present and loaded, else {@code null}. */
  public static @Nullable Provider accp() {
    return Accp.INSTANCE;
  }

  /** Why ACCP is or is not available ("loaded ACCP 2.5.0", "not on the class or module path"). */
  public static String accpStatus() {
    return Accp.STATUS;
  }

  private static final class Default {
    static final Map<Integer, Provider> SELECTION = select(accp());
  }

  /**
   * The selection with {@code accp} as the native candidate ({@code null}: none): per algorithm
   * the candidate when it offers the {@code Signature} and passes {@link #selfTest}, else Bouncy
   * Castle.
   */
  static Map<Integer, Provider> select(@Nullable Provider accp) {
      Map<Integer, Provider> out = new LinkedHashMap<>();
      for (int alg : ALGORITHMS) {
        Provider chosen = bouncyCastle();
        // Ed448: AWS-LC has none; BC is the only candidate.
        if (accp != null && alg != 16 && accp.getService("Signature", Sig0Crypto.signatureName(alg)) != null) {
          if (selfTest(alg, accp)) {
            chosen = accp;
          } else {
            LOG.warn("SIG(0) algorithm {}: {} failed its known-answer test; using Bouncy Castle",
                alg, label(accp));
          }
        }
        out.put(alg, chosen);
      }
      LOG.info("SIG(0) providers: {} (ACCP {})", describe(out), accpStatus());
      return Collections.unmodifiableMap(out);
  }

  /** The default choice per algorithm number (8, 10, 13, 14, 15, 16), computed once. */
  public static Map<Integer, Provider> defaultSelection() {
    return Default.SELECTION;
  }

  /**
   * The default provider for an algorithm outside the six: ACCP when it is loaded, offers the
   * {@code Signature} and passes the codec's self-test, else Bouncy Castle.
   */
  public static Provider choose(Sig0AlgorithmCodec codec) {
    return choose(codec, accp());
  }

  static Provider choose(Sig0AlgorithmCodec codec, @Nullable Provider accp) {
    if (accp != null && accp.getService("Signature", codec.signatureName()) != null) {
      if (codec.selfTest(accp)) {
        return accp;
      }
      LOG.warn("SIG(0) {}: {} failed its known-answer test; using Bouncy Castle", codec,
          label(accp));
    }
    return bouncyCastle();
  }

  /** Every algorithm on {@code p}. */
  public static Map<Integer, Provider> all(Provider p) {
    Map<Integer, Provider> out = new LinkedHashMap<>();
    for (int alg : ALGORITHMS) {
      out.put(alg, p);
    }
    return Collections.unmodifiableMap(out);
  }

  /** A short provider label: "ACCP 2.5.0", "BC 1.87", "SunEC 17". */
  public static String label(Provider p) {
    String name = p.getName().equals("AmazonCorrettoCryptoProvider") ? "ACCP" : p.getName();
    return name + " " + p.getVersionStr();
  }

  /** "RSASHA256(8)=ACCP 2.5.0, ..." for a selection keyed by algorithm number. */
  public static String describe(Map<Integer, Provider> selection) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<Integer, Provider> e : selection.entrySet()) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(mnemonic(e.getKey())).append('(').append(e.getKey()).append(")=")
          .append(label(e.getValue()));
    }
    return b.toString();
  }

  private static String mnemonic(int alg) {
    switch (alg) {
      case 8:
        return "RSASHA256";
      case 10:
        return "RSASHA512";
      case 13:
        return "ECDSAP256SHA256";
      case 14:
        return "ECDSAP384SHA384";
      case 15:
        return "ED25519";
      case 16:
        return "ED448";
      default:
        return Integer.toString(alg);
    }
  }

  /**
   * The known-answer test: with a fixed key decoded through zonecut's own KEY-RDATA path, the
   * provider verifies a Bouncy Castle signature, rejects the same signature with one bit
   * flipped, and signs the fixed message so that Bouncy Castle verifies it (for the
   * deterministic algorithms 8, 10, 15 and 16: to exactly the known signature). Any exception
   * fails the test.
   */
  public static boolean selfTest(int alg, Provider p) {
    try {
      KnownAnswers.Vector v = KnownAnswers.forAlgorithm(alg);
      Base64.Decoder d = Base64.getDecoder();
      byte[] msg = KnownAnswers.MESSAGE.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      byte[] good = d.decode(v.signature());
      Provider bc = bouncyCastle();
      KeyFactory kf = KeyFactory.getInstance(Sig0Crypto.keyAlgorithmName(alg), bc);
      PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(d.decode(v.pkcs8())));
      PublicKey spki = kf.generatePublic(new X509EncodedKeySpec(d.decode(v.spki())));
      PublicKey pub = Sig0Crypto.decodePublicKey(alg, Sig0Crypto.encodePublicKey(alg, spki), bc);
      PublicKey forP = forVerify(alg, pub, p);
      if (!verify(alg, p, forP, msg, good)) {
        return false;
      }
      byte[] bad = good.clone();
      bad[bad.length / 2] ^= 0x10;
      if (verifyOrFalse(alg, p, forP, msg, bad)) {
        return false;
      }
      byte[] mine = sign(alg, p, forSign(alg, priv, p), msg);
      boolean deterministic = alg != 13 && alg != 14;
      if (deterministic && !Arrays.equals(mine, good)) {
        return false;
      }
      return verify(alg, bc, pub, msg, mine) && verify(alg, p, forP, msg, mine);
    } catch (GeneralSecurityException | RuntimeException | LinkageError e) {
      LOG.debug("SIG(0) algorithm {}: {} known-answer test failed: {}", alg, label(p), e.toString());
      return false;
    }
  }

  private static boolean verifyOrFalse(int alg, Provider p, PublicKey k, byte[] msg, byte[] sig) {
    try {
      return verify(alg, p, k, msg, sig);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static boolean verify(int alg, Provider p, PublicKey k, byte[] msg, byte[] sig)
      throws GeneralSecurityException {
    Signature s = Signature.getInstance(Sig0Crypto.signatureName(alg), p);
    s.initVerify(k);
    s.update(msg);
    return s.verify(sig);
  }

  private static byte[] sign(int alg, Provider p, PrivateKey k, byte[] msg)
      throws GeneralSecurityException {
    Signature s = Signature.getInstance(Sig0Crypto.signatureName(alg), p);
    s.initSign(k);
    s.update(msg);
    return s.sign();
  }

  /**
   * The public key in a form {@code p}'s {@code Signature} takes: translated by {@code p}'s own
   * {@code KeyFactory} when it has one (native key, no conversion per operation); for EdDSA
   * without one (ACCP 2.5 has no EdDSA {@code KeyFactory}), the same X.509 encoding under the
   * JDK's algorithm name "EdDSA"; otherwise unchanged.
   */
  public static PublicKey forVerify(int alg, PublicKey key, Provider p) {
    return forVerify(Sig0Crypto.keyAlgorithmName(alg), key, p);
  }

  /** {@link #forVerify(int, PublicKey, Provider)} for any registered algorithm. */
  public static PublicKey forVerify(Sig0AlgorithmCodec codec, PublicKey key, Provider p) {
    return forVerify(codec.keyAlgorithmName(), key, p);
  }

  private static PublicKey forVerify(String name, PublicKey key, Provider p) {
    KeyFactory kf = keyFactory(name, p);
    byte[] enc = key.getEncoded();
    if (kf != null) {
      try {
        // Decoded, not translateKey(): ACCP 2.5 marks a translated key ephemeral and destroys
        // it when the Signature object is next initialised with another key ("Key has been
        // destroyed"), so a cached translated key fails once a pooled Signature moved on.
        return enc != null ? kf.generatePublic(new X509EncodedKeySpec(enc))
            : (PublicKey) kf.translateKey(key);
      } catch (GeneralSecurityException | RuntimeException e) {
        return key;
      }
    }
    if (isEdDsa(name) && enc != null) {
      return new EdDsaKey.Public(enc);
    }
    return key;
  }

  /**
   * The private key in a form {@code p}'s {@code Signature} takes, as {@link #forVerify}. A key
   * that cannot be encoded (a token key) is returned unchanged.
   */
  public static PrivateKey forSign(int alg, PrivateKey key, Provider p) {
    return forSign(Sig0Crypto.keyAlgorithmName(alg), key, p);
  }

  /** {@link #forSign(int, PrivateKey, Provider)} for any registered algorithm. */
  public static PrivateKey forSign(Sig0AlgorithmCodec codec, PrivateKey key, Provider p) {
    return forSign(codec.keyAlgorithmName(), key, p);
  }

  private static PrivateKey forSign(String name, PrivateKey key, Provider p) {
    byte[] enc = key.getEncoded();
    if (enc == null) {
      return key;
    }
    KeyFactory kf = keyFactory(name, p);
    try {
      if (kf != null) {
        // decoded, not translateKey(), for the reason forVerify gives
        return kf.generatePrivate(new PKCS8EncodedKeySpec(enc));
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      return key;
    } finally {
      Arrays.fill(enc, (byte) 0);
    }
    if (isEdDsa(name)) {
      return new EdDsaKey.Private(key);
    }
    return key;
  }

  private static boolean isEdDsa(String keyAlgorithmName) {
    return keyAlgorithmName.equals("Ed25519") || keyAlgorithmName.equals("Ed448");
  }

  private static @Nullable KeyFactory keyFactory(String name, Provider p) {
    try {
      if (p.getService("KeyFactory", name) != null) {
        return KeyFactory.getInstance(name, p);
      }
      if (isEdDsa(name) && p.getService("KeyFactory", "EdDSA") != null) {
        return KeyFactory.getInstance("EdDSA", p);
      }
    } catch (GeneralSecurityException e) {
      return null;
    }
    return null;
  }
}
