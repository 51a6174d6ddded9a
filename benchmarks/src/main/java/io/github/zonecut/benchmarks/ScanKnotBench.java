package io.github.zonecut.benchmarks;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsRequest;
import io.github.zonecut.core.DnsResponse;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.EndpointOverrides;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.dsync.AcceptanceChecks;
import io.github.zonecut.dsync.AcceptancePolicy;
import io.github.zonecut.dsync.Observer;
import io.github.zonecut.dsync.ScanService;
import io.github.zonecut.dsync.Scanner;
import io.github.zonecut.sig0.RrsigVerifier;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The bulk {@link Scanner} over the full acceptance path against real DNS software (issue 11,
 * "ScanBench … and 1,000 against Knot on loopback"): Knot DNS serves a signed parent zone with N
 * delegated children and the N child zones, signed by Knot with CDS/CDNSKEY published; Unbound is
 * the recursive resolver under core's {@link ValidatingLookup} (trust anchor: the parent's
 * DNSKEY). Each child goes through {@link ScanService}: the parent's delegation from a {@link
 * SnapshotBackend} (checks and counts applied changes, keeps none), the {@link Observer} asking
 * every name server directly over TCP (SOA first and last, CDS, CDNSKEY, DNSKEY, CSYNC, NS) and
 * the validating lookup for what the servers cannot prove, the {@link AcceptanceChecks} and {@link io.github.zonecut.dsync.DelegationChecks},
 * and the change applied to the backend. Started by {@code benchmarks/scan-knot-bench.sh}, which
 * sets up the servers.
 *
 * <p>Reported: children/s, outcomes and errors by kind, peak heap (used, garbage included) and
 * heap retained after a GC, and the transport ceiling measured in the same run: every query the
 * scan sends is counted by protocol and destination, the closed-loop queries/s of zonecut's
 * {@link NioDnsTransport} is measured for each kind (TCP to Knot, UDP to Unbound) with as many in
 * flight as the scanner's concurrency, and the ceiling in children/s is what the transport alone
 * would allow for the measured queries per child: {@code 1 / Σ (queries per child of kind k ÷
 * queries/s of kind k)}. Ceilings are measured before and after the scan; the higher counts (the
 * first runs with a cold JIT). The scan runs {@code warmupPasses} times over the same children
 * before the measured pass (default once; the backend keeps nothing, so every pass sees the same
 * state): the ceilings are warm, and so is the figure compared with them; the first, cold pass is
 * reported beside it. CPU: this JVM's CPU milliseconds per child (Knot and Unbound share the same
 * cores). Heap: retained by the measured pass (after a GC, minus the heap before it), and since
 * before the first pass (what the scanner's caches hold, the backend's data excluded).
 *
 * <pre>
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar io.github.zonecut.benchmarks.ScanKnotBench \
 *     KNOT_PORT RESOLVER_PORT PARENT_ZONE_FILE PARENT_ORIGIN TRUST_ANCHOR_FILE \
 *     [concurrency=64] [ceilingSeconds=3] [warmupPasses=1]
 * </pre>
 *
 * <p>The children are the delegations in {@code PARENT_ZONE_FILE}; their name servers are all
 * mapped to Knot's loopback port through {@link EndpointOverrides}.
 */
public final class ScanKnotBench {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private ScanKnotBench() {}

