package io.github.zonecut.testkit;

import org.xbill.DNS.DNSSEC;

/** The DNSSEC algorithms the testkit signs zones with (RFC 8624 recommended set). */
public enum SigningAlgorithm {
  /** ECDSA P-256 with SHA-256, algorithm 13 (RFC 6605). */
  ECDSAP256SHA256(DNSSEC.Algorithm.ECDSAP256SHA256),
  /** Ed25519, algorithm 15 (RFC 8080). */
  ED25519(DNSSEC.Algorithm.ED25519);

  private final int number;

  SigningAlgorithm(int number) {
    this.number = number;
  }

  /** The IANA algorithm number, as carried in DNSKEY, RRSIG and DS records. */
  public int number() {
    return number;
  }
}
