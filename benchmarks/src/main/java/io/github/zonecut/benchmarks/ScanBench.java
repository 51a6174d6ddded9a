package io.github.zonecut.benchmarks;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsRequest;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.dsync.ScanEvent;
import io.github.zonecut.dsync.Scanner;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The bulk {@link Scanner}'s own cost (issue 11, "ScanBench"): N children streamed from a lazy
 * iterator, each scanned with the queries a CDS check sends to one server (NS, SOA, DNSKEY, CDS,
 * CDNSKEY, CSYNC, one after the other); children per second, peak heap (used, garbage included)
 * and heap retained after a GC at the end, next to the transport ceiling measured in the same run
 * (a closed loop of the scan's own questions, prebuilt, with as many in flight as the scanner's
 * concurrency: queries/s ÷ queries per child; the loop of one repeated query the ceiling used to
 * be is reported beside it), measured before and after the scan (the higher of the two counts:
 * the first runs with a cold JIT). The scan makes untimed warm-up passes over the same children
 * for at least 2 s (the ceiling is warm, so is the figure compared with it; the cold first pass is
 * reported beside it), then one measured run of at least about 3 s over the children as many times
 * as that takes (a 1,000-child pass can be shorter than a second, and a pass ends with a tail of
 * fewer children in flight than the concurrency).
 * The server is the in-process {@link LoopbackResponder} over UDP, or a real one: {@code
 * benchmarks/scan-knot-bench.sh} points it at knotd over TCP, as the scanner asks name servers.
 * What it does not measure: validation and the acceptance decision ({@link AcceptanceScanBench}
 * and {@link ScanKnotBench} do).
 *
 * <pre>
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar io.github.zonecut.benchmarks.ScanBench \
 *     [children=10000] [concurrency=64] [ceilingSeconds=3] [HOST:PORT ORIGIN UDP|TCP]
 * </pre>
 */
public final class ScanBench {
  private static final int[] TYPES = {
    Type.NS, Type.SOA, Type.DNSKEY, Type.CDS, Type.CDNSKEY, Type.CSYNC
  };
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private ScanBench() {}

