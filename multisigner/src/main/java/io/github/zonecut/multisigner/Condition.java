package io.github.zonecut.multisigner;

import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.core.DsData;
import io.github.zonecut.multisigner.internal.Sets;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * A fact about a zone that a snapshot can prove or disprove: the pre- and post-conditions of
 * planned steps and the thing a plan awaits. Conditions are data, so a host can store them, show
 * them, and check them again after executing a step.
 */
public sealed interface Condition {

  /** Whether the condition holds in {@code snapshot} at {@code now}. */
  boolean holds(ZoneSnapshot snapshot, Instant now);

  /** A sentence describing the condition, for operators. */
  String describe();

  /** The signer's DNSKEY RRset contains all of {@code keys}. */
  record DnskeyIncludes(SignerId signer, Set<DnsKeyData> keys) implements Condition {
    /** Copies the set. */
    public DnskeyIncludes {
      Objects.requireNonNull(signer);
      keys = Sets.copy(keys);
    }

    @Override
    public boolean holds(ZoneSnapshot s, Instant now) {
      SignerSnapshot v = s.signer(signer);
      return v != null && v.dnskey().value().containsAll(keys);
    }

    @Override
    public String describe() {
      return signer + " serves DNSKEY " + keys;
    }
  }

  /** The signer's DNSKEY RRset contains none of {@code keys}. */
  record DnskeyExcludes(SignerId signer, Set<DnsKeyData> keys) implements Condition {
    /** Copies the set. */
    public DnskeyExcludes {
      Objects.requireNonNull(signer);
      keys = Sets.copy(keys);
    }

