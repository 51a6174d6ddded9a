package io.github.zonecut.multisigner;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One observed RRset (or observed fact) with the TTL it was served with and the instant the
 * observation last changed. The wait times of draft-ietf-dnsop-dnssec-automation §2 run from
 * {@code since}: an observer that sees a change late only makes the waits longer, never shorter.
 *
 * @param value what was observed (an empty set when the RRset does not exist)
 * @param ttl the TTL the RRset was served with; zero for facts that are not RRsets
 * <p>TTL history (RFC 7583 timing: a wait covers the largest TTL served within the last TTL period): a resolver may
 * still hold a copy fetched with an earlier, larger TTL. {@code earlierTtl} and {@code
 * earlierTtlUntil} record such a TTL and the last instant it was served; every wait ends no
 * sooner than {@code earlierTtlUntil + earlierTtl}. Of several earlier TTLs an observer keeps
 * the one whose copies expire last. Without history both are zero / the epoch.
 *
 * @param since when the observed value last changed
 * @param earlierTtl the largest TTL served before the current one that caches may still hold
 * @param earlierTtlUntil the last instant {@code earlierTtl} was served
 * @param <T> the observed value's type
 */
public record Observed<T>(T value, Duration ttl, Instant since, Duration earlierTtl,
    Instant earlierTtlUntil) {

  /** Checks that nothing is null and no TTL is negative. */
  public Observed {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(earlierTtl, "earlierTtl");
    Objects.requireNonNull(earlierTtlUntil, "earlierTtlUntil");
    if (ttl.isNegative() || earlierTtl.isNegative()) {
      throw new IllegalArgumentException("negative TTL: " + ttl + ", earlier " + earlierTtl);
    }
  }

  /** An observation without TTL history. */
  public Observed(T value, Duration ttl, Instant since) {
    this(value, ttl, since, Duration.ZERO, Instant.EPOCH);
  }

  /**
   * The instant after which no cache holds a copy served before {@code since} or with an earlier
   * TTL, for a resolver that keeps every RRset at least {@code floor} and a wait scaled by {@code
   * factor} (at least 1).
   */
  public Instant settledAt(Duration floor, double factor) {
    Instant a = since.plus(scaled(ttl, floor, factor));
    Instant b = earlierTtlUntil.plus(scaled(earlierTtl, floor, factor));
    return a.isAfter(b) ? a : b;
  }

  private static Duration scaled(Duration ttl, Duration floor, double factor) {
    Duration t = ttl.compareTo(floor) >= 0 ? ttl : floor;
    return Duration.ofMillis((long) Math.ceil(t.toMillis() * factor));
  }

  /**
   * What an observer sees next: {@code next} served with {@code nextTtl} at {@code at}. The value
   * keeps its {@code since} when unchanged; the TTL served so far joins the history when the TTL
   * changes, keeping whichever earlier TTL's copies expire last.
   */
  public Observed<T> next(T next, Duration nextTtl, Instant at) {
    Duration hTtl = earlierTtl;
    Instant hUntil = earlierTtlUntil;
    if (!nextTtl.equals(ttl) && at.plus(ttl).isAfter(hUntil.plus(hTtl))) {
      hTtl = ttl;
      hUntil = at;
    }
    Instant s = next.equals(value) ? since : at;
    return new Observed<>(next, nextTtl, s, hTtl, hUntil);
  }

  /** Returns the observation of {@code value} served with {@code ttlSeconds}, unchanged since {@code since}. */
  public static <T> Observed<T> of(T value, long ttlSeconds, Instant since) {
    return new Observed<>(value, Duration.ofSeconds(ttlSeconds), since);
  }
}