  /**
   * Runs the ceiling loop, a warm-up scan and the measured scan of {@code args[0]} children.
   *
   * @param args children, concurrency, ceiling seconds, then optionally the server, the parent
   *     origin of the children {@code c0.ORIGIN …} and the protocol
   * @throws Exception when the transport or the scanner fails
   */
  public static void main(String[] args) throws Exception {
    long children = args.length > 0 ? Long.parseLong(args[0]) : 10_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int ceilingSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    String origin = args.length > 4 ? args[4] : "bench.";
    TransportProtocol protocol = args.length > 5 ? TransportProtocol.valueOf(args[5])
        : TransportProtocol.UDP;
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try (LoopbackResponder responder = new LoopbackResponder();
        NioDnsTransport transport = BenchTransports.create(executor)) {
      DnsEndpoint server = args.length > 3 ? endpoint(args[3])
          : DnsEndpoint.of(responder.address());
      String where = args.length > 3 ? args[3] : "loopback-responder";

      measure(transport, server, where, protocol, origin, children, concurrency, ceilingSeconds);
    } finally {
      executor.shutdownNow();
      executor.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Measures the ceilings, warms up and scans {@code children} children {@code c0.ORIGIN} … of
   * {@code server} over {@code protocol}, and prints one {@code scanbench} line; {@link
   * AcceptanceScanBench} runs it against its testkit name server too.
   */
  static void measure(NioDnsTransport transport, DnsEndpoint server, String where,
      TransportProtocol protocol, String origin, long children, int concurrency,
      int ceilingSeconds) throws Exception {
    double qpsBefore = ceiling(transport, server, protocol, origin, concurrency,
        ceilingSeconds);
    double mixBefore = mixCeiling(transport, server, protocol, origin, children, concurrency,
        ceilingSeconds);

    Scanner scanner = Scanner.builder(
            child -> scanChild(transport, server, protocol, child, 0))
        .concurrency(concurrency).timeout(Duration.ofSeconds(30)).build();
    // warm-up: passes over the same children for at least 2 s (the first one is reported),
    // then measured passes for at least 3 s: a 1,000-child pass can be shorter than a second
    ScanPass first = ScanPass.run(scanner, names(children, origin, 1), children);
    ScanPass warm = first;
    for (double warmed = first.seconds(); warmed < 2; warmed += warm.seconds()) {
      warm = ScanPass.run(scanner, names(children, origin, 1), children);
    }
    // one measured run of at least ~3 s: the children over and over (each pass ending with the
    // scanner's tail, when fewer than `concurrency` children are left, would not be sustained)
    int passes = (int) Math.max(1, Math.ceil(3 * warm.perSecond() / children));
    HeapSampler heap = HeapSampler.start("scanbench-heap");
    long heapBefore = heap.before();
    ScanPass pass = ScanPass.run(scanner, names(children, origin, passes), children * passes);
    long heapAfterGc = heap.stop(); // what the run retained
    double perSecond = pass.perSecond();
    double cpuMsPerChild = pass.cpuMillisPerChild();
    // the ceiling again with a warm JIT; the higher of the two is the one compared against
    double qpsAfter = ceiling(transport, server, protocol, origin, concurrency,
        ceilingSeconds);
    double mixAfter = mixCeiling(transport, server, protocol, origin, children, concurrency,
        ceilingSeconds);
    double qps = Math.max(qpsBefore, qpsAfter);
    double mixQps = Math.max(mixBefore, mixAfter);
    double ceilingChildren = mixQps / TYPES.length;
    double oneNameChildren = qps / TYPES.length;
    long errors = pass.outcomes().entrySet().stream()
        .filter(e -> !e.getKey().equals("NoChange")).mapToLong(Map.Entry::getValue).sum();
    System.out.println(String.format(Locale.ROOT,
        "scanbench server=%s/%s children=%d done=%d errors=%d measuredPasses=%d"
            + " childrenPerSecond=%.0f"
            + " firstPass[childrenPerSecond=%.0f ratio=%.2f] ceilingQps=%.0f"
            + " (before=%.0f after=%.0f) ceilingChildrenPerSecond=%.0f ratio=%.2f"
            + " oneNameCeiling[qps=%.0f (before=%.0f after=%.0f) ratio=%.2f]"
            + " javaCpuMsPerChild=%.3f heapBeforeMB=%.1f heapPeakMB=%.1f heapAfterGcMB=%.1f",
        where, protocol, children, pass.progress().done(), errors, passes, perSecond,
        first.perSecond(), first.perSecond() / ceilingChildren, mixQps, mixBefore, mixAfter,
        ceilingChildren, perSecond / ceilingChildren, qps, qpsBefore, qpsAfter,
        perSecond / oneNameChildren, cpuMsPerChild,
        heapBefore / 1048576.0, heap.peak() / 1048576.0, heapAfterGc / 1048576.0));
    if (errors > 0) {
      System.out.println("scanbench outcomes " + pass.outcomes() + " examples "
          + pass.examples());
    }
  }

  private static DnsEndpoint endpoint(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return DnsEndpoint.of(hostPort.substring(0, colon),
        Integer.parseInt(hostPort.substring(colon + 1)));
  }

  /**
   * The children {@code c0.ORIGIN} … {@code c(n-1).ORIGIN}, {@code passes} times over, generated
   * on demand: the input holds no list.
   */
  private static Iterator<Name> names(long n, String origin, int passes) {
    return new Iterator<>() {
      private long i;

      @Override
      public boolean hasNext() {
        return i < n * passes;
      }

      @Override
      public Name next() {
        if (i >= n * passes) {
          throw new NoSuchElementException();
        }
        return Name.fromConstantString("c" + (i++ % n) + "." + origin);
      }
    };
  }

  private static DnsRequest query(Name name, int type) {
    return DnsRequest.of(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
  }

  /** The child's queries one after the other, then a final event. */
  private static CompletionStage<ScanEvent> scanChild(NioDnsTransport transport,
      DnsEndpoint server, TransportProtocol protocol, Name child, int step) {
    if (step == TYPES.length) {
      return CompletableFuture.completedFuture(
          new ScanEvent.NoChange(child, Type.CDS, Instant.now(), "bench"));
    }
    return transport.exchange(server, query(child, TYPES[step]), protocol, TIMEOUT)
        .thenCompose(r -> scanChild(transport, server, protocol, child, step + 1));
  }

  /**
   * Queries/s of a closed loop over {@code protocol} with {@code inflight} queries outstanding,
   * sending the scan's own questions in turn: each child's 6 types for the first children (at
   * most 2,000), prebuilt, so the loop pays for the transport alone.
   */
  private static double mixCeiling(NioDnsTransport transport, DnsEndpoint server,
      TransportProtocol protocol, String origin, long children, int inflight, int seconds)
      throws InterruptedException {
    int n = (int) Math.min(children, 2000);
    DnsRequest[] mix = new DnsRequest[n * TYPES.length];
    for (int c = 0; c < n; c++) {
      Name child = Name.fromConstantString("c" + c + "." + origin);
      for (int t = 0; t < TYPES.length; t++) {
        mix[c * TYPES.length + t] = query(child, TYPES[t]);
      }
    }
    return ClosedLoop.queriesPerSecond(transport, server, protocol, i -> mix[i % mix.length],
        inflight, seconds, TIMEOUT);
  }

  /** Queries/s of a closed loop of one query (one name, CDS), as the ceiling was measured first. */
  private static double ceiling(NioDnsTransport transport, DnsEndpoint server,
      TransportProtocol protocol, String origin, int inflight, int seconds)
      throws InterruptedException {
    return ClosedLoop.queriesPerSecond(transport, server, protocol,
        query(Name.fromConstantString("c0." + origin), Type.CDS), inflight, seconds, TIMEOUT);
  }
}
