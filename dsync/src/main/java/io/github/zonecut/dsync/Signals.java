package io.github.zonecut.dsync;

import io.github.zonecut.core.CsyncRecord;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.MalformedDataException;
import io.github.zonecut.core.Names;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.dsync.internal.Dnssec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.CDNSKEYRecord;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * What a DNS operator publishes to ask the parent for a delegation change, and the check to run
 * before announcing it with a NOTIFY: CDS and CDNSKEY for the zone's key-signing keys (RFC 7344
 * §3, RFC 8078 §4 delete sentinels), CSYNC for NS and glue (RFC 7477 §2), the RFC 9615 §3
 * bootstrapping copies under {@code _dsboot.<child>._signal.<ns>}, and "every name server serves
 * the same signal" (RFC 9859 §4.2: delay the NOTIFY until all copies are consistent; RFC 9975
 * makes the parent require it).
 */
public final class Signals {

  static {
    // every zonecut entry point registers zonecut's record types with dnsjava, so that
    // text and wire parsing yield DSYNC/CSYNC/HSYNC records, not "invalid unknown RR encoding"
    ZonecutTypes.register();
  }

  private static final int ZONE = 0x0100;
  private static final int REVOKE = 0x0080;
  private static final int SEP = 0x0001;

  static {
  }

  private Signals() {}

  /**
   * The keys CDS/CDNSKEY describe: zone keys (RFC 4034 §2.1.1) that are not revoked (RFC 5011
   * §3) and have the SEP bit (KSKs and CSKs, RFC 4034 §2.1.1); when no key has the SEP bit (a
   * CSK published with flags 256), every such zone key.
   */
  public static List<DNSKEYRecord> keySigningKeys(Collection<DNSKEYRecord> dnskeys) {
    List<DNSKEYRecord> zoneKeys = new ArrayList<>();
    List<DNSKEYRecord> sep = new ArrayList<>();
    for (DNSKEYRecord k : dnskeys) {
      if ((k.getFlags() & ZONE) != 0 && (k.getFlags() & REVOKE) == 0 && k.getProtocol() == 3) {
        zoneKeys.add(k);
        if ((k.getFlags() & SEP) != 0) {
          sep.add(k);
        }
      }
    }
    return sep.isEmpty() ? zoneKeys : sep;
  }

  /**
   * The CDS RRset for {@code zone}'s KSKs/CSKs (RFC 7344 §3.1), one record per key and digest
   * type in {@code digestTypes} ({@link DsData#SHA256}, the default a parent is sure to accept,
   * and optionally {@link DsData#SHA384}; RFC 8624 §3.3 forbids generating SHA-1).
   */
  public static List<CDSRecord> cds(Name zone, Collection<DNSKEYRecord> dnskeys,
      List<Integer> digestTypes, long ttl) {
    Names.requireAbsolute("zone", zone);
    if (digestTypes.isEmpty()) {
      throw new IllegalArgumentException("no digest type");
    }
    for (int t : digestTypes) {
      if (t != DsData.SHA256 && t != DsData.SHA384) {
        throw new IllegalArgumentException("CDS digest type must be 2 (SHA-256) or 4 (SHA-384): "
            + t);
      }
    }
    List<CDSRecord> out = new ArrayList<>();
    for (DNSKEYRecord k : keySigningKeys(dnskeys)) {
      for (int t : new TreeSet<>(digestTypes)) {
        DsData d = DsData.compute(zone, k, t);
        out.add(new CDSRecord(zone, DClass.IN, ttl, d.keyTag(), d.algorithm(), d.digestType(),
            d.digest()));
      }
    }
    return out;
  }

  /** {@link #cds(Name, Collection, List, long)} with SHA-256 only. */
  public static List<CDSRecord> cds(Name zone, Collection<DNSKEYRecord> dnskeys, long ttl) {
    return cds(zone, dnskeys, List.of(DsData.SHA256), ttl);
  }

  /** The CDNSKEY RRset for {@code zone}'s KSKs/CSKs (RFC 7344 §3.2). */
  public static List<CDNSKEYRecord> cdnskey(Name zone, Collection<DNSKEYRecord> dnskeys,
      long ttl) {
    Names.requireAbsolute("zone", zone);
    List<CDNSKEYRecord> out = new ArrayList<>();
    for (DNSKEYRecord k : keySigningKeys(dnskeys)) {
      out.add(new CDNSKEYRecord(zone, DClass.IN, ttl, k.getFlags(), k.getProtocol(),
          k.getAlgorithm(), k.getKey()));
    }
    return out;
  }

  /** RFC 8078 §4: {@code CDS 0 0 0 00}, alone in its RRset: remove every DS (go insecure). */
  public static CDSRecord cdsDelete(Name zone, long ttl) {
    return new CDSRecord(Names.requireAbsolute("zone", zone), DClass.IN, ttl, 0, 0, 0,
        new byte[] {0});
  }

  /** RFC 8078 §4: {@code CDNSKEY 0 3 0 AA==}, alone in its RRset: remove every DS. */
  public static CDNSKEYRecord cdnskeyDelete(Name zone, long ttl) {
    return new CDNSKEYRecord(Names.requireAbsolute("zone", zone), DClass.IN, ttl, 0, 3, 0,
        new byte[] {0});
  }

