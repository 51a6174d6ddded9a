package io.github.zonecut.multisigner;

import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.multisigner.internal.Sets;
import java.util.Set;

/**
 * Which of a signer's own keys currently make its signatures: those over zone data (RRSIGs on the
 * SOA and every other RRset) and those over its DNSKEY RRset. An observer reads them from the key
 * tags of the RRSIGs the signer serves.
 *
 * @param zoneKeys keys whose RRSIGs cover zone data (ZSKs and CSKs)
 * @param dnskeyKeys keys whose RRSIGs cover the DNSKEY RRset (KSKs and CSKs)
 */
public record Signing(Set<DnsKeyData> zoneKeys, Set<DnsKeyData> dnskeyKeys) {

  /** Copies both sets. */
  public Signing {
    zoneKeys = Sets.copy(zoneKeys);
    dnskeyKeys = Sets.copy(dnskeyKeys);
  }

  /** Returns the signing state with these keys. */
  public static Signing of(Set<DnsKeyData> zoneKeys, Set<DnsKeyData> dnskeyKeys) {
    return new Signing(zoneKeys, dnskeyKeys);
  }
}
