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
 * verify, raw verify for a short slice each, first with every algorithm pinned to Bouncy Castle
 * and then (when ACCP loads) with the default selection {@link
 * io.github.zonecut.sig0.Sig0Config#defaults()}, which puts the algorithm on the Amazon Corretto
 * Crypto Provider (and, when given, {@code sig0tool bench} of miekg/dns right after), and the
 * report is the median of the per-round ratios with the interquartile range. ML-DSA-44
 * (experimental, 199) is reported without miekg/dns, which has no ML-DSA. JMH's absolute numbers
 * come from {@code Sig0Bench}.
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
    String[] algorithms = {"ED25519", "ECDSAP256SHA256", "RSASHA256", "ML-DSA-44"};
    boolean accp = io.github.zonecut.sig0.internal.Sig0Providers.accp() != null;
    System.out.println("SIG(0) providers: " + io.github.zonecut.sig0.Sig0Config.defaults().describe()
        + " (ACCP " + io.github.zonecut.sig0.Sig0Config.nativeProviderStatus() + ")");
    for (int a = 0; a < algorithms.length; a++) {
      Sig0Bench b = new Sig0Bench();
      b.algorithm = algorithms[a];
      b.provider = "BC";
      b.setUp();
      List<Callable<Object>> ops = new ArrayList<>(List.of(b::sign, b::rawSign, b::verify, b::rawVerify));
      if (accp) {
        Sig0Bench n = new Sig0Bench();
        n.algorithm = algorithms[a];
        n.provider = "DEFAULT_ON_ACCP";
        n.setUp();
        ops.addAll(List.of(n::sign, n::rawSign, n::verify, n::rawVerify));
      }
      for (Callable<Object> op : ops) {
        rate(op, 2_000_000_000L); // warm-up
      }
      int k0 = ops.size();
      double[][] r = new double[rounds][k0 + 2];
      for (int i = 0; i < rounds; i++) {
        for (int k = 0; k < k0; k++) {
          int j = (i % 2 == 0) ? k : k0 - 1 - k; // alternate the order against drift
          r[i][j] = rate(ops.get(j), SLICE_NANOS);
        }
        if (tool != null && args.length > 2 + a) {
          double[] go = miekg(tool, args[2 + a], algorithms[a].startsWith("RSA") ? 20 : 2000);
          r[i][k0] = go[0];
          r[i][k0 + 1] = go[1];
        }
      }
      report(algorithms[a], r, accp, tool != null && args.length > 2 + a);
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

  // Columns: BC zonecut sign, raw sign, zonecut verify, raw verify; then the same on ACCP; then
  // miekg/dns sign and verify.
  private static void report(String alg, double[][] r, boolean accp, boolean withGo) {
    int go = accp ? 8 : 4;
    System.out.printf(Locale.ROOT, "%-16s ops/s median: BC sign %.0f raw %.0f verify %.0f raw %.0f%n",
        alg, median(col(r, 0)), median(col(r, 1)), median(col(r, 2)), median(col(r, 3)));
    List<String> cols = new ArrayList<>(List.of(
        ratio("BC sign/raw", r, 0, 1), ratio("BC verify/raw", r, 2, 3)));
    if (accp) {
      System.out.printf(Locale.ROOT, "%-16s ops/s median: default(ACCP) sign %.0f raw %.0f verify %.0f raw %.0f%n",
          "", median(col(r, 4)), median(col(r, 5)), median(col(r, 6)), median(col(r, 7)));
      cols.add(ratio("default sign/raw", r, 4, 5));
      cols.add(ratio("default verify/raw", r, 6, 7));
      cols.add(ratio("sign default/BC", r, 4, 0));
      cols.add(ratio("verify default/BC", r, 6, 2));
    }
    if (withGo) {
      int s = accp ? 4 : 0;
      System.out.printf(Locale.ROOT, "%-16s miekg sign %.0f verify %.0f%n", "",
          median(col(r, go)), median(col(r, go + 1)));
      cols.add(ratio("sign/miekg", r, s, go));
      cols.add(ratio("verify/miekg", r, s + 2, go + 1));
    }
    for (String c : cols) {
      System.out.println("                 " + c);
    }
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
