package io.github.zonecut.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap figures of the scan benchmarks: used heap after a GC when started, the peak sampled
 * every 20 ms while running (garbage included), and used heap after a GC when stopped.
 */
final class HeapSampler {
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final AtomicLong peak = new AtomicLong();
  private final Thread thread;
  private final long before;

  private HeapSampler(String name) {
    this.thread = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, name);
    thread.setDaemon(true);
    System.gc();
    this.before = memory.getHeapMemoryUsage().getUsed();
    thread.start();
  }

  /** Used heap (bytes) after a GC: what is live now. */
  static long usedAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Collects garbage, records the used heap and starts sampling on a daemon thread. */
  static HeapSampler start(String name) {
    return new HeapSampler(name);
  }

  /** Used heap (bytes) after the GC at start. */
  long before() {
    return before;
  }

  /** Stops sampling; returns the used heap (bytes) after a GC, what the run retained. */
  long stop() throws InterruptedException {
    thread.interrupt();
    thread.join();
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** The largest used heap (bytes) sampled. */
  long peak() {
    return peak.get();
  }
}
