package io.github.zonecut.keystate.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Invariants of the rate limiter over arbitrary request sequences. */
class RateLimiterProperties {

  /** One request: after {@code gapMillis}, for key number {@code key}. */
  record Request(int gapMillis, int key) {}

  @Provide
  Arbitrary<List<Request>> requests() {
    return Combinators.combine(Arbitraries.integers().between(0, 3_000),
            Arbitraries.integers().between(0, 7))
        .as(Request::new).list().ofMaxSize(400);
  }

  /**
   * A key tracked throughout is never granted more than {@code burst + burst × t / period} in any
   * interval of length {@code t}: in particular never more than {@code burst} at one instant, and
   * never more than {@code 2 × burst} per period.
   */
  @Property(tries = 300)
  void neverMoreThanTheBucketAllowsPerKey(@ForAll("requests") List<Request> reqs,
      @ForAll @IntRange(min = 1, max = 5) int burst,
      @ForAll @IntRange(min = 1, max = 20) int periodSeconds) {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    Duration period = Duration.ofSeconds(periodSeconds);
    RateLimiter l = new RateLimiter(burst, period, 8, clock); // room for every key: no eviction
    Map<Integer, List<Long>> granted = new HashMap<>();
    long now = 0;
    for (Request r : reqs) {
      clock.advance(Duration.ofMillis(r.gapMillis()));
      now += r.gapMillis();
      if (l.tryAcquire(r.key())) {
        granted.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(now);
      }
    }
    long periodMillis = period.toMillis();
    for (List<Long> times : granted.values()) {
      for (int i = 0; i < times.size(); i++) {
        for (int j = i; j < times.size(); j++) {
          long t = times.get(j) - times.get(i);
          // j - i + 1 grants within [times(i), times(j)]; the bucket allows burst + rate × t
          double allowed = burst + (double) burst * t / periodMillis;
          assertThat((double) (j - i + 1)).isLessThanOrEqualTo(allowed + 1e-9);
        }
      }
    }
  }

  /** The table never grows past its bound, whatever the keys. */
  @Property(tries = 200)
  void theTableStaysBounded(@ForAll("requests") List<Request> reqs,
      @ForAll @IntRange(min = 1, max = 6) int maxKeys) {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    RateLimiter l = new RateLimiter(2, Duration.ofSeconds(5), maxKeys, clock);
    for (Request r : reqs) {
      clock.advance(Duration.ofMillis(r.gapMillis()));
      l.tryAcquire(r.key());
      assertThat(l.size()).isLessThanOrEqualTo(maxKeys);
    }
  }

  /** A key seen for the first time is always granted, however full the table (no starvation). */
  @Property(tries = 200)
  void aNewKeyIsAlwaysGranted(@ForAll("requests") List<Request> reqs,
      @ForAll @IntRange(min = 1, max = 6) int maxKeys) {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    RateLimiter l = new RateLimiter(1, Duration.ofHours(1), maxKeys, clock);
    for (Request r : reqs) {
      l.tryAcquire(r.key());
    }
    assertThat(l.tryAcquire("never seen")).isTrue();
  }
}
