package io.github.zonecut.dsync;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * A bounded, coalescing {@link ScanScheduler}: a (child, type) is queued once while it is pending,
 * however many NOTIFYs announce it (RFC 9859 §5: a notification only speeds up a check that
 * happens anyway, so repeats add nothing). The host {@link #poll() takes} requests and runs them
 * (e.g. with {@link ScanService}); once taken, a new NOTIFY queues the child again, since the
 * child may have changed after the check started. Thread-safe.
 */
public final class ScanQueue implements ScanScheduler {
  private final int capacity;
  private final LinkedHashSet<ScanRequest> pending = new LinkedHashSet<>();

  private ScanQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
  }

  /** A queue holding at most {@code capacity} pending requests (the rest are rejected). */
  public static ScanQueue withCapacity(int capacity) {
    return new ScanQueue(capacity);
  }

  @Override
  public synchronized Scheduling schedule(ScanRequest request) {
    if (pending.contains(request)) {
      return Scheduling.COALESCED;
    }
    if (pending.size() >= capacity) {
      return Scheduling.REJECTED;
    }
    pending.add(request);
    return Scheduling.SCHEDULED;
  }

  /** Takes the oldest pending request, if any. */
  public synchronized Optional<ScanRequest> poll() {
    if (pending.isEmpty()) {
      return Optional.empty();
    }
    ScanRequest first = pending.iterator().next();
    pending.remove(first);
    return Optional.of(first);
  }

  /** Takes every pending request, oldest first. */
  public synchronized List<ScanRequest> drain() {
    List<ScanRequest> out = new ArrayList<>(pending);
    pending.clear();
    return out;
  }

  /** How many requests are pending. */
  public synchronized int size() {
    return pending.size();
  }
}
