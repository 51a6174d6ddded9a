package io.github.zonecut.sig0.internal;

import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Signature;
import java.util.concurrent.ConcurrentLinkedQueue;

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
  // Index = DNSSEC algorithm number; only the supported ones are ever filled.
  @SuppressWarnings("unchecked")
  private final ConcurrentLinkedQueue<Signature>[] idle = new ConcurrentLinkedQueue[17];
  private final Provider[] providers = new Provider[17];

  /** A pool whose algorithm {@code alg} comes from {@code providers.apply(alg)}. */
  public SignaturePool(java.util.function.IntFunction<Provider> providers) {
    for (int alg = 0; alg < idle.length; alg++) {
      this.providers[alg] = providers.apply(alg);
    }
    for (int alg = 0; alg < idle.length; alg++) {
      idle[alg] = new ConcurrentLinkedQueue<>();
    }
  }

  /** A {@code Signature} for a supported algorithm; return it with {@link #release}. */
  public Signature borrow(int alg) throws NoSuchAlgorithmException {
    Signature s = idle[alg].poll();
    return s != null ? s : Signature.getInstance(Sig0Crypto.signatureName(alg), providers[alg]);
  }

  /**
   * Gives a {@code Signature} back. Call it only after a completed {@code sign()} or {@code
   * verify()} (which reset the object), never after an exception left it half-used.
   */
  public void release(int alg, Signature s) {
    if (idle[alg].size() < MAX_IDLE) {
      idle[alg].offer(s);
    }
  }

  /** The provider the signatures of {@code alg} come from. */
  public Provider provider(int alg) {
    return providers[alg];
  }
}
