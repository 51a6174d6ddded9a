package io.github.zonecut.multisigner;

/**
 * What a signer lets the controller do (draft-ietf-dnsop-dnssec-automation §4.3 lists the first
 * six as MUST; the rest are needed for rollovers, NS management and leaving).
 */
public enum Capability {
  /** Add DNSKEY records without the private key (§4.3 item 1). */
  ADD_DNSKEY,
  /** Remove previously added DNSKEY records (§4.3 item 2). */
  REMOVE_DNSKEY,
  /** Add CDS and CDNSKEY records, also for keys not in its own DNSKEY set (§4.3 item 3). */
  ADD_CDS,
  /** Remove previously added CDS and CDNSKEY records (§4.3 item 4). */
  REMOVE_CDS,
  /** Add a CSYNC record (§4.3 item 5). */
  ADD_CSYNC,
  /** Remove a CSYNC record (§4.3 item 6). */
  REMOVE_CSYNC,
  /** Replace the apex NS RRset (needed when agents, not the owner, manage NS). */
  MANAGE_NS,
  /** Generate keys, change which keys sign, delete retired keys (rollovers). */
  MANAGE_KEYS,
  /** Stop serving the zone (a leaving signer, draft §5.4 step 6). */
  STOP_SERVING;

  /** The six capabilities draft-ietf-dnsop-dnssec-automation §4.3 requires of every signer. */
  public static final java.util.Set<Capability> DRAFT_REQUIRED =
      java.util.Set.of(ADD_DNSKEY, REMOVE_DNSKEY, ADD_CDS, REMOVE_CDS, ADD_CSYNC, REMOVE_CSYNC);
}
