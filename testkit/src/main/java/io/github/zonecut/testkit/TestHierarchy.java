package io.github.zonecut.testkit;

import io.github.zonecut.core.AddressPolicy;
import io.github.zonecut.core.DnsLookup;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.DsyncDiscovery;
import io.github.zonecut.core.EndpointOverrides;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.core.internal.server.DnsServer;
import io.github.zonecut.testkit.internal.SignedZone;
import io.github.zonecut.testkit.internal.ZoneKeys;
import io.github.zonecut.testkit.internal.ZoneText;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * An in-process DNS hierarchy: signed zones served over UDP and TCP on loopback, one endpoint per
 * nameserver plus one recursive-style endpoint, with faults and edits at run time. The zonecut
 * counterpart of OkHttp's mockwebserver.
 *
 * <pre>{@code
 * try (TestHierarchy h = TestHierarchy.builder()
 *     .zone("test.")
 *     .zone("example.test.", z -> z.algorithm(SigningAlgorithm.ED25519).records("www A 192.0.2.1"))
 *     .start()) {
 *   ValidatingResolver validator = h.newValidatingResolver();
 *   Message answer = validator.send(Message.newQuery(
 *       Record.newRecord(Name.fromString("www.example.test."), Type.A, DClass.IN)));
 *   assert answer.getHeader().getFlag(Flags.AD);
 * }
 * }</pre>
 *
 * <p>Delegations are derived from the zone tree: the parent of a zone holds NS at the cut (the
 * child's apex NS), glue for in-bailiwick nameservers and a DS for the child's key-signing key
 * (RFC 4035 §2.4), unless the child is unsigned or {@link ParentDs} says otherwise. Every
 * nameserver name is given an address record (127.0.0.1) in the deepest zone that contains it,
 * unless the author gave one. Zones with no parent in the hierarchy are its tops; their DS
 * records are the {@link #trustAnchors() trust anchors}. DNSKEY records the author adds at an
 * apex (another signer's key, RFC 8901) join the zone's own keys in its signed DNSKEY RRset; the
 * CDS, CDNSKEY, CSYNC, DSYNC or KEY records a test needs are added as ordinary records.
 *
 * <p>{@link #close()} stops the two server threads and closes every socket before returning.
 */
public final class TestHierarchy implements AutoCloseable {
  /**
   * TCP connections the hierarchy's one server keeps open at once (all endpoints together): a
   * scanner asks every server of many children over TCP in parallel, and at the limit a new
   * connection evicts the least recently active one, so a low limit turns load into timeouts.
   */
  private static final int TCP_CONNECTIONS = 1024;

  private final Clock clock;
  private final Map<Name, TestZone> zones;
  private final Map<Name, Endpoint> nameservers;
  private final Endpoint recursive;
  private final DnsServer server;

  static {
    // zone-file text may hold DSYNC, CSYNC or HSYNC records: register before any parsing
    ZonecutTypes.register();
  }

  private TestHierarchy(Builder b) throws IOException {
    this.clock = b.clock;
    Object lock = new Object();
    Map<Name, ZoneSpec> specs = new TreeMap<>(b.zones);
    Set<Name> allNameservers = new TreeSet<>();
    specs.values().forEach(s -> allNameservers.addAll(s.nameservers));
    // every nameserver name gets 127.0.0.1 in the deepest zone containing it, unless given
    for (Name ns : allNameservers) {
      ZoneSpec home = deepest(specs, ns);
      if (home != null && !home.hasAddress(ns)) {
        home.records.add(new ARecord(ns, DClass.IN, ZoneText.DEFAULT_TTL, InetAddress.getLoopbackAddress()));
      }
    }
    Map<Name, TestZone> built = new LinkedHashMap<>();
    for (ZoneSpec spec : specs.values()) {
      ZoneKeys keys =
          spec.signed
              ? ZoneKeys.generate(spec.origin, spec.algorithm.number(), spec.scheme == KeyScheme.KSK_ZSK, ZoneText.DEFAULT_TTL)
              : null;
      built.put(
          spec.origin,
          new TestZone(spec.origin, keys, spec.parentDs, spec.content(), lock, clock, b.validity));
    }
    for (TestZone z : built.values()) {
      Name parentName = null;
      for (Name candidate : built.keySet()) {
        if (!candidate.equals(z.origin())
            && z.origin().subdomain(candidate)
            && (parentName == null || candidate.labels() > parentName.labels())) {
          parentName = candidate;
        }
      }
      z.link(parentName == null ? null : built.get(parentName));
    }
    synchronized (lock) {
      built.values().forEach(TestZone::publish);
    }
    this.zones = java.util.Collections.unmodifiableMap(built);
    // one server for every endpoint of the hierarchy: room for a scanner's parallel TCP exchanges
    this.server = new DnsServer(TCP_CONNECTIONS, java.time.Duration.ofSeconds(30));
    try {
      Map<Name, Endpoint> eps = new LinkedHashMap<>();
      for (Name ns : allNameservers) {
        Set<Name> served = new LinkedHashSet<>();
        specs.values().stream().filter(s -> s.nameservers.contains(ns)).forEach(s -> served.add(s.origin));
        Endpoint e = new Endpoint(ns, served, this, server);
        e.listen();
        eps.put(ns, e);
      }
      this.nameservers = java.util.Collections.unmodifiableMap(eps);
      this.recursive = new Endpoint(null, built.keySet(), this, server);
      recursive.listen();
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private static @Nullable ZoneSpec deepest(Map<Name, ZoneSpec> specs, Name name) {
    ZoneSpec best = null;
    for (ZoneSpec s : specs.values()) {
      if (name.subdomain(s.origin) && (best == null || s.origin.labels() > best.origin.labels())) {
        best = s;
      }
    }
    return best;
  }

  /** Starts describing a hierarchy. */
  public static Builder builder() {
    return new Builder();
  }

  /** The zone at {@code origin} (absolute name, e.g. {@code "child.test."}). */
  public TestZone zone(String origin) {
    TestZone z = zones.get(ZoneText.name(origin, Name.root));
    if (z == null) {
      throw new IllegalArgumentException("no zone " + origin + " in this hierarchy; zones: " + zones.keySet());
    }
    return z;
  }

  /** Every zone, parents before children. */
  public Collection<TestZone> zones() {
    return zones.values();
  }

  /** The endpoint of nameserver {@code name} (absolute name, e.g. {@code "ns1.test."}). */
  public Endpoint nameserver(String name) {
    Endpoint e = nameservers.get(ZoneText.name(name, Name.root));
    if (e == null) {
      throw new IllegalArgumentException(
          "no nameserver " + name + " in this hierarchy; nameservers: " + nameservers.keySet());
    }
    return e;
  }

  /** Every nameserver endpoint, by name. */
  public Map<Name, Endpoint> nameservers() {
    return nameservers;
  }

  /**
   * The recursive-style endpoint: answers any name in the hierarchy from the deepest zone holding
   * it (a DS query from the parent side of the cut), with RA set and RRSIGs when DO is set.
   */
  public Endpoint recursive() {
    return recursive;
  }

  /**
   * Overrides that send traffic for each nameserver name to its loopback endpoint, for zonecut
   * components that follow NS or DSYNC targets (every glue address here is 127.0.0.1, so names,
   * not addresses, tell the servers apart).
   */
  public EndpointOverrides endpointOverrides() {
    EndpointOverrides.Builder b = EndpointOverrides.builder();
    nameservers.forEach((name, e) -> b.name(name, e.dnsEndpoint()));
    return b.build();
  }

  /**
   * A {@link ValidatingLookup} builder set up for this hierarchy: the {@link #recursive()}
   * endpoint as upstream, this hierarchy's {@link #trustAnchors()} and {@link #clock()}. Its key
   * cache outlives run-time changes of DS or keys ({@link TestZone#setParentDs(ParentDs)}): call
   * {@link ValidatingLookup#flush()} after such a change, or build a new lookup.
   */
  public ValidatingLookup.Builder validatingLookup(DnsTransport transport, Executor executor) {
    return ValidatingLookup.builder(transport, recursive.dnsEndpoint(), executor)
        .trustAnchors(trustAnchors())
        .clock(clock);
  }

  /**
   * A {@link DsyncDiscovery} builder set up for this hierarchy: {@link #endpointOverrides()} and
   * {@link AddressPolicy#allowLoopbackAndPrivateForTesting()}, since every address here is on
   * loopback and the default policy refuses loopback targets. Production code keeps the default
   * {@link AddressPolicy#publicOnly()}.
   */
  public DsyncDiscovery.Builder dsyncDiscovery(DnsLookup lookup) {
    return DsyncDiscovery.builder(lookup)
        .overrides(endpointOverrides())
        .addressPolicy(AddressPolicy.allowLoopbackAndPrivateForTesting());
  }

  /** The clock the zones are signed with. */
  public Clock clock() {
    return clock;
  }

  /** The DS records of the signed top zones: the trust anchors for validated lookups. */
  public List<DSRecord> trustAnchors() {
    List<DSRecord> anchors = new ArrayList<>();
    for (TestZone z : zones.values()) {
      if (z.parent().isEmpty()) {
        anchors.addAll(z.ds());
      }
    }
    return List.copyOf(anchors);
  }

  /** {@link #trustAnchors()} in master-file syntax, one record a line, as validators load them. */
  public String trustAnchorsText() {
    StringBuilder sb = new StringBuilder();
    trustAnchors().forEach(ds -> sb.append(ds).append('\n'));
    return sb.toString();
  }

  /**
   * A dnsjava {@code ValidatingResolver} on the recursive endpoint, holding this hierarchy's trust
   * anchors and its clock: AD on SECURE answers, SERVFAIL on BOGUS ones. Its key cache cannot be
   * flushed: after a run-time DS or key change ({@link TestZone#setParentDs(ParentDs)}), use a new
   * one.
   */
  public ValidatingResolver newValidatingResolver() {
    ValidatingResolver v = new ValidatingResolver(recursive.resolver(), clock);
    try {
      v.loadTrustAnchors(new ByteArrayInputStream(trustAnchorsText().getBytes(StandardCharsets.US_ASCII)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot load our own trust anchors", e);
    }
    return v;
  }

  List<SignedZone> snapshots(Set<Name> origins) {
    List<SignedZone> out = new ArrayList<>(origins.size());
    for (Name o : origins) {
      TestZone z = zones.get(o);
      if (z != null) {
        out.add(z.current());
      }
    }
    return out;
  }

  /** Stops every endpoint and thread; idempotent. */
  @Override
  public void close() {
    server.close();
  }

  /** Describes a hierarchy: its clock, signature validity and zones. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private Duration validity = Duration.ofDays(14);
    private final Map<Name, ZoneSpec> zones = new LinkedHashMap<>();

    private Builder() {}

    /** The clock signatures are made around (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long signatures stay valid after the clock's instant at signing (default 14 days);
     * their inception is one hour before it.
     */
    public Builder signatureValidity(Duration validity) {
      if (validity.isNegative() || validity.isZero()) {
        throw new IllegalArgumentException("validity must be positive: " + validity);
      }
      this.validity = validity;
      return this;
    }

    /** Adds zone {@code origin} with the defaults of {@link ZoneSpec}. */
    public Builder zone(String origin) {
      return zone(origin, z -> {});
    }

    /**
     * Adds zone {@code origin} (absolute, e.g. {@code "test."} or the fake root {@code "."}),
     * configured by {@code config}.
     */
    public Builder zone(String origin, Consumer<ZoneSpec> config) {
      Name name = ZoneText.name(origin, Name.root);
      if (zones.containsKey(name)) {
        throw new IllegalArgumentException("zone " + name + " declared twice");
      }
      ZoneSpec spec = new ZoneSpec(name);
      config.accept(spec);
      zones.put(name, spec);
      return this;
    }

    /**
     * Generates keys, signs every zone and starts the endpoints.
     *
     * @throws IOException if loopback sockets cannot be bound
     * @throws IllegalArgumentException if no zone was declared
     */
    public TestHierarchy start() throws IOException {
      if (zones.isEmpty()) {
        throw new IllegalArgumentException("a hierarchy needs at least one zone");
      }
      return new TestHierarchy(this);
    }
  }

  /**
   * One zone's description. Defaults: nameserver {@code ns1.<origin>}, signed with a CSK of
   * algorithm 13, a correct DS in the parent, SOA and NS generated.
   */
  public static final class ZoneSpec {
    private final Name origin;
    private final List<Name> nameservers = new ArrayList<>();
    private final List<Record> records = new ArrayList<>();
    private SigningAlgorithm algorithm = SigningAlgorithm.ECDSAP256SHA256;
    private KeyScheme scheme = KeyScheme.CSK;
    private ParentDs parentDs = ParentDs.CORRECT;
    private boolean signed = true;

    private ZoneSpec(Name origin) {
      this.origin = origin;
      this.nameservers.add(ZoneText.name("ns1", origin));
    }

    /**
     * The zone's nameservers (absolute names, or relative to the origin); each gets its own
     * endpoint, shared with other zones that name it.
     */
    public ZoneSpec nameservers(String... names) {
      if (names.length == 0) {
        throw new IllegalArgumentException("zone " + origin + " needs at least one nameserver");
      }
      nameservers.clear();
      for (String n : names) {
        nameservers.add(ZoneText.name(n, origin));
      }
      return this;
    }

    /** The signing algorithm (default 13, ECDSA P-256). */
    public ZoneSpec algorithm(SigningAlgorithm algorithm) {
      this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
      return this;
    }

    /** One combined key or a KSK/ZSK pair (default {@link KeyScheme#CSK}). */
    public ZoneSpec keyScheme(KeyScheme scheme) {
      this.scheme = Objects.requireNonNull(scheme, "scheme");
      return this;
    }

    /** Leaves the zone unsigned: no DNSKEY, RRSIG or NSEC, and no DS in the parent. */
    public ZoneSpec unsigned() {
      this.signed = false;
      return this;
    }

    /** What the parent publishes as DS (default {@link ParentDs#CORRECT}). */
    public ZoneSpec parentDs(ParentDs mode) {
      this.parentDs = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Adds records as zone-file text (RFC 1035 §5): names relative to the origin, TTL 300 unless
     * given, several lines allowed.
     */
    public ZoneSpec records(String zoneFileText) {
      records.addAll(ZoneText.parse(zoneFileText, origin));
      return this;
    }

    /** Adds dnsjava records, which must lie inside the zone. */
    public ZoneSpec records(Record... rrs) {
      for (Record r : rrs) {
        if (!r.getName().subdomain(origin)) {
          throw new IllegalArgumentException(r.getName() + " is outside zone " + origin);
        }
        records.add(r);
      }
      return this;
    }

    private boolean hasAddress(Name name) {
      return records.stream()
          .anyMatch(r -> r.getName().equals(name) && (r.getType() == Type.A || r.getType() == Type.AAAA));
    }

    private Set<Record> content() {
      Set<Record> out = new LinkedHashSet<>();
      List<Name> ns = nameservers;
      boolean authorSoa = records.stream().anyMatch(r -> r.getType() == Type.SOA && r.getName().equals(origin));
      if (!authorSoa) {
        out.add(
            new SOARecord(
                origin,
                DClass.IN,
                ZoneText.DEFAULT_TTL,
                ns.get(0),
                ZoneText.name("hostmaster", origin),
                1,
                3600,
                600,
                86400,
                ZoneText.DEFAULT_TTL));
      }
      for (Name n : ns) {
        out.add(new NSRecord(origin, DClass.IN, ZoneText.DEFAULT_TTL, n));
      }
      out.addAll(records);
      return out;
    }
  }
}
