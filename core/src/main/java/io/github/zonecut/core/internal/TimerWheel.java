package io.github.zonecut.core.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A hashed timing wheel for exchange deadlines: O(1) insert and removal, expiry at tick
 * granularity. Owned by one {@link EventLoop} thread; not thread-safe.
 */
final class TimerWheel {
  /** Deadlines fire at most one tick late. */
  static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private static final int SLOTS = 1024;
  private static final int MASK = SLOTS - 1;

  private final @Nullable Exchange[] heads = new Exchange[SLOTS];
  private final long originNanos;
  private long currentTick;
  private int size;

  TimerWheel(long nowNanos) {
    this.originNanos = nowNanos;
  }

  int size() {
    return size;
  }

  void add(Exchange e) {
    long tick = Math.max(ceilDiv(e.deadlineNanos - originNanos, TICK_NANOS), currentTick);
    e.wheelTick = tick;
    int slot = (int) (tick & MASK);
    Exchange head = heads[slot];
    e.wheelPrev = null;
    e.wheelNext = head;
    if (head != null) {
      head.wheelPrev = e;
    }
    heads[slot] = e;
    e.inWheel = true;
    size++;
  }

  void remove(Exchange e) {
    if (!e.inWheel) {
      return;
    }
    Exchange prev = e.wheelPrev;
    Exchange next = e.wheelNext;
    if (prev != null) {
      prev.wheelNext = next;
    } else {
      heads[(int) (e.wheelTick & MASK)] = next;
    }
    if (next != null) {
      next.wheelPrev = prev;
    }
    e.wheelPrev = null;
    e.wheelNext = null;
    e.inWheel = false;
    size--;
  }

  /** Removes and hands to {@code expired} every entry whose tick has passed at {@code nowNanos}. */
  void expire(long nowNanos, Consumer<Exchange> expired) {
    long target = Math.floorDiv(nowNanos - originNanos, TICK_NANOS);
    while (currentTick <= target && size > 0) {
      int slot = (int) (currentTick & MASK);
      Exchange e = heads[slot];
      while (e != null) {
        Exchange next = e.wheelNext;
        if (e.wheelTick <= currentTick) {
          remove(e);
          expired.accept(e);
          if (next != null && !next.inWheel) {
            // the callback finished other exchanges (a drained TCP queue): rescan the slot
            next = heads[slot];
          }
        }
        e = next;
      }
      currentTick++;
    }
    if (size == 0 && currentTick <= target) {
      currentTick = target + 1;
    }
  }

  /** Removes every entry, handing each to {@code sink}. */
  void drain(Consumer<Exchange> sink) {
    for (int slot = 0; slot < SLOTS; slot++) {
      Exchange e;
      while ((e = heads[slot]) != null) {
        // from the head each time: the sink may remove other entries
        remove(e);
        sink.accept(e);
      }
    }
  }

  private static long ceilDiv(long x, long y) {
    return -Math.floorDiv(-x, y);
  }
}
