package io.github.zonecut.testkit;

/** How a signed zone's keys are split (RFC 6781 §3.1). */
public enum KeyScheme {
  /** One combined signing key (flags 257) signs every RRset; the parent's DS points at it. */
  CSK,
  /**
   * A key-signing key (flags 257) signs the DNSKEY RRset and is the DS target; a zone-signing key
   * (flags 256) signs everything else.
   */
  KSK_ZSK
}
