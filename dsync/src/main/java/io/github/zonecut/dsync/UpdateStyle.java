package io.github.zonecut.dsync;

/**
 * How a delegation UPDATE expresses a change (draft-ietf-dnsop-delegation-mgmt-via-ddns §6 says
 * "ordinary RFC 2136 UPDATE" and mandates no style; both are what the draft's reference
 * implementation sends, spec/anchors.md §1).
 */
public enum UpdateStyle {
  /**
   * Per-record changes (RFC 2136 §2.5.4 deletes, §2.5.1 adds): only what differs. Removing an
   * in-bailiwick name server also deletes its glue RRsets; glue of a host whose addresses change
   * is rewritten as whole A/AAAA RRsets; an RRset whose TTL changes is deleted and re-added.
   */
  DELTA,
  /**
   * Whole RRsets (RFC 2136 §2.5.2 deletes, then adds): delete the NS RRset, the glue RRsets of
   * every in-bailiwick name server (old and new) and the DS RRset, then add the complete desired
   * NS, glue and DS RRsets. Larger, but correct whatever the parent held.
   */
  REPLACE
}
