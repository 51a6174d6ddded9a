package io.github.zonecut.testkit;

/**
 * What the parent zone publishes as DS at a zone's delegation point (RFC 4035 §2.4, §5.2).
 *
 * <p>Changing it at run time ({@link TestZone#setParentDs(ParentDs)}) is not seen by a validator
 * that already cached the zone's keys: flush validating lookups used before the change ({@code
 * ValidatingLookup.flush()}) or build new ones.
 */
public enum ParentDs {
  /** A SHA-256 DS matching the zone's key-signing key: the chain of trust continues. */
  CORRECT,
  /** No DS (the parent proves its absence with NSEC): the zone is an insecure delegation. */
  ABSENT,
  /**
   * A DS with the key tag and algorithm of the zone's key-signing key but a digest that matches no
   * key: validators must treat the zone as bogus.
   */
  WRONG
}
