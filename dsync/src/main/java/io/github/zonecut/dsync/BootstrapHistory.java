package io.github.zonecut.dsync;

import io.github.zonecut.core.DsData;
import io.github.zonecut.core.Names;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.Name;

/**
 * The state of an accept-after-delay bootstrap (RFC 8078 §3.3): which DS set the child's
 * servers have consistently asked for, since when, and how many times it was seen. A small value
 * the host persists between scans and passes back; {@link AcceptanceChecks} returns the next one
 * in {@link Decision.Pending#history()}. A different candidate starts a new history.
 *
 * @param child the child
 * @param candidate the DS set asked for
 * @param firstSeen the first consistent observation
 * @param lastSeen the latest consistent observation
 * @param observations how many consistent observations, at least 1
 */
public record BootstrapHistory(Name child, Set<DsData> candidate, Instant firstSeen,
    Instant lastSeen, int observations) {

  /** Validates and copies. */
  public BootstrapHistory {
    Names.requireAbsolute("child", child);
    candidate = Set.copyOf(new TreeSet<>(candidate));
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastSeen, "lastSeen");
    if (lastSeen.isBefore(firstSeen)) {
      throw new IllegalArgumentException("lastSeen before firstSeen");
    }
    if (observations < 1) {
      throw new IllegalArgumentException("observations must be >= 1");
    }
  }

  /** The first observation of {@code candidate}. */
  public static BootstrapHistory first(Name child, Set<DsData> candidate, Instant at) {
    return new BootstrapHistory(child, candidate, at, at, 1);
  }

  /** This history with one more observation at {@code at} (of the same candidate). */
  public BootstrapHistory seenAgain(Instant at) {
    return new BootstrapHistory(child, candidate, firstSeen, at.isAfter(lastSeen) ? at : lastSeen,
        observations + 1);
  }
}
