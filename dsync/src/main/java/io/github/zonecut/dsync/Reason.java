package io.github.zonecut.dsync;

/**
 * Why an acceptance check did not accept a delegation change: the reason a registrant or an
 * operator acts on, with the rule it comes from. {@link #transientCondition()} says whether the
 * same check can pass later without anyone changing anything (a server that did not answer, a
 * zone that changed during the scan), so a scanner retries instead of reporting a fault.
 */
public enum Reason {
  /** The parent does not delegate the child: nothing to maintain (RFC 7344 §4). */
  NOT_DELEGATED(false),
  /**
   * A server of the child did not answer (timeout, SERVFAIL, REFUSED, network): consistency
   * cannot be established, so nothing is done (RFC 9975: every authoritative server must agree;
   * RFC 9615 §4.2 step 2).
   */
  SERVER_UNREACHABLE(true),
  /**
   * The child's authoritative servers serve different CDS/CDNSKEY/CSYNC (or NS, glue) data, or
   * a server's copy differs from the validated one (RFC 9975, which makes the multi-server
   * consistency of RFC 7344 §4.1 and RFC 7477 §3 mandatory).
   */
  INCONSISTENT(false),
  /**
   * DNSSEC validation of the signal failed, or a server's copy is not signed by a key of its
   * DNSKEY RRset (RFC 4035 §5.5; RFC 7344 §4.1: the parent acts on validated data only).
   */
  BOGUS(false),
  /**
   * The signal validated as insecure where a secure answer is required: CDS/CDNSKEY of a secure
   * delegation (RFC 7344 §4.1), CSYNC (RFC 7477 §3), an RFC 9615 signaling name (§4.2 step 3).
   */
  NOT_SECURE(false),
  /** The validating resolver could not be asked; try again (RFC 7344 §4.1). */
  VALIDATION_UNAVAILABLE(true),
  /**
   * The delete sentinel ({@code CDS 0 0 0 00} / {@code CDNSKEY 0 3 0 AA==}) is mixed with other
   * records; it turns DNSSEC off only when it is alone (RFC 8078 §4).
   */
  MIXED_DELETE(false),
  /** CDS and CDNSKEY do not describe the same keys, or the policy needs both (RFC 7344 §4). */
  CDS_CDNSKEY_MISMATCH(false),
  /**
   * No DS of a digest type the parent accepts (parent policy; RFC 7344 §4 lets the parent choose
   * the digest types it publishes; SHA-1 is deprecated by RFC 9904).
   */
  DIGEST_NOT_ACCEPTED(false),
  /**
   * The new DS set would break the chain of trust: a new DS matches no key that signs the
   * child's DNSKEY RRset, or some server's DNSKEY RRset is signed by no key the DS set matches
   * (RFC 7344 §4.1 continuity; RFC 6781 §4.1.2).
   */
  NO_CONTINUITY(false),
  /** The policy enables no way to accept a DS for an unsigned delegation (RFC 8078 §3). */
  BOOTSTRAP_NOT_ALLOWED(false),
  /**
   * RFC 9615 bootstrapping needs at least one name server outside the child (RFC 9615 §4.2 step
   * 1), and signaling names that fit in 255 octets (RFC 9615 §4.1).
   */
  NO_SIGNALING_NAME(false),
  /**
   * An RFC 9615 signal {@code _dsboot.<child>._signal.<ns>} is missing at one out-of-domain name
   * server (RFC 9615 §4.2 step 3).
   */
  SIGNAL_MISSING(false),
  /** A signal's CDS/CDNSKEY differs from the apex RRset (RFC 9615 §4.2 step 4). */
  SIGNAL_MISMATCH(false),
  /**
   * Accept-after-delay bootstrapping: the same CDS/CDNSKEY must be seen consistently for longer
   * (RFC 8078 §3.3); the host persists the {@link BootstrapHistory} and scans again.
   */
  AWAITING_OBSERVATIONS(true),
  /**
   * The CSYNC type bit map holds a type other than NS, A and AAAA: the whole record is not
   * processed (RFC 7477 §3.1, §2.1.1.2.1; the reference implementation processed the rest).
   */
  CSYNC_UNKNOWN_TYPE(false),
  /** The CSYNC RRset holds more than one record or did not decode (RFC 7477 §2.1.1). */
  CSYNC_MALFORMED(false),
  /** CSYNC without the {@code immediate} flag: wait for out-of-band approval (RFC 7477 §2.1.1.2). */
  APPROVAL_REQUIRED(true),
  /**
   * CSYNC with {@code soaminimum}: a server's SOA serial is below the CSYNC serial (RFC 1982
   * order), its data is too old to act on (RFC 7477 §2.1.1.2).
   */
  SOA_BELOW_MINIMUM(true),
  /** A server's SOA serial changed while its data was read: retry later (RFC 7477 §3.1). */
  SOA_MOVED(true),
  /** The result would have no name server (RFC 1034 §4.2.1; RFC 7477 §3.2). */
  EMPTY_DELEGATION(false),
  /**
   * An in-bailiwick name server would have no glue address, so resolvers could not reach it
   * (RFC 1034 §4.2.1; RFC 7477 §3.2 syncs glue for in-bailiwick names only).
   */
  MISSING_GLUE(false),
  /**
   * No name server of the resulting delegation answers authoritatively for the child: the
   * delegation would be lame (RFC 1034 §4.2.2; draft-ietf-dnsop-delegation-mgmt-via-ddns §7.1).
   */
  LAME_DELEGATION(false),
  /** A name server being added does not answer authoritatively for the child (policy). */
  LAME_NAMESERVER(false),
  /** The parent's policy does not process this signal (e.g. CSYNC where only CDS is used). */
  NOT_ACCEPTED_BY_POLICY(false);

  private final boolean transientCondition;

  Reason(boolean transientCondition) {
    this.transientCondition = transientCondition;
  }

  /** Whether the check may pass later without any change by the child (retry, wait). */
  public boolean transientCondition() {
    return transientCondition;
  }
}
