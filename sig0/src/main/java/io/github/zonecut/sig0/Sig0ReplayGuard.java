package io.github.zonecut.sig0;

import java.util.Objects;

/**
 * Refuses a SIG(0)-signed message a second time inside its validity window (RFC 2931 §3.3: the
 * window exists to resist replay). A host creates one guard when it starts and hands it to every
 * {@link Sig0Verifier} that verifies signatures of the same keys (a verifier per request is
 * fine; a guard per request protects nothing), and several nodes share one through a {@link
 * Sig0ReplayStore} such as {@link JdbcSig0ReplayStore}.
 *
 * <p>What is remembered is what was signed, not the signature octets: SHA-256 over the verifying
 * key (owner, algorithm, public key) and the signed data without the signature field (RFC 2931
 * §3.1: the SIG RDATA up to the signer's name, the query for a response, the header with ARCOUNT
 * less one, the message up to the SIG(0)). Signatures are malleable (an ECDSA (r, s) also
 * verifies as (r, n−s); Bouncy Castle's RSA accepts a signature with a leading zero octet
 * dropped), so a guard keyed on signature octets lets a captured message through once more.
 *
 * <p>An entry is kept until the signature's expiration plus the verifier's skew, the last moment
 * it could verify. When the store is full of live entries the guard refuses new signatures
 * ({@link Sig0Outcome.ReplayGuardUnavailable}) rather than forget one early. Only verified
 * signatures are recorded, so a stranger without a trusted key cannot fill it; a host sharing a
 * guard should feed it only keys that may authorise something. Thread-safe.
 */
public final class Sig0ReplayGuard {
  /** The default capacity of the in-memory store: 65,536 entries (a few MB). */
  public static final int DEFAULT_CAPACITY = 1 << 16;

  private final Sig0ReplayStore store;

  private Sig0ReplayGuard(Sig0ReplayStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** A guard over an in-memory store of {@link #DEFAULT_CAPACITY} entries. */
  public static Sig0ReplayGuard create() {
    return withCapacity(DEFAULT_CAPACITY);
  }

  /** A guard over an in-memory store of {@code capacity} entries. */
  public static Sig0ReplayGuard withCapacity(int capacity) {
    return new Sig0ReplayGuard(InMemorySig0ReplayStore.withCapacity(capacity));
  }

  /** A guard over {@code store}, e.g. a {@link JdbcSig0ReplayStore} shared by several nodes. */
  public static Sig0ReplayGuard using(Sig0ReplayStore store) {
    return new Sig0ReplayGuard(store);
  }

  /** The store. */
  public Sig0ReplayStore store() {
    return store;
  }

  /**
   * How many entries the store holds.
   *
   * @throws Sig0ReplayStoreException when the store cannot be read
   */
  public long size() throws Sig0ReplayStoreException {
    return store.size();
  }

  /** Records a replay identifier (see the class documentation) until {@code forgetAfter}. */
  Sig0ReplayStore.Insert record(byte[] id, long forgetAfter, long now)
      throws Sig0ReplayStoreException {
    return store.insertIfAbsent(id, forgetAfter, now);
  }

  @Override
  public String toString() {
    return "Sig0ReplayGuard[" + store + "]";
  }
}
