package io.github.zonecut.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server on {@code 127.0.0.1} for JDBC tests (e.g. a JDBC store SPI
 * implementation): {@code initdb} into a fresh directory, {@code pg_ctl start} on a free port,
 * password authentication for one superuser, {@code pg_ctl stop -m fast} and the directory deleted
 * on {@link #close()}.
 *
 * <p>PostgreSQL refuses to run as root, so under root (CI) every server command runs as the {@code
 * postgres} system user ({@code runuser -u postgres --}) on a directory it owns under {@code
 * java.io.tmpdir} (a build directory under {@code /root} would not be reachable for that user).
 *
 * <p>Get it from {@link PostgresExtension}; use {@link #createDatabase(String)} for a fresh database
 * per test class.
 */
public final class Postgres implements AutoCloseable {

  /** Debian package. */
  public static final String PACKAGES = "postgresql";

  private static final String USER = "zonecut";
  private static final String SYSTEM_USER = "postgres";

  private final Path base;
  private final Path bin;
  private final int port;
  private final String password;
  private final boolean asRoot;
  private boolean closed;

  private Postgres(Path base, Path bin, int port, String password, boolean asRoot) {
    this.base = base;
    this.bin = bin;
    this.port = port;
    this.password = password;
    this.asRoot = asRoot;
  }

  /**
   * The directory with {@code initdb} and {@code pg_ctl}: from {@code PATH}, else the newest {@code
   * /usr/lib/postgresql/N/bin} (Debian keeps them off {@code PATH}).
   */
  static Optional<Path> binDir() {
    Optional<Path> onPath = Peers.which("initdb").map(Path::getParent);
    if (onPath.isPresent()) {
      return onPath;
    }
    Path lib = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(lib)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(lib)) {
      return versions
          .filter(v -> v.getFileName().toString().matches("\\d+"))
          .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Skips (or, under CI, fails) unless PostgreSQL's server binaries are installed. */
  public static void requireTools() {
    Peers.require(binDir().isPresent(),
        "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin",
        PACKAGES);
    if (runningAsRoot()) {
      Peers.requireExecutables("util-linux", "runuser");
    }
  }

  /** Initialises and starts a server. Takes one to two seconds. */
  public static Postgres start() {
    requireTools();
    Path bin = binDir().orElseThrow();
    boolean asRoot = runningAsRoot();
    Path base = null;
    try {
      base = Files.createTempDirectory("zonecut-pg-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      byte[] secret = new byte[18];
      new SecureRandom().nextBytes(secret);
      String password = HexFormat.of().formatHex(secret);
      Path pwfile = base.resolve("pw");
      Files.writeString(pwfile, password + "\n", StandardCharsets.US_ASCII);
      if (asRoot) {
        UserPrincipal owner = base.getFileSystem().getUserPrincipalLookupService()
            .lookupPrincipalByName(SYSTEM_USER);
        Files.setOwner(base, owner);
        Files.setOwner(pwfile, owner);
      }
      int port = Peers.freePort();
      Postgres pg = new Postgres(base, bin, port, password, asRoot);
      pg.server(Duration.ofSeconds(60), "initdb", "-D", base.resolve("data").toString(), "-U", USER,
          "--pwfile=" + pwfile, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync")
          .orThrow();
      Files.delete(pwfile);
      pg.server(Duration.ofSeconds(60), "pg_ctl", "-D", base.resolve("data").toString(),
          "-l", base.resolve("server.log").toString(), "-w", "-t", "30",
          "-o", "-p " + port + " -k " + base + " -c listen_addresses=127.0.0.1 -c fsync=off",
          "start").orThrow();
      return pg;
    } catch (IOException | RuntimeException e) {
      if (base != null) {
        Peers.deleteTree(base);
      }
      throw e instanceof IOException io
          ? new UncheckedIOException("interop: PostgreSQL did not start", io)
          : new IllegalStateException("interop: PostgreSQL did not start: " + e.getMessage(), e);
    }
  }

  private ToolResult server(Duration timeout, String tool, String... args) {
    List<String> cmd = new ArrayList<>();
    if (asRoot) {
      cmd.addAll(List.of("runuser", "-u", SYSTEM_USER, "--"));
    }
    cmd.add(bin.resolve(tool).toString());
    cmd.addAll(List.of(args));
    return Peers.run(timeout, base, Map.of(), cmd);
  }

  /** The JDBC URL of the {@code postgres} database. */
  public String jdbcUrl() {
    return jdbcUrl("postgres");
  }

  /** The JDBC URL of database {@code database} on this server. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** The superuser's name. */
  public String user() {
    return USER;
  }

  /** The superuser's password (random per run). */
  public String password() {
    return password;
  }

  /** The TCP port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** Opens a connection to {@code database} as the superuser. */
  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), USER, password);
  }

  /**
   * Creates an empty database and returns its JDBC URL.
   *
   * @param name a plain SQL identifier: letters, digits, underscores
   */
  public String createDatabase(String name) throws SQLException {
    if (!name.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("database name must match [a-z_][a-z0-9_]*: " + name);
    }
    try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    return jdbcUrl(name);
  }

  /** Stops the server (fast shutdown: open sessions are ended) and deletes its directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server(Duration.ofSeconds(60), "pg_ctl", "-D", base.resolve("data").toString(), "-m", "fast",
          "-w", "stop").orThrow();
    } finally {
      Peers.deleteTree(base);
    }
  }
}
