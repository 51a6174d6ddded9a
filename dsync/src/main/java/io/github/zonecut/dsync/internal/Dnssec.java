package io.github.zonecut.dsync.internal;

import io.github.zonecut.sig0.RrsigVerifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Local DNSSEC checks over observed RRsets at a given instant (RFC 4035 §5.3). Signatures are
 * verified by the sig0 {@link RrsigVerifier} each instance is given (by default the provider
 * selection of {@code Sig0Config.defaults()}: ACCP where it loads, else Bouncy Castle), never by
 * the JVM's default JCA provider. The static helpers compare data and need no verifier.
 */
public final class Dnssec {
  private final RrsigVerifier verifier;

  /** DNSKEY flag bit 7, Zone Key (RFC 4034 §2.1.1). */
  private static final int ZONE_KEY = 0x0100;

  /** Checks whose signatures {@code verifier} verifies. */
  public Dnssec(RrsigVerifier verifier) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
  }

  /**
   * The keys of {@code dnskeys} (a DNSKEY RRset with its RRSIGs, owned by the zone apex) whose
   * RRSIG over that very RRset verifies at {@code at}: the keys that sign the child's DNSKEY
   * RRset, which is what a DS must point at (RFC 4035 §5.2).
   */
  public List<DNSKEYRecord> keysSigningDnskeys(RRset dnskeys, Instant at) {
    List<DNSKEYRecord> out = new ArrayList<>();
    if (dnskeys.getType() != Type.DNSKEY) {
      return out;
    }
    for (Record r : dnskeys.rrs()) {
      DNSKEYRecord key = (DNSKEYRecord) r;
      if (isZoneKey(key) && verifiesWith(dnskeys, key, at)) {
        out.add(key);
      }
    }
    return out;
  }

  /** Whether some RRSIG of {@code rrset} verifies at {@code at} with one of {@code keys}. */
  public boolean signedByOneOf(RRset rrset, Collection<DNSKEYRecord> keys, Instant at) {
    for (DNSKEYRecord key : keys) {
      if (isZoneKey(key) && verifiesWith(rrset, key, at)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isZoneKey(DNSKEYRecord key) {
    return (key.getFlags() & ZONE_KEY) != 0 && key.getProtocol() == 3;
  }

  private boolean verifiesWith(RRset rrset, DNSKEYRecord key, Instant at) {
    for (RRSIGRecord sig : rrset.sigs()) {
      if (sig.getFootprint() != key.getFootprint() || sig.getAlgorithm() != key.getAlgorithm()
          || !sig.getSigner().equals(key.getName())) {
        continue;
      }
      if (verifier.verifies(rrset, sig, key, at)) {
        return true;
      }
      // this signature does not verify with this key; another may
    }
    return false;
  }

  /**
   * The RDATA of {@code records} as a set of canonical wire forms (base64), for comparing
   * RRsets as data: owner case and TTL do not count (RFC 4034 §6.2, RFC 2181 §5).
   */
  public static Set<String> rdataSet(Collection<? extends Record> records) {
    Set<String> out = new TreeSet<>();
    for (Record r : records) {
      out.add(r.getType() + ":" + Base64.getEncoder().encodeToString(r.rdataToWireCanonical()));
    }
    return out;
  }

  /** Whether serial {@code a} is before serial {@code b} in RFC 1982 §3.2 sequence space. */
  public static boolean serialBefore(long a, long b) {
    long diff = (b - a) & 0xFFFF_FFFFL;
    return diff != 0 && diff < 0x8000_0000L;
  }

  /** The owner-independent identity used in messages: {@code name/TYPE}. */
  public static String label(Name name, int type) {
    return name + "/" + Type.string(type);
  }
}
