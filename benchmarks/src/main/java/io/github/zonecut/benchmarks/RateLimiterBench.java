package io.github.zonecut.benchmarks;

import io.github.zonecut.keystate.internal.RateLimiter;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The KeyState responder's per-source rate limiter under a distinct-source flood (issue 9 item
 * 4): every decision is for a source prefix the table does not hold, and the table (100 k keys,
 * the responder's size) is full of busy buckets. The clock does not move, so no bucket ever
 * refills: the worst case for a limiter that prunes idle buckets, and what a spoofed flood of
 * two packets per source within a second achieves. Bar: {@code lru} ≥ 1 M decisions/s, with
 * every new source granted ({@code granted} ≈ {@code decisions}). Baseline in the same run:
 * {@code legacy}, the limiter before the fix (a full prune under the lock per new source, new
 * sources refused once the table is busy), copied here unchanged.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RateLimiterBench {
  private static final int TABLE = 100_000;
  /** Distinct /24 sources cycled through: more than the table holds, so each one is new. */
  private static final int SOURCES = 1 << 18;

  @Param({"lru", "legacy"})
  public String limiter;

  private InetAddress[] sources;
  private Decide decide;
  private int next;

  /** What one decision does. */
  private interface Decide {
    boolean tryAcquire(InetAddress source);
  }

  /** Decisions and grants per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long decisions;
    public long granted;

    @Setup(Level.Iteration)
    public void reset() {
      decisions = 0;
      granted = 0;
    }
  }

  @Setup
  public void setUp() throws Exception {
    Clock frozen = Clock.fixed(Instant.parse("2026-12-04T00:00:00Z"), ZoneOffset.UTC);
    sources = new InetAddress[SOURCES];
    for (int i = 0; i < SOURCES; i++) {
      // 10.x.y.1 and 11.x.y.1: one address per /24
      sources[i] = InetAddress.getByAddress(new byte[] {
          (byte) (10 + (i >>> 16)), (byte) (i >>> 8), (byte) i, 1});
    }
    if (limiter.equals("lru")) {
      RateLimiter l = new RateLimiter(60, Duration.ofMinutes(1), TABLE, frozen);
      decide = l::tryAcquire;
    } else {
      LegacyRateLimiter l = new LegacyRateLimiter(60, Duration.ofMinutes(1), TABLE, frozen);
      decide = l::tryAcquire;
    }
    // Fill the table with busy buckets (one token taken each, never refilled).
    for (int i = 0; i < TABLE; i++) {
      decide.tryAcquire(sources[i]);
    }
    next = TABLE;
  }

  @Benchmark
  public boolean distinctSourceFlood(Counters c) {
    InetAddress source = sources[next];
    next = next + 1 == SOURCES ? 0 : next + 1;
    boolean ok = decide.tryAcquire(source);
    c.decisions++;
    if (ok) {
      c.granted++;
    }
    return ok;
  }

  /** The limiter as it was before issue 9 item 4, unchanged, for the baseline. */
  static final class LegacyRateLimiter {
    private final int burst;
    private final long periodNanos;
    private final int maxKeys;
    private final Clock clock;
    private final Map<Object, Bucket> buckets = new HashMap<>();

    LegacyRateLimiter(int burst, Duration period, int maxKeys, Clock clock) {
      this.burst = burst;
      this.periodNanos = period.toNanos();
      this.maxKeys = maxKeys;
      this.clock = clock;
    }

    synchronized boolean tryAcquire(Object key) {
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
      Instant i = clock.instant();
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
}
