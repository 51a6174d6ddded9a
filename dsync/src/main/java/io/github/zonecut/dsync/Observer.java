package io.github.zonecut.dsync;

import io.github.zonecut.core.CsyncRecord;
import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DirectLookup;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsLookup;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.EndpointOverrides;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.MalformedDataException;
import io.github.zonecut.core.Names;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.core.Verdict;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.dsync.internal.Dnssec;
import io.github.zonecut.sig0.RrsigVerifier;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
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
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The I/O edge of the acceptance checks: gathers {@link Observations} of a child from the
 * network. Every authoritative server of the child (the parent's NS, the child's apex NS and any
 * name server a proposed change adds), at each of its addresses, is asked directly over TCP with
 * {@link DirectLookup} (no recursion, no cache: RFC 9615 §4.2 step 2, RFC 9975), SOA first and
 * last (RFC 7477 §3.1). What they serve is validated: for a secure delegation from the parent's
 * own DS set (RFC 7344 §4.1; see {@link Builder#parentDsAnchors(boolean)}), with the validating
 * {@link DnsLookup} (normally core's {@code ValidatingLookup}) asked only for what that cannot
 * prove; for a delegation without DS, every question and the RFC 9615 signaling names go through
 * the validating lookup.
 *
 * <p>Name server addresses come from {@link EndpointOverrides} when given, else from the
 * parent's glue for in-bailiwick hosts, else from the validating lookup. The stage never completes
 * exceptionally for anything the network does: failures are results in the observations.
 */
public final class Observer {

  static {
    // every zonecut entry point registers zonecut's record types with dnsjava, so that
    // text and wire parsing yield DSYNC/CSYNC/HSYNC records, not "invalid unknown RR encoding"
    ZonecutTypes.register();
  }

  private static final int[] APEX_TYPES =
      {Type.SOA, Type.DNSKEY, Type.CDS, Type.CDNSKEY, CsyncRecord.TYPE, Type.NS};

  private final DnsTransport transport;
  private final DnsLookup validating;
  private final EndpointOverrides overrides;
  private final Clock clock;
  private final Duration timeout;
  private final boolean parentDsAnchors;
  private final Dnssec dnssec;

  private Observer(Builder b) {
    this.transport = b.transport;
    this.validating = b.validating;
    this.overrides = b.overrides;
    this.clock = b.clock;
    this.timeout = b.timeout;
    this.parentDsAnchors = b.parentDsAnchors;
    RrsigVerifier verifier = b.rrsigVerifier;
    this.dnssec = new Dnssec(verifier != null ? verifier : RrsigVerifier.defaults());
  }

  /**
   * A builder: direct lookups through {@code transport}, validated ones through {@code
   * validating}.
   */
  public static Builder builder(DnsTransport transport, DnsLookup validating) {
    return new Builder(transport, validating);
  }

  /** Observes {@code child}'s own name servers (a scan). */
  public CompletionStage<Observations> observe(Name child, Optional<Delegation> current) {
    return observe(child, current, Set.of());
  }

  /**
   * Observes {@code child}, also asking {@code extraNameservers} (the name servers a proposed
   * change adds, so {@link DelegationChecks} can tell whether they answer).
   */
  public CompletionStage<Observations> observe(Name child, Optional<Delegation> current,
      Set<Name> extraNameservers) {
    Names.requireAbsolute("child", child);
    Objects.requireNonNull(current, "current");
    Instant at = clock.instant();
    Set<DsData> anchors = current.map(Delegation::ds).orElse(Set.of());
    if (parentDsAnchors && !anchors.isEmpty()) {
      Set<Name> nameservers = new TreeSet<>(extraNameservers);
      current.ifPresent(d -> nameservers.addAll(d.nameservers()));
      return observeAnchored(child, current, anchors, nameservers, at, true);
    }
    return observeThroughResolver(child, current, extraNameservers, at);
  }

  /**
   * A secure delegation: the parent's own DS set is the existing chain of trust (RFC 7344 §4.1,
   * RFC 4035 §5.2). Every server is asked directly; a server's DNSKEY RRset is validated when a
   * key that one of {@code anchors} matches signs it, and that server's other RRsets are
   * validated when one of those keys signs them (RFC 4035 §5.3), with zonecut's own providers.
   * The validating resolver is asked only for what this cannot prove: an RRset no server serves
   * signed by an anchored key (a denial, a bogus or unanchored answer) that is not absent at
   * every server. When the validated apex NS RRset names a server not yet asked, the observation
   * is made once more with it.
   */
  private CompletableFuture<Observations> observeAnchored(Name child,
      Optional<Delegation> current, Set<DsData> anchors, Set<Name> nameservers, Instant at,
      boolean mayWiden) {
    List<Name> glueHosts = new ArrayList<>();
    for (Name ns : nameservers) {
      if (Names.isInBailiwick(ns, child)) {
        glueHosts.add(ns);
      }
    }
    List<CompletableFuture<List<ServerObservation>>> servers = new ArrayList<>();
    for (Name ns : nameservers) {
      servers.add(endpoints(ns, child, current).thenCompose(eps -> observeServers(ns, eps,
          child, glueHosts)));
    }
    return CompletableFuture.allOf(servers.toArray(new CompletableFuture<?>[0])).thenCompose(v -> {
      List<ServerObservation> observed = new ArrayList<>();
      servers.forEach(f -> observed.addAll(f.join()));
      AnchoredKeys keys = new AnchoredKeys(dnssec, child, anchors, at);
      Map<RRsetKey, CompletableFuture<LookupResult>> validated = new LinkedHashMap<>();
      for (int type : APEX_TYPES) {
        validatedLocally(keys, observed, child, type, validated);
      }
      for (Name host : glueHosts) {
        validatedLocally(keys, observed, host, Type.A, validated);
        validatedLocally(keys, observed, host, Type.AAAA, validated);
      }
      return CompletableFuture.allOf(validated.values().toArray(new CompletableFuture<?>[0]))
          .thenCompose(w -> {
            Map<RRsetKey, LookupResult> results = new LinkedHashMap<>();
            validated.forEach((k, f) -> results.put(k, f.join()));
            LookupResult apexNs = results.get(RRsetKey.of(child, Type.NS));
            Set<Name> wider = new TreeSet<>(nameservers);
            if (apexNs instanceof LookupResult.Answer) {
              for (Record r : ((LookupResult.Answer) apexNs).rrset().rrs()) {
                wider.add(((NSRecord) r).getTarget());
              }
            }
            if (mayWiden && !wider.equals(nameservers)) {
              return observeAnchored(child, current, anchors, wider, at, false);
            }
            return CompletableFuture.completedFuture(
                new Observations(child, current, observed, results, at));
          });
    });
  }

  /**
   * Puts the validated result of (name, type) into {@code out}: the first server's RRset that an
   * anchored key signs (SECURE); nothing when every reached server says the RRset is absent and
   * its absence can change nothing (CDS, CDNSKEY, CSYNC: RFC 7344 §4.1, RFC 7477 §3); else the
   * validating resolver's answer.
   */
  private void validatedLocally(AnchoredKeys keys, List<ServerObservation> observed, Name name,
      int type, Map<RRsetKey, CompletableFuture<LookupResult>> out) {
    boolean absentEverywhere = true;
    boolean reached = false;
    for (ServerObservation s : observed) {
      if (!(s instanceof ServerObservation.Reached)) {
        absentEverywhere = false;
        continue;
      }
      ServerObservation.Reached server = (ServerObservation.Reached) s;
      reached = true;
      LookupResult r = server.result(name, type).orElse(null);
      if (r instanceof LookupResult.Answer) {
        absentEverywhere = false;
        RRset rrset = ((LookupResult.Answer) r).rrset();
        List<DNSKEYRecord> signing = keys.of(server);
        if (!signing.isEmpty()
            && (type == Type.DNSKEY || dnssec.signedByOneOf(rrset, signing, keys.at))) {
          out.put(RRsetKey.of(name, type), CompletableFuture.completedFuture(
              new LookupResult.Answer(name, type, rrset, Verdict.SECURE)));
          return;
        }
      } else if (!(r instanceof LookupResult.NoData) && !(r instanceof LookupResult.NxDomain)) {
        absentEverywhere = false;
      }
    }
    boolean absenceChangesNothing = name.equals(keys.child)
        && (type == Type.CDS || type == Type.CDNSKEY || type == CsyncRecord.TYPE);
    if (reached && absentEverywhere && absenceChangesNothing) {
      return;
    }
    out.put(RRsetKey.of(name, type), validate(name, type));
  }

  /** Per server, the keys of its DNSKEY RRset when a key the parent's DS matches signs it. */
  private static final class AnchoredKeys {
    final Dnssec dnssec;
    final Name child;
    final Set<DsData> anchors;
    final Instant at;
    private final Map<ServerObservation.Reached, List<DNSKEYRecord>> memo =
        new IdentityHashMap<>();

    AnchoredKeys(Dnssec dnssec, Name child, Set<DsData> anchors, Instant at) {
      this.dnssec = dnssec;
      this.child = child;
      this.anchors = anchors;
      this.at = at;
    }

    List<DNSKEYRecord> of(ServerObservation.Reached server) {
      return memo.computeIfAbsent(server, this::compute);
    }

    private List<DNSKEYRecord> compute(ServerObservation.Reached server) {
      LookupResult r = server.result(child, Type.DNSKEY).orElse(null);
      if (!(r instanceof LookupResult.Answer)) {
        return List.of();
      }
      RRset dnskeys = ((LookupResult.Answer) r).rrset();
      List<DNSKEYRecord> anchored = new ArrayList<>();
      for (DNSKEYRecord k : dnssec.keysSigningDnskeys(dnskeys, at)) {
        for (DsData ds : anchors) {
          if (ds.matches(child, k)) {
            anchored.add(k);
            break;
          }
        }
      }
      if (anchored.isEmpty()) {
        return List.of();
      }
      List<DNSKEYRecord> all = new ArrayList<>();
      dnskeys.rrs().forEach(k -> all.add((DNSKEYRecord) k));
      return all;
    }
  }

  /** No DS at the parent (or anchoring switched off): every question through the resolver. */
  private CompletionStage<Observations> observeThroughResolver(Name child,
      Optional<Delegation> current, Set<Name> extraNameservers, Instant at) {
    Map<RRsetKey, CompletableFuture<LookupResult>> validated = new LinkedHashMap<>();
    CompletableFuture<LookupResult> apexNsLookup = validate(child, Type.NS);
    for (int type : APEX_TYPES) {
      validated.put(RRsetKey.of(child, type),
          type == Type.NS ? apexNsLookup : validate(child, type));
    }
    return apexNsLookup.thenCompose(apexNs -> {
      Set<Name> nameservers = new TreeSet<>(extraNameservers);
      current.ifPresent(d -> nameservers.addAll(d.nameservers()));
      if (apexNs instanceof LookupResult.Answer) {
        for (Record r : ((LookupResult.Answer) apexNs).rrset().rrs()) {
          nameservers.add(((NSRecord) r).getTarget());
        }
      }
      List<Name> glueHosts = new ArrayList<>();
      for (Name ns : nameservers) {
        if (Names.isInBailiwick(ns, child)) {
          glueHosts.add(ns);
          validated.put(RRsetKey.of(ns, Type.A), validate(ns, Type.A));
          validated.put(RRsetKey.of(ns, Type.AAAA), validate(ns, Type.AAAA));
        } else {
          try {
            Name signal = AcceptanceChecks.dsbootName(child, ns);
            validated.put(RRsetKey.of(signal, Type.CDS), validate(signal, Type.CDS));
            validated.put(RRsetKey.of(signal, Type.CDNSKEY), validate(signal, Type.CDNSKEY));
          } catch (MalformedDataException e) {
            // too long a signaling name: the checks see no signal for this name server
          }
        }
      }
      List<CompletableFuture<List<ServerObservation>>> servers = new ArrayList<>();
      for (Name ns : nameservers) {
        servers.add(endpoints(ns, child, current).thenCompose(eps -> observeServers(ns, eps,
            child, glueHosts)));
      }
      List<CompletableFuture<?>> all = new ArrayList<>(validated.values());
      all.addAll(servers);
      return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
        Map<RRsetKey, LookupResult> results = new LinkedHashMap<>();
        validated.forEach((k, f) -> results.put(k, f.join()));
        List<ServerObservation> observed = new ArrayList<>();
        servers.forEach(f -> observed.addAll(f.join()));
        return new Observations(child, current, observed, results, at);
      });
    });
  }

  /** The validating lookup (for the RFC 9615 / ddns signal copies {@link Signals} checks). */
  DnsLookup validating() {
    return validating;
  }

  private CompletableFuture<LookupResult> validate(Name name, int type) {
    return validating.lookup(name, type).toCompletableFuture()
        .exceptionally(e -> new LookupResult.Failed(name, type, LookupResult.Problem.NETWORK, -1,
            String.valueOf(e)));
  }

  /** Where a name server was found, or why not (empty endpoints). */
  private record Addresses(List<DnsEndpoint> endpoints, String detail) {}

  /** The endpoints of {@code ns}: overrides, else the parent's glue, else validated A/AAAA. */
  private CompletableFuture<Addresses> endpoints(Name ns, Name child, Optional<Delegation> current) {
    Optional<List<DnsEndpoint>> override = overrides.forName(ns);
    if (override.isPresent()) {
      return CompletableFuture.completedFuture(new Addresses(override.get(), "override"));
    }
    List<DnsEndpoint> out = new ArrayList<>();
    Set<InetAddress> glue = current.map(d -> d.glue().getOrDefault(ns, Set.of())).orElse(Set.of());
    if (!glue.isEmpty()) {
      glue.forEach(a -> out.add(overrides.forAddress(a, DnsEndpoint.DNS_PORT)));
      return CompletableFuture.completedFuture(new Addresses(out, "glue"));
    }
    CompletableFuture<LookupResult> v4 = validate(ns, Type.A);
    CompletableFuture<LookupResult> v6 = validate(ns, Type.AAAA);
    return v4.thenCombine(v6, (a, b) -> {
      for (LookupResult r : List.of(a, b)) {
        if (r instanceof LookupResult.Answer) {
          for (Record rr : ((LookupResult.Answer) r).rrset().rrs()) {
            InetAddress address = rr instanceof ARecord ? ((ARecord) rr).getAddress()
                : ((AAAARecord) rr).getAddress();
            out.add(overrides.forAddress(address, DnsEndpoint.DNS_PORT));
          }
        }
      }
      return new Addresses(out, "A: " + a + ", AAAA: " + b);
    });
  }

  private CompletableFuture<List<ServerObservation>> observeServers(Name ns, Addresses addresses,
      Name child, List<Name> glueHosts) {
    if (addresses.endpoints().isEmpty()) {
      return CompletableFuture.completedFuture(List.of(new ServerObservation.Unresolved(ns,
          "no address for " + ns + " (" + addresses.detail() + ")")));
    }
    List<CompletableFuture<ServerObservation>> each = new ArrayList<>();
    for (DnsEndpoint ep : addresses.endpoints()) {
      each.add(observeServer(ns, ep, child, glueHosts));
    }
    return CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      List<ServerObservation> out = new ArrayList<>();
      each.forEach(f -> out.add(f.join()));
      return out;
    });
  }

  private CompletableFuture<ServerObservation> observeServer(Name ns, DnsEndpoint endpoint,
      Name child, List<Name> glueHosts) {
    DirectLookup direct = DirectLookup.builder(transport, endpoint)
        .protocol(TransportProtocol.TCP).timeout(timeout).build();
    // RFC 7477 §3.1: the SOA first, then the data, then the SOA again
    return direct.lookup(child, Type.SOA).toCompletableFuture().thenCompose(soaBefore -> {
      Map<RRsetKey, CompletableFuture<LookupResult>> answers = new LinkedHashMap<>();
      answers.put(RRsetKey.of(child, Type.SOA), CompletableFuture.completedFuture(soaBefore));
      for (int type : APEX_TYPES) {
        if (type != Type.SOA) {
          answers.put(RRsetKey.of(child, type), direct.lookup(child, type).toCompletableFuture());
        }
      }
      for (Name host : glueHosts) {
        answers.put(RRsetKey.of(host, Type.A), direct.lookup(host, Type.A).toCompletableFuture());
        answers.put(RRsetKey.of(host, Type.AAAA),
            direct.lookup(host, Type.AAAA).toCompletableFuture());
      }
      return CompletableFuture.allOf(answers.values().toArray(new CompletableFuture<?>[0]))
          .thenCompose(v -> direct.lookup(child, Type.SOA).toCompletableFuture())
          .thenApply(soaAfter -> {
            Map<RRsetKey, LookupResult> results = new LinkedHashMap<>();
            answers.forEach((k, f) -> results.put(k, f.join()));
            return (ServerObservation) new ServerObservation.Reached(ns, endpoint, results,
                soaAfter);
          });
    });
  }

  /** Settings of an {@link Observer}. */
  public static final class Builder {
    private final DnsTransport transport;
    private final DnsLookup validating;
    private EndpointOverrides overrides = EndpointOverrides.none();
    private Clock clock = Clock.systemUTC();
    private Duration timeout = Duration.ofSeconds(5);
    private boolean parentDsAnchors = true;
    private @Nullable RrsigVerifier rrsigVerifier;

    private Builder(DnsTransport transport, DnsLookup validating) {
      this.transport = Objects.requireNonNull(transport, "transport");
      this.validating = Objects.requireNonNull(validating, "validating");
    }

    /** Where name servers really are (tests and harnesses); default none. */
    public Builder overrides(EndpointOverrides overrides) {
      this.overrides = Objects.requireNonNull(overrides, "overrides");
      return this;
    }

    /** The clock that stamps observations (signature validity is judged then). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The deadline of each direct lookup (default 5 s). */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Whether the parent's current DS set anchors the child's keys (default {@code true}): for a
     * secure delegation the child's RRsets are then validated from the DS the parent holds, the
     * existing chain of trust of RFC 7344 §4.1, with zonecut's own signature providers, and the
     * validating resolver is asked only for what that cannot prove (denials, unanchored or bogus
     * answers). {@code false} sends every question through the validating resolver, as for an
     * insecure delegation. The RFC 9615 signaling names are asked only for a delegation without
     * DS either way (§4.2 step 1).
     */
    public Builder parentDsAnchors(boolean on) {
      this.parentDsAnchors = on;
      return this;
    }

    /**
     * What verifies the RRSIGs of the child's RRsets against its anchored keys (RFC 4035 §5.3):
     * default a new {@link RrsigVerifier#defaults()} per observer, whose decoded-key cache is
     * bounded ({@link RrsigVerifier#DEFAULT_KEY_CACHE_SIZE}). Give one built from a host's {@code
     * Sig0Config} to choose the providers, or to share it with the {@link AcceptanceChecks}.
     */
    public Builder rrsigVerifier(RrsigVerifier verifier) {
      this.rrsigVerifier = Objects.requireNonNull(verifier, "verifier");
      return this;
    }

    /** The observer. */
    public Observer build() {
      return new Observer(this);
    }
  }
}
