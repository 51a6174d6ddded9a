package io.github.zonecut.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The loopback network of issue 16 scenario B, started from the module's own {@code
 * migration-net.sh} (independent of the shared {@link Testnet}: own ports, keys and servers):
 *
 * <table>
 *   <caption>servers and zones</caption>
 *   <tr><th>endpoint</th><th>server</th><th>role</th></tr>
 *   <tr><td>{@link #parent()} (base+10)</td><td>BIND named</td>
 *       <td>{@code test.}: dnssec-policy (one CSK), dynamic by TSIG {@link #tsig()}; its CSK's DS is
 *       the {@link #trustAnchor()}; delegates {@code ms.test.} and {@code neg.test.}</td></tr>
 *   <tr><td>{@link #signerA()} (base+20)</td><td>Knot knotd</td>
 *       <td>signer A: {@code ms.test.}, {@code neg.test.}; imported KSK+ZSK, {@code
 *       dnskey-management: incremental}, CDS/CDNSKEY only by UPDATE</td></tr>
 *   <tr><td>{@link #signerB()} (base+30)</td><td>BIND named</td>
 *       <td>signer B: {@code ms.test.}, {@code neg.test.}; dnssec-policy KSK+ZSK,
 *       update-policy</td></tr>
 *   <tr><td>{@link #resolver()} (base+53)</td><td>Unbound</td>
 *       <td>validating, its own cache (TTLs honoured, never flushed), stub-zones moved by
 *       {@link #stub(Name, List)}</td></tr>
 * </table>
 *
 * <p>The port base is {@value #DEFAULT_BASE} unless the system property {@value #PORT_BASE_PROPERTY}
 * or the environment variable {@value #PORT_BASE_ENV} says otherwise (not the shared testnet's
 * variable: both may run in one build).
 */
final class MigrationNet implements AutoCloseable {

  /** Debian packages the network needs. */
  static final String PACKAGES = "bind9 bind9-utils bind9-dnsutils knot knot-dnsutils unbound";

  /** Executables the script and the harness run. */
  static final String[] EXECUTABLES = {
    "bash", "named", "named-checkconf", "dnssec-keygen", "dnssec-dsfromkey", "tsig-keygen", "dig",
    "knotd", "knotc", "keymgr", "unbound", "unbound-checkconf", "unbound-control"
  };

  static final int DEFAULT_BASE = 5400;
  static final String PORT_BASE_PROPERTY = "zonecut.interop.migrationPortBase";
  static final String PORT_BASE_ENV = "ZONECUT_MIGRATION_PORT_BASE";

  private static final String SCRIPT = "migration-net.sh";
  private static final String OWNER_PID = "owner.pid";
  private static final String[] PID_FILES = {
    "tld/named.pid", "b/named.pid", "a/knot.pid", "res/unbound.pid"
  };

  private final Path dir;
  private final int base;
  private final Map<String, String> env;
  private final Thread shutdownHook;
  private boolean closed;

  private MigrationNet(Path dir, int base, Map<String, String> env) {
    this.dir = dir;
    this.base = base;
    this.env = Map.copyOf(env);
    this.shutdownHook = new Thread(() -> stopByPidFiles(dir), "migration-net-stop");
  }

  /** Skips (or, under CI, fails) unless every executable is on PATH. */
  static void requireTools() {
    Peers.requireExecutables(PACKAGES, EXECUTABLES);
  }

  /** The configured port base. */
  static int configuredBase() {
    String base = System.getProperty(PORT_BASE_PROPERTY);
    if (base == null || base.isBlank()) {
      base = System.getenv(PORT_BASE_ENV);
    }
    if (base == null || base.isBlank()) {
      return DEFAULT_BASE;
    }
    return Integer.parseInt(base.strip());
  }

  /**
   * Builds keys, zones and configurations in a fresh directory under {@code workDir} and starts the
   * four servers; leftovers of a killed earlier run are stopped first.
   */
  static MigrationNet start(Path workDir, int base) {
    requireTools();
    stopLeftovers(workDir);
    Peers.requireFreePort(base + 10, "named, test. (migration parent)");
    Peers.requireFreePort(base + 20, "knotd, signer A");
    Peers.requireFreePort(base + 30, "named, signer B");
    Peers.requireFreePort(base + 53, "unbound (migration)");
    try {
      Path dir = Files.createTempDirectory(workDir, "migration-");
      if (dir.resolve("net/res/unbound.ctl").toString().length() > 100) {
        Peers.deleteTree(dir); // a Unix socket path is limited to 107 bytes
        dir = Files.createTempDirectory("zonecut-migration-");
      }
      Files.writeString(dir.resolve(OWNER_PID), Long.toString(ProcessHandle.current().pid()));
      Path script = dir.resolve(SCRIPT);
      try (InputStream in = MigrationNet.class.getResourceAsStream(SCRIPT)) {
        if (in == null) {
          throw new IllegalStateException("resource " + SCRIPT + " missing next to " + MigrationNet.class);
        }
        Files.copy(in, script);
      }
      Path net = dir.resolve("net");
      ToolResult result = Peers.run(Duration.ofSeconds(90), dir,
          Map.of("MN_PORT_BASE", Integer.toString(base)),
          List.of("bash", script.toString(), "start", net.toString()));
      if (!result.succeeded()) {
        stopByPidFiles(net);
        throw new IllegalStateException("interop: migration net did not start (logs under " + net
            + "): " + result.describe());
      }
      MigrationNet m = new MigrationNet(net, base, Testnet.parseEnv(net.resolve("env.sh")));
      Runtime.getRuntime().addShutdownHook(m.shutdownHook);
      return m;
    } catch (IOException e) {
      throw new UncheckedIOException("interop: cannot prepare the migration directory", e);
    }
  }

  InetSocketAddress parent() {
    return loopback(base + 10);
  }

  InetSocketAddress signerA() {
    return loopback(base + 20);
  }

  InetSocketAddress signerB() {
    return loopback(base + 30);
  }

  InetSocketAddress resolver() {
    return loopback(base + 53);
  }

  Path dir() {
    return dir;
  }

  /** The DS of {@code test.}'s CSK: the only trust anchor of Unbound and of zonecut's lookups. */
  DSRecord trustAnchor() {
    return (DSRecord) Testnet.parseRecord(value("MN_TRUST_ANCHOR"), Type.DS);
  }

  String tsigName() {
    return value("MN_TSIG_NAME");
  }

  String tsigAlgorithm() {
    return value("MN_TSIG_ALGORITHM");
  }

  String tsigSecret() {
    return value("MN_TSIG_SECRET");
  }

  /** The TSIG key every server here accepts for UPDATE (a test secret). */
  TSIG tsig() {
    try {
      return new TSIG(Name.fromString(tsigAlgorithm() + "."), tsigName() + ".", tsigSecret());
    } catch (TextParseException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Points Unbound's stub-zone for {@code zone} at {@code servers} ({@code unbound-control
   * stub_add}): a delegation cannot carry a port, so the harness mirrors the parent's NS RRset
   * into the stub. Unbound's caches are left alone.
   */
  void stub(Name zone, List<InetSocketAddress> servers) {
    List<String> cmd = new ArrayList<>(List.of("unbound-control", "-c", value("MN_UNBOUND_CONF"),
        "stub_add", zone.toString()));
    for (InetSocketAddress s : servers) {
      cmd.add(s.getAddress().getHostAddress() + "@" + s.getPort());
    }
    Peers.run(Duration.ofSeconds(10), null, Map.of(), cmd).orThrow();
  }

  /**
   * Signer A stops serving {@code zone} (draft §5.4 step 6): the zone is removed from knotd's
   * configuration, after which knotd answers REFUSED for it.
   */
  void stopServingOnA(Name zone) {
    String conf = value("MN_KNOT_CONF");
    String z = zone.toString();
    Peers.run(Duration.ofSeconds(10), null, Map.of(), List.of("knotc", "-c", conf, "conf-begin")).orThrow();
    ToolResult unset = Peers.run(Duration.ofSeconds(10), null, Map.of(),
        List.of("knotc", "-c", conf, "conf-unset", "zone[" + z + "]"));
    if (!unset.succeeded()) {
      Peers.run(Duration.ofSeconds(10), null, Map.of(), List.of("knotc", "-c", conf, "conf-abort"));
      unset.orThrow();
    }
    Peers.run(Duration.ofSeconds(10), null, Map.of(), List.of("knotc", "-c", conf, "conf-commit")).orThrow();
  }

  /**
   * Whether knotd publishes CDS/CDNSKEY for its own KSK ({@code cds-cdnskey-publish: always} or
   * {@code none}). Knot 3.2 manages its own key's signals by policy: an UPDATE adding them is
   * dropped under {@code none}, an UPDATE removing them is ignored under {@code always}. Foreign
   * CDS/CDNSKEY added by UPDATE are kept either way ({@code dnskey-management: incremental}).
   */
  void knotPublishesOwnCds(boolean publish) {
    String conf = value("MN_KNOT_CONF");
    Peers.run(Duration.ofSeconds(10), null, Map.of(), List.of("knotc", "-c", conf, "conf-begin")).orThrow();
    ToolResult set = Peers.run(Duration.ofSeconds(10), null, Map.of(), List.of("knotc", "-c", conf,
        "conf-set", "policy[signer-a].cds-cdnskey-publish", publish ? "always" : "none"));
    if (!set.succeeded()) {
      Peers.run(Duration.ofSeconds(10), null, Map.of(), List.of("knotc", "-c", conf, "conf-abort"));
      set.orThrow();
    }
    Peers.run(Duration.ofSeconds(10), null, Map.of(), List.of("knotc", "-c", conf, "conf-commit")).orThrow();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down; the hook runs the same stop
    }
    stopByPidFiles(dir);
  }

  private static void stopByPidFiles(Path net) {
    List<Long> pids = new ArrayList<>();
    for (String f : PID_FILES) {
      Peers.readPid(net.resolve(f)).ifPresent(pids::add);
    }
    Peers.stopAll(pids, net.toString(), Duration.ofSeconds(10));
  }

  /** Stops servers of an earlier run whose JVM died, and removes earlier runs' directories. */
  private static void stopLeftovers(Path workDir) {
    try (var dirs = Files.list(workDir)) {
      dirs.filter(d -> d.getFileName().toString().startsWith("migration-"))
          .filter(Files::isDirectory)
          .filter(d -> Peers.readPid(d.resolve(OWNER_PID)).flatMap(ProcessHandle::of)
              .filter(ProcessHandle::isAlive).isEmpty())
          .forEach(d -> {
            stopByPidFiles(d.resolve("net"));
            Peers.deleteTree(d);
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String value(String key) {
    String v = env.get(key);
    if (v == null) {
      throw new IllegalStateException(key + " missing from " + dir.resolve("env.sh"));
    }
    return v;
  }

  private static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(Peers.LOOPBACK, port);
  }

  @Override
  public String toString() {
    return "MigrationNet[" + dir + ", base " + base + "]";
  }
}