  /**
   * A CSYNC record asking the parent to copy the NS RRset and the in-bailiwick glue (A, AAAA)
   * from the child (RFC 7477 §2.1): {@code soaSerial} is the SOA serial of the zone version that
   * holds the new data; {@code immediate} lets the parent act without out-of-band approval
   * (§2.1.1.1), {@code soaMinimum} makes it wait until every server serves at least that serial
   * (§2.1.1.2).
   */
  public static CsyncRecord csync(Name zone, long soaSerial, boolean immediate,
      boolean soaMinimum, long ttl) {
    int flags = (immediate ? CsyncRecord.FLAG_IMMEDIATE : 0)
        | (soaMinimum ? CsyncRecord.FLAG_SOAMINIMUM : 0);
    return csync(zone, soaSerial, flags, Set.of(Type.NS, Type.A, Type.AAAA), ttl);
  }

  /**
   * A CSYNC record for some of NS, A and AAAA (RFC 7477 §3.2: the only types a parent syncs).
   *
   * @throws IllegalArgumentException for another type or a reserved flag
   */
  public static CsyncRecord csync(Name zone, long soaSerial, int flags, Set<Integer> types,
      long ttl) {
    Names.requireAbsolute("zone", zone);
    if ((flags & ~(CsyncRecord.FLAG_IMMEDIATE | CsyncRecord.FLAG_SOAMINIMUM)) != 0) {
      throw new IllegalArgumentException("reserved CSYNC flags set: " + flags);
    }
    for (int t : types) {
      if (t != Type.NS && t != Type.A && t != Type.AAAA) {
        throw new IllegalArgumentException("CSYNC syncs NS, A and AAAA only, not "
            + Type.string(t));
      }
    }
    if (types.isEmpty()) {
      throw new IllegalArgumentException("no type to synchronise");
    }
    return new CsyncRecord(zone, DClass.IN, ttl, soaSerial, flags, new ArrayList<>(types));
  }

  /**
   * The RFC 9615 §3 bootstrapping records: copies of the apex {@code cds} and {@code cdnskey} at
   * {@code _dsboot.<child>._signal.<ns>} for every name server of {@code child} outside the
   * child (in-domain name servers need none and get none). Each copy goes into the zone that
   * holds {@code _signal.<ns>}, signed with its keys, with no zone cut at the signaling name.
   *
   * @throws MalformedDataException if a signaling name would exceed 255 octets (RFC 9615 §3:
   *     that name server cannot be used for bootstrapping)
   */
  public static List<Record> dsboot(Name child, Collection<Name> nameservers,
      Collection<? extends Record> cds, Collection<? extends Record> cdnskey)
      throws MalformedDataException {
    Names.requireAbsolute("child", child);
    List<Record> out = new ArrayList<>();
    for (Name ns : new TreeSet<>(nameservers)) {
      if (Names.isInBailiwick(ns, child)) {
        continue;
      }
      Name signal = AcceptanceChecks.dsbootName(child, ns);
      for (Record r : cds) {
        requireType(r, Type.CDS);
        out.add(r.withName(signal));
      }
      for (Record r : cdnskey) {
        requireType(r, Type.CDNSKEY);
        out.add(r.withName(signal));
      }
    }
    return out;
  }

  private static void requireType(Record r, int type) {
    if (r.getType() != type) {
      throw new IllegalArgumentException("expected " + Type.string(type) + ", got " + r);
    }
  }

  /**
   * Whether every name server of a zone serves the same signals.
   *
   * @param zone the zone
   * @param consistent true when every server was reached and all agree on CDS, CDNSKEY and CSYNC
   * @param problems what differs or was not reached, one line each
   * @param observations what was observed
   */
  public record Consistency(Name zone, boolean consistent, List<String> problems,
      Observations observations) {
    /** Copies the list. */
    public Consistency {
      Objects.requireNonNull(zone, "zone");
      problems = List.copyOf(problems);
      Objects.requireNonNull(observations, "observations");
    }
  }

  /**
   * RFC 9859 §4.2 before a NOTIFY: asks every name server of {@code zone} (its apex NS, each
   * address, over TCP, through {@code observer}) for CDS, CDNSKEY and CSYNC and compares them.
   * A server that did not answer makes the result inconsistent (not proven).
   */
  public static CompletionStage<Consistency> checkConsistency(Observer observer, Name zone) {
    return observer.observe(zone, Optional.empty()).thenApply(obs -> compare(zone, obs));
  }

  static Consistency compare(Name zone, Observations obs) {
    List<String> problems = new ArrayList<>();
    List<ServerObservation> servers = obs.servers();
    if (servers.isEmpty()) {
      problems.add("no name server of " + zone + " was observed");
    }
    for (int type : new int[] {Type.CDS, Type.CDNSKEY, CsyncRecord.TYPE}) {
      Set<String> first = null;
      String firstWhere = "";
      for (ServerObservation s : servers) {
        if (!(s instanceof ServerObservation.Reached)) {
          if (type == Type.CDS) {
            problems.add(s.nameserver() + " not reached: "
                + ((ServerObservation.Unresolved) s).detail());
          }
          continue;
        }
        ServerObservation.Reached r = (ServerObservation.Reached) s;
        String where = r.nameserver() + " (" + r.endpoint() + ")";
        LookupResult result = r.result(zone, type).orElse(null);
        Set<String> data;
        if (result instanceof LookupResult.Answer) {
          data = Dnssec.rdataSet(((LookupResult.Answer) result).rrset().rrs());
        } else if (result instanceof LookupResult.NoData
            || result instanceof LookupResult.NxDomain) {
          data = Set.of();
        } else {
          problems.add(Dnssec.label(zone, type) + " not read at " + where + ": " + result);
          continue;
        }
        if (first == null) {
          first = data;
          firstWhere = where;
        } else if (!first.equals(data)) {
          problems.add(Dnssec.label(zone, type) + " differs between " + firstWhere + " and "
              + where);
        }
      }
    }
    return new Consistency(zone, problems.isEmpty(), problems, obs);
  }
}
