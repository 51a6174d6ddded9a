package io.github.zonecut.benchmarks;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsRequest;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.TransportProtocol;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The transport ceiling the scan benchmarks compare against: answered queries per second of a
 * closed loop that keeps {@code inflight} copies of one query outstanding against one server.
 */
final class ClosedLoop {
  private ClosedLoop() {}

  /** Answered queries/s over {@code seconds}; failed exchanges are not counted but keep looping. */
  static double queriesPerSecond(DnsTransport transport, DnsEndpoint server,
      TransportProtocol protocol, DnsRequest request, int inflight, int seconds,
      Duration timeout) throws InterruptedException {
    AtomicLong done = new AtomicLong();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    CountDownLatch stopped = new CountDownLatch(inflight);
    long t0 = System.nanoTime();
    for (int i = 0; i < inflight; i++) {
      loop(transport, server, protocol, request, timeout, end, done, stopped);
    }
    stopped.await(seconds + 10L, TimeUnit.SECONDS);
    return done.get() / ((System.nanoTime() - t0) / 1e9);
  }

  private static void loop(DnsTransport transport, DnsEndpoint server, TransportProtocol protocol,
      DnsRequest request, Duration timeout, long end, AtomicLong done, CountDownLatch stopped) {
    if (System.nanoTime() >= end) {
      stopped.countDown();
      return;
    }
    transport.exchange(server, request, protocol, timeout).whenComplete((r, e) -> {
      if (e == null) {
        done.incrementAndGet();
      }
      loop(transport, server, protocol, request, timeout, end, done, stopped);
    });
  }
}
