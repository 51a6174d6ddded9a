package io.github.zonecut.sig0;

/**
 * Where a SIG(0) key is in its life, as BIND's key timing metadata has it (Created, Publish,
 * Activate, Inactive).
 */
public enum Sig0KeyState {
  /** Generated; not yet in DNS, not trusted by verifiers, not used for signing. */
  CREATED,
  /** The KEY record is published; verifiers may trust it; not yet used for signing. */
  PUBLISHED,
  /** Published and used for signing. */
  ACTIVE,
  /** No longer used for signing and no longer trusted by verifiers. */
  RETIRED;

  /** Whether a verifier consulting a key store trusts keys in this state. */
  public boolean trustedForVerification() {
    return this == PUBLISHED || this == ACTIVE;
  }
}
