package io.github.zonecut.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import io.github.zonecut.dsync.Scanner;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.Name;

/**
 * One timed pass of a {@link Scanner} over the scan benchmarks' children: wall time, this JVM's
 * CPU time (all threads) over the pass, the outcomes and one example per error outcome.
 *
 * @param seconds wall-clock seconds of the pass
 * @param cpuSeconds CPU seconds this process used during the pass
 * @param systemCpuSeconds of which in the kernel (sockets, TCP set-up), from {@code /proc/self/stat}
 *     on Linux, else {@code NaN}
 * @param progress the scanner's final progress
 * @param outcomes children per outcome
 * @param examples one {@code child: detail} per error outcome
 */
record ScanPass(double seconds, double cpuSeconds, double systemCpuSeconds,
    Scanner.Progress progress,
    Map<String, Long> outcomes, Map<String, String> examples) {

  /** Runs {@code scanner} over {@code children} ({@code total} of them). */
  static ScanPass run(Scanner scanner, Iterator<Name> children, long total)
      throws IOException, InterruptedException {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Map<String, Long> outcomes = new ConcurrentHashMap<>();
    Map<String, String> examples = new ConcurrentHashMap<>();
    long cpu0 = os.getProcessCpuTime();
    double sys0 = kernelCpuSecondsSoFar();
    long t0 = System.nanoTime();
    Scanner.Progress p = scanner.run(children, total, r -> {
      outcomes.merge(r.outcome(), 1L, Long::sum);
      if (r.isError()) {
        examples.putIfAbsent(r.outcome(), r.child() + ": " + r.detail());
      }
    });
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
    double sys = kernelCpuSecondsSoFar() - sys0;
    return new ScanPass(seconds, cpu, sys, p, new TreeMap<>(outcomes), new TreeMap<>(examples));
  }

  /** Milliseconds of this JVM's kernel CPU per child ({@code NaN} off Linux). */
  double systemCpuMillisPerChild() {
    return systemCpuSeconds * 1000 / Math.max(1, progress.done());
  }

  /** This process's kernel-mode CPU seconds so far (field 15 of {@code /proc/self/stat}). */
  private static double kernelCpuSecondsSoFar() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // fields after the command name, which is in parentheses and may hold spaces
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[12]) / 100.0; // stime, in clock ticks (USER_HZ = 100 on Linux)
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Children per wall-clock second. */
  double perSecond() {
    return progress.done() / seconds;
  }

  /** Milliseconds of this JVM's CPU per child. */
  double cpuMillisPerChild() {
    return cpuSeconds * 1000 / Math.max(1, progress.done());
  }
}
