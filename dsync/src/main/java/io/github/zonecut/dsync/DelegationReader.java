package io.github.zonecut.dsync;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DirectLookup;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.Names;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.core.ZonecutTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Reads a delegation straight from authoritative servers, without a cache: the child's desired
 * delegation from the child's own servers, and the delegation the parent publishes from the
 * parent's servers (draft-ietf-dnsop-delegation-mgmt-via-ddns §6; RFC 7344 §4, RFC 8078 §3,
 * RFC 7477 §4).
 *
 * <p><b>Desired</b> (child's servers, each asked with {@link DirectLookup}; all that answer must
 * agree): the apex NS RRset; glue (A/AAAA) only for name servers at or below the child (RFC 7477
 * §3.2; never for out-of-bailiwick hosts); DS from the CDS RRset (RFC 7344 §4), else computed
 * from the CDNSKEY RRset, else from the DNSKEYs with the SEP bit (RFC 4034 §2.1.1), in the
 * digest types of the {@link DsDigestPolicy} (dnsjava's RFC 4034 §5.1.4 digest). The RFC 8078
 * §4 delete sentinel (algorithm 0) means no DS. An unsigned child without any of these has no
 * DS.
 *
 * <p><b>Published</b> (parent's servers, in turn, first good answer wins): the referral's NS and
 * in-bailiwick glue for the child (RD=0, RFC 1034 §4.3.2) and the parent's DS RRset.
 *
 * <p>Stages never complete exceptionally for anything a server does.
 */
public final class DelegationReader {

  static {
    // every zonecut entry point registers zonecut's record types with dnsjava, so that
    // text and wire parsing yield DSYNC/CSYNC/HSYNC records, not "invalid unknown RR encoding"
    ZonecutTypes.register();
  }

  private final DnsTransport transport;
  private final DsDigestPolicy digestPolicy;
  private final Duration timeout;

  private DelegationReader(Builder b) {
    this.transport = b.transport;
    this.digestPolicy = b.digestPolicy;
    this.timeout = b.timeout;
  }

  /** A builder reading through {@code transport}. */
  public static Builder builder(DnsTransport transport) {
    return new Builder(transport);
  }

  /**
   * The delegation the child's zone asks for, from its authoritative servers.
   *
   * @param child the child zone
   * @param childServers the child's authoritative servers, every one asked
   * @param ttlsFrom whose TTLs to use (normally the published delegation: TTLs are the parent's
   *     policy, the child does not fight them); null to take the child's own
   */
  public CompletionStage<DelegationRead> desired(Name child, List<DnsEndpoint> childServers,
      @Nullable Delegation ttlsFrom) {
    Names.requireAbsolute("child", child);
    List<CompletableFuture<Either>> reads = new ArrayList<>();
    for (DnsEndpoint server : childServers) {
      reads.add(readChild(child, server, ttlsFrom).toCompletableFuture());
    }
    return CompletableFuture.allOf(reads.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      Map<DnsEndpoint, Delegation> found = new LinkedHashMap<>();
      List<String> problems = new ArrayList<>();
      for (int i = 0; i < reads.size(); i++) {
        Either e = reads.get(i).join();
        if (e.delegation != null) {
          found.put(childServers.get(i), e.delegation);
        } else {
          problems.add(childServers.get(i) + ": " + e.problem);
        }
      }
      if (found.isEmpty()) {
        return new DelegationRead.Unavailable(problems.isEmpty()
            ? List.of("no child server given") : problems);
      }
      Delegation first = found.values().iterator().next();
      for (Map.Entry<DnsEndpoint, Delegation> e : found.entrySet()) {
        if (!e.getValue().equals(first)) {
          return new DelegationRead.Inconsistent("child servers disagree: " + found);
        }
      }
      return new DelegationRead.Found(first, new ArrayList<>(found.keySet()));
    });
  }

  /**
   * The delegation of {@code child} the parent publishes, from the parent's servers in turn.
   */
  public CompletionStage<DelegationRead> published(Name child, List<DnsEndpoint> parentServers) {
    Names.requireAbsolute("child", child);
    return publishedFrom(child, parentServers, 0, new ArrayList<>());
  }

  private CompletionStage<DelegationRead> publishedFrom(Name child, List<DnsEndpoint> servers,
      int i, List<String> problems) {
    if (i >= servers.size()) {
      return CompletableFuture.completedFuture(new DelegationRead.Unavailable(
          problems.isEmpty() ? List.of("no parent server given") : problems));
    }
    DnsEndpoint server = servers.get(i);
    return readParent(child, server).thenCompose(e -> {
      if (e.delegation != null) {
        return CompletableFuture.completedFuture(
            new DelegationRead.Found(e.delegation, List.of(server)));
      }
      problems.add(server + ": " + e.problem);
      return publishedFrom(child, servers, i + 1, problems);
    });
  }

  /** A delegation or why there is none. */
  private static final class Either {
    final @Nullable Delegation delegation;
    final String problem;

    Either(@Nullable Delegation delegation, String problem) {
      this.delegation = delegation;
      this.problem = problem;
    }

    static Either of(Delegation d) {
      return new Either(d, "");
    }

    static Either problem(String p) {
      return new Either(null, p);
    }
  }

  private CompletionStage<Either> readParent(Name child, DnsEndpoint server) {
    Message q = Message.newQuery(Record.newRecord(child, Type.NS, DClass.IN));
    // RFC 1034 §4.3.2: no recursion; the parent refers (NS + glue in the referral)
    q.getHeader().unsetFlag(Flags.RD);
    q.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    DirectLookup direct = DirectLookup.builder(transport, server).timeout(timeout).build();
    return transport.exchange(server, q, TransportProtocol.UDP, timeout)
        .handle((resp, err) -> {
          if (err != null) {
            return Either.problem(String.valueOf(unwrap(err).getMessage()));
          }
          Message m = resp.message();
          if (m.getRcode() != Rcode.NOERROR) {
            return Either.problem("referral query answered " + Rcode.string(m.getRcode()));
          }
          List<Record> records = new ArrayList<>();
          records.addAll(m.getSection(Section.ANSWER));
          records.addAll(m.getSection(Section.AUTHORITY));
          records.addAll(m.getSection(Section.ADDITIONAL));
          try {
            return Either.of(Delegation.fromRecords(child, records));
          } catch (IllegalArgumentException e) {
            return Either.problem("no delegation of " + child + " in the answer: "
                + e.getMessage());
          }
        })
        .thenCompose(e -> {
          Delegation d = e.delegation;
          if (d == null) {
            return CompletableFuture.completedFuture(e);
          }
          return direct.lookup(child, Type.DS).thenApply(r -> {
            if (r instanceof LookupResult.Answer) {
              LookupResult.Answer a = (LookupResult.Answer) r;
              Set<DsData> ds = new TreeSet<>();
              for (Record rr : a.rrset().rrs()) {
                if (rr instanceof DSRecord && rr.getType() == Type.DS) {
                  ds.add(DsData.of((DSRecord) rr));
                }
              }
              return Either.of(new Delegation(child, d.nameservers(), d.glue(), ds, d.nsTtl(),
                  a.rrset().getTTL(), d.glueTtl()));
            }
            if (r instanceof LookupResult.NoData || r instanceof LookupResult.NxDomain) {
              return Either.of(new Delegation(child, d.nameservers(), d.glue(), Set.of(),
                  d.nsTtl(), d.dsTtl(), d.glueTtl()));
            }
            return Either.problem("DS lookup: " + r);
          });
        });
  }

  private CompletionStage<Either> readChild(Name child, DnsEndpoint server,
      @Nullable Delegation ttlsFrom) {
    DirectLookup direct = DirectLookup.builder(transport, server).timeout(timeout).build();
    CompletableFuture<LookupResult> ns = direct.lookup(child, Type.NS).toCompletableFuture();
    CompletableFuture<LookupResult> cds = direct.lookup(child, Type.CDS).toCompletableFuture();
    CompletableFuture<LookupResult> cdnskey =
        direct.lookup(child, Type.CDNSKEY).toCompletableFuture();
    CompletableFuture<LookupResult> dnskey =
        direct.lookup(child, Type.DNSKEY).toCompletableFuture();
    return CompletableFuture.allOf(ns, cds, cdnskey, dnskey).thenCompose(v -> {
      LookupResult nsResult = ns.join();
      if (!(nsResult instanceof LookupResult.Answer)) {
        return CompletableFuture.completedFuture(Either.problem("apex NS: " + nsResult));
      }
      RrsOrProblem dsSource;
      long dsTtl;
      List<DsData> ds;
      try {
        RrsOrProblem c = records(cds.join());
        RrsOrProblem ck = records(cdnskey.join());
        RrsOrProblem k = records(dnskey.join());
        dsSource = !c.records.isEmpty() ? c : !ck.records.isEmpty() ? ck : k;
        ds = dsData(child, c, ck, k);
        dsTtl = dsSource.ttl;
      } catch (ProblemException e) {
        return CompletableFuture.completedFuture(Either.problem(e.getMessage()));
      }
      LookupResult.Answer nsAnswer = (LookupResult.Answer) nsResult;
      List<Name> hosts = new ArrayList<>();
      for (Record r : nsAnswer.rrset().rrs()) {
        if (r instanceof NSRecord) {
          hosts.add(((NSRecord) r).getTarget());
        }
      }
      Map<Name, CompletableFuture<LookupResult>> v4 = new LinkedHashMap<>();
      Map<Name, CompletableFuture<LookupResult>> v6 = new LinkedHashMap<>();
      for (Name h : hosts) {
        // glue only for in-bailiwick name servers (RFC 7477 §3.2), compared label-wise
        if (Names.isInBailiwick(h, child)) {
          v4.put(h, direct.lookup(h, Type.A).toCompletableFuture());
          v6.put(h, direct.lookup(h, Type.AAAA).toCompletableFuture());
        }
      }
      List<CompletableFuture<LookupResult>> all = new ArrayList<>(v4.values());
      all.addAll(v6.values());
      return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenApply(w -> {
        Delegation.Builder b = Delegation.builder(child);
        hosts.forEach(b::nameservers);
        long glueTtl = -1;
        try {
          for (Map.Entry<Name, CompletableFuture<LookupResult>> g : v4.entrySet()) {
            Name h = g.getKey();
            RrsOrProblem a = records(g.getValue().join());
            RrsOrProblem aaaa = records(Objects.requireNonNull(v6.get(h)).join());
            for (Record r : a.records) {
              if (r instanceof ARecord) {
                b.glue(h, ((ARecord) r).getAddress());
              }
            }
            for (Record r : aaaa.records) {
              if (r instanceof AAAARecord) {
                b.glue(h, ((AAAARecord) r).getAddress());
              }
            }
            if (!a.records.isEmpty()) {
              glueTtl = glueTtl < 0 ? a.ttl : Math.min(glueTtl, a.ttl);
            }
            if (!aaaa.records.isEmpty()) {
              glueTtl = glueTtl < 0 ? aaaa.ttl : Math.min(glueTtl, aaaa.ttl);
            }
          }
        } catch (ProblemException e) {
          return Either.problem(e.getMessage());
        }
        ds.forEach(b::ds);
        if (ttlsFrom != null) {
          b.nsTtl(ttlsFrom.nsTtl()).dsTtl(ttlsFrom.dsTtl()).glueTtl(ttlsFrom.glueTtl());
        } else {
          b.nsTtl(nsAnswer.rrset().getTTL())
              .dsTtl(dsTtl < 0 ? Delegation.DEFAULT_TTL : dsTtl)
              .glueTtl(glueTtl < 0 ? Delegation.DEFAULT_TTL : glueTtl);
        }
        try {
          return Either.of(b.build());
        } catch (IllegalArgumentException e) {
          return Either.problem("not a valid delegation: " + e.getMessage());
        }
      });
    });
  }

  /** The DS data the child asks for; see the class documentation. */
  private List<DsData> dsData(Name child, RrsOrProblem cds, RrsOrProblem cdnskey,
      RrsOrProblem dnskey) throws ProblemException {
    List<DsData> out = new ArrayList<>();
    if (!cds.records.isEmpty()) {
      for (Record r : cds.records) {
        DSRecord c = (DSRecord) r;
        if (c.getAlgorithm() == 0) {
          // RFC 8078 §4: CDS 0 0 0 00 asks for the removal of every DS
          return sentinelOnly(cds, "CDS");
        }
        out.add(DsData.of(c));
      }
      return out;
    }
    List<DNSKEYRecord> keys = new ArrayList<>();
    if (!cdnskey.records.isEmpty()) {
      for (Record r : cdnskey.records) {
        DNSKEYRecord k = (DNSKEYRecord) r;
        if (k.getAlgorithm() == 0) {
          // RFC 8078 §4: CDNSKEY 0 3 0 AA== asks for the removal of every DS
          return sentinelOnly(cdnskey, "CDNSKEY");
        }
        keys.add(k);
      }
    } else {
      for (Record r : dnskey.records) {
        DNSKEYRecord k = (DNSKEYRecord) r;
        int flags = k.getFlags();
        // RFC 4034 §2.1.1: zone key with the SEP bit; RFC 5011 §3: not revoked
        if ((flags & DNSKEYRecord.Flags.ZONE_KEY) != 0 && (flags & DNSKEYRecord.Flags.SEP_KEY) != 0
            && (flags & DNSKEYRecord.Flags.REVOKE) == 0) {
          keys.add(k);
        }
      }
    }
    for (DNSKEYRecord k : keys) {
      for (int digest : digestPolicy.digestTypes()) {
        try {
          out.add(DsData.compute(child, DnsKeyData.of(k), digest));
        } catch (RuntimeException e) {
          throw new ProblemException("cannot compute a DS digest of type " + digest + " for "
              + k + ": " + e.getMessage());
        }
      }
    }
    return out;
  }

  private static List<DsData> sentinelOnly(RrsOrProblem rrs, String type) throws ProblemException {
    if (rrs.records.size() != 1) {
      throw new ProblemException(type + " delete sentinel mixed with other records (RFC 8078 §4)");
    }
    return List.of();
  }

  /** The records of a positive answer, none for a negative one, or a problem. */
  private static final class RrsOrProblem {
    final List<Record> records;
    final long ttl;

    RrsOrProblem(List<Record> records, long ttl) {
      this.records = records;
      this.ttl = ttl;
    }
  }

  private static RrsOrProblem records(LookupResult r) throws ProblemException {
    if (r instanceof LookupResult.Answer) {
      LookupResult.Answer a = (LookupResult.Answer) r;
      return new RrsOrProblem(new ArrayList<>(a.rrset().rrs()), a.rrset().getTTL());
    }
    if (r instanceof LookupResult.NoData || r instanceof LookupResult.NxDomain) {
      return new RrsOrProblem(List.of(), -1);
    }
    throw new ProblemException(r.name() + "/" + Type.string(r.type()) + ": " + r);
  }

  private static final class ProblemException extends Exception {
    private static final long serialVersionUID = 1L;

    ProblemException(String message) {
      super(message);
    }

    @Override
    public String getMessage() {
      return String.valueOf(super.getMessage());
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /** Settings of a {@link DelegationReader}. */
  public static final class Builder {
    private final DnsTransport transport;
    private DsDigestPolicy digestPolicy = DsDigestPolicy.SHA256;
    private Duration timeout = Duration.ofSeconds(5);

    private Builder(DnsTransport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
    }

    /** Digest types computed from CDNSKEY/DNSKEY (default {@link DsDigestPolicy#SHA256}). */
    public Builder digestPolicy(DsDigestPolicy policy) {
      this.digestPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Deadline of each lookup (default 5 s). */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** The reader. */
    public DelegationReader build() {
      return new DelegationReader(this);
    }
  }
}
