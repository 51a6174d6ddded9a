package io.github.zonecut.sig0;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the SIG(0) signatures a verifier has accepted until their window (plus skew) has
 * passed, so the same signed message is accepted once (RFC 2931 §3.3: the validity window
 * exists to resist replay). Memory is bounded: at capacity, expired entries are swept and, if
 * none have expired, the oldest entry is forgotten. Only verified signatures are recorded, so a
 * stranger without a trusted key cannot fill it. Thread-safe; one guard may serve several
 * verifiers that share a key space.
 */
public final class Sig0ReplayGuard {
  /** The default capacity: 65,536 signatures (about 8 MB). */
  public static final int DEFAULT_CAPACITY = 1 << 16;

  private final int capacity;
  private final LinkedHashMap<ByteBuffer, Long> seen = new LinkedHashMap<>();

  private Sig0ReplayGuard(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  /** A guard remembering at most {@link #DEFAULT_CAPACITY} signatures. */
  public static Sig0ReplayGuard create() {
    return new Sig0ReplayGuard(DEFAULT_CAPACITY);
  }

  /** A guard remembering at most {@code capacity} signatures. */
  public static Sig0ReplayGuard withCapacity(int capacity) {
    return new Sig0ReplayGuard(capacity);
  }

  /** How many signatures are remembered now. */
  public synchronized int size() {
    return seen.size();
  }

  /**
   * Records a verified signature; {@code false} when it was already recorded and has not yet
   * expired.
   *
   * @param signer the signer's name in wire form
   * @param signature the signature octets
   * @param forgetAfter epoch second after which the signature can no longer verify
   * @param now the verifier's current epoch second
   */
  synchronized boolean firstSeen(byte[] signer, byte[] signature, long forgetAfter, long now) {
    ByteBuffer id = ByteBuffer.wrap(digest(signer, signature));
    Long until = seen.get(id);
    if (until != null && until >= now) {
      return false;
    }
    if (until == null && seen.size() >= capacity) {
      sweep(now);
      if (seen.size() >= capacity) {
        Iterator<ByteBuffer> eldest = seen.keySet().iterator();
        eldest.next();
        eldest.remove();
      }
    }
    seen.put(id, forgetAfter);
    return true;
  }

  private void sweep(long now) {
    for (Iterator<Map.Entry<ByteBuffer, Long>> it = seen.entrySet().iterator(); it.hasNext(); ) {
      if (it.next().getValue() < now) {
        it.remove();
      }
    }
  }

  private static byte[] digest(byte[] signer, byte[] signature) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(signer);
      md.update(signature);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest javadoc).
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized String toString() {
    return "Sig0ReplayGuard[" + seen.size() + "/" + capacity + "]";
  }
}
