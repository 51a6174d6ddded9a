package io.github.zonecut.cli.ops;

import io.github.zonecut.cli.CliException;
import io.github.zonecut.cli.ExitCode;
import io.github.zonecut.cli.Inputs;
import io.github.zonecut.cli.Session;
import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.dsync.AcceptancePolicy;
import io.github.zonecut.dsync.BackendException;
import io.github.zonecut.dsync.DelegationBackend;
import io.github.zonecut.dsync.InMemoryDelegationBackend;
import io.github.zonecut.dsync.JdbcDelegationBackend;
import io.github.zonecut.dsync.TsigDelegationBackend;
import io.github.zonecut.dsync.TsigKey;
import io.github.zonecut.keystate.InMemoryTrustStore;
import io.github.zonecut.keystate.JdbcTrustStore;
import io.github.zonecut.keystate.StoreException;
import io.github.zonecut.keystate.TrustStore;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The {@code --backend} and {@code --policy} values of {@code receiver serve} and {@code scan}:
 * where the registry's delegations live and which acceptance rules apply.
 */
final class Backends {
  private static final Pattern BIND_KEY = Pattern.compile(
      "key\\s+\"?([^\"\\s{]+)\"?\\s*\\{[^}]*?algorithm\\s+\"?([A-Za-z0-9.-]+)\"?\\s*;"
          + "[^}]*?secret\\s+\"([^\"]+)\"\\s*;[^}]*}",
      Pattern.DOTALL);

  private Backends() {}

  /** The {@code --backend} syntax, for messages and help. */
  static final String SYNTAX = "memory | jdbc:URL | tsig:KEYFILE@ADDR:PORT";

  /**
   * The backend {@code spec} names.
   *
   * @param zone the parent zone (the TSIG backend's zone)
   * @throws CliException (usage) for a malformed spec, an unknown JDBC driver, an unopenable
   *     database or a bad TSIG key file
   */
  static DelegationBackend open(String spec, Name zone, Session session) throws CliException {
    if (spec.equals("memory")) {
      return new InMemoryDelegationBackend();
    }
    if (spec.startsWith("jdbc:")) {
      return jdbc(spec, session);
    }
    if (spec.startsWith("tsig:")) {
      String rest = spec.substring("tsig:".length());
      int at = rest.lastIndexOf('@');
      if (at <= 0) {
        throw CliException.usage("bad --backend '" + spec + "': expected tsig:KEYFILE@ADDR:PORT");
      }
      TsigKey key = tsigKey(Path.of(rest.substring(0, at)));
      DnsEndpoint primary = Inputs.endpoint(rest.substring(at + 1), "--backend tsig primary");
      return TsigDelegationBackend.builder(session.transport(), primary, zone, key)
          .clock(session.clock()).build();
    }
    throw CliException.usage("bad --backend '" + spec + "': expected " + SYNTAX);
  }

  private static DelegationBackend jdbc(String url, Session session) throws CliException {
    DataSource source = dataSource(url, "--backend");
    try {
      return JdbcDelegationBackend.open(source, session.clock());
    } catch (BackendException e) {
      throw CliException.usage("bad --backend: cannot open " + redact(url) + ": "
          + Inputs.oneLine(e.getMessage()));
    }
  }

  /** What {@code --trust} accepts. */
  static final String TRUST_SYNTAX = "memory | jdbc:URL";

  /**
   * The trust store a {@code --trust} spec names: {@code memory} (lost on exit) or a database
   * through JDBC (keystate's {@link JdbcTrustStore}: keys, verification progress and the audit
   * trail survive a restart).
   *
   * @throws CliException (usage) for a malformed spec, an unknown driver or an unopenable database
   */
  static TrustStore trustStore(String spec) throws CliException {
    if (spec.equals("memory")) {
      return new InMemoryTrustStore();
    }
    if (!spec.startsWith("jdbc:")) {
      throw CliException.usage("bad --trust '" + redact(spec) + "': expected " + TRUST_SYNTAX);
    }
    DataSource source = dataSource(spec, "--trust");
    try {
      return JdbcTrustStore.open(source);
    } catch (StoreException e) {
      throw CliException.usage("bad --trust: cannot open " + redact(spec) + ": "
          + Inputs.oneLine(e.getMessage()));
    }
  }

  private static DataSource dataSource(String url, String option) throws CliException {
    try {
      return new UrlDataSource(DriverManager.getDriver(url), url);
    } catch (SQLException e) {
      throw CliException.usage("bad " + option + ": no JDBC driver for " + redact(url)
          + " (the CLI ships SQLite: jdbc:sqlite:FILE)");
    }
  }

