package io.github.zonecut.benchmarks;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsRequest;
import io.github.zonecut.core.DnsTransportException;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.TransportProtocol;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * Sustained queries per second through {@link NioDnsTransport} with a fixed number of queries in
 * flight (a closed loop, like {@code dnsperf -q}): every answer immediately starts the next
 * query. A bounded harness (not JMH) so it can run next to {@code dnsperf} against the same
 * server; see {@code benchmarks/transport-bench.sh}.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.github.zonecut.benchmarks.TransportBench \
 *     [--server 127.0.0.1:PORT] [--names q.txt] [--inflight 1000] [--seconds 10]
 *     [--warmup 2] [--sockets 16] [--executor-threads 2|0] [--timeout-ms 2000]
 * </pre>
 *
 * <p>Without {@code --server} it starts an in-process echo responder on loopback. {@code
 * --names} reads dnsperf's data format ({@code name type} per line).
 */
public final class TransportBench {
  private TransportBench() {}

  /** The measured figures of one run. */
  record Result(int inflight, double qps, double cpuMicrosPerQuery, long timeouts, long errors,
      long heapPeakBytes, int threads, int fds) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT,
          "zonecut inflight=%d qps=%.0f cpuUsPerQuery=%.1f timeouts=%d errors=%d heapPeakMB=%.1f"
              + " threads=%d fds=%d",
          inflight, qps, cpuMicrosPerQuery, timeouts, errors, heapPeakBytes / 1048576.0, threads,
          fds);
    }
  }

  /** CPU time of this process (all threads, user and system), in nanoseconds; -1 if unknown. */
  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      return ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime();
    }
    return -1;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int inflight = Integer.parseInt(opt.getOrDefault("inflight", "1000"));
    int seconds = Integer.parseInt(opt.getOrDefault("seconds", "10"));
    int warmup = Integer.parseInt(opt.getOrDefault("warmup", "2"));
    int sockets = Integer.parseInt(opt.getOrDefault("sockets", "16"));
    int executorThreads = Integer.parseInt(opt.getOrDefault("executor-threads", "2"));
    Duration timeout = Duration.ofMillis(Long.parseLong(opt.getOrDefault("timeout-ms", "2000")));
    List<DnsRequest> requests = requests(opt.get("names"));

    LoopbackResponder responder = null;
    DnsEndpoint server;
    String s = opt.get("server");
    if (s == null) {
      responder = new LoopbackResponder();
      server = DnsEndpoint.of(responder.address());
    } else {
      int colon = s.lastIndexOf(':');
      server = DnsEndpoint.of(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
    }
    try {
      Result r = run(server, requests, inflight, warmup, seconds, sockets, executorThreads,
          timeout);
      System.out.println(r);
    } finally {
      if (responder != null) {
        responder.close();
      }
    }
  }

  static List<DnsRequest> requests(String namesFile) throws IOException {
    List<DnsRequest> out = new ArrayList<>();
    if (namesFile == null) {
      out.add(DnsRequest.of(Message.newQuery(Record.newRecord(
          Name.fromString("www.bench.example."), Type.A, DClass.IN))));
      return out;
    }
    for (String line : Files.readAllLines(Path.of(namesFile), StandardCharsets.UTF_8)) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 2 || f[0].startsWith(";")) {
        continue;
      }
      Name name = Name.fromString(f[0], Name.root);
      out.add(DnsRequest.of(Message.newQuery(Record.newRecord(name, Type.value(f[1]),
          DClass.IN))));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no queries in " + namesFile);
    }
    return out;
  }

  static Result run(DnsEndpoint server, List<DnsRequest> requests, int inflight, int warmup,
      int seconds, int sockets, int executorThreads, Duration timeout) throws Exception {
    // 0 threads: a direct executor, so answers are handled on the transport's selector thread
    ExecutorService executor = executorThreads == 0
        ? new DirectExecutorService() : Executors.newFixedThreadPool(executorThreads);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    try (NioDnsTransport transport = NioDnsTransport.builder(executor).udpSockets(sockets)
        .build()) {
      Loop loop = new Loop(transport, server, requests, timeout);
      for (int i = 0; i < inflight; i++) {
        loop.issue(i);
      }
      Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
      long start = loop.completed.get();
      long startTimeouts = loop.timeouts.get();
      long startErrors = loop.errors.get();
      long t0 = System.nanoTime();
      long cpu0 = processCpuNanos();
      long heapPeak = 0;
      for (int i = 0; i < seconds * 10; i++) {
        Thread.sleep(100);
        heapPeak = Math.max(heapPeak, memory.getHeapMemoryUsage().getUsed());
      }
      long done = loop.completed.get() - start;
      double elapsed = (System.nanoTime() - t0) / 1e9;
      long cpu = processCpuNanos() - cpu0;
      int threads = Thread.getAllStackTraces().size();
      String[] fds = new File("/proc/self/fd").list();
      loop.stopped = true;
      // the in-process echo responder's CPU is included when no --server is given
      return new Result(inflight, done / elapsed, done == 0 ? 0 : cpu / 1000.0 / done,
          loop.timeouts.get() - startTimeouts,
          loop.errors.get() - startErrors, heapPeak, threads, fds == null ? -1 : fds.length);
    } finally {
      executor.shutdownNow();
    }
  }

  /** Keeps a fixed number of queries in flight. */
  private static final class Loop {
    final NioDnsTransport transport;
    final DnsEndpoint server;
    final List<DnsRequest> requests;
    final Duration timeout;
    final AtomicLong completed = new AtomicLong();
    final AtomicLong timeouts = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    volatile boolean stopped;

    Loop(NioDnsTransport transport, DnsEndpoint server, List<DnsRequest> requests,
        Duration timeout) {
      this.transport = transport;
      this.server = server;
      this.requests = requests;
      this.timeout = timeout;
    }

    void issue(long n) {
      if (stopped) {
        return;
      }
      DnsRequest r = requests.get((int) (n % requests.size()));
      transport.exchange(server, r, TransportProtocol.UDP, timeout).whenComplete((resp, e) -> {
        if (e == null) {
          completed.incrementAndGet();
        } else {
          DnsTransportException t = DnsTransportException.find(e);
          if (t != null && t.reason() == DnsTransportException.Reason.TIMEOUT) {
            timeouts.incrementAndGet();
          } else {
            errors.incrementAndGet();
            if (t != null && (t.reason() == DnsTransportException.Reason.CLOSED
                || t.reason() == DnsTransportException.Reason.OVERLOADED)) {
              return;
            }
          }
        }
        issue(n + 1);
      });
    }
  }


  /** Runs each task on the calling thread (for {@code --executor-threads 0}). */
  private static final class DirectExecutorService extends java.util.concurrent.AbstractExecutorService {
    private volatile boolean shutdown;

    @Override
    public void execute(Runnable command) {
      command.run();
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }
}
