package io.github.zonecut.multisigner;

/** The propagation waits of draft-ietf-dnsop-dnssec-automation §2, plus the two zonecut adds. */
public enum WaitKind {
  /** DS-Wait-Time: the parent's DS RRset TTL after the parent published a new DS RRset. */
  DS_WAIT,
  /** DNSKEY-Wait-Time: the largest DNSKEY TTL of all signers plus publication latency. */
  DNSKEY_WAIT,
  /** NS-Wait-Time: the largest NS TTL at the parent and all signers. */
  NS_WAIT,
  /**
   * Signature wait (zonecut): the largest TTL of signed data plus publication latency, after a
   * signer stops signing with a key or stops serving, before that key leaves any DNSKEY RRset
   * (cached RRSIGs still need it). The draft has no such wait.
   */
  SIGNATURE_WAIT
}
