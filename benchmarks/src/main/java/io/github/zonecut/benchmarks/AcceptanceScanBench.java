package io.github.zonecut.benchmarks;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsRequest;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.dsync.AcceptanceChecks;
import io.github.zonecut.dsync.AcceptancePolicy;
import io.github.zonecut.dsync.Observer;
import io.github.zonecut.dsync.ScanService;
import io.github.zonecut.dsync.Scanner;
import io.github.zonecut.testkit.TestHierarchy;
import io.github.zonecut.testkit.TestZone;
import io.github.zonecut.sig0.RrsigVerifier;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * {@link ScanBench} through the full acceptance path (issue 11): N signed children on the
 * in-process testkit hierarchy, each publishing a CDS (a SHA-384 digest beside its SHA-256 DS),
 * scanned by {@link ScanService}: the parent's delegation from a {@link SnapshotBackend} (checks
 * and counts applied changes, keeps none), the {@link Observer} asking both name servers of the
 * child directly over TCP and the validating lookup (through the testkit's recursive resolver)
 * for what the servers cannot prove, {@link AcceptanceChecks} with validation, continuity and the
 * all-servers rule, and the change applied. Children per second, this JVM's CPU per child, and
 * heap (peak used during the measured pass; retained after a GC by that pass and since before the
 * first pass, the hierarchy's own heap excluded) next to the transport ceiling measured in the
 * same run against the same name server: a closed loop per protocol with as many queries in
 * flight as the scanner's concurrency, weighted by the queries one child costs over each (counted
 * on the servers during the measured pass), before and after the scan, the higher counting. The
 * scan runs {@code warmupPasses} times (default once) over the same children before the measured
 * pass, so that it is as warm as the ceilings; the cold first pass is reported beside it. Then
 * {@link ScanBench} measures the scanner alone against the same name server over TCP.
 *
 * <pre>
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar \
 *     io.github.zonecut.benchmarks.AcceptanceScanBench [children=10000] [concurrency=32] \
 *     [warmupPasses=1]
 * </pre>
 */
public final class AcceptanceScanBench {
  private static final Name PARENT = Name.fromConstantString("bench.");

  private AcceptanceScanBench() {}

  /**
   * Builds the hierarchy, measures the ceiling, scans, measures the ceiling again.
   *
   * @param args children, concurrency, warm-up passes (all optional)
   * @throws Exception when the hierarchy, the transport or the scanner fails
   */
  public static void main(String[] args) throws Exception {
    int children = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int warmupPasses = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    long setup0 = System.nanoTime();
    TestHierarchy.Builder hb = TestHierarchy.builder().zone("bench.",
        z -> z.nameservers("ns1.bench."));
    for (int i = 0; i < children; i++) {
      hb.zone("c" + i + ".bench.", z -> z.nameservers("ns1.op.bench.", "ns2.op.bench."));
    }
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try (TestHierarchy h = hb.start();
        NioDnsTransport transport = BenchTransports.create(executor)) {
      SnapshotBackend backend = new SnapshotBackend();
      Name ns1 = Name.fromConstantString("ns1.op.bench.");
      Name ns2 = Name.fromConstantString("ns2.op.bench.");
      for (int i = 0; i < children; i++) {
        Name child = name(i);
        TestZone zone = h.zone(child.toString());
        backend.put(Delegation.builder(child).nameservers(ns1, ns2)
            .ds(DsData.of(zone.ds().get(0))).build());
        DNSKEYRecord ksk = zone.dnskeys().stream().filter(k -> k.getFlags() == 257)
            .findFirst().orElseThrow();
        DsData d = DsData.compute(child, ksk, DsData.SHA384);
        zone.edit(e -> e.add(new CDSRecord(child, DClass.IN, 300, d.keyTag(), d.algorithm(),
            d.digestType(), d.digest())));
      }
      double setupSeconds = (System.nanoTime() - setup0) / 1e9;
      ValidatingLookup validating = h.validatingLookup(transport, executor).build();
      RrsigVerifier verifier = RrsigVerifier.defaults(); // one key cache for both
      Observer observer = Observer.builder(transport, validating)
          .overrides(h.endpointOverrides()).clock(h.clock()).timeout(Duration.ofSeconds(5))
          .rrsigVerifier(verifier).build();
      AcceptancePolicy policy = AcceptancePolicy.cdsWithDsboot();
      ScanService service = ScanService.builder(observer, AcceptanceChecks.of(policy, verifier), backend)
          .clock(h.clock()).build();
      DnsEndpoint server = h.nameserver("ns1.op.bench.").dnsEndpoint();

      double qpsBefore = ceiling(transport, server, TransportProtocol.UDP, concurrency, 3);
      double tcpQpsBefore = ceiling(transport, server, TransportProtocol.TCP, concurrency, 3);

      Scanner scanner = Scanner.builder(child -> service.scan(child, Type.CDS))
          .concurrency(concurrency).timeout(Duration.ofSeconds(60)).build();
      // the first pass runs with a cold JIT and the ceilings are the warm maximum: the figure
      // compared with them is a later pass over the same children (the backend keeps nothing)
      long heapAtStart = HeapSampler.usedAfterGc();
      ScanPass first = ScanPass.run(scanner, names(children), children);
      for (int i = 1; i < warmupPasses; i++) {
        ScanPass.run(scanner, names(children), children);
      }
      HeapSampler heap = HeapSampler.start("scanbench-heap");
      long heapBefore = heap.before();
      long queriesBefore = totalQueries(h);
      long tcpQueriesBefore = tcpQueries(h);
      ScanPass pass = warmupPasses == 0 ? first : ScanPass.run(scanner, names(children), children);
      Scanner.Progress p = pass.progress();
      long queries = totalQueries(h) - queriesBefore;
      long tcp = tcpQueries(h) - tcpQueriesBefore;

      long heapAfterGc = heap.stop(); // what the run retained
      double perSecond = pass.perSecond();
      double qpsAfter = ceiling(transport, server, TransportProtocol.UDP, concurrency, 3);
      double tcpQpsAfter = ceiling(transport, server, TransportProtocol.TCP, concurrency, 3);
      double qps = Math.max(qpsBefore, qpsAfter);
      double tcpQps = Math.max(tcpQpsBefore, tcpQpsAfter);
      double done = Math.max(1, p.done());
      double queriesPerChild = queries / done;
      double tcpPerChild = tcp / done;
      double udpPerChild = queriesPerChild - tcpPerChild;
      // each protocol at its own closed-loop rate: seconds of transport one child costs
      double ceilingChildren = 1 / (udpPerChild / qps + tcpPerChild / tcpQps);
      System.out.println(String.format(Locale.ROOT,
          "children=%d done=%d outcomes=%s warmupPasses=%d setupSeconds=%.0f"
              + " childrenPerSecond=%.1f firstPass[childrenPerSecond=%.1f outcomes=%s]"
              + " javaCpuMsPerChild=%.2f (kernel %.2f; first pass %.2f)"
              + " queriesPerChild=%.1f (tcp %.1f) ceilingQps udp=%.0f (before=%.0f after=%.0f)"
              + " tcp=%.0f (before=%.0f after=%.0f) ceilingChildrenPerSecond=%.1f ratio=%.2f"
              + " firstPassRatio=%.2f udpOnlyRatio=%.2f heapBeforeMB=%.1f heapPeakAboveMB=%.1f"
              + " heapAfterGcAboveMB=%.2f heapRetainedSinceFirstPassMB=%.2f",
          children, p.done(), pass.outcomes(), warmupPasses, setupSeconds, perSecond,
          first.perSecond(), first.outcomes(), pass.cpuMillisPerChild(),
          pass.systemCpuMillisPerChild(), first.cpuMillisPerChild(), queriesPerChild, tcpPerChild,
          qps, qpsBefore, qpsAfter, tcpQps, tcpQpsBefore, tcpQpsAfter, ceilingChildren,
          perSecond / ceilingChildren, first.perSecond() / ceilingChildren,
          perSecond / (qps / queriesPerChild), heapBefore / 1048576.0,
          (heap.peak() - heapBefore) / 1048576.0, (heapAfterGc - heapBefore) / 1048576.0,
          (heapAfterGc - heapAtStart) / 1048576.0));
      // the scanner alone against the same testkit name server over TCP (ScanBench)
      ScanBench.measure(transport, server, "testkit ns1.op.bench.", TransportProtocol.TCP,
          PARENT.toString(), children, concurrency, 3);
    } finally {
      executor.shutdownNow();
      executor.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static Name name(int i) {
    return Name.fromConstantString("c" + i + "." + PARENT);
  }

  /** Queries answered by every server of the hierarchy (the recursive resolver's included). */
  private static long totalQueries(TestHierarchy h) {
    long n = 0;
    for (var e : h.nameservers().values()) {
      n += e.queryCount();
    }
    return n + h.recursive().queryCount();
  }

  private static Iterator<Name> names(int n) {
    return new Iterator<>() {
      private int i;

      @Override
      public boolean hasNext() {
        return i < n;
      }

      @Override
      public Name next() {
        if (i >= n) {
          throw new NoSuchElementException();
        }
        return name(i++);
      }
    };
  }

  /** Queries answered over TCP by every server of the hierarchy. */
  private static long tcpQueries(TestHierarchy h) {
    long n = 0;
    for (var e : h.nameservers().values()) {
      n += e.tcpQueryCount();
    }
    return n + h.recursive().tcpQueryCount();
  }

  /** Queries/s of a closed loop over {@code protocol} with {@code inflight} queries outstanding. */
  private static double ceiling(NioDnsTransport transport, DnsEndpoint server,
      TransportProtocol protocol, int inflight, int seconds) throws InterruptedException {
    DnsRequest request = DnsRequest.of(Message.newQuery(Record.newRecord(name(0), Type.CDS,
        DClass.IN)));
    return ClosedLoop.queriesPerSecond(transport, server, protocol, request,
        inflight, seconds, Duration.ofSeconds(2));
  }
}
