package io.github.zonecut.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * A private, DNSSEC-signed DNS hierarchy on {@code 127.0.0.1}, served by real software, started from
 * the module's own {@code testnet.sh} (adapted from the project's peer recipe):
 *
 * <table>
 *   <caption>servers and zones</caption>
 *   <tr><th>endpoint</th><th>server</th><th>zones</th></tr>
 *   <tr><td>{@link #tld()} (5310)</td><td>BIND named</td>
 *       <td>{@code test.}, offline-signed; its KSK's DS is the {@link #trustAnchor()}</td></tr>
 *   <tr><td>{@link #parent()} (5320)</td><td>Knot knotd</td>
 *       <td>{@code parent.test.}: signed, CDS/CDNSKEY, DSYNC records {@code CDS NOTIFY},
 *       {@code CSYNC NOTIFY}, {@code ANY 2} (UPDATE) to {@code ns1.parent.test.} at the parent's port,
 *       DDNS with the TSIG key {@link #tsig()}; delegates {@code child}, {@code new}, {@code bogus},
 *       {@code roll}, {@code knot}; also serves {@code knot.parent.test.} (keys made by knotd,
 *       CDS/CDNSKEY always published, KSK rolled with {@link #knotc})</td></tr>
 *   <tr><td>{@link #child()} (5330)</td><td>BIND named</td>
 *       <td>{@code child.parent.test.} (secure, KEY {@link #sig0Child()} at the apex),
 *       {@code new.parent.test.} (signed, no DS in the parent: insecure; KEY {@link #sig0New()}),
 *       {@code bogus.parent.test.} (wrong DS in the parent: bogus),
 *       {@code operator.test.} (signed; {@code _sig0key.{child}._signal.ns1.operator.test. KEY} for
 *       both children), {@code roll.parent.test.} (separate KSK and ZSK, DS in the parent, KSK
 *       rolled on demand with {@link #rndc}); {@code child} and {@code new} accept DDNS with
 *       {@link #tsig()}; control channel at the child port + 9</td></tr>
 *   <tr><td>{@link #knotChild()} (5340)</td><td>Knot knotd #2</td>
 *       <td>{@code kchild.parent.test.}: keys made and zone signed by knotd, CDS/CDNSKEY always
 *       published, DDNS with {@link #tsig()} ({@link #knsupdate}); delegated from {@code
 *       parent.test.} to {@code ns1.kchild.parent.test.} with glue and DS. A server of its own: on
 *       the parent's knotd a query for the child's NS would be answered from the child zone, so
 *       the parent's delegation (what CSYNC changes) could not be read there</td></tr>
 *   <tr><td>{@link #resolver()} (5353)</td><td>Unbound</td>
 *       <td>validating, trust anchor {@link #trustAnchor()}, one stub-zone per zone</td></tr>
 * </table>
 *
 * <p>Tests get it from {@link TestnetExtension}, which starts it once per test run (about 2–3 s) and
 * stops it at the end. It is shared by every test class: a test that changes a zone (a TSIG UPDATE)
 * must put it back, and should {@link #flush(String)} the resolver afterwards (Unbound caps cache
 * TTLs at 5 s positive, 1 s negative).
 */
public final class Testnet implements AutoCloseable {

  /** Debian packages the testnet needs. */
  public static final String PACKAGES = "bind9 bind9-utils bind9-dnsutils knot knot-dnsutils unbound";

  /** Executables the script runs. */
  static final String[] EXECUTABLES = {
    "bash", "named", "named-checkconf", "dnssec-keygen", "dnssec-signzone", "dnssec-dsfromkey",
    "tsig-keygen", "rndc", "nsupdate", "dig", "knotd", "knotc", "keymgr", "knsupdate", "unbound",
    "unbound-checkconf", "unbound-control"
  };

  private static final String SCRIPT = "testnet.sh";
  private static final String CONTROL_SOCKET = "net/res/unbound.ctl";
  private static final int MAX_SOCKET_PATH = 100;
  /** The JVM that started a testnet directory; its servers are left alone while it lives. */
  private static final String OWNER_PID = "owner.pid";
  private static final String[] PID_FILES = {
    "tld/named.pid", "child/named.pid", "parent/knot.pid", "kchild/knot.pid", "res/unbound.pid"
  };

  private final Path dir;
  private final TestnetPorts ports;
  private final Map<String, String> env;
  private final Thread shutdownHook;
  private boolean closed;

  private Testnet(Path dir, TestnetPorts ports, Map<String, String> env) {
    this.dir = dir;
    this.ports = ports;
    this.env = Map.copyOf(env);
    this.shutdownHook = new Thread(this::stopServers, "interop-testnet-stop");
  }

  /** Skips (or, under CI, fails) the calling test unless every executable the testnet runs is on PATH. */
  public static void requireTools() {
    Peers.requireExecutables(PACKAGES, EXECUTABLES);
  }

  /**
   * Builds keys, zones and configurations in a fresh directory under {@code workDir} and starts the
   * five servers. Any servers left running by an earlier, killed test run are stopped first.
   *
   * @throws IllegalStateException if a port is taken or a server does not come up (the message
   *     carries the script's output; the servers it started are stopped again)
   */
  public static Testnet start(Path workDir, TestnetPorts ports) {
    requireTools();
    stopLeftovers(workDir);
    Peers.requireFreePort(ports.tld(), "named, test.");
    Peers.requireFreePort(ports.parent(), "knotd, parent.test.");
    Peers.requireFreePort(ports.child(), "named, child zones");
    Peers.requireFreePort(ports.knotChild(), "knotd #2, kchild.parent.test.");
    Peers.requireFreePort(ports.resolver(), "unbound");
    Peers.requireFreePort(ports.child() + 9, "named control channel (rndc)");
    try {
      Path dir = Files.createTempDirectory(workDir, "testnet-");
      if (dir.resolve(CONTROL_SOCKET).toString().length() > MAX_SOCKET_PATH) {
        // a Unix socket path is limited to 107 bytes; a deep checkout would break unbound-control
        Peers.deleteTree(dir);
        dir = Files.createTempDirectory("zonecut-testnet-");
      }
      Files.writeString(dir.resolve(OWNER_PID), Long.toString(ProcessHandle.current().pid()));
      Path script = dir.resolve(SCRIPT);
      try (InputStream in = Testnet.class.getResourceAsStream(SCRIPT)) {
        if (in == null) {
          throw new IllegalStateException("resource " + SCRIPT + " missing next to " + Testnet.class);
        }
        Files.copy(in, script);
      }
      Path net = dir.resolve("net");
      ToolResult result = Peers.run(Duration.ofSeconds(90), dir,
          Map.of("TN_PORT_TLD", Integer.toString(ports.tld()),
              "TN_PORT_PARENT", Integer.toString(ports.parent()),
              "TN_PORT_CHILD", Integer.toString(ports.child()),
              "TN_PORT_KCHILD", Integer.toString(ports.knotChild()),
              "TN_PORT_RESOLVER", Integer.toString(ports.resolver())),
          List.of("bash", script.toString(), "start", net.toString()));
      if (!result.succeeded()) {
        stopByPidFiles(net);
        throw new IllegalStateException("interop: testnet did not start (logs under " + net + "): "
            + result.describe());
      }
      Testnet testnet = new Testnet(net, ports, parseEnv(net.resolve("env.sh")));
      Runtime.getRuntime().addShutdownHook(testnet.shutdownHook);
      return testnet;
    } catch (IOException e) {
      throw new UncheckedIOException("interop: cannot prepare the testnet directory", e);
    }
  }

  /** The validating resolver (Unbound). Query it with RD=1: with RD=0 it answers from cache only. */
  public InetSocketAddress resolver() {
    return loopback(ports.resolver());
  }

  /** The authoritative server for {@code test.} (named). */
  public InetSocketAddress tld() {
    return loopback(ports.tld());
  }

  /** The authoritative server for {@code parent.test.} (knotd), which takes TSIG UPDATEs. */
  public InetSocketAddress parent() {
    return loopback(ports.parent());
  }

  /** The authoritative server for the child zones and {@code operator.test.} (named). */
  public InetSocketAddress child() {
    return loopback(ports.child());
  }

  /**
   * The authoritative server for the Knot child {@code kchild.parent.test.} (knotd #2), which
   * takes TSIG UPDATEs ({@link #knsupdate}).
   */
  public InetSocketAddress knotChild() {
    return loopback(ports.knotChild());
  }

  /** The ports in use. */
  public TestnetPorts ports() {
    return ports;
  }

  /** The directory holding keys, zones, configurations and server logs of this run. */
  public Path dir() {
    return dir;
  }

  /**
   * The trust anchor: the SHA-256 DS record of {@code test.}'s KSK in presentation form, e.g. {@code
   * test. IN DS 29047 13 2 657D…}.
   */
  public String trustAnchor() {
    return value("TN_TRUST_ANCHOR");
  }

  /**
   * The {@link #trustAnchor()} as a dnsjava record (TTL 3600), for a validator's trust anchors.
   */
  public DSRecord trustAnchorRecord() {
    return (DSRecord) parseRecord(trustAnchor(), Type.DS);
  }

  /** The KSK of {@code test.} as a dnsjava record (TTL 3600). */
  public DNSKEYRecord trustAnchorDnskeyRecord() {
    return (DNSKEYRecord) parseRecord(trustAnchorDnskey(), Type.DNSKEY);
  }

  /** Parses {@code "owner IN TYPE rdata…"} (the form dnssec-dsfromkey and .key files use). */
  static Record parseRecord(String line, int type) {
    String[] f = line.strip().split("\\s+", 4);
    if (f.length != 4 || !f[1].equals("IN") || Type.value(f[2]) != type) {
      throw new IllegalStateException("not an IN " + Type.string(type) + " record: " + line);
    }
    try {
      return Record.fromString(Name.fromString(f[0]), type, DClass.IN, 3600, f[3], Name.root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot parse " + line, e);
    }
  }

  /** The KSK of {@code test.} as a DNSKEY record in presentation form (for validators that need it). */
  public String trustAnchorDnskey() {
    return value("TN_TRUST_ANCHOR_DNSKEY");
  }

  /** The TSIG key name ({@code upd}). */
  public String tsigName() {
    return value("TN_TSIG_NAME");
  }

  /** The TSIG algorithm ({@code hmac-sha256}). */
  public String tsigAlgorithm() {
    return value("TN_TSIG_ALGORITHM");
  }

  /** The TSIG secret, base64. A test secret: never reuse such handling for real secrets. */
  public String tsigSecret() {
    return value("TN_TSIG_SECRET");
  }

  /** The TSIG key as {@code nsupdate -y} / {@code dig -y} take it: {@code hmac-sha256:upd:SECRET}. */
  public String tsigSpec() {
    return value("TN_TSIG");
  }

  /** The TSIG key for dnsjava, accepted by knotd for {@code parent.test.} and named for the children. */
  public TSIG tsig() {
    try {
      return new TSIG(Name.fromString(tsigAlgorithm() + "."), tsigName() + ".", tsigSecret());
    } catch (TextParseException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The SIG(0) key of {@code child.parent.test.}: ED25519, published at the apex and as a signal. */
  public BindKeyFiles sig0Child() {
    return new BindKeyFiles(Path.of(value("TN_SIG0_CHILD")));
  }

  /** The SIG(0) key of {@code new.parent.test.}: at the (insecure) apex and as a (secure) signal. */
  public BindKeyFiles sig0New() {
    return new BindKeyFiles(Path.of(value("TN_SIG0_NEW")));
  }

  /**
   * The KSK {@code roll.parent.test.} started with (BIND dnssec-policy "roll", separate KSK and
   * ZSK, DS in Knot). {@link RegistryParentScenarioTest} rolls it through {@link #rndc}: other
   * tests must not assume this key is still in use.
   */
  public BindKeyFiles rollKsk() {
    return new BindKeyFiles(Path.of(value("TN_ROLL_KSK")));
  }

  /**
   * Runs {@code rndc} against the named serving the children, e.g. {@code rndc("dnssec",
   * "-rollover", "-key", "12345", "roll.parent.test.")}.
   */
  public ToolResult rndc(String... args) {
    List<String> command = new ArrayList<>(List.of(value("TN_RNDC").split(" ")));
    command.addAll(List.of(args));
    return Peers.run(Duration.ofSeconds(20), null, Map.of(), command).orThrow();
  }

  /**
   * Waits (at most 30 s) until the named serving the children has logged publishing the CDS of
   * its own key for {@code zone} (dnssec-policy does it once, some seconds after start). A test
   * that edits a child's CDS/CDNSKEY waits for this first, so BIND does not add its own CDS in
   * the middle; an earlier test may have deleted the RRset since, and BIND 9.18 leaves it so.
   */
  public void awaitBindCdsPublished(String zone) throws InterruptedException {
    Path log = dir.resolve("child/named.log");
    String line = "CDS for key " + (zone.endsWith(".") ? zone.substring(0, zone.length() - 1)
        : zone) + "/";
    for (int i = 0; i < 150; i++) {
      try {
        if (Files.readString(log, StandardCharsets.UTF_8).contains(line)) {
          return;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("named did not publish the CDS of " + zone + " (" + log + ")");
  }

  /**
   * Runs {@code knotc} against the knotd serving {@code parent.test.} and {@code
   * knot.parent.test.}, e.g. {@code knotc("zone-key-rollover", "knot.parent.test.", "ksk")}.
   */
  public ToolResult knotc(String... args) {
    List<String> command = new ArrayList<>(List.of(value("TN_KNOTC").split(" ")));
    command.addAll(List.of(args));
    return Peers.run(Duration.ofSeconds(20), null, Map.of(), command).orThrow();
  }

  /**
   * Runs Knot's {@code knsupdate -y TSIG} with {@code commands} (one per line, e.g. {@code "update
   * add ns2.kchild.parent.test. 5 A 127.0.0.1"}) for {@code zone} on {@code server}, then {@code
   * send}; fails unless the server answers NOERROR.
   */
  public ToolResult knsupdate(InetSocketAddress server, String zone, String commands) {
    String script = "server " + server.getAddress().getHostAddress() + " " + server.getPort() + "\n"
        + "zone " + zone + "\n" + commands + (commands.endsWith("\n") ? "" : "\n") + "send\n";
    try {
      Path file = Files.createTempFile(dir, "knsupdate-", ".txt");
      try {
        Files.writeString(file, script, StandardCharsets.UTF_8);
        return Peers.run(Duration.ofSeconds(20), null, Map.of(),
            List.of("knsupdate", "-y", tsigSpec(), file.toString())).orThrow();
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Removes {@code zone} and everything below it from Unbound's caches ({@code unbound-control
   * flush_zone}), including validation state: after a test changes a delegation or DS, the next
   * lookup is resolved and validated afresh.
   */
  public void flush(String zone) {
    Peers.run(Duration.ofSeconds(10), null, Map.of(),
        List.of("unbound-control", "-c", value("TN_UNBOUND_CONF"), "flush_zone", zone)).orThrow();
    Peers.run(Duration.ofSeconds(10), null, Map.of(),
        List.of("unbound-control", "-c", value("TN_UNBOUND_CONF"), "flush_bogus")).orThrow();
  }

  /**
   * Runs {@code dig} against the resolver ({@code dig @127.0.0.1 -p PORT args…}), e.g. {@code
   * dig("+short", "_dsync.parent.test.", "DSYNC")}.
   */
  public ToolResult dig(String... args) {
    List<String> command = new ArrayList<>(List.of("dig", "@" + resolver().getAddress().getHostAddress(),
        "-p", Integer.toString(resolver().getPort()), "+time=2", "+tries=2"));
    command.addAll(List.of(args));
    return Peers.run(Duration.ofSeconds(20), null, Map.of(), command).orThrow();
  }

  /**
   * Asks the validating resolver with RD and DO set (plain dnsjava, no zonecut code): the answer's
   * AD flag says whether Unbound validated it.
   */
  public Message query(String name, int type) {
    return query(resolver(), name, type, true);
  }

  /**
   * Sends one query with DO set to {@code server} (UDP, falling back to TCP on truncation).
   *
   * @param recursionDesired RD; the authoritative servers want {@code false}, Unbound {@code true}
   */
  public static Message query(InetSocketAddress server, String name, int type, boolean recursionDesired) {
    try {
      SimpleResolver resolver = new SimpleResolver(server);
      resolver.setTimeout(Duration.ofSeconds(3));
      resolver.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
      Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
      if (!recursionDesired) {
        query.getHeader().unsetFlag(Flags.RD);
      }
      return resolver.send(query);
    } catch (IOException e) {
      throw new UncheckedIOException("query " + name + "/" + type + " to " + server + " failed", e);
    }
  }

  /**
   * The SHA-256 DS records (TTL 60) of a child zone served by {@link #child()}, made from its
   * DNSKEYs with the SEP flag: what a parent would publish for {@code new.parent.test.} to make it
   * secure, or compare with what {@code child.parent.test.} has in the parent.
   */
  public List<DSRecord> childDs(String zone) {
    Message m = query(child(), zone, Type.DNSKEY, false);
    return m.getSection(Section.ANSWER).stream()
        .filter(r -> r instanceof DNSKEYRecord k && (k.getFlags() & DNSKEYRecord.Flags.SEP_KEY) != 0)
        .map(k -> new DSRecord(k.getName(), DClass.IN, 60, DNSSEC.Digest.SHA256, (DNSKEYRecord) k))
        .toList();
  }

  /**
   * Sends a DNS UPDATE signed with {@link #tsig()} over TCP, e.g. to {@link #parent()} (knotd,
   * {@code parent.test.}) or {@link #child()} (named, {@code child.parent.test.} and {@code
   * new.parent.test.}), and checks the response's TSIG.
   *
   * @return the response; its rcode says whether the server applied the update
   * @throws IllegalStateException if the response is not TSIG-verified
   */
  public Message update(InetSocketAddress server, Update update) {
    try {
      SimpleResolver resolver = new SimpleResolver(server);
      resolver.setTCP(true);
      resolver.setTimeout(Duration.ofSeconds(5));
      resolver.setTSIGKey(tsig());
      Message response = resolver.send(update);
      if (!response.isVerified()) {
        throw new IllegalStateException("UPDATE response from " + server + " not TSIG-verified: "
            + response);
      }
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException("UPDATE to " + server + " failed", e);
    }
  }

  /** Stops every server (SIGTERM to all, then waits; see {@link Peers}). Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down; the hook runs (or ran) the same stop
    }
    stopServers();
  }

  private void stopServers() {
    stopByPidFiles(dir);
  }

  private static void stopByPidFiles(Path net) {
    List<Long> pids = new ArrayList<>();
    for (String f : PID_FILES) {
      Peers.readPid(net.resolve(f)).ifPresent(pids::add);
    }
    Peers.stopAll(pids, net.toString(), Duration.ofSeconds(10));
  }

  /**
   * Stops servers of an earlier run whose JVM was killed before it could stop them (by their PID
   * files), and removes earlier runs' directories: only the last run's is kept for inspection. A
   * directory whose owning JVM still runs (a concurrent build in the same tree) is left alone.
   */
  static void stopLeftovers(Path workDir) {
    try (Stream<Path> dirs = Files.list(workDir)) {
      dirs.filter(d -> d.getFileName().toString().startsWith("testnet-"))
          .filter(d -> Peers.readPid(d.resolve(OWNER_PID))
              .flatMap(ProcessHandle::of)
              .filter(ProcessHandle::isAlive)
              .isEmpty())
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

  /** Reads the script's {@code env.sh}: {@code KEY=VALUE} lines, values optionally double-quoted. */
  static Map<String, String> parseEnv(Path envFile) throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String line : Files.readAllLines(envFile, StandardCharsets.UTF_8)) {
      int eq = line.indexOf('=');
      if (line.isBlank() || line.startsWith("#") || eq < 1) {
        continue;
      }
      String value = line.substring(eq + 1);
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      env.put(line.substring(0, eq), value);
    }
    return env;
  }

  @Override
  public String toString() {
    return "Testnet[" + dir + ", " + ports + "]";
  }
}
