package io.github.zonecut.benchmarks;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsRequest;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.TransportProtocol;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The transport ceiling the scan benchmarks compare against: answered queries per second of a
 * closed loop that keeps {@code inflight} queries outstanding against one server, either copies
 * of one query or, with {@link #queriesPerSecond(DnsTransport, DnsEndpoint, TransportProtocol,
 * IntFunction, int, int, Duration)}, the scan's own mix of questions in turn.
 */
final class ClosedLoop {
  private ClosedLoop() {}

  /** Answered queries/s over {@code seconds}; failed exchanges are not counted but keep looping. */
  static double queriesPerSecond(DnsTransport transport, DnsEndpoint server,
      TransportProtocol protocol, DnsRequest request, int inflight, int seconds,
      Duration timeout) throws InterruptedException {
    return queriesPerSecond(transport, server, protocol, i -> request, inflight, seconds, timeout);
  }

  /**
   * Answered queries/s over {@code seconds} of the queries {@code requests.apply(0)}, {@code
   * apply(1)}, … sent in turn (the function is called from several threads; it must be cheap and
   * thread safe, e.g. an index into prebuilt requests).
   */
  static double queriesPerSecond(DnsTransport transport, DnsEndpoint server,
      TransportProtocol protocol, IntFunction<DnsRequest> requests, int inflight, int seconds,
      Duration timeout) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    CountDownLatch stopped = new CountDownLatch(inflight);
    long t0 = System.nanoTime();
    for (int i = 0; i < inflight; i++) {
      loop(transport, server, protocol, requests, next, timeout, end, done, stopped);
    }
    stopped.await(seconds + 10L, TimeUnit.SECONDS);
    return done.get() / ((System.nanoTime() - t0) / 1e9);
  }

  private static void loop(DnsTransport transport, DnsEndpoint server, TransportProtocol protocol,
      IntFunction<DnsRequest> requests, AtomicInteger next, Duration timeout, long end,
      AtomicLong done, CountDownLatch stopped) {
    if (System.nanoTime() >= end) {
      stopped.countDown();
      return;
    }
    DnsRequest request = requests.apply(next.getAndIncrement() & Integer.MAX_VALUE);
    transport.exchange(server, request, protocol, timeout).whenComplete((r, e) -> {
      if (e == null) {
        done.incrementAndGet();
      }
      loop(transport, server, protocol, requests, next, timeout, end, done, stopped);
    });
  }
}
