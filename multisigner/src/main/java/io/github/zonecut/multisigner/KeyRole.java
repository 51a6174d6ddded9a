package io.github.zonecut.multisigner;

import io.github.zonecut.core.DnsKeyData;

/**
 * What a signer uses one of its keys for (RFC 6781 §3.1). In RFC 8901 model 2 every signer has
 * its own KSK and ZSK, or its own CSK.
 */
public enum KeyRole {
  /** Zone-signing key: flags 256, signs zone data; every signer must publish it (RFC 8901 §2.1.2). */
  ZSK,
  /** Key-signing key: flags 257 (SEP), signs only its owner's DNSKEY RRset; has a DS at the parent. */
  KSK,
  /** Combined signing key: flags 257, signs the DNSKEY RRset and zone data. */
  CSK;

  /** Whether keys of this role sign zone data, so that every signer must publish them. */
  public boolean signsZone() {
    return this != KSK;
  }

  /** Whether keys of this role are secure entry points with a DS record at the parent. */
  public boolean isSep() {
    return this != ZSK;
  }

  /** The DNSKEY flags field for keys of this role (RFC 4034 §2.1.1: zone key, and SEP if a KSK/CSK). */
  public int flags() {
    return isSep() ? DnsKeyData.ZONE_FLAG | DnsKeyData.SEP_FLAG : DnsKeyData.ZONE_FLAG;
  }

  /**
   * A DNSKEY of this role: the flags are {@link #flags()}, the protocol 3 (RFC 4034 §2.1).
   *
   * @param algorithm the DNSSEC algorithm number
   * @param publicKey the public key octets (copied)
   * @throws IllegalArgumentException if the algorithm is out of range or the key is empty
   */
  public DnsKeyData key(int algorithm, byte[] publicKey) {
    return DnsKeyData.of(flags(), algorithm, publicKey);
  }
}
