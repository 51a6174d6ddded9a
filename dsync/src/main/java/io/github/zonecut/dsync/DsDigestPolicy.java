package io.github.zonecut.dsync;

import java.util.List;
import org.xbill.DNS.DNSSEC;

/**
 * Which DS digest types the child computes from CDNSKEY or key-signing DNSKEY records when it
 * publishes no CDS (RFC 8078 §3, RFC 4509 SHA-256, RFC 6605 SHA-384). A parent that takes only
 * SHA-256 must not be asked for more (spec/anchors.md §4.1 item 12: demanding every digest type
 * blocked MUSIC forever).
 */
public enum DsDigestPolicy {
  /** SHA-256 only (digest type 2): the default. */
  SHA256(DNSSEC.Digest.SHA256),
  /** SHA-384 only (digest type 4). */
  SHA384(DNSSEC.Digest.SHA384),
  /** Both SHA-256 and SHA-384. */
  SHA256_AND_SHA384(DNSSEC.Digest.SHA256, DNSSEC.Digest.SHA384);

  private final List<Integer> digestTypes;

  DsDigestPolicy(Integer... digestTypes) {
    this.digestTypes = List.of(digestTypes);
  }

  /** The DS digest type numbers computed, in order. */
  public List<Integer> digestTypes() {
    return digestTypes;
  }
}
