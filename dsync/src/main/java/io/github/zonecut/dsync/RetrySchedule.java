package io.github.zonecut.dsync;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a child waits for the receiver's answer and how often it tries
 * (draft-ietf-dnsop-delegation-mgmt-via-ddns §8): the first try waits {@code initialTimeout}
 * (the draft: at least 5 s before declaring a timeout), each next one twice as long up to {@code
 * maxTimeout}, at most {@code maxTries} tries in all (the draft: give up after at most 5). A try
 * that fails at once (connection refused, an answer that cannot be believed) pauses for its
 * timeout before the next, so no peer can make the child send faster than this schedule.
 *
 * <p>{@link #of} enforces the draft's guidance; {@link #belowDraftGuidance} does not, for test
 * harnesses and labs, and says so in its name.
 *
 * @param initialTimeout the first try's timeout
 * @param maxTimeout the cap of the doubling
 * @param maxTries how many tries in all
 */
public record RetrySchedule(Duration initialTimeout, Duration maxTimeout, int maxTries) {
  /** The draft's floor for the first timeout. */
  public static final Duration DRAFT_MIN_TIMEOUT = Duration.ofSeconds(5);
  /** The draft's ceiling on tries. */
  public static final int DRAFT_MAX_TRIES = 5;

  /** Checks that the durations are positive and ordered and that tries are 1..10. */
  public RetrySchedule {
    Objects.requireNonNull(initialTimeout, "initialTimeout");
    Objects.requireNonNull(maxTimeout, "maxTimeout");
    if (initialTimeout.isNegative() || initialTimeout.isZero()) {
      throw new IllegalArgumentException("initial timeout must be positive: " + initialTimeout);
    }
    if (maxTimeout.compareTo(initialTimeout) < 0) {
      throw new IllegalArgumentException("max timeout " + maxTimeout + " is below the initial "
          + initialTimeout);
    }
    if (maxTries < 1 || maxTries > 10) {
      throw new IllegalArgumentException("tries must be 1..10: " + maxTries);
    }
  }

  /** The draft's schedule: 5 s, 10 s, 20 s, 40 s, 80 s; 5 tries. */
  public static RetrySchedule draftDefault() {
    return new RetrySchedule(DRAFT_MIN_TIMEOUT, Duration.ofSeconds(80), DRAFT_MAX_TRIES);
  }

  /**
   * A schedule within the draft's guidance.
   *
   * @throws IllegalArgumentException if {@code initialTimeout} is under 5 s or {@code maxTries}
   *     above 5
   */
  public static RetrySchedule of(Duration initialTimeout, Duration maxTimeout, int maxTries) {
    RetrySchedule s = new RetrySchedule(initialTimeout, maxTimeout, maxTries);
    if (!s.withinDraftGuidance()) {
      throw new IllegalArgumentException("outside ddns §8 guidance (first timeout >= 5 s, at most "
          + "5 tries): " + s + "; use belowDraftGuidance for a test harness");
    }
    return s;
  }

  /**
   * A schedule that may wait less than 5 s or try more than 5 times: for test harnesses and
   * labs, not for talking to real parents.
   */
  public static RetrySchedule belowDraftGuidance(
      Duration initialTimeout, Duration maxTimeout, int maxTries) {
    return new RetrySchedule(initialTimeout, maxTimeout, maxTries);
  }

  /** Whether the first timeout is at least 5 s and there are at most 5 tries. */
  public boolean withinDraftGuidance() {
    return initialTimeout.compareTo(DRAFT_MIN_TIMEOUT) >= 0 && maxTries <= DRAFT_MAX_TRIES;
  }

  /**
   * This schedule, checked against the draft's guidance (the builders' {@code retrySchedule}).
   *
   * @throws IllegalArgumentException outside ddns §8 guidance
   */
  RetrySchedule requireWithinDraftGuidance() {
    if (!withinDraftGuidance()) {
      throw new IllegalArgumentException("retry schedule outside ddns §8 guidance: " + this
          + "; use retryScheduleBelowDraftGuidance for a test harness");
    }
    return this;
  }

  /** The timeout of try {@code k} (0-based): doubling from the initial, capped. */
  public Duration timeout(int k) {
    Duration d = initialTimeout.multipliedBy(1L << Math.min(Math.max(k, 0), 20));
    return d.compareTo(maxTimeout) > 0 ? maxTimeout : d;
  }
}