    @Override
    public boolean holds(ZoneSnapshot s, Instant now) {
      SignerSnapshot v = s.signer(signer);
      if (v == null) {
        return true;
      }
      for (DnsKeyData k : keys) {
        if (v.dnskey().value().contains(k)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String describe() {
      return signer + " no longer serves DNSKEY " + keys;
    }
  }

  /** The signer signs with exactly these keys. */
  record SigningIs(SignerId signer, Signing signing) implements Condition {
    /** Checks for null. */
    public SigningIs {
      Objects.requireNonNull(signer);
      Objects.requireNonNull(signing);
    }

    @Override
    public boolean holds(ZoneSnapshot s, Instant now) {
      SignerSnapshot v = s.signer(signer);
      return v != null && v.signing().value().equals(signing);
    }

    @Override
    public String describe() {
      return signer + " signs zone data with " + signing.zoneKeys() + " and DNSKEY with "
          + signing.dnskeyKeys();
    }
  }

  /** The signer serves exactly this CDS and CDNSKEY RRset (both empty: none). */
  record CdsIs(SignerId signer, Set<DsData> cds, Set<DnsKeyData> cdnskey) implements Condition {
    /** Copies the sets. */
    public CdsIs {
      Objects.requireNonNull(signer);
      cds = Sets.copy(cds);
      cdnskey = Sets.copy(cdnskey);
    }

    @Override
    public boolean holds(ZoneSnapshot s, Instant now) {
      SignerSnapshot v = s.signer(signer);
      return v != null && v.cds().value().equals(cds) && v.cdnskey().value().equals(cdnskey);
    }

    @Override
    public String describe() {
      return cds.isEmpty() && cdnskey.isEmpty()
          ? signer + " serves no CDS/CDNSKEY"
          : signer + " serves CDS " + cds + " and CDNSKEY " + cdnskey;
    }
  }

  /** The signer serves exactly this apex NS RRset. */
  record NsIs(SignerId signer, Set<Name> ns) implements Condition {
    /** Copies the set. */
    public NsIs {
      Objects.requireNonNull(signer);
      ns = Sets.copy(ns);
    }

    @Override
    public boolean holds(ZoneSnapshot s, Instant now) {
      SignerSnapshot v = s.signer(signer);
      return v != null && v.ns().value().equals(ns);
    }

    @Override
    public String describe() {
      return signer + " serves NS " + ns;
    }
  }

  /**
   * The signer serves A or AAAA records for every one of {@code names}: NS targets inside the
   * zone, which need addresses before they enter the NS RRset (RFC 7477 §3.2).
   */
  record AddressesServed(SignerId signer, Set<Name> names) implements Condition {
    /** Copies the set. */
    public AddressesServed {
      Objects.requireNonNull(signer);
      names = Sets.copy(names);
    }

    @Override
    public boolean holds(ZoneSnapshot s, Instant now) {
      SignerSnapshot v = s.signer(signer);
      return v != null && v.inZoneAddresses().value().containsAll(names);
    }

    @Override
    public String describe() {
      return signer + " serves A/AAAA for " + names;
    }
  }

  /** The signer serves (or does not serve) a CSYNC record. */
  record CsyncIs(SignerId signer, boolean present) implements Condition {
    /** Checks for null. */
    public CsyncIs {
      Objects.requireNonNull(signer);
    }

    @Override
    public boolean holds(ZoneSnapshot s, Instant now) {
      SignerSnapshot v = s.signer(signer);
      return v != null && v.csync().value() == present;
    }

    @Override
    public String describe() {
      return signer + (present ? " serves CSYNC (NS A AAAA)" : " serves no CSYNC");
    }
  }

  /** The signer answers (or no longer answers) queries for the zone. */
  record Answering(SignerId signer, boolean answering) implements Condition {
    /** Checks for null. */
    public Answering {
      Objects.requireNonNull(signer);
    }

    @Override
    public boolean holds(ZoneSnapshot s, Instant now) {
      SignerSnapshot v = s.signer(signer);
      return v == null ? !answering : v.isAnswering() == answering;
    }

    @Override
    public String describe() {
      return signer + (answering ? " answers for the zone" : " no longer answers for the zone");
    }
  }

  /** The signer holds a key of this role and algorithm that is not being retired. */
  record HasKey(SignerId signer, KeyRole role, int algorithm, Set<DnsKeyData> excluding)
      implements Condition {
    /** Copies the set. */
    public HasKey {
      Objects.requireNonNull(signer);
      Objects.requireNonNull(role);
      excluding = Sets.copy(excluding);
    }

    @Override
    public boolean holds(ZoneSnapshot s, Instant now) {
      SignerSnapshot v = s.signer(signer);
      if (v == null) {
        return false;
      }
      for (OwnedKey k : v.ownKeys()) {
        if (k.role() == role && k.key().algorithm() == algorithm && !excluding.contains(k.key())) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String describe() {
      return signer + " holds a new " + role + " of algorithm " + algorithm;
    }
  }

  /** The signer no longer holds {@code key}. */
  record KeyDeleted(SignerId signer, DnsKeyData key) implements Condition {
    /** Checks for null. */
    public KeyDeleted {
      Objects.requireNonNull(signer);
      Objects.requireNonNull(key);
    }

    @Override
    public boolean holds(ZoneSnapshot s, Instant now) {
      SignerSnapshot v = s.signer(signer);
      return v == null || !v.owns(key);
    }

    @Override
    public String describe() {
      return signer + " has deleted key " + key;
    }
  }

  /**
   * Every parent server serves a DS RRset that covers exactly {@code keys}: at least one DS of
   * any digest type per key, and no DS for another key.
   */
  record ParentDsCovers(Set<DnsKeyData> keys) implements Condition {
    /** Copies the set. */
    public ParentDsCovers {
      keys = Sets.copy(keys);
    }

    @Override
    public boolean holds(ZoneSnapshot s, Instant now) {
      Observed<Set<DsData>> ds = s.parent().agreedDs();
      return ds != null && covers(s.zone(), ds.value(), keys);
    }

    /** Whether {@code ds} covers exactly {@code keys} at {@code zone}. */
    static boolean covers(Name zone, Set<DsData> ds, Set<DnsKeyData> keys) {
      for (DsData d : ds) {
        boolean known = false;
        for (DnsKeyData k : keys) {
          if (d.matches(zone, k)) {
            known = true;
            break;
          }
        }
        if (!known) {
          return false;
        }
      }
      for (DnsKeyData k : keys) {
        boolean found = false;
        for (DsData d : ds) {
          if (d.matches(zone, k)) {
            found = true;
            break;
          }
        }
        if (!found) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String describe() {
      return "every parent server serves DS for exactly " + keys;
    }
  }

  /** Every parent server serves exactly this delegation NS RRset. */
  record ParentNsIs(Set<Name> ns) implements Condition {
    /** Copies the set. */
    public ParentNsIs {
      ns = Sets.copy(ns);
    }

    @Override
    public boolean holds(ZoneSnapshot s, Instant now) {
      Observed<Set<Name>> o = s.parent().agreedNs();
      return o != null && o.value().equals(ns);
    }

    @Override
    public String describe() {
      return "every parent server serves NS " + ns;
    }
  }

  /** A propagation wait has elapsed. */
  record TimeReached(Instant at, WaitKind kind) implements Condition {
    /** Checks for null. */
    public TimeReached {
      Objects.requireNonNull(at);
      Objects.requireNonNull(kind);
    }

    @Override
    public boolean holds(ZoneSnapshot s, Instant now) {
      return !now.isBefore(at);
    }

    @Override
    public String describe() {
      return kind + " elapsed at " + at;
    }
  }
}
