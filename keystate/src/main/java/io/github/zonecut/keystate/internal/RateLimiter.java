package io.github.zonecut.keystate.internal;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Token buckets per key (a child name, a source prefix): {@code burst} requests at once, refilled
 * at {@code burst} per {@code period}, so that in any interval of length {@code t} a key tracked
 * throughout is granted at most {@code burst + burst × t / period} requests.
 *
 * <p>The table is bounded by {@code maxKeys} and kept in least-recently-used order: a new key
 * when the table is full evicts the key that has gone unused longest, in constant time. No call
 * ever scans the table, so a flood of distinct sources costs each decision the same few hundred
 * nanoseconds, and a new legitimate source is never refused because strangers filled the table
 * (the fault of the earlier design: a full prune under one lock per new source). The price is
 * that a key evicted while its bucket was not yet full starts again with a full one; under a
 * flood of {@code R} new keys per second that happens to a key idle for {@code maxKeys / R}
 * seconds, so size the table for the flood the host must absorb. An active key is kept: each
 * use moves it to the young end.
 *
 * <p>Sources are keyed by prefix ({@link SourcePrefixes}: IPv4 /24 and IPv6 /56 by default), so
 * one host with a whole /64 (no spoofing needed) is one key. Thread-safe (one lock held for a
 * hash lookup and an arithmetic update). Used by the KeyState responder and meant for the
 * {@code zonecut-dsync} receivers (exported to that module only).
 */
public final class RateLimiter {
  private final int burst;
  private final long periodNanos;
  private final int maxKeys;
  private final Clock clock;
  private final SourcePrefixes prefixes;
  private final Lru buckets;

  /**
   * A limiter keying sources by {@link SourcePrefixes#DEFAULT}.
   *
   * @throws IllegalArgumentException when {@code burst}, {@code period} or {@code maxKeys} is not
   *     positive
   */
  public RateLimiter(int burst, Duration period, int maxKeys, Clock clock) {
    this(burst, period, maxKeys, clock, SourcePrefixes.DEFAULT);
  }

  /**
   * A limiter keying sources by {@code prefixes}.
   *
   * @throws IllegalArgumentException when {@code burst}, {@code period} or {@code maxKeys} is not
   *     positive
   */
  public RateLimiter(int burst, Duration period, int maxKeys, Clock clock,
      SourcePrefixes prefixes) {
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1: " + burst);
    }
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive: " + period);
    }
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be at least 1: " + maxKeys);
    }
    this.burst = burst;
    this.periodNanos = period.toNanos();
    this.maxKeys = maxKeys;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.prefixes = Objects.requireNonNull(prefixes, "prefixes");
    this.buckets = new Lru(maxKeys);
  }

  /** Takes one token for the prefix of {@code source}; false when none is left. */
  public boolean tryAcquire(InetAddress source) {
    return tryAcquireKey(prefixes.keyOf(source));
  }

  /**
   * Takes one token for {@code key} (compared with {@code equals}); false when none is left.
   * An {@link InetAddress} is keyed by its prefix.
   */
  public boolean tryAcquire(Object key) {
    return key instanceof InetAddress a ? tryAcquire(a) : tryAcquireKey(key);
  }

  private synchronized boolean tryAcquireKey(Object key) {
    long now = nanos();
    Bucket b = buckets.get(key);
    if (b == null) {
      // put() evicts the least recently used key when the table is full (removeEldestEntry)
      b = new Bucket(burst, now);
      buckets.put(key, b);
    } else {
      long elapsed = now - b.at;
      if (elapsed > 0) {
        b.tokens = Math.min(burst, b.tokens + (double) elapsed * burst / periodNanos);
        b.at = now;
      }
    }
    if (b.tokens < 1) {
      return false;
    }
    b.tokens -= 1;
    return true;
  }

  /** How the limiter keys sources. */
  public SourcePrefixes prefixes() {
    return prefixes;
  }

  /** How many keys are tracked now (at most {@code maxKeys}). */
  public synchronized int size() {
    return buckets.size();
  }

  /** How many keys were evicted to make room for new ones since construction. */
  public synchronized long evictions() {
    return buckets.evictions;
  }

  /** Whether {@code key} (a source is taken by its prefix) is tracked now; does not touch it. */
  public synchronized boolean tracks(Object key) {
    Object k = key instanceof InetAddress a ? prefixes.keyOf(a) : key;
    return buckets.containsKey(k);
  }

  private long nanos() {
    Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  @Override
  public synchronized String toString() {
    return "RateLimiter[" + burst + " per " + Duration.ofNanos(periodNanos) + ", "
        + buckets.size() + "/" + maxKeys + " keys, " + prefixes + "]";
  }

  private static final class Bucket {
    double tokens;
    long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }

  /** An access-ordered map that drops its eldest entry past {@code max}: O(1) LRU eviction. */
  private static final class Lru extends LinkedHashMap<Object, Bucket> {
    private static final long serialVersionUID = 1L;
    private final int max;
    long evictions;

    Lru(int max) {
      super(Math.min(max, 1 << 16), 0.75f, true);
      this.max = max;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<Object, Bucket> eldest) {
      if (size() > max) {
        evictions++;
        return true;
      }
      return false;
    }
  }
}
