package io.github.zonecut.interop;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.opentest4j.TestAbortedException;

/**
 * Finding and running the real DNS software the interop tests talk to, and the one rule for when it
 * is missing: <b>skip</b> the test with a message naming the Debian package on a developer's machine,
 * <b>fail</b> it when the environment variable {@code CI=true} (CI installs every peer, see {@code
 * .ci/run}, so a missing tool there is a broken pipeline, not a reason to go green).
 *
 * <p>Everything runs on {@code 127.0.0.1} only; every external command is bounded by a timeout.
 */
public final class Peers {

  /** Loopback, the only address the harness uses. */
  public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  /** Debian packages the CI installs (for messages). */
  static final String CI_PACKAGES = "bind9 bind9-dnsutils knot knot-dnsutils unbound ldnsutils dnsperf"
      + " libnet-dns-sec-perl golang-go golang-github-miekg-dns-dev postgresql";

  private Peers() {}

  /** Whether this run is under CI ({@code CI=true}), where missing peers fail instead of skip. */
  public static boolean underCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * Finds an executable on {@code PATH}.
   *
   * @param executable a bare file name such as {@code named}
   * @return its path, or empty if no {@code PATH} directory holds an executable of that name
   */
  public static Optional<Path> which(String executable) {
    return which(executable, System.getenv("PATH"));
  }

