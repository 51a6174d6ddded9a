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
 * @param since when the observed value last changed
 * @param <T> the observed value's type
 */
public record Observed<T>(T value, Duration ttl, Instant since) {

  /** Checks that nothing is null and the TTL is not negative. */
  public Observed {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(since, "since");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("negative TTL: " + ttl);
    }
  }

  /** Returns the observation of {@code value} served with {@code ttlSeconds}, unchanged since {@code since}. */
  public static <T> Observed<T> of(T value, long ttlSeconds, Instant since) {
    return new Observed<>(value, Duration.ofSeconds(ttlSeconds), since);
  }
}
