package io.github.zonecut.keystate;

import java.time.Instant;
import java.util.Objects;

/**
 * How far a multi-round verification (the {@code unsigned} method) has got, persisted with the
 * key so that a restarted parent resumes instead of starting over (the reference implementation
 * kept this in goroutines and lost it).
 *
 * @param roundsDone rounds completed, at least 0
 * @param observation a digest of what the rounds so far saw, compared with the next round
 * @param nextRoundAt when the next round is due
 */
public record VerificationProgress(int roundsDone, String observation, Instant nextRoundAt) {

  /** Validates the fields. */
  public VerificationProgress {
    if (roundsDone < 0) {
      throw new IllegalArgumentException("roundsDone must not be negative: " + roundsDone);
    }
    Objects.requireNonNull(observation, "observation");
    Objects.requireNonNull(nextRoundAt, "nextRoundAt");
  }
}
