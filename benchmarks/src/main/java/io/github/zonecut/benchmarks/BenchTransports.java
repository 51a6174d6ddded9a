package io.github.zonecut.benchmarks;

import io.github.zonecut.core.NioDnsTransport;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The transport the scan benches use: the defaults, unless {@code -Dzonecut.bench.tcpIdleMillis}
 * sets the TCP idle timeout ({@code 0}: one connection per exchange, the behaviour before TCP
 * reuse), so one jar measures both sides of the comparison under the same conditions.
 */
final class BenchTransports {
  static final String TCP_IDLE_PROPERTY = "zonecut.bench.tcpIdleMillis";

  private BenchTransports() {}

  static NioDnsTransport create(Executor executor) throws IOException {
    NioDnsTransport.Builder b = NioDnsTransport.builder(executor);
    String idle = System.getProperty(TCP_IDLE_PROPERTY);
    if (idle != null) {
      b.tcpIdleTimeout(Duration.ofMillis(Long.parseLong(idle)));
    }
    return b.build();
  }
}