  static Optional<Path> which(String executable, @Nullable String pathVariable) {
    if (pathVariable == null || pathVariable.isEmpty()) {
      return Optional.empty();
    }
    for (String dir : pathVariable.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, executable);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Requires executables on {@code PATH}: skips the calling test (or fails it under CI) naming the
   * first missing one and the Debian package(s) that provide it.
   *
   * @param debianPackages the packages to install, e.g. {@code "bind9 bind9-dnsutils"}
   * @param executables the executables that must all be present
   */
  public static void requireExecutables(String debianPackages, String... executables) {
    for (String executable : executables) {
      if (which(executable).isEmpty()) {
        unavailable("`" + executable + "` not found on PATH", debianPackages, underCi());
      }
    }
  }

  /**
   * Requires a condition about the installed peers (a library, a source tree), with the same
   * skip/fail rule as {@link #requireExecutables}.
   *
   * @param present whether the thing is there
   * @param what what is missing, for the message, e.g. {@code "Perl module Net::DNS::SEC not found"}
   * @param debianPackages the packages that provide it
   */
  public static void require(boolean present, String what, String debianPackages) {
    if (!present) {
      unavailable(what, debianPackages, underCi());
    }
  }

  /**
   * Skips (outside CI) or fails (under CI) the current test because a peer is missing.
   *
   * @throws TestAbortedException outside CI: JUnit reports the test or class as skipped
   * @throws AssertionError under CI: JUnit reports a failure
   */
  static void unavailable(String what, String debianPackages, boolean ci) {
    String install = "install " + debianPackages + " (apt-get install --no-install-recommends "
        + debianPackages + "; executables in /usr/sbin must be on PATH)";
    if (ci) {
      throw new AssertionError("interop: FAILED, " + what + " — CI=true requires the real peers; "
          + install + ". .ci/run installs: " + CI_PACKAGES);
    }
    throw new TestAbortedException("interop: skipped, " + what + " — " + install);
  }

  /**
   * Fails clearly if a loopback port is already taken (UDP or TCP), instead of letting a server
   * start half-way or, worse, letting a test talk to someone else's server.
   *
   * @throws IllegalStateException naming the port, the protocol and how to choose other ports
   */
  public static void requireFreePort(int port, String role) {
    String problem = null;
    try (ServerSocket tcp = new ServerSocket()) {
      tcp.bind(new InetSocketAddress(LOOPBACK, port));
    } catch (IOException e) {
      problem = "tcp";
    }
    if (problem == null) {
      try (DatagramSocket udp = new DatagramSocket(null)) {
        udp.bind(new InetSocketAddress(LOOPBACK, port));
      } catch (SocketException e) {
        problem = "udp";
      }
    }
    if (problem != null) {
      throw new IllegalStateException("interop: port " + port + "/" + problem + " on 127.0.0.1 ("
          + role + ") is already in use — another testnet (another test run or session) is running."
          + " Stop it, or move this run with -D" + TestnetPorts.PORT_BASE_PROPERTY
          + "=<base> or " + TestnetPorts.PORT_BASE_ENV + "=<base> (ports base+10, +20, +30, +40, +53).");
    }
  }

  /**
   * Picks a free loopback port for UDP and TCP (by binding port 0 and releasing it). There is a
   * short window in which another process could take it; only for peers that cannot bind port 0
   * themselves and report it.
   */
  public static int freePort() {
    for (int attempt = 0; attempt < 20; attempt++) {
      int port;
      try (ServerSocket tcp = new ServerSocket(0, 1, LOOPBACK)) {
        port = tcp.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, port))) {
        return udp.getLocalPort();
      } catch (SocketException e) {
        // taken for UDP: try another
      }
    }
    throw new IllegalStateException("no free loopback port found for UDP and TCP");
  }

  /**
   * The directory under which the harness keeps its state: {@code interop/target/interop}
   * (system property {@code zonecut.interop.work}, set by the module's surefire configuration).
   */
  public static Path workDir() {
    String configured = System.getProperty("zonecut.interop.work");
    Path dir = Path.of(configured != null ? configured : "target/interop").toAbsolutePath();
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the interop work directory " + dir, e);
    }
  }

  /**
   * Runs a command to completion, capturing its output, bounded by {@code timeout}.
   *
   * <p>Output goes through temporary files rather than pipes: the servers started by the testnet
   * script daemonize, and a daemon that inherits a pipe would keep a pipe reader waiting forever.
   *
   * @param timeout how long the command may run before it is killed
   * @param workingDir the working directory, or {@code null} for the JVM's
   * @param env extra environment variables
   * @param command the executable and its arguments
   * @throws IllegalStateException if the command cannot be started or times out
   */
  public static ToolResult run(
      Duration timeout, @Nullable Path workingDir, Map<String, String> env, List<String> command) {
    return run(timeout, workingDir, env, null, command);
  }

  /**
   * Like {@link #run(Duration, Path, Map, List)}, feeding {@code stdin} to the command.
   *
   * @param stdin text for the command's standard input, or {@code null} for none
   */
  public static ToolResult run(
      Duration timeout,
      @Nullable Path workingDir,
      Map<String, String> env,
      @Nullable String stdin,
      List<String> command) {
    Path out = null;
    Path err = null;
    Path in = null;
    try {
      out = Files.createTempFile("interop-out", ".txt");
      err = Files.createTempFile("interop-err", ".txt");
      ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command))
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      if (stdin != null) {
        in = Files.createTempFile("interop-in", ".txt");
        Files.writeString(in, stdin, StandardCharsets.UTF_8);
        pb.redirectInput(in.toFile());
      } else {
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      }
      if (workingDir != null) {
        pb.directory(workingDir.toFile());
      }
      pb.environment().putAll(env);
      Process process = pb.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IllegalStateException("`" + String.join(" ", command) + "` did not finish within "
            + timeout + "; killed. Output so far: " + Files.readString(out) + Files.readString(err));
      }
      return new ToolResult(command, process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run `" + String.join(" ", command) + "`: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    } finally {
      for (Path p : new Path[] {out, err, in}) {
        if (p != null) {
          try {
            Files.deleteIfExists(p);
          } catch (IOException ignored) {
            // a temp file left behind is harmless
          }
        }
      }
    }
  }

  /** Shorthand for {@link #run(Duration, Path, Map, List)} with 30 s, no directory, no extra env. */
  public static ToolResult run(String... command) {
    return run(Duration.ofSeconds(30), null, Map.of(), List.of(command));
  }

  /**
   * Stops processes by PID: SIGTERM to all of them first, then waits for each (servers take 1–2 s
   * to exit, so stopping them one after another would be slow), SIGKILL for any still running after
   * {@code grace}. A PID is only signalled if its command line contains {@code marker} (the
   * directory the harness started it from), so a recycled PID is never hit.
   */
  static void stopAll(List<Long> pids, String marker, Duration grace) {
    List<ProcessHandle> signalled = new ArrayList<>();
    for (long pid : pids) {
      ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(h -> h.info().commandLine().map(c -> c.contains(marker)).orElse(false))
          .ifPresent(h -> {
            h.destroy();
            signalled.add(h);
          });
    }
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle h : signalled) {
      try {
        long left = Math.max(1, deadline - System.nanoTime());
        h.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
  }

  /** The PID in a PID file (first token), if the file exists and holds one. */
  static Optional<Long> readPid(Path pidFile) {
    try {
      if (!Files.isRegularFile(pidFile)) {
        return Optional.empty();
      }
      String text = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
      String first = text.isEmpty() ? "" : text.split("\\s+")[0];
      return first.matches("\\d+") ? Optional.of(Long.parseLong(first)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Deletes a directory tree, best effort (leftovers in a temp or target directory are harmless). */
  static void deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort: a leftover under the temp directory is harmless
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
