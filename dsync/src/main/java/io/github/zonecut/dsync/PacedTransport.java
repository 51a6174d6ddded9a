package io.github.zonecut.dsync;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsRequest;
import io.github.zonecut.core.DnsResponse;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.keystate.Delayer;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * A {@link DnsTransport} that paces the queries sent to each server address: at most {@code
 * perSecond} queries per second to one address, later ones delayed (never dropped). A registry's
 * {@link Scanner} shares name servers between many children; this keeps it a polite client of
 * each (RFC 9859 §5 asks receivers to rate-limit; scanners should not need to be limited).
 */
public final class PacedTransport implements DnsTransport {
  private static final int MAX_TRACKED = 65_536;

  private final DnsTransport delegate;
  private final long intervalNanos;
  private final Delayer delayer;
  private final Clock clock;
  private final Map<InetAddress, Long> nextFree = new HashMap<>();

  private PacedTransport(DnsTransport delegate, double perSecond, Delayer delayer, Clock clock) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("perSecond must be positive: " + perSecond);
    }
    this.intervalNanos = (long) (1e9 / perSecond);
    this.delayer = Objects.requireNonNull(delayer, "delayer");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Paces {@code delegate} to {@code perSecond} queries per second per server address. */
  public static PacedTransport of(DnsTransport delegate, double perSecond, Delayer delayer,
      Clock clock) {
    return new PacedTransport(delegate, perSecond, delayer, clock);
  }

  @Override
  public CompletionStage<DnsResponse> exchange(DnsEndpoint endpoint, DnsRequest request,
      TransportProtocol protocol, Duration timeout) {
    long wait = reserve(endpoint.address());
    if (wait <= 0) {
      return delegate.exchange(endpoint, request, protocol, timeout);
    }
    return delayer.delay(Duration.ofNanos(wait))
        .thenCompose(v -> delegate.exchange(endpoint, request, protocol, timeout));
  }

  /** Takes the next slot of {@code address}; how long to wait for it (nanoseconds). */
  synchronized long reserve(InetAddress address) {
    long now = nanos();
    if (nextFree.size() >= MAX_TRACKED) {
      for (Iterator<Long> it = nextFree.values().iterator(); it.hasNext(); ) {
        if (it.next() <= now) {
          it.remove();
        }
      }
    }
    long slot = Math.max(now, nextFree.getOrDefault(address, now));
    nextFree.put(address, slot + intervalNanos);
    return slot - now;
  }

  private long nanos() {
    java.time.Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
