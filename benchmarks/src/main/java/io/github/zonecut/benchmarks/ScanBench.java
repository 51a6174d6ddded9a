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
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The bulk {@link Scanner}'s own cost (issue 11, "ScanBench"): N children streamed from a lazy
 * iterator, each scanned with the queries a CDS check sends to one server (NS, SOA, DNSKEY, CDS,
 * CDNSKEY, CSYNC, one after the other) against the in-process {@link LoopbackResponder}; children
 * per second, peak heap (used, garbage included) and heap retained after a GC at the end, next
 * to the transport ceiling measured in the same run (a closed loop with as many queries in flight
 * as the scanner's concurrency: queries/s ÷ queries per child), measured before and after the
 * scan (the higher of the two counts: the first runs with a cold JIT).
 * What it does not measure: validation and the acceptance decision (the answers are empty).
 *
 * <pre>
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar io.github.zonecut.benchmarks.ScanBench \
 *     [children=10000] [concurrency=64] [ceilingSeconds=3]
 * </pre>
 */
public final class ScanBench {
  private static final int[] TYPES = {
    Type.NS, Type.SOA, Type.DNSKEY, Type.CDS, Type.CDNSKEY, Type.CSYNC
  };
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private ScanBench() {}

  /**
   * Runs the ceiling loop, then the scan of {@code args[0]} children.
   *
   * @param args children, concurrency, ceiling seconds (all optional)
   * @throws Exception when the transport or the scanner fails
   */
  public static void main(String[] args) throws Exception {
    long children = args.length > 0 ? Long.parseLong(args[0]) : 10_000;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int ceilingSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try (LoopbackResponder responder = new LoopbackResponder();
        NioDnsTransport transport = BenchTransports.create(executor)) {
      DnsEndpoint server = DnsEndpoint.of(responder.address());

      double qpsBefore = ceiling(transport, server, concurrency, ceilingSeconds);

      HeapSampler heap = HeapSampler.start("scanbench-heap");
      long heapBefore = heap.before();
      AtomicLong errors = new AtomicLong();
      Scanner scanner = Scanner.builder(child -> scanChild(transport, server, child, 0))
          .concurrency(concurrency).timeout(Duration.ofSeconds(30)).build();
      long t0 = System.nanoTime();
      Scanner.Progress p = scanner.run(names(children), children, r -> {
        if (r.isError()) {
          errors.incrementAndGet();
        }
      });
      double seconds = (System.nanoTime() - t0) / 1e9;
      long heapAfterGc = heap.stop(); // what the run retained
      double perSecond = p.done() / seconds;
      // the ceiling again with a warm JIT; the higher of the two is the one compared against
      double qpsAfter = ceiling(transport, server, concurrency, ceilingSeconds);
      double qps = Math.max(qpsBefore, qpsAfter);
      double ceilingChildren = qps / TYPES.length;
      System.out.println(String.format(Locale.ROOT,
          "children=%d done=%d errors=%d childrenPerSecond=%.0f ceilingQps=%.0f"
              + " (before=%.0f after=%.0f) ceilingChildrenPerSecond=%.0f ratio=%.2f"
              + " heapBeforeMB=%.1f heapPeakMB=%.1f heapAfterGcMB=%.1f",
          children, p.done(), errors.get(), perSecond, qps, qpsBefore, qpsAfter, ceilingChildren,
          perSecond / ceilingChildren, heapBefore / 1048576.0, heap.peak() / 1048576.0,
          heapAfterGc / 1048576.0));
    } finally {
      executor.shutdownNow();
      executor.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** The children {@code c0.bench.} … generated on demand: the input holds no list. */
  private static Iterator<Name> names(long n) {
    return new Iterator<>() {
      private long i;

      @Override
      public boolean hasNext() {
        return i < n;
      }

      @Override
      public Name next() {
        if (i >= n) {
          throw new NoSuchElementException();
        }
        return Name.fromConstantString("c" + (i++) + ".bench.");
      }
    };
  }

  private static DnsRequest query(Name name, int type) {
    return DnsRequest.of(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
  }

  /** The child's queries one after the other, then a final event. */
  private static CompletionStage<ScanEvent> scanChild(NioDnsTransport transport,
      DnsEndpoint server, Name child, int step) {
    if (step == TYPES.length) {
      return CompletableFuture.completedFuture(
          new ScanEvent.NoChange(child, Type.CDS, Instant.now(), "bench"));
    }
    return transport.exchange(server, query(child, TYPES[step]), TransportProtocol.UDP, TIMEOUT)
        .thenCompose(r -> scanChild(transport, server, child, step + 1));
  }

  /** Queries/s of a closed UDP loop with {@code inflight} queries outstanding. */
  private static double ceiling(NioDnsTransport transport, DnsEndpoint server, int inflight,
      int seconds) throws InterruptedException {
    return ClosedLoop.queriesPerSecond(transport, server, TransportProtocol.UDP,
        query(Name.fromConstantString("c0.bench."), Type.CDS), inflight, seconds, TIMEOUT);
  }
}
