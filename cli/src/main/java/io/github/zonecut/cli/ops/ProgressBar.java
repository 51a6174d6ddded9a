package io.github.zonecut.cli.ops;

import io.github.zonecut.dsync.Scanner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The scan's progress on a terminal, one line redrawn in place: a bar, done/total, the rate, the
 * errors and the time left. Redrawn at most four times a second.
 */
final class ProgressBar {
  private static final int WIDTH = 30;
  private static final Duration EVERY = Duration.ofMillis(250);

  private final Clock clock;
  private Instant last = Instant.MIN;

  ProgressBar(Clock clock) {
    this.clock = clock;
  }

  /** The line to draw now, or empty when the last one is recent. */
  synchronized Optional<String> update(Scanner.Progress p) {
    Instant now = clock.instant();
    if (Duration.between(last, now).compareTo(EVERY) < 0 && p.done() != p.total()) {
      return Optional.empty();
    }
    last = now;
    return Optional.of(render(p));
  }

  /** The progress as one line. */
  static String render(Scanner.Progress p) {
    long errors = p.errorsByKind().values().stream().mapToLong(Long::longValue).sum();
    StringBuilder sb = new StringBuilder();
    if (p.total() > 0) {
      int filled = (int) Math.min(WIDTH, p.done() * WIDTH / p.total());
      sb.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
      sb.append(p.done()).append('/').append(p.total());
    } else {
      sb.append(p.done()).append(" done");
    }
    sb.append(String.format(" %.1f/s, %d error%s", p.perSecond(), errors,
        errors == 1 ? "" : "s"));
    if (p.total() > 0 && p.perSecond() > 0 && p.done() < p.total()) {
      long left = (long) Math.ceil((p.total() - p.done()) / p.perSecond());
      sb.append(", ETA ").append(eta(left));
    } else if (p.total() > 0 && p.done() >= p.total()) {
      sb.append(", done");
    }
    return sb.toString();
  }

  private static String eta(long seconds) {
    if (seconds >= 3600) {
      return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
    return String.format("%dm%02ds", seconds / 60, seconds % 60);
  }
}
