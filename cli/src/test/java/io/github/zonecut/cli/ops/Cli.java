package io.github.zonecut.cli.ops;

import io.github.zonecut.cli.Environment;
import io.github.zonecut.cli.Zonecut;
import io.github.zonecut.sig0.PrivateKeyAccess;
import io.github.zonecut.sig0.Sig0KeyFiles;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.testkit.TestHierarchy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code zonecut} in-process with captured output, pointed at a testkit hierarchy. */
final class Cli {
  private Cli() {}

  /** What one run printed and returned. */
  record Run(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  /** Runs {@code args} on {@code env}. */
  static Run run(Environment env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Zonecut.commandLine(env);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    Run run = new Run(code, out.toString(), err.toString());
    record(args, run);
    return run;
  }

  /**
   * Appends the run to {@code target/cli-transcripts.txt} (the README's CLI reference is taken
   * from it), the options that point at the testkit shortened to {@code $DNS}.
   */
  static synchronized void record(String[] args, Run run) {
    StringBuilder cmd = new StringBuilder("$ zonecut");
    boolean dns = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if ((a.equals("--resolver") || a.equals("--trust-anchor") || a.equals("--endpoint"))
          && i + 1 < args.length) {
        i++;
        if (!dns) {
          cmd.append(" $DNS");
          dns = true;
        }
        continue;
      }
      cmd.append(' ').append(a.contains(" ") ? "'" + a + "'" : a);
    }
    try {
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target", "cli-transcripts.txt"), cmd + "\n" + run.out()
              + run.err() + "[exit " + run.exit() + "]\n\n", java.nio.charset.StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The options that point every command at {@code h}: resolver, trust anchor, endpoints. */
  static List<String> pointAt(TestHierarchy h, Path dir) throws Exception {
    Path anchors = dir.resolve("anchors.txt");
    if (!Files.exists(anchors)) {
      Files.writeString(anchors, h.trustAnchorsText());
    }
    List<String> args = new ArrayList<>();
    args.add("--resolver");
    args.add(endpoint(h.recursive().dnsEndpoint().toString()));
    args.add("--trust-anchor");
    args.add(anchors.toString());
    h.nameservers().forEach((name, e) -> {
      args.add("--endpoint");
      args.add(name + "=" + endpoint(e.dnsEndpoint().toString()));
    });
    return args;
  }

  /** {@code DnsEndpoint.toString()} as ADDR:PORT. */
  static String endpoint(String text) {
    String t = text.startsWith("/") ? text.substring(1) : text;
    int slash = t.indexOf('/');
    return slash >= 0 ? t.substring(slash + 1) : t;
  }

  /** Writes BIND key files for {@code pair} into {@code dir}; returns KBASE. */
  static String keyFiles(Path dir, Sig0KeyPair pair) throws Exception {
    return Sig0KeyFiles.write(dir, pair, PrivateKeyAccess.exposingPrivateKeys()).toString();
  }

  /** {@code base} followed by {@code more}. */
  static String[] args(List<String> base, String... more) {
    List<String> all = new ArrayList<>(base);
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }
}
