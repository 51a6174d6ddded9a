package io.github.zonecut.keystate.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * Token buckets per key (a child name, a source address): {@code burst} requests at once, refilled
 * at {@code burst} per {@code period}. The number of keys tracked is bounded; when the table is
 * full of busy keys, new keys are refused (fail closed) rather than letting a stranger grow it.
 */
public final class RateLimiter {
  private final int burst;
  private final long periodNanos;
  private final int maxKeys;
  private final Clock clock;
  private final Map<Object, Bucket> buckets = new HashMap<>();

  public RateLimiter(int burst, Duration period, int maxKeys, Clock clock) {
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1: " + burst);
    }
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive: " + period);
    }
    this.burst = burst;
    this.periodNanos = period.toNanos();
    this.maxKeys = maxKeys;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Takes one token for {@code key}; false when none is left. */
  public synchronized boolean tryAcquire(Object key) {
    long now = nanos();
    Bucket b = buckets.get(key);
    if (b == null) {
      if (buckets.size() >= maxKeys) {
        prune(now);
        if (buckets.size() >= maxKeys) {
          return false;
        }
      }
      b = new Bucket(burst, now);
      buckets.put(key, b);
    }
    refill(b, now);
    if (b.tokens < 1) {
      return false;
    }
    b.tokens -= 1;
    return true;
  }

  private void refill(Bucket b, long now) {
    double elapsed = Math.max(0, now - b.at);
    b.tokens = Math.min(burst, b.tokens + elapsed * burst / periodNanos);
    b.at = now;
  }

  private void prune(long now) {
    for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
      Bucket b = it.next();
      refill(b, now);
      if (b.tokens >= burst) {
        it.remove();
      }
    }
  }

  private long nanos() {
    java.time.Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }
}
