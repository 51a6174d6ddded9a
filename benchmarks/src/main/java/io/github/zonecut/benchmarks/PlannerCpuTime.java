package io.github.zonecut.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * {@link PlannerBench}'s workloads measured in thread CPU time instead of wall-clock time, so the
 * figure survives a loaded machine: {@code java -cp benchmarks/target/benchmarks.jar
 * io.github.zonecut.benchmarks.PlannerCpuTime}. Prints plans and checked states per CPU-second.
 */
public final class PlannerCpuTime {
  private PlannerCpuTime() {}

  /** Runs three measured rounds per workload after a warm-up. */
  public static void main(String[] args) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Object sink = null;
    for (int signers : new int[] {2, 4}) {
      PlannerBench b = new PlannerBench();
      b.signers = signers;
      b.setup();
      for (int i = 0; i < 300_000; i++) {
        sink = b.plan();
      }
      for (int run = 1; run <= 3; run++) {
        long c0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < 300_000; i++) {
          sink = b.plan();
        }
        double s = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
        System.out.printf("plan  %d signers, run %d: %,.0f plans per CPU-second%n", signers, run, 300_000 / s);
      }
      for (int i = 0; i < 3_000; i++) {
        sink = b.check();
      }
      for (int run = 1; run <= 3; run++) {
        long c0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < 5_000; i++) {
          sink = b.check();
        }
        double s = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
        System.out.printf("check %d signers, run %d: %,.0f states per CPU-second%n", signers, run, 5_000 * 9 / s);
      }
    }
    if (sink == null) {
      throw new AssertionError();
    }
  }
}