  /** A JDBC URL without a password parameter (URLs may carry one). */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }

  /** A BIND {@code key "name" { algorithm …; secret "…"; };} file (tsig-keygen's output). */
  static TsigKey tsigKey(Path file) throws CliException {
    String text = new String(Inputs.readFile(file, "TSIG key file"), StandardCharsets.UTF_8);
    Matcher m = BIND_KEY.matcher(text);
    if (!m.find()) {
      throw CliException.usage("bad TSIG key file " + file
          + ": expected key \"NAME\" { algorithm ALG; secret \"BASE64\"; };");
    }
    try {
      return TsigKey.of(m.group(1), m.group(2).toLowerCase(Locale.ROOT), m.group(3));
    } catch (IllegalArgumentException e) {
      // TsigKey's messages never quote the secret
      throw CliException.usage("bad TSIG key file " + file + ": " + e.getMessage());
    }
  }

  /**
   * The delegations of a zone file (NS, DS and glue A/AAAA records), grouped by child: each NS
   * owner is a child.
   */
  static List<Delegation> delegations(Path file) throws CliException {
    byte[] bytes = Inputs.readFile(file, "delegations file");
    List<Record> records = new ArrayList<>();
    try (Master m = new Master(new java.io.ByteArrayInputStream(bytes), Name.root, 3600)) {
      for (Record r = m.nextRecord(); r != null; r = m.nextRecord()) {
        records.add(r);
        if (records.size() > 1_000_000) {
          throw CliException.usage("delegations file " + file + ": too many records");
        }
      }
    } catch (java.io.IOException e) {
      throw CliException.usage("bad delegations file " + file + ": "
          + Inputs.oneLine(e.getMessage()));
    }
    Map<Name, List<Record>> byChild = new LinkedHashMap<>();
    for (Record r : records) {
      if (r.getType() == org.xbill.DNS.Type.NS) {
        byChild.computeIfAbsent(r.getName(), k -> new ArrayList<>());
      }
    }
    for (Record r : records) {
      for (Name child : byChild.keySet()) {
        if (r.getName().subdomain(child)) {
          byChild.get(child).add(r);
        }
      }
    }
    List<Delegation> out = new ArrayList<>();
    for (Map.Entry<Name, List<Record>> e : byChild.entrySet()) {
      try {
        out.add(Delegation.fromRecords(e.getKey(), e.getValue()));
      } catch (IllegalArgumentException ex) {
        throw CliException.usage("bad delegation of " + e.getKey() + " in " + file + ": "
            + ex.getMessage());
      }
    }
    return out;
  }

  /** Puts {@code delegations} into {@code backend} (memory and JDBC backends only). */
  static void seed(DelegationBackend backend, List<Delegation> delegations) throws CliException {
    try {
      for (Delegation d : delegations) {
        if (backend instanceof InMemoryDelegationBackend m) {
          m.put(d);
        } else if (backend instanceof JdbcDelegationBackend j) {
          j.put(d);
        } else {
          throw CliException.usage("--delegations seeds the memory and jdbc backends only");
        }
      }
    } catch (BackendException e) {
      throw new CliException(ExitCode.USAGE, "cannot seed the backend: " + e.getMessage(), e);
    }
  }

  /** The {@code --policy} syntax. */
  static final String POLICIES = "default, cds-dsboot, cds-csync, cdnskey-delayed, cds-cdnskey";

  /** An acceptance policy by its CLI name. */
  static AcceptancePolicy policy(String name) throws CliException {
    return switch (name) {
      case "default" -> AcceptancePolicy.defaults();
      case "cds-dsboot" -> AcceptancePolicy.cdsWithDsboot();
      case "cds-csync" -> AcceptancePolicy.cdsWithCsync();
      case "cdnskey-delayed" -> AcceptancePolicy.cdnskeyWithDelayedBootstrap();
      case "cds-cdnskey" -> AcceptancePolicy.cdsAndCdnskeyConsistent();
      default -> throw CliException.usage("bad --policy '" + name + "': one of " + POLICIES);
    };
  }

  /** A data source over one driver and URL (no pool: the backends open few connections). */
  private static final class UrlDataSource implements DataSource {
    private final Driver driver;
    private final String url;

    UrlDataSource(Driver driver, String url) {
      this.driver = driver;
      this.url = url;
    }

    @Override
    public Connection getConnection() throws SQLException {
      Connection c = driver.connect(url, new java.util.Properties());
      if (c == null) {
        throw new SQLException("driver refused " + redact(url));
      }
      return c;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      java.util.Properties p = new java.util.Properties();
      p.setProperty("user", username);
      p.setProperty("password", password);
      Connection c = driver.connect(url, p);
      if (c == null) {
        throw new SQLException("driver refused " + redact(url));
      }
      return c;
    }

    @Override
    public @Nullable PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(@Nullable PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
