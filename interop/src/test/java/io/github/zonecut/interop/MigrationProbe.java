package io.github.zonecut.interop;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.core.Verdict;
import io.github.zonecut.core.ZonecutException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Every 200 ms asks for the zone's SOA, DNSKEY and a TXT record: Unbound (validating, its cache
 * honoured); zonecut's {@link ValidatingLookup} through Unbound (a stub validator behind a caching
 * resolver, which sees cached data next to a fresher DNSKEY RRset); and a zonecut {@link
 * ValidatingLookup} pinned to one signer in turn (the zone's queries go to that signer, the
 * parent's to the parent), among the signers currently in the delegation. Counts per resolver.
 */
final class MigrationProbe implements AutoCloseable {

  /** How one answer was judged. */
  enum Outcome { SECURE, INSECURE, BOGUS, SERVFAIL, OTHER }

  /** Counts of one resolver. */
  static final class Counts {
    final Map<Outcome, AtomicLong> byOutcome = new ConcurrentHashMap<>();
    final List<String> failures = new CopyOnWriteArrayList<>();

    void add(Outcome o, String detail, double at) {
      byOutcome.computeIfAbsent(o, k -> new AtomicLong()).incrementAndGet();
      if (o != Outcome.SECURE && failures.size() < 10) {
        failures.add(String.format("%.1fs %s %s", at, o, detail));
      }
    }

    long get(Outcome o) {
      AtomicLong n = byOutcome.get(o);
      return n == null ? 0 : n.get();
    }

    long total() {
      return byOutcome.values().stream().mapToLong(AtomicLong::get).sum();
    }
  }

  private static final int[] TYPES = {Type.SOA, Type.DNSKEY, Type.TXT};

  private final Name zone;
  private final Name txt;
  private final InetSocketAddress resolver;
  private final InetSocketAddress parent;
  private final long start;
  private final ExecutorService io = Executors.newFixedThreadPool(2);
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  private final NioDnsTransport transport;
  private final ValidatingLookup viaUnbound;
  private final Map<String, ValidatingLookup> pinned = new LinkedHashMap<>();
  private volatile List<String> serving = List.of();
  private final Map<String, Counts> counts = Collections.synchronizedMap(new LinkedHashMap<>());
  private long tick;

  MigrationProbe(MigrationNet net, Name zone, Map<String, InetSocketAddress> signers, long start)
      throws IOException, ZonecutException {
    this.zone = zone;
    this.txt = Name.fromConstantString("probe." + zone);
    this.resolver = net.resolver();
    this.parent = net.parent();
    this.start = start;
    this.transport = NioDnsTransport.create(io);
    this.viaUnbound = ValidatingLookup.builder(transport, DnsEndpoint.of(net.resolver()), io)
        .trustAnchors(List.of(net.trustAnchor()))
        .keyCacheMaxTtl(Duration.ofSeconds(5))
        .timeout(Duration.ofSeconds(3))
        .build();
    for (Map.Entry<String, InetSocketAddress> s : signers.entrySet()) {
      DnsTransport routed = routing(transport, zone, DnsEndpoint.of(s.getValue()),
          DnsEndpoint.of(net.parent()));
      pinned.put(s.getKey(), ValidatingLookup.builder(routed, DnsEndpoint.of(net.parent()), io)
          .trustAnchors(List.of(net.trustAnchor()))
          .keyCacheMaxTtl(Duration.ofSeconds(5))
          .timeout(Duration.ofSeconds(3))
          .build());
    }
    counts.put("unbound", new Counts());
    counts.put("zonecut-via-unbound", new Counts());
    for (String s : signers.keySet()) {
      counts.put("zonecut@" + s, new Counts());
    }
  }

  /**
   * A transport that sends the zone's own queries to {@code signer} and everything else (the
   * zone's DS, the parent's DNSKEY) to {@code parent}, whatever endpoint the validator names.
   */
  private static DnsTransport routing(DnsTransport inner, Name zone, DnsEndpoint signer,
      DnsEndpoint parent) {
    return (endpoint, request, protocol, timeout) -> {
      Name q = request.questionName();
      boolean child = q != null && q.subdomain(zone)
          && !(q.equals(zone) && request.questionType() == Type.DS);
      return inner.exchange(child ? signer : parent, request, protocol, timeout);
    };
  }

  /** Which signers (by label) are in the delegation now: the pinned lookups rotate over these. */
  void serving(List<String> signers) {
    serving = List.copyOf(signers);
  }

  void start() {
    ticker.scheduleAtFixedRate(this::tick, 0, 200, TimeUnit.MILLISECONDS);
  }

  private double now() {
    return (System.nanoTime() - start) / 1e9;
  }

  private void tick() {
    try {
      List<String> s = serving;
      String pin = s.isEmpty() ? null : s.get((int) (tick++ % s.size()));
      for (int type : TYPES) {
        Name name = type == Type.TXT ? txt : zone;
        String what = name + "/" + Type.string(type);
        askUnbound(name, type, what);
        record("zonecut-via-unbound", viaUnbound, name, type, what);
        if (pin != null) {
          record("zonecut@" + pin, pinned.get(pin), name, type, what);
        }
      }
    } catch (RuntimeException e) {
      counts.get("unbound").add(Outcome.OTHER, "probe error " + e, now());
    }
  }

  private void askUnbound(Name name, int type, String what) {
    Outcome o;
    String detail = what;
    try {
      SimpleResolver r = new SimpleResolver(resolver);
      r.setTimeout(Duration.ofSeconds(2));
      r.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
      Message m = r.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
      if (m.getRcode() == Rcode.SERVFAIL) {
        o = Outcome.SERVFAIL;
      } else if (m.getRcode() == Rcode.NOERROR && m.getHeader().getFlag(Flags.AD)) {
        o = Outcome.SECURE;
      } else if (m.getRcode() == Rcode.NOERROR) {
        o = Outcome.INSECURE;
      } else {
        o = Outcome.OTHER;
        detail += " rcode " + Rcode.string(m.getRcode());
      }
    } catch (IOException e) {
      o = Outcome.OTHER;
      detail += " " + e;
    }
    Counts c = counts.get("unbound");
    if (o != Outcome.SECURE && c.failures.size() < 10) {
      detail += " | " + chain();
    }
    c.add(o, detail, now());
  }

  private void record(String key, @Nullable ValidatingLookup lookup, Name name, int type, String what) {
    if (lookup == null) {
      return;
    }
    Outcome o;
    String detail = what;
    try {
      CompletionStage<LookupResult> stage = lookup.lookup(name, type);
      LookupResult r = stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (r instanceof LookupResult.Answer a) {
        o = a.verdict() == Verdict.SECURE ? Outcome.SECURE
            : a.verdict() == Verdict.BOGUS ? Outcome.BOGUS
            : a.verdict() == Verdict.INSECURE ? Outcome.INSECURE : Outcome.OTHER;
      } else if (r instanceof LookupResult.Bogus b) {
        o = Outcome.BOGUS;
        detail += " " + b.reason();
      } else if (r instanceof LookupResult.ServFail f) {
        o = Outcome.SERVFAIL;
        detail += " " + f.detail();
      } else {
        o = Outcome.OTHER;
        detail += " " + r;
      }
    } catch (Exception e) {
      o = Outcome.OTHER;
      detail += " " + e;
    }
    Counts c = counts.get(key);
    if (o != Outcome.SECURE && c.failures.size() < 10) {
      detail += " | " + chain();
    }
    c.add(o, detail, now());
  }

  /**
   * The chain as it stands just after a failed judgment, so that a failure explains itself: the
   * parent's DS RRset (asked directly) and what Unbound serves for the zone's DS and DNSKEY (CD
   * set: its cached data, judged or not), with key tags, RRSIG key tags and remaining TTLs.
   */
  private String chain() {
    return "parent DS " + rrsets(parent, zone, Type.DS, false)
        + "; unbound DS " + rrsets(resolver, zone, Type.DS, true)
        + ", DNSKEY " + rrsets(resolver, zone, Type.DNSKEY, true);
  }

  private static String rrsets(InetSocketAddress server, Name name, int type, boolean recursive) {
    try {
      SimpleResolver r = new SimpleResolver(server);
      r.setTimeout(Duration.ofSeconds(2));
      r.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
      Message q = Message.newQuery(Record.newRecord(name, type, DClass.IN));
      if (recursive) {
        q.getHeader().setFlag(Flags.CD);
      } else {
        q.getHeader().unsetFlag(Flags.RD);
      }
      Message m = r.send(q);
      List<String> data = new ArrayList<>();
      List<Integer> sigs = new ArrayList<>();
      long ttl = -1;
      for (Record rec : m.getSection(org.xbill.DNS.Section.ANSWER)) {
        if (rec instanceof DSRecord ds && rec.getType() == type) {
          data.add(Integer.toString(ds.getFootprint()));
          ttl = rec.getTTL();
        } else if (rec instanceof DNSKEYRecord k && rec.getType() == type) {
          data.add(k.getFootprint() + ((k.getFlags() & DNSKEYRecord.Flags.SEP_KEY) != 0 ? " KSK" : " ZSK"));
          ttl = rec.getTTL();
        } else if (rec instanceof RRSIGRecord sig && sig.getTypeCovered() == type) {
          sigs.add(sig.getFootprint());
        }
      }
      return Rcode.string(m.getRcode()) + " " + data + " signed by " + sigs + " ttl " + ttl;
    } catch (IOException | RuntimeException e) {
      return "(" + e + ")";
    }
  }

  /** Counts per resolver, in insertion order. */
  Map<String, Counts> counts() {
    synchronized (counts) {
      return new LinkedHashMap<>(counts);
    }
  }

  long total(Outcome o) {
    return counts().values().stream().mapToLong(c -> c.get(o)).sum();
  }

  long probes() {
    return counts().values().stream().mapToLong(Counts::total).sum();
  }

  /** Every failure sample, for messages. */
  List<String> failures() {
    List<String> out = new ArrayList<>();
    counts().forEach((k, c) -> c.failures.forEach(f -> out.add(k + ": " + f)));
    return out;
  }

  /** Stops ticking (waits for the tick in progress). */
  void stop() throws InterruptedException {
    ticker.shutdown();
    ticker.awaitTermination(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    stop();
    transport.close();
    io.shutdownNow();
    io.awaitTermination(5, TimeUnit.SECONDS);
  }
}
