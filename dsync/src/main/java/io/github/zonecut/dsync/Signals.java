package io.github.zonecut.dsync;

import io.github.zonecut.core.CsyncRecord;
import io.github.zonecut.core.DnsLookup;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.MalformedDataException;
import io.github.zonecut.core.Names;
import io.github.zonecut.core.Verdict;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.dsync.internal.Dnssec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.CDNSKEYRecord;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * What a DNS operator publishes to ask the parent for a delegation change, and the check to run
 * before announcing it with a NOTIFY: CDS and CDNSKEY for the zone's key-signing keys (RFC 7344
 * §3, RFC 8078 §4 delete sentinels), CSYNC for NS and glue (RFC 7477 §2), the RFC 9615 §3
 * bootstrapping copies under {@code _dsboot.<child>._signal.<ns>}, the
 * draft-ietf-dnsop-delegation-mgmt-via-ddns ({@code at-ns} bootstrap) copies of the child's SIG(0)
 * KEY under {@code _sig0key.<child>._signal.<ns>}, and "every name server serves the same signal"
 * (RFC 9859 §4.2: delay the NOTIFY until all copies are consistent; RFC 9975 makes the parent
 * require it).
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
  private static final Name SIG0KEY = Name.fromConstantString("_sig0key");
  private static final Name SIGNAL = Name.fromConstantString("_signal");

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

  /**
   * The signaling name {@code _sig0key.<child>._signal.<ns>} of the ddns draft's {@code at-ns}
   * bootstrap (draft-ietf-dnsop-delegation-mgmt-via-ddns, the RFC 9615 pattern with the child's
   * SIG(0) KEY).
   *
   * @throws MalformedDataException if it is longer than 255 octets (then that name server
   *     cannot be used for the bootstrap)
   */
  public static Name sig0keyName(Name child, Name nameserver) throws MalformedDataException {
    Names.requireAbsolute("child", child);
    Names.requireAbsolute("nameserver", nameserver);
    try {
      return Name.concatenate(Name.concatenate(SIG0KEY, child.relativize(Name.root)),
          Name.concatenate(SIGNAL, nameserver));
    } catch (NameTooLongException e) {
      throw new MalformedDataException("signaling name", -1, "_sig0key." + child + "_signal."
          + nameserver + " is longer than 255 octets", e);
    }
  }

  /**
   * The ddns draft's {@code at-ns} bootstrapping records: copies of the child's apex SIG(0)
   * {@code keys} (KEY records) at {@code _sig0key.<child>._signal.<ns>} for every name server of
   * {@code child} outside the child (in-domain name servers sit in the unsigned child and get
   * none, as RFC 9615 excludes them). Each copy goes into the zone that holds {@code
   * _signal.<ns>}, signed with its keys; publish them next to the {@link #dsboot} copies.
   *
   * @throws MalformedDataException if a signaling name would exceed 255 octets
   */
  public static List<Record> sig0key(Name child, Collection<Name> nameservers,
      Collection<? extends Record> keys) throws MalformedDataException {
    Names.requireAbsolute("child", child);
    List<Record> out = new ArrayList<>();
    for (Name ns : new TreeSet<>(nameservers)) {
      if (Names.isInBailiwick(ns, child)) {
        continue;
      }
      Name signal = sig0keyName(child, ns);
      for (Record r : keys) {
        requireType(r, Type.KEY);
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
   *
   * <p>It also checks the signal copies the NS operators publish for every out-of-domain name
   * server, through the observer's validating lookup: the RFC 9615 {@code _dsboot} CDS/CDNSKEY
   * and the ddns draft's {@code _sig0key} KEY. Copies are all or none: when any name server
   * publishes a copy, every out-of-domain one must, SECURE (RFC 9615 §4.2 step 3), equal to the
   * apex RRset; a copy left over after the apex RRset went away is a problem too.
   */
  public static CompletionStage<Consistency> checkConsistency(Observer observer, Name zone) {
    return observer.observe(zone, Optional.empty()).thenCompose(obs -> {
      List<Name> outside = new ArrayList<>();
      for (Name ns : obs.childNameservers()) {
        if (!Names.isInBailiwick(ns, zone)) {
          outside.add(ns);
        }
      }
      DnsLookup validating = observer.validating();
      CompletableFuture<LookupResult> apexKey = lookup(validating, zone, Type.KEY);
      Map<Name, CompletableFuture<LookupResult>> copies = new LinkedHashMap<>();
      List<String> tooLong = new ArrayList<>();
      for (Name ns : outside) {
        try {
          Name signal = sig0keyName(zone, ns);
          copies.put(ns, lookup(validating, signal, Type.KEY));
        } catch (MalformedDataException e) {
          tooLong.add(e.getMessage());
        }
      }
      List<CompletableFuture<?>> all = new ArrayList<>(copies.values());
      all.add(apexKey);
      return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
        Consistency c = compare(zone, obs);
        List<String> problems = new ArrayList<>(c.problems());
        for (int type : new int[] {Type.CDS, Type.CDNSKEY}) {
          Map<Name, Optional<LookupResult>> dsboot = new LinkedHashMap<>();
          for (Name ns : outside) {
            try {
              dsboot.put(ns, obs.validated(AcceptanceChecks.dsbootName(zone, ns), type));
            } catch (MalformedDataException e) {
              // reported below with the _sig0key names, which are one octet longer
            }
          }
          problems.addAll(copyProblems(zone, type, obs.validated(zone, type), dsboot));
        }
        Map<Name, Optional<LookupResult>> keys = new LinkedHashMap<>();
        copies.forEach((ns, f) -> keys.put(ns, Optional.of(f.join())));
        problems.addAll(copyProblems(zone, Type.KEY, Optional.of(apexKey.join()), keys));
        return new Consistency(zone, problems.isEmpty(), problems, obs);
      });
    });
  }

  private static CompletableFuture<LookupResult> lookup(DnsLookup lookup, Name name, int type) {
    return lookup.lookup(name, type).toCompletableFuture().exceptionally(e ->
        new LookupResult.Failed(name, type, LookupResult.Problem.NETWORK, -1, String.valueOf(e)));
  }

  /** The data of an answer, empty for no data, null when it could not be read. */
  private static @Nullable Set<String> data(LookupResult r) {
    if (r instanceof LookupResult.Answer) {
      return Dnssec.rdataSet(((LookupResult.Answer) r).rrset().rrs());
    }
    if (r instanceof LookupResult.NoData || r instanceof LookupResult.NxDomain) {
      return Set.of();
    }
    return null;
  }

  /** All or none of the signal copies, SECURE and equal to the apex RRset. */
  static List<String> copyProblems(Name zone, int type, Optional<LookupResult> apex,
      Map<Name, Optional<LookupResult>> copies) {
    List<String> problems = new ArrayList<>();
    @Nullable Set<String> apexData = apex.map(Signals::data).orElse(null);
    boolean anyCopy = false;
    for (Optional<LookupResult> c : copies.values()) {
      @Nullable Set<String> d = c.map(Signals::data).orElse(null);
      anyCopy |= d == null || !d.isEmpty();
    }
    if (!anyCopy) {
      return problems; // the method is not used: nothing to be consistent with
    }
    if (apexData == null) {
      problems.add(Dnssec.label(zone, type) + " not read: " + apex.map(String::valueOf)
          .orElse("not asked"));
      return problems;
    }
    for (Map.Entry<Name, Optional<LookupResult>> e : copies.entrySet()) {
      String what = Type.string(type) + " copy for " + e.getKey();
      @Nullable LookupResult r = e.getValue().orElse(null);
      @Nullable Set<String> d = r == null ? null : data(r);
      if (r == null || d == null) {
        problems.add(what + " not read: " + (r == null ? "not asked" : r));
      } else if (!d.equals(apexData)) {
        problems.add(what + (d.isEmpty() ? " is missing" : apexData.isEmpty()
            ? " is left over (none at the apex)" : " differs from the apex"));
      } else if (!d.isEmpty() && ((LookupResult.Answer) r).verdict() != Verdict.SECURE) {
        problems.add(what + " is not SECURE: " + ((LookupResult.Answer) r).verdict());
      }
    }
    return problems;
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
