package io.github.zonecut.multisigner.edge;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsResponse;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.multisigner.Capability;
import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.core.DsData;
import io.github.zonecut.multisigner.Observed;
import io.github.zonecut.multisigner.ParentServerView;
import io.github.zonecut.multisigner.ParentSnapshot;
import io.github.zonecut.multisigner.SignerId;
import io.github.zonecut.multisigner.SignerSnapshot;
import io.github.zonecut.multisigner.Signing;
import io.github.zonecut.multisigner.ZoneSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Builds {@link ZoneSnapshot}s by asking every server of every signer and every parent server
 * directly, over TCP (MUSIC asked one parent address over UDP: anchors §4.1 items 13–14), and
 * remembers when each observed value last changed, which is what the planner's waits run from.
 *
 * <p>A signer answers if any of its servers answers authoritatively. A value counts as changed
 * only when all of the signer's answering servers serve the new value (the change has reached its
 * secondaries); until then the previous value stands. The parent's view is kept per server; the
 * planner requires them to agree. Which keys a signer owns comes from {@link KeyOrigins}; which
 * keys sign comes from the key tags of the RRSIGs over the SOA and DNSKEY RRsets.
 *
 * <p>Signing is also observed zone-wide (issue 12 item 3): BIND, Knot and PowerDNS re-sign a zone
 * gradually (RFC 7583 Dsgn), so the SOA's RRSIG says which key signs new data, not which keys the
 * zone's signatures are made with. The observer samples the apex SOA and NS RRsets and the
 * RRsets named by {@link #sampling}, and reports the zone-signing keys found on some but not all
 * of them as {@link SignerSnapshot#partialSigning()}; the planner waits for the re-signing while
 * that is not empty.
 *
 * <p>The change instants live in this object; after a restart every value counts as changed at the
 * first observation, which only lengthens waits. Not thread-safe: observe one zone at a time.
 */
public final class DnsObserver {

  static {
    // every zonecut entry point registers zonecut's record types with dnsjava, so that
    // text and wire parsing yield DSYNC/CSYNC/HSYNC records, not "invalid unknown RR encoding"
    ZonecutTypes.register();
  }

  /**
   * One signer as configured by the host.
   *
   * @param id the signer
   * @param servers its authoritative servers for the zone
   * @param capabilities what the controller may make it do
   * @param ownNs the NS names it contributes
   * @param dataTtl the largest TTL of its signed data (configuration)
   */
  public record SignerConfig(SignerId id, List<DnsEndpoint> servers, Set<Capability> capabilities,
      Set<Name> ownNs, Duration dataTtl) {
    /** Copies collections; at least one server. */
    public SignerConfig {
      Objects.requireNonNull(id, "id");
      servers = List.copyOf(servers);
      if (servers.isEmpty()) {
        throw new IllegalArgumentException("signer " + id + " has no servers");
      }
      capabilities = Set.copyOf(capabilities);
      ownNs = Set.copyOf(ownNs);
      Objects.requireNonNull(dataTtl, "dataTtl");
    }
  }

  /**
   * An RRset the observer samples to see which keys sign the zone's data.
   *
   * @param name the owner name, at or below the zone apex
   * @param type the RR type (a data type, signed by the zone-signing keys)
   */
  public record Sample(Name name, int type) {
    /** Checks the name is absolute and the type a data type (not a meta-type or QTYPE, RFC 6895 §3.1). */
    public Sample {
      Objects.requireNonNull(name, "name");
      if (!name.isAbsolute()) {
        throw new IllegalArgumentException("sample name not absolute: " + name);
      }
      if (type <= 0 || type > 0xFFFF || (type >= 128 && type <= 255) || type == Type.OPT
          || type == Type.RRSIG) {
        throw new IllegalArgumentException("not a data type to sample: " + type);
      }
    }
  }

  private static final int[] SIGNER_TYPES = {Type.SOA, Type.DNSKEY, Type.CDS, Type.CDNSKEY, Type.NS, Type.CSYNC};

  private final DnsTransport transport;
  private final Name zone;
  private final List<SignerConfig> signers;
  private final List<DnsEndpoint> parentServers;
  private final KeyOrigins origins;
  private final Duration latency;
  private final Clock clock;
  private final Duration timeout;
  private final List<Sample> samples;
  // NS names of any signer inside the zone: their A/AAAA must be served (defect 7)
  private final Set<Name> inZoneNs;
  private final Map<String, Observed<?>> memory = new HashMap<>();

  private DnsObserver(DnsTransport transport, Name zone, List<SignerConfig> signers,
      List<DnsEndpoint> parentServers, KeyOrigins origins, Duration latency, Clock clock,
      Duration timeout, List<Sample> samples) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.zone = Objects.requireNonNull(zone, "zone");
    this.signers = List.copyOf(signers);
    this.parentServers = List.copyOf(parentServers);
    if (this.parentServers.isEmpty()) {
      throw new IllegalArgumentException("at least one parent server");
    }
    this.origins = Objects.requireNonNull(origins, "origins");
    this.latency = Objects.requireNonNull(latency, "latency");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.samples = List.copyOf(samples);
    Set<Name> inZone = new java.util.TreeSet<>();
    for (SignerConfig c : this.signers) {
      for (Name n : c.ownNs()) {
        if (n.subdomain(zone)) {
          inZone.add(n);
        }
      }
    }
    this.inZoneNs = java.util.Collections.unmodifiableSet(inZone);
    for (Sample x : this.samples) {
      if (!x.name().subdomain(zone)) {
        throw new IllegalArgumentException("sample " + x.name() + " is not in zone " + zone);
      }
    }
  }

  /**
   * An observer of {@code zone}.
   *
   * @param transport how to reach servers (TCP is used)
   * @param zone the zone
   * @param signers every signer, members, joining and leaving alike
   * @param parentServers every authoritative server of the parent zone
   * @param origins which served keys each signer owns
   * @param latency the secondary publication latency to put in snapshots
   * @param clock when observations happen
   */
  public static DnsObserver create(DnsTransport transport, Name zone, List<SignerConfig> signers,
      List<DnsEndpoint> parentServers, KeyOrigins origins, Duration latency, Clock clock) {
    return new DnsObserver(transport, zone, signers, parentServers, origins, latency, clock,
        Duration.ofSeconds(5), List.of());
  }

  /**
   * This observer, also sampling {@code samples} (besides the apex SOA and NS RRsets) to see which
   * keys sign the zone: pick a few RRsets the signers re-sign late (names far from the apex in
   * canonical order, long-lived data). A new observer with no memory of earlier observations:
   * configure it before the first {@link #observe()}.
   *
   * @throws IllegalArgumentException if a sample is outside the zone
   */
  public DnsObserver sampling(List<Sample> samples) {
    return new DnsObserver(transport, zone, signers, parentServers, origins, latency, clock,
        timeout, samples);
  }

  /** Queries everything and completes with the snapshot; never completes exceptionally for DNS failures. */
  public CompletionStage<ZoneSnapshot> observe() {
    List<CompletableFuture<@Nullable Message>> all = new ArrayList<>();
    Map<String, CompletableFuture<@Nullable Message>> byKey = new HashMap<>();
    for (SignerConfig s : signers) {
      for (int i = 0; i < s.servers().size(); i++) {
        for (int type : SIGNER_TYPES) {
          CompletableFuture<@Nullable Message> f = query(s.servers().get(i), type);
          byKey.put(s.id() + "/" + i + "/" + type, f);
          all.add(f);
        }
        for (int j = 0; j < samples.size(); j++) {
          CompletableFuture<@Nullable Message> f =
              query(s.servers().get(i), samples.get(j).name(), samples.get(j).type());
          byKey.put(s.id() + "/" + i + "/sample/" + j, f);
          all.add(f);
        }
        for (Name n : inZoneNs) {
          for (int type : new int[] {Type.A, Type.AAAA}) {
            CompletableFuture<@Nullable Message> f = query(s.servers().get(i), n, type);
            byKey.put(s.id() + "/" + i + "/addr/" + n + "/" + type, f);
            all.add(f);
          }
        }
      }
    }
    for (int i = 0; i < parentServers.size(); i++) {
      for (int type : new int[] {Type.DS, Type.NS}) {
        CompletableFuture<@Nullable Message> f = query(parentServers.get(i), type);
        byKey.put("parent/" + i + "/" + type, f);
        all.add(f);
      }
    }
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
        .thenApply(v -> assemble(byKey));
  }

  private CompletableFuture<@Nullable Message> query(DnsEndpoint server, int type) {
    return query(server, zone, type);
  }

  private CompletableFuture<@Nullable Message> query(DnsEndpoint server, Name name, int type) {
    Message q = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    q.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    return transport.exchange(server, q, TransportProtocol.TCP, timeout)
        .thenApply(DnsResponse::message)
        .<@Nullable Message>thenApply(m -> m)
        .exceptionally(e -> null)
        .toCompletableFuture();
  }

  private ZoneSnapshot assemble(Map<String, CompletableFuture<@Nullable Message>> byKey) {
    Instant now = clock.instant();
    List<SignerSnapshot> views = new ArrayList<>();
    for (SignerConfig s : signers) {
      List<Map<Integer, Message>> answers = new ArrayList<>();
      List<List<Message>> sampled = new ArrayList<>();
      Set<Name> addressed = new HashSet<>(inZoneNs);
      for (int i = 0; i < s.servers().size(); i++) {
        Map<Integer, Message> perType = new HashMap<>();
        boolean authoritative = true;
        for (int type : SIGNER_TYPES) {
          Message m = answer(byKey, s.id() + "/" + i + "/" + type);
          if (m == null || m.getRcode() != Rcode.NOERROR || !m.getHeader().getFlag(Flags.AA)) {
            authoritative = false;
            break;
          }
          perType.put(type, m);
        }
        if (authoritative) {
          answers.add(perType);
          List<Message> mine = new ArrayList<>();
          mine.add(perType.get(Type.SOA));
          mine.add(perType.get(Type.NS));
          for (int j = 0; j < samples.size(); j++) {
            Message m = answer(byKey, s.id() + "/" + i + "/sample/" + j);
            if (m != null && m.getRcode() == Rcode.NOERROR) {
              mine.add(m);
            }
          }
          sampled.add(mine);
          for (Name n : inZoneNs) {
            boolean served = false;
            for (int type : new int[] {Type.A, Type.AAAA}) {
              Message m = answer(byKey, s.id() + "/" + i + "/addr/" + n + "/" + type);
              served |= m != null && m.getRcode() == Rcode.NOERROR && !addresses(m, n, type).isEmpty();
            }
            if (!served) {
              addressed.remove(n); // every answering server must serve it
            }
          }
        }
      }
      String p = "signer/" + s.id() + "/";
      boolean answering = !answers.isEmpty();
      Observed<Boolean> ans = remember(p + "answering", answering, 0, now);
      Observed<Set<DnsKeyData>> dnskey = agree(p + "dnskey", answers, Type.DNSKEY, DnsObserver::keys, now);
      Observed<Set<DsData>> cds = agree(p + "cds", answers, Type.CDS, DnsObserver::ds, now);
      Observed<Set<DnsKeyData>> cdnskey = agree(p + "cdnskey", answers, Type.CDNSKEY, DnsObserver::keys, now);
      Observed<Set<Name>> ns = agree(p + "ns", answers, Type.NS, DnsObserver::names, now);
      Observed<Boolean> csync = agree(p + "csync", answers, Type.CSYNC,
          (m, t) -> !records(m, t).isEmpty(), now);
      Set<DnsKeyData> served = dnskey.value();
      Observed<Signing> signing = agree(p + "signing", answers, Type.SOA,
          (m, t) -> Signing.of(signers(m, Type.SOA, served), Set.of()), now);
      Observed<Signing> keySigning = agree(p + "keysigning", answers, Type.DNSKEY,
          (m, t) -> Signing.of(Set.of(), signers(m, Type.DNSKEY, served)), now);
      Signing both = Signing.of(signing.value().zoneKeys(), keySigning.value().dnskeyKeys());
      Instant signingSince = signing.since().isAfter(keySigning.since()) ? signing.since() : keySigning.since();
      // the configured data TTL's history (a host lowering it must not shorten signature waits)
      Observed<Signing> data = remember(p + "data", both, s.dataTtl().getSeconds(), now);
      Observed<Set<DnsKeyData>> partial = sampled.isEmpty()
          ? remembered(p + "partial", Set.of(), s.dataTtl().getSeconds(), now)
          : remember(p + "partial", partialSigning(sampled, served), s.dataTtl().getSeconds(), now);
      views.add(new SignerSnapshot(s.id(), s.capabilities(), origins.ownKeys(s.id(), served, both),
          s.ownNs(), ans, dnskey,
          new Observed<>(both, s.dataTtl(), signingSince, data.earlierTtl(), data.earlierTtlUntil()),
          cds, cdnskey, ns,
          csync, s.dataTtl(), zoneTtls(answers), java.time.Duration.ZERO, partial,
          answers.isEmpty() ? remembered(p + "addresses", Set.of(), 0, now)
              : remember(p + "addresses", Set.copyOf(addressed), 0, now)));
    }
    List<ParentServerView> parent = new ArrayList<>();
    for (int i = 0; i < parentServers.size(); i++) {
      String p = "parent/" + i + "/";
      Message ds = answer(byKey, p + Type.DS);
      Message ns = answer(byKey, p + Type.NS);
      parent.add(new ParentServerView(parentServers.get(i).toString(),
          parentRrset(p + "ds", ds, Type.DS, DnsObserver::ds, now),
          parentRrset(p + "ns", ns, Type.NS, DnsObserver::names, now)));
    }
    return new ZoneSnapshot(zone, views, new ParentSnapshot(parent), latency);
  }

  /**
   * The zone's TTLs as served: the SOA TTL and MINIMUM (negative answers, RFC 2308 §5); the SOA is
   * the only data RRset observed, so its TTL stands for the largest data TTL. Null when no server
   * answered with an SOA.
   */
  private static io.github.zonecut.multisigner.@Nullable ZoneTtls zoneTtls(
      List<Map<Integer, Message>> answers) {
    long ttl = -1;
    long minimum = -1;
    for (Map<Integer, Message> a : answers) {
      Message m = a.get(Type.SOA);
      if (m == null) {
        continue;
      }
      for (Record r : records(m, Type.SOA)) {
        if (r instanceof SOARecord soa) {
          ttl = Math.max(ttl, soa.getTTL());
          minimum = Math.max(minimum, soa.getMinimum());
        }
      }
    }
    return ttl < 0 ? null : io.github.zonecut.multisigner.ZoneTtls.ofSeconds(ttl, minimum, ttl);
  }

  /** How a value is read from one answer. */
  private interface Reader<T> {
    T read(Message m, int type);
  }

  private <T> Observed<T> agree(String key, List<Map<Integer, Message>> answers, int type,
      Reader<T> reader, Instant now) {
    @SuppressWarnings("unchecked")
    Observed<T> previous = (Observed<T>) memory.get(key);
    T first = null;
    long ttl = 0;
    boolean consistent = true;
    for (Map<Integer, Message> a : answers) {
      Message m = a.get(type);
      if (m == null) {
        continue;
      }
      T v = reader.read(m, type);
      ttl = Math.max(ttl, ttl(m, type));
      if (first == null) {
        first = v;
      } else if (!first.equals(v)) {
        consistent = false;
      }
    }
    if (first == null || (!consistent && previous != null)) {
      if (previous != null) {
        return previous;
      }
      if (first == null) {
        first = reader.read(new Message(), type); // nothing observed yet: the empty value
      }
    }
    return remember(key, first, ttl, now);
  }

  private <T> Observed<T> parentRrset(String key, @Nullable Message m, int type, Reader<T> reader, Instant now) {
    @SuppressWarnings("unchecked")
    Observed<T> previous = (Observed<T>) memory.get(key);
    if (m == null || m.getRcode() != Rcode.NOERROR) {
      return previous != null ? previous : remember(key, reader.read(new Message(), type), 0, now);
    }
    return remember(key, reader.read(m, type), ttl(m, type), now);
  }

  private <T> Observed<T> remember(String key, T value, long ttl, Instant now) {
    @SuppressWarnings("unchecked")
    Observed<T> previous = (Observed<T>) memory.get(key);
    // TTL history (issue 12): a TTL served before is kept, with the last instant it was served,
    // for as long as copies fetched with it may be cached, also across value changes
    Observed<T> next = previous == null ? Observed.of(value, ttl, now)
        : previous.next(value, Duration.ofSeconds(ttl), now);
    memory.put(key, next);
    return next;
  }

  /** Records of {@code type} at the zone apex, from the answer or (a parent's referral) the authority section. */
  private static List<Record> records(Message m, int type) {
    List<Record> out = new ArrayList<>();
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
      for (Record r : m.getSection(section)) {
        if (r.getType() == type && r.getName().equals(m.getQuestion() == null ? r.getName() : m.getQuestion().getName())) {
          out.add(r);
        }
      }
      if (!out.isEmpty()) {
        break;
      }
    }
    return out;
  }

  private static long ttl(Message m, int type) {
    long ttl = 0;
    for (Record r : records(m, type)) {
      ttl = Math.max(ttl, r.getTTL());
    }
    return ttl;
  }

  private static Set<DnsKeyData> keys(Message m, int type) {
    Set<DnsKeyData> out = new HashSet<>();
    for (Record r : records(m, type)) {
      if (r instanceof DNSKEYRecord k) { // CDNSKEYRecord extends DNSKEYRecord
        out.add(DnsKeyData.of(k));
      }
    }
    return Set.copyOf(out);
  }

  private static Set<DsData> ds(Message m, int type) {
    Set<DsData> out = new HashSet<>();
    for (Record r : records(m, type)) {
      if (r instanceof DSRecord d) { // CDSRecord extends DSRecord
        try {
          out.add(DsData.of(d));
        } catch (IllegalArgumentException e) {
          // a digest of the wrong length for its type refers to no key: as if absent
        }
      }
    }
    return Set.copyOf(out);
  }

  private static Set<Name> names(Message m, int type) {
    Set<Name> out = new HashSet<>();
    for (Record r : records(m, type)) {
      if (r instanceof NSRecord ns) {
        out.add(ns.getTarget());
      }
    }
    return Set.copyOf(out);
  }

  /**
   * Keys that sign some but not all of the sampled RRsets of any server (a gradual re-signing);
   * RRsets a server does not serve, or serves unsigned, are not counted.
   */
  private static Set<DnsKeyData> partialSigning(List<List<Message>> perServer, Set<DnsKeyData> served) {
    Set<DnsKeyData> out = new HashSet<>();
    for (List<Message> rrsets : perServer) {
      Set<DnsKeyData> any = new HashSet<>();
      Set<DnsKeyData> every = null;
      for (Message m : rrsets) {
        Record q = m.getQuestion();
        if (q == null) {
          continue;
        }
        Set<DnsKeyData> keys = signers(m, q.getType(), served);
        if (keys.isEmpty()) {
          continue;
        }
        any.addAll(keys);
        if (every == null) {
          every = new HashSet<>(keys);
        } else {
          every.retainAll(keys);
        }
      }
      if (every != null) {
        any.removeAll(every);
        out.addAll(any);
      }
    }
    return Set.copyOf(out);
  }

  /** A or AAAA records of {@code name} in the answer. */
  private static List<Record> addresses(Message m, Name name, int type) {
    List<Record> out = new ArrayList<>();
    for (Record r : m.getSection(Section.ANSWER)) {
      if (r.getType() == type && r.getName().equals(name)) {
        out.add(r);
      }
    }
    return out;
  }

  /** The remembered observation, or a new one of {@code value} (a signer not answering now). */
  private <T> Observed<T> remembered(String key, T value, long ttl, Instant now) {
    @SuppressWarnings("unchecked")
    Observed<T> previous = (Observed<T>) memory.get(key);
    return previous != null ? previous : remember(key, value, ttl, now);
  }

  /** Served keys whose tag and algorithm appear in an RRSIG over {@code covered}. */
  private static Set<DnsKeyData> signers(Message m, int covered, Set<DnsKeyData> served) {
    Set<DnsKeyData> out = new HashSet<>();
    for (Record r : m.getSection(Section.ANSWER)) {
      if (r instanceof RRSIGRecord sig && sig.getTypeCovered() == covered) {
        for (DnsKeyData k : served) {
          if (k.keyTag() == sig.getFootprint() && k.algorithm() == sig.getAlgorithm()) {
            out.add(k);
          }
        }
      }
    }
    return out;
  }

  private static @Nullable Message answer(
      Map<String, CompletableFuture<@Nullable Message>> byKey, String key) {
    CompletableFuture<@Nullable Message> f = byKey.get(key);
    return f == null ? null : f.getNow(null);
  }
}
