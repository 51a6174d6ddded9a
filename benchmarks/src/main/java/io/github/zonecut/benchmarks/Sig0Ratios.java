package io.github.zonecut.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ratios behind {@link Sig0Bench}, measured interleaved so that a noisy, shared machine
 * affects both sides of each ratio alike: every round runs zonecut sign, raw sign, zonecut
 * verify, raw verify for a short slice each (and, when given, {@code sig0tool bench} of
 * miekg/dns right after), and the report is the median of the per-round ratios with the
 * interquartile range. JMH's absolute numbers come from {@code Sig0Bench}.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.github.zonecut.benchmarks.Sig0Ratios
 * [ROUNDS [SIG0TOOL ED25519_KBASE P256_KBASE RSA_KBASE]]}
 */
public final class Sig0Ratios {
  private static final long SLICE_NANOS = 200_000_000L;

  private Sig0Ratios() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    String tool = args.length > 1 ? args[1] : null;
    String[] algorithms = {"ED25519", "ECDSAP256SHA256", "RSASHA256"};
    for (int a = 0; a < algorithms.length; a++) {
      Sig0Bench b = new Sig0Bench();
      b.algorithm = algorithms[a];
      b.setUp();
      List<Callable<Object>> ops = List.of(b::sign, b::rawSign, b::verify, b::rawVerify);
      for (Callable<Object> op : ops) {
        rate(op, 2_000_000_000L); // warm-up
      }
      double[][] r = new double[rounds][6];
      for (int i = 0; i < rounds; i++) {
        for (int k = 0; k < 4; k++) {
          int j = (i % 2 == 0) ? k : 3 - k; // alternate the order against drift
          r[i][j] = rate(ops.get(j), SLICE_NANOS);
        }
        if (tool != null && args.length > 2 + a) {
          double[] go = miekg(tool, args[2 + a], algorithms[a].startsWith("RSA") ? 20 : 2000);
          r[i][4] = go[0];
          r[i][5] = go[1];
        }
      }
      report(algorithms[a], r, tool != null && args.length > 2 + a);
    }
  }

  /** With {@code -Dsig0.cpu=true}, rates are per CPU-second of this thread (robust to a loaded host). */
  private static final boolean CPU = Boolean.getBoolean("sig0.cpu");
  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private static long clock() {
    return CPU ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
  }

  private static double rate(Callable<Object> op, long nanos) throws Exception {
    long start = clock();
    long n = 0;
    long now;
    Object sink = null;
    do {
      sink = op.call();
      n++;
      now = clock();
    } while (now - start < nanos);
    if (sink == null) {
      throw new IllegalStateException("no result");
    }
    return n * 1e9 / (now - start);
  }

  private static final Pattern GO = Pattern.compile("sign (\\d+)/s verify (\\d+)/s");

  private static final Pattern TIMES = Pattern.compile("TIMES ([0-9.]+) ([0-9.]+) ([0-9.]+)");

  /**
   * miekg/dns sign and verify rates from {@code sig0tool bench} (wall clock, one goroutine). With
   * {@code sig0.cpu} they are scaled by the process's wall/CPU time ratio from {@code time}, so
   * both sides are per CPU-second.
   */
  private static double[] miekg(String tool, String kbase, int n) throws Exception {
    List<String> cmd = CPU
        ? List.of("bash", "-c", "TIMEFORMAT='TIMES %R %U %S'; time GOMAXPROCS=1 \"$0\" bench \"$1\" \"$2\"",
            tool, kbase, Integer.toString(n))
        : List.of(tool, "bench", kbase, Integer.toString(n));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        out.append(line).append('\n');
      }
    }
    p.waitFor();
    Matcher m = GO.matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("sig0tool bench said: " + out);
    }
    double scale = 1;
    Matcher t = TIMES.matcher(out);
    if (CPU && t.find()) {
      double cpu = Double.parseDouble(t.group(2)) + Double.parseDouble(t.group(3));
      scale = cpu > 0 ? Double.parseDouble(t.group(1)) / cpu : 1;
    }
    return new double[] {Double.parseDouble(m.group(1)) * scale, Double.parseDouble(m.group(2)) * scale};
  }

  private static void report(String alg, double[][] r, boolean withGo) {
    List<String> cols = new ArrayList<>(List.of(
        ratio("sign/raw", r, 0, 1), ratio("verify/raw", r, 2, 3)));
    if (withGo) {
      cols.add(ratio("sign/miekg", r, 0, 4));
      cols.add(ratio("verify/miekg", r, 2, 5));
    }
    System.out.printf(Locale.ROOT, "%-16s ops/s median: sign %.0f raw %.0f verify %.0f raw %.0f%s%n",
        alg, median(col(r, 0)), median(col(r, 1)), median(col(r, 2)), median(col(r, 3)),
        withGo ? String.format(Locale.ROOT, " miekg sign %.0f verify %.0f", median(col(r, 4)), median(col(r, 5))) : "");
    System.out.println("                 " + String.join("  ", cols));
  }

  private static String ratio(String name, double[][] r, int num, int den) {
    double[] q = new double[r.length];
    for (int i = 0; i < r.length; i++) {
      q[i] = r[i][num] / r[i][den];
    }
    Arrays.sort(q);
    return String.format(Locale.ROOT, "%s %.3f [IQR %.3f–%.3f]", name, median(q),
        q[q.length / 4], q[(3 * q.length) / 4]);
  }

  private static double[] col(double[][] r, int c) {
    double[] out = new double[r.length];
    for (int i = 0; i < r.length; i++) {
      out[i] = r[i][c];
    }
    return out;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
