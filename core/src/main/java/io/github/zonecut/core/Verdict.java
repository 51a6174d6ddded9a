package io.github.zonecut.core;

/** The DNSSEC status of a lookup's answer (RFC 4035 §4.3). */
public enum Verdict {
  /** Validated from a trust anchor down to the answer (the validator set AD). */
  SECURE,
  /** Provably unsigned: an insecure delegation, or no trust anchor covers the name. */
  INSECURE,
  /** Validation failed: signatures missing, expired or wrong. Never acted upon. */
  BOGUS,
  /** Not validated at all: a direct lookup at one authoritative server. */
  UNVALIDATED
}
