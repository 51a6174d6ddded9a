package io.github.zonecut.sig0;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A {@link Sig0ReplayStore} in this process's memory, bounded by a capacity.
 *
 * <p>Entries are filed in one bucket per expiry second, and a cursor walks the buckets as the
 * clock advances, so expiry costs O(1) amortised per entry and per second of elapsed time: no
 * insert sweeps the table. At capacity it reports {@link Insert#FULL} rather than forgetting a
 * live entry. An entry is never forgotten before its expiry, even when callers' clocks disagree.
 * Thread-safe.
 */
public final class InMemorySig0ReplayStore implements Sig0ReplayStore {
  private final int capacity;
  private final HashMap<ByteBuffer, Long> entries = new HashMap<>();
  private final HashMap<Long, List<ByteBuffer>> buckets = new HashMap<>();
  /** Every bucket with a key below the cursor has been purged. */
  private long cursor;
  private boolean started;

  private InMemorySig0ReplayStore(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
  }

  /** A store holding at most {@code capacity} entries. */
  public static InMemorySig0ReplayStore withCapacity(int capacity) {
    return new InMemorySig0ReplayStore(capacity);
  }

  /** The capacity. */
  public int capacity() {
    return capacity;
  }

  @Override
  public synchronized Insert insertIfAbsent(byte[] id, long expiresAt, long now) {
    purge(now);
    ByteBuffer key = ByteBuffer.wrap(id);
    Long until = entries.get(key);
    if (until != null && until >= now) {
      return Insert.PRESENT;
    }
    if (until == null && entries.size() >= capacity) {
      return Insert.FULL;
    }
    entries.put(key, expiresAt);
    // Filed no earlier than the cursor, so a caller whose clock runs behind cannot file an entry
    // where the cursor has already passed (it would never be purged).
    buckets.computeIfAbsent(Math.max(expiresAt, cursor), k -> new ArrayList<>(4)).add(key);
    return Insert.RECORDED;
  }

  @Override
  public synchronized long size() {
    return entries.size();
  }

  /** Drops the buckets of every second before {@code now}. */
  private void purge(long now) {
    if (!started) {
      started = true;
      cursor = now;
      return;
    }
    if (now <= cursor) {
      return;
    }
    if (now - cursor > buckets.size()) {
      // A long idle gap: fewer buckets than seconds to walk.
      for (Iterator<Map.Entry<Long, List<ByteBuffer>>> it = buckets.entrySet().iterator();
          it.hasNext(); ) {
        Map.Entry<Long, List<ByteBuffer>> b = it.next();
        if (b.getKey() < now) {
          forget(b.getValue(), now);
          it.remove();
        }
      }
    } else {
      for (long s = cursor; s < now; s++) {
        List<ByteBuffer> ids = buckets.remove(s);
        if (ids != null) {
          forget(ids, now);
        }
      }
    }
    cursor = now;
  }

  private void forget(List<ByteBuffer> ids, long now) {
    for (ByteBuffer id : ids) {
      Long until = entries.get(id);
      // The id may have been recorded again later (after it expired) with a later expiry.
      if (until != null && until < now) {
        entries.remove(id);
      }
    }
  }

  @Override
  public synchronized String toString() {
    return "InMemorySig0ReplayStore[" + entries.size() + "/" + capacity + "]";
  }
}
