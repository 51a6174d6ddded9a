package io.github.zonecut.sig0.internal;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import javax.crypto.Cipher;
import java.security.Provider;
import java.security.Signature;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Reusable JCA {@code Signature} objects, one provider per algorithm. {@code Signature.getInstance} costs a
 * service lookup and an allocation per call, a few percent of an Ed25519 operation; a
 * {@code Signature} is not thread-safe, so each caller borrows one and gives it back. The pool
 * holds at most as many objects as there were concurrent callers, capped per algorithm. An idle
 * signing object still references the last private key it was initialised with, which its key
 * pair holds anyway.
 */
public final class SignaturePool {
  private static final int MAX_IDLE = 64;
  // Index = DNSSEC algorithm number; only the registered ones are ever filled. The first idle
  // object of each algorithm sits in a slot (no allocation to borrow or give back, the common
  // single-threaded case); more wait in the queue.
  private final AtomicReferenceArray<@Nullable Signature> first = new AtomicReferenceArray<>(256);
  @SuppressWarnings("unchecked")
  private final ConcurrentLinkedQueue<Signature>[] idle = new ConcurrentLinkedQueue[256];
  // The strict RSA path's digest and raw cipher, pooled the same way.
  private final AtomicReferenceArray<@Nullable MessageDigest> digests = new AtomicReferenceArray<>(256);
  private final AtomicReferenceArray<@Nullable Cipher> ciphers = new AtomicReferenceArray<>(256);
  private final Provider[] providers = new Provider[256];
  private final @Nullable String[] names = new String[256];

  // Per algorithm: verify RSA by the raw public operation and zonecut's own encoding comparison.
  private final boolean[] prehashed = new boolean[256];
  private final boolean[] rawCipher = new boolean[256];

  /** A signing pool whose algorithm {@code alg} comes from {@code providers.apply(alg)}. */
  public SignaturePool(java.util.function.IntFunction<Provider> providers) {
    this(providers, false);
  }

  /**
   * A pool whose algorithm {@code alg} comes from {@code providers.apply(alg)}. A verifying pool
   * checks RSA PKCS#1 v1.5 signatures strictly (RFC 8017 §8.2.2 step 3-4: the encoding is
   * recomputed, DigestInfo with its NULL parameters, and compared as octet strings): where the
   * provider offers the raw {@code RSA/ECB/NoPadding} cipher, zonecut applies the public
   * exponent with it (else with {@link BigInteger#modPow}, e.g. for SunRsaSign) and compares
   * the result with its own encoding, because Bouncy Castle's
   * {@code SHA256withRSA} (and its {@code NONEwithRSA}) also accept a DigestInfo without the
   * NULL (Wycheproof "MissingNull"), which AWS-LC refuses. A provider shown to be strict
   * ({@link Sig0Providers#strictPkcs1}) verifies with its own {@code Signature}.
   */
  public SignaturePool(java.util.function.IntFunction<Provider> providers, boolean verifying) {
    this(providers, alg -> alg == 8 || alg == 10 || (alg >= 13 && alg <= 16)
        ? Sig0Crypto.signatureName(alg) : null, verifying);
  }

  /**
   * A pool as {@link #SignaturePool(java.util.function.IntFunction, boolean)} whose algorithm
   * {@code alg} has the JCA {@code Signature} name {@code names.apply(alg)} ({@code null}: not
   * registered).
   */
  public SignaturePool(java.util.function.IntFunction<Provider> providers,
      java.util.function.IntFunction<@Nullable String> names, boolean verifying) {
    for (int alg = 0; alg < idle.length; alg++) {
      this.names[alg] = names.apply(alg);
      this.providers[alg] = providers.apply(alg);
      prehashed[alg] = verifying && (alg == 8 || alg == 10)
          && !Sig0Providers.strictPkcs1(this.providers[alg]);
      rawCipher[alg] = this.providers[alg].getService("Cipher", "RSA") != null;
    }
    for (int alg = 0; alg < idle.length; alg++) {
      idle[alg] = new ConcurrentLinkedQueue<>();
    }
  }

  /** A {@code Signature} for a supported algorithm; return it with {@link #release}. */
  public Signature borrow(int alg) throws NoSuchAlgorithmException {
    Signature s = first.getAndSet(alg, null);
    if (s != null) {
      return s;
    }
    s = idle[alg].poll();
    if (s != null) {
      return s;
    }
    String name = names[alg];
    if (name == null) {
      throw new NoSuchAlgorithmException("no SIG(0) algorithm " + alg + " is registered");
    }
    return Signature.getInstance(name, providers[alg]);
  }

  /** Where the signed data goes, in parts. */
  public interface Sink {
    void update(byte[] b, int off, int len) throws GeneralSecurityException;
  }

  /** Feeds the signed data to a {@link Sink}. */
  public interface Feeder {
    void feed(Sink sink) throws GeneralSecurityException;
  }

  /**
   * Verifies a JCA-form signature over the data {@code feeder} provides. Exceptions from the
   * provider propagate; the caller counts them as a failed verification.
   */
  public boolean verify(int alg, PublicKey key, byte[] jcaSig, Feeder feeder)
      throws GeneralSecurityException {
    if (prehashed[alg] && key instanceof RSAPublicKey) {
      MessageDigest md = digests.getAndSet(alg, null);
      if (md == null) {
        md = MessageDigest.getInstance(alg == 8 ? "SHA-256" : "SHA-512");
      }
      feeder.feed(md::update);
      byte[] hash = md.digest(); // digest() resets it for the next borrower
      digests.set(alg, md);
      int k = (((RSAPublicKey) key).getModulus().bitLength() + 7) / 8;
      byte[] expected = Sig0Crypto.pkcs1Encoding(k, Sig0Crypto.pkcs1DigestInfo(alg, hash));
      byte[] em;
      if (rawCipher[alg]) {
        Cipher c = ciphers.getAndSet(alg, null);
        if (c == null) {
          c = Cipher.getInstance("RSA/ECB/NoPadding", providers[alg]);
        }
        c.init(Cipher.ENCRYPT_MODE, key);
        em = c.doFinal(jcaSig);
        ciphers.set(alg, c);
      } else {
        RSAPublicKey rsa = (RSAPublicKey) key;
        BigInteger sv = new BigInteger(1, jcaSig);
        if (sv.compareTo(rsa.getModulus()) >= 0) {
          return false;
        }
        em = Sig0Crypto.unsigned(sv.modPow(rsa.getPublicExponent(), rsa.getModulus()));
      }
      if (em.length < k) {
        byte[] padded = new byte[k];
        System.arraycopy(em, 0, padded, k - em.length, em.length);
        em = padded;
      }
      return MessageDigest.isEqual(em, expected);
    }
    Signature s = borrow(alg);
    s.initVerify(key);
    feeder.feed(s::update);
    boolean ok = s.verify(jcaSig);
    release(alg, s);
    return ok;
  }

  /**
   * Gives a {@code Signature} back. Call it only after a completed {@code sign()} or {@code
   * verify()} (which reset the object), never after an exception left it half-used.
   */
  public void release(int alg, Signature s) {
    if (first.compareAndSet(alg, null, s)) {
      return;
    }
    if (idle[alg].size() < MAX_IDLE) {
      idle[alg].offer(s);
    }
  }

  /** The provider the signatures of {@code alg} come from. */
  public Provider provider(int alg) {
    return providers[alg];
  }
}