  /**
   * Runs the ceilings, the scan, the ceilings again, and prints one {@code scanknot} line.
   *
   * @param args see the class comment
   * @throws Exception when the set-up fails (the scan itself reports failures as results)
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println("usage: ScanKnotBench KNOT_PORT RESOLVER_PORT PARENT_ZONE ORIGIN"
          + " ANCHOR_FILE [concurrency=64] [ceilingSeconds=3] [warmupPasses=1]");
      System.exit(2);
    }
    DnsEndpoint knot = DnsEndpoint.of("127.0.0.1", Integer.parseInt(args[0]));
    DnsEndpoint resolver = DnsEndpoint.of("127.0.0.1", Integer.parseInt(args[1]));
    Name origin = Name.fromString(args[3], Name.root);
    List<Record> parent = read(Path.of(args[2]), origin);
    List<Record> anchors = read(Path.of(args[4]), origin);
    int concurrency = args.length > 5 ? Integer.parseInt(args[5]) : 64;
    int ceilingSeconds = args.length > 6 ? Integer.parseInt(args[6]) : 3;
    int warmupPasses = args.length > 7 ? Integer.parseInt(args[7]) : 1;

    // the delegations of the parent zone file: the backend's current state
    Map<Name, List<Record>> byChild = new TreeMap<>();
    List<Name> nameservers = new ArrayList<>();
    for (Record r : parent) {
      if ((r instanceof NSRecord || r instanceof DSRecord) && !r.getName().equals(origin)) {
        byChild.computeIfAbsent(r.getName(), k -> new ArrayList<>()).add(r);
      }
      if (r instanceof NSRecord ns && !nameservers.contains(ns.getTarget())) {
        nameservers.add(ns.getTarget());
      }
    }
    SnapshotBackend backend = new SnapshotBackend();
    for (Map.Entry<Name, List<Record>> e : byChild.entrySet()) {
      backend.put(Delegation.fromRecords(e.getKey(), e.getValue()));
    }
    List<Name> children = new ArrayList<>(byChild.keySet());
    EndpointOverrides.Builder overrides = EndpointOverrides.builder();
    for (Name ns : nameservers) {
      overrides.name(ns, knot);
    }
    List<Record> keys = new ArrayList<>();
    for (Record r : anchors) {
      if (r instanceof DNSKEYRecord k && (k.getFlags() & 1) == 1) {
        keys.add(r);
      }
    }

    ExecutorService executor = Executors.newFixedThreadPool(2);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    try (NioDnsTransport nio = BenchTransports.create(executor)) {
      CountingTransport transport = new CountingTransport(nio);
      Name probe = children.get(0);
      double tcpBefore = ceiling(nio, knot, TransportProtocol.TCP, probe, concurrency,
          ceilingSeconds);
      double udpBefore = ceiling(nio, resolver, TransportProtocol.UDP, probe, concurrency,
          ceilingSeconds);

      ValidatingLookup validating = ValidatingLookup.builder(transport, resolver, executor)
          .trustAnchors(keys).timeout(TIMEOUT).build();
      RrsigVerifier verifier = RrsigVerifier.defaults(); // one key cache for both
      Observer observer = Observer.builder(transport, validating).overrides(overrides.build())
          .timeout(TIMEOUT).rrsigVerifier(verifier).build();
      ScanService service = ScanService.builder(observer,
          AcceptanceChecks.of(AcceptancePolicy.cdsWithDsboot(), verifier), backend).build();
      Scanner scanner = Scanner.builder(child -> service.scan(child, Type.CDS))
          .concurrency(concurrency).timeout(Duration.ofSeconds(60)).build();

      // the first pass runs with a cold JIT; the ceilings are the warm maximum, so the figure
      // compared with them is a later pass over the same children (the backend keeps nothing)
      long heapAtStart = HeapSampler.usedAfterGc();
      ScanPass first = ScanPass.run(scanner, children.iterator(), children.size());
      for (int i = 1; i < warmupPasses; i++) {
        ScanPass.run(scanner, children.iterator(), children.size());
      }
      HeapSampler heap = HeapSampler.start("scanknot-heap");
      long heapBefore = heap.before();
      long tcpCount0 = transport.count(knot, TransportProtocol.TCP);
      long udpCount0 = transport.count(resolver, TransportProtocol.UDP);
      long total0 = transport.total();
      ScanPass pass = warmupPasses == 0 ? first
          : ScanPass.run(scanner, children.iterator(), children.size());
      long heapAfterGc = heap.stop(); // what the run retained
      Scanner.Progress p = pass.progress();

      double tcpAfter = ceiling(nio, knot, TransportProtocol.TCP, probe, concurrency,
          ceilingSeconds);
      double udpAfter = ceiling(nio, resolver, TransportProtocol.UDP, probe, concurrency,
          ceilingSeconds);
      double tcpQps = Math.max(tcpBefore, tcpAfter);
      double udpQps = Math.max(udpBefore, udpAfter);
      double n = Math.max(1, p.done());
      double tcpPerChild = (transport.count(knot, TransportProtocol.TCP) - tcpCount0) / n;
      double udpPerChild = (transport.count(resolver, TransportProtocol.UDP) - udpCount0) / n;
      double otherPerChild = (transport.total() - total0) / n - tcpPerChild - udpPerChild;
      double ceilingChildren = 1.0 / (tcpPerChild / tcpQps + udpPerChild / udpQps);

      System.out.println(String.format(Locale.ROOT,
          "scanknot children=%d done=%d warmupPasses=%d seconds=%.1f childrenPerSecond=%.1f"
              + " ceilingChildrenPerSecond=%.1f ratio=%.2f firstPass[childrenPerSecond=%.1f"
              + " ratio=%.2f] javaCpuMsPerChild=%.2f (kernel %.2f; first pass %.2f)"
              + " queriesPerChild[tcp->knot=%.1f udp->unbound=%.1f other=%.1f]"
              + " ceilingQps[tcp=%.0f (before=%.0f after=%.0f) udp=%.0f (before=%.0f after=%.0f)]"
              + " heapBeforeMB=%.1f heapPeakMB=%.1f heapAfterGcMB=%.1f heapRetainedByPassMB=%.2f"
              + " heapRetainedSinceFirstPassMB=%.2f"
              + " maxHeapMB=%.0f",
          children.size(), p.done(), warmupPasses, pass.seconds(), pass.perSecond(),
          ceilingChildren, pass.perSecond() / ceilingChildren, first.perSecond(),
          first.perSecond() / ceilingChildren, pass.cpuMillisPerChild(),
          pass.systemCpuMillisPerChild(), first.cpuMillisPerChild(), tcpPerChild, udpPerChild, otherPerChild, tcpQps,
          tcpBefore, tcpAfter, udpQps, udpBefore, udpAfter, heapBefore / 1048576.0,
          heap.peak() / 1048576.0, heapAfterGc / 1048576.0,
          (heapAfterGc - heapBefore) / 1048576.0, (heapAfterGc - heapAtStart) / 1048576.0,
          memory.getHeapMemoryUsage().getMax() / 1048576.0));
      System.out.println("scanknot outcomes " + pass.outcomes() + " (first pass "
          + first.outcomes() + ") errorsByKind " + new TreeMap<>(p.errorsByKind())
          + " retries " + p.retries() + " applied " + backend.applied());
      for (Map.Entry<String, String> e : pass.examples().entrySet()) {
        System.out.println("scanknot example " + e.getKey() + " " + e.getValue());
      }
    } finally {
      executor.shutdownNow();
      executor.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static List<Record> read(Path file, Name origin) throws IOException {
    List<Record> records = new ArrayList<>();
    try (Master master = new Master(file.toString(), origin)) {
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        records.add(r);
      }
    }
    return records;
  }

  /** Queries/s of a closed loop with {@code inflight} queries outstanding. */
  private static double ceiling(DnsTransport transport, DnsEndpoint server,
      TransportProtocol protocol, Name name, int inflight, int seconds)
      throws InterruptedException {
    DnsRequest request = DnsRequest.of(Message.newQuery(Record.newRecord(name, Type.CDS,
        DClass.IN)));
    return ClosedLoop.queriesPerSecond(transport, server, protocol, request, inflight, seconds,
        TIMEOUT);
  }

  /** Counts the exchanges by destination and protocol. */
  private static final class CountingTransport implements DnsTransport {
    private final DnsTransport delegate;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    CountingTransport(DnsTransport delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletionStage<DnsResponse> exchange(DnsEndpoint endpoint, DnsRequest request,
        TransportProtocol protocol, Duration timeout) {
      counts.computeIfAbsent(key(endpoint, protocol), k -> new LongAdder()).increment();
      return delegate.exchange(endpoint, request, protocol, timeout);
    }

    long count(DnsEndpoint endpoint, TransportProtocol protocol) {
      LongAdder a = counts.get(key(endpoint, protocol));
      return a == null ? 0 : a.sum();
    }

    long total() {
      Map<String, Long> copy = new HashMap<>();
      counts.forEach((k, v) -> copy.put(k, v.sum()));
      return copy.values().stream().mapToLong(Long::longValue).sum();
    }

    private static String key(DnsEndpoint endpoint, TransportProtocol protocol) {
      return endpoint.address().getHostAddress() + "@" + endpoint.port() + "/" + protocol;
    }
  }
}
