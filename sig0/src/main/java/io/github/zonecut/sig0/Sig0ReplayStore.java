package io.github.zonecut.sig0;

/**
 * Where a {@link Sig0ReplayGuard} remembers what it has accepted: a set of 32-octet identifiers,
 * each kept until an expiry time. Implement it over a shared database or cache so that several
 * verifiers, processes or nodes behind one service name refuse each other's replays; zonecut
 * ships {@link InMemorySig0ReplayStore} (one process) and {@link JdbcSig0ReplayStore} (SQLite,
 * PostgreSQL).
 *
 * <p>Contract: an entry is live while {@code now <= expiresAt}. {@link #insertIfAbsent} is atomic
 * with respect to every user of the store; it never drops a live entry to make room (that would
 * make its signature replayable) and reports {@link Insert#FULL} instead.
 */
public interface Sig0ReplayStore {

  /** What {@link #insertIfAbsent} did. */
  enum Insert {
    /** There was no live entry with the identifier; it is now recorded. */
    RECORDED,
    /** A live entry with the identifier exists: a replay. Its expiry is unchanged. */
    PRESENT,
    /** There was no live entry and no room for one; nothing was recorded. */
    FULL
  }

  /**
   * Records {@code id} until {@code expiresAt} unless a live entry with it exists.
   *
   * @param id the identifier (32 octets; the store may keep the array)
   * @param expiresAt the epoch second after which the entry may be forgotten
   * @param now the caller's current epoch second: entries with {@code expiresAt < now} are dead
   * @throws Sig0ReplayStoreException when the store cannot be read or written
   */
  Insert insertIfAbsent(byte[] id, long expiresAt, long now) throws Sig0ReplayStoreException;

  /**
   * How many entries are held (live, and dead ones not yet purged); for monitoring and tests.
   *
   * @throws Sig0ReplayStoreException when the store cannot be read
   */
  long size() throws Sig0ReplayStoreException;
}
