package io.github.zonecut.dsync;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DsData;
import java.net.InetAddress;
import java.net.UnknownHostException;
import io.github.zonecut.keystate.internal.JdbcMigrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * A {@link DelegationBackend} over a relational database through plain {@code java.sql}: the
 * parent's delegation data (NS, glue, DS and their TTLs) in tables, and every applied change id in
 * {@code zonecut_dsync_applied}, so a change survives a restart and is applied once.
 *
 * <p>SQLite (embedded, one file) is the default deployment and PostgreSQL is supported with the
 * same SQL; the host brings the JDBC driver ({@code org.xerial:sqlite-jdbc} or {@code
 * org.postgresql:postgresql}) and hands over a {@link DataSource}. {@link #open(DataSource)}
 * creates or migrates the schema (numbered migrations in {@code zonecut_dsync_schema}, as keystate's
 * {@code JdbcTrustStore} does).
 *
 * <p>Each {@link #apply} is one transaction (draft-ietf-dnsop-delegation-mgmt-via-ddns §5: the
 * parent answers NOERROR only once the change is applied): its first statement bumps the child's
 * row version, which takes the write lock (SQLite) or the row lock (PostgreSQL) before anything is
 * read, so two concurrent changes of the same child serialise and the second sees the first's
 * result. Inside it: a change id already recorded is {@link ApplyResult.AlreadyApplied}; a stored
 * delegation other than {@link DelegationChange#expected()} (TTLs included) is a {@link
 * ApplyResult.Conflict}; otherwise the child's rows are replaced by {@link
 * DelegationChange#desired()} and the change id recorded. A crash before commit leaves nothing
 * (the database rolls back), and re-applying the change afterwards applies it.
 *
 * <p>Names are stored in canonical (lower-case) form, addresses and digests as hex octets.
 */
public final class JdbcDelegationBackend implements DelegationBackend {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcDelegationBackend.class);

  /** The migrations, in order; index + 1 is the schema version. Never edit one; append. */
  private static final List<List<String>> MIGRATIONS = List.of(List.of(
      "CREATE TABLE zonecut_dsync_delegation ("
          + " child VARCHAR(255) NOT NULL PRIMARY KEY, ns_ttl BIGINT NOT NULL,"
          + " ds_ttl BIGINT NOT NULL, glue_ttl BIGINT NOT NULL, row_version BIGINT NOT NULL)",
      "CREATE TABLE zonecut_dsync_ns ("
          + " child VARCHAR(255) NOT NULL, host VARCHAR(255) NOT NULL,"
          + " PRIMARY KEY (child, host))",
      "CREATE TABLE zonecut_dsync_glue ("
          + " child VARCHAR(255) NOT NULL, host VARCHAR(255) NOT NULL,"
          + " address VARCHAR(32) NOT NULL, PRIMARY KEY (child, host, address))",
      "CREATE TABLE zonecut_dsync_ds ("
          + " child VARCHAR(255) NOT NULL, key_tag INTEGER NOT NULL, algorithm INTEGER NOT NULL,"
          + " digest_type INTEGER NOT NULL, digest VARCHAR(512) NOT NULL,"
          + " PRIMARY KEY (child, key_tag, algorithm, digest_type, digest))",
      "CREATE TABLE zonecut_dsync_applied ("
          + " change_id VARCHAR(255) NOT NULL PRIMARY KEY, child VARCHAR(255) NOT NULL,"
          + " source VARCHAR(16) NOT NULL, decided_ms BIGINT NOT NULL,"
          + " applied_ms BIGINT NOT NULL)"));

  private static final HexFormat HEX = HexFormat.of();

  private final DataSource dataSource;
  private final Clock clock;

  private JdbcDelegationBackend(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  /**
   * Opens the backend with the system UTC clock (used only to stamp applied changes).
   *
   * @throws BackendException when the database cannot be reached or migrated, or its schema is
   *     newer than this version of zonecut knows
   */
  public static JdbcDelegationBackend open(DataSource dataSource) throws BackendException {
    return open(dataSource, Clock.systemUTC());
  }

  /**
   * Opens the backend, creating or migrating its tables first.
   *
   * @param clock stamps {@code applied_ms} of each applied change (audit only)
   * @throws BackendException when the database cannot be reached or migrated, or its schema is
   *     newer than this version of zonecut knows
   */
  public static JdbcDelegationBackend open(DataSource dataSource, Clock clock)
      throws BackendException {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(clock, "clock");
    migrate(dataSource);
    return new JdbcDelegationBackend(dataSource, clock);
  }

  /** The schema version this code writes. */
  public static int schemaVersion() {
    return MIGRATIONS.size();
  }

  private static void migrate(DataSource ds) throws BackendException {
    try {
      JdbcMigrations.migrate(ds, "zonecut_dsync_schema", MIGRATIONS);
    } catch (JdbcMigrations.NewerSchemaException e) {
      throw new BackendException("delegation schema version " + e.found()
          + " is newer than this zonecut knows (" + MIGRATIONS.size() + ")");
    } catch (SQLException e) {
      throw new BackendException("cannot migrate the delegation schema: " + e.getMessage(), e);
    }
  }


  @Override
  public Optional<Delegation> current(Name child) throws BackendException {
    Objects.requireNonNull(child, "child");
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      return read(c, child);
    } catch (SQLException | IllegalArgumentException e) {
      throw new BackendException("cannot read the delegation of " + child + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Stores {@code delegation} as the parent's current data for its child, replacing whatever was
   * stored, without compare-and-set and without recording a change id: how the host loads the
   * registry's data (a seed, or a resync after an out-of-band edit). One transaction.
   *
   * @throws BackendException when the database cannot be written; nothing was written then
   */
  public void put(Delegation delegation) throws BackendException {
    Objects.requireNonNull(delegation, "delegation");
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        if (lockRow(c, delegation.child()) == 0) {
          insertRow(c, delegation);
        } else {
          updateTtls(c, delegation);
        }
        replaceData(c, delegation);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      }
    } catch (SQLException e) {
      throw new BackendException("cannot store the delegation of " + delegation.child() + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Stores every delegation in {@code delegations}, each as {@link #put(Delegation)} does, all in
   * one transaction.
   *
   * @throws BackendException when the database cannot be written; nothing was written then
   */
  public void seed(Iterable<Delegation> delegations) throws BackendException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        for (Delegation d : delegations) {
          if (lockRow(c, d.child()) == 0) {
            insertRow(c, d);
          } else {
            updateTtls(c, d);
          }
          replaceData(c, d);
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      }
    } catch (SQLException e) {
      throw new BackendException("cannot seed delegations: " + e.getMessage(), e);
    }
  }

  @Override
  public ApplyResult apply(DelegationChange change) throws BackendException {
    Objects.requireNonNull(change, "change");
    Name child = change.child();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        // First statement writes: takes SQLite's write lock / PostgreSQL's row lock before any
        // read, so concurrent changes of one child serialise (compare-and-set below is exact).
        int rows = lockRow(c, child);
        Optional<String> appliedFor = appliedChild(c, change.id());
        if (appliedFor.isPresent()) {
          c.rollback();
          if (!appliedFor.get().equals(canonical(child))) {
            return new ApplyResult.Rejected(change.id(),
                "change id already used for another child");
          }
          LOG.debug("change {} for {} was applied before", change.id(), child);
          return new ApplyResult.AlreadyApplied(change.id());
        }
        Optional<Delegation> stored = rows == 0 ? Optional.empty() : read(c, child);
        if (stored.isEmpty()) {
          c.rollback();
          return new ApplyResult.Conflict(change.id(), "no delegation of " + child + " is stored");
        }
        if (!stored.get().equals(change.expected())) {
          c.rollback();
          LOG.info("change {} for {} conflicts: stored delegation differs from expected",
              change.id(), child);
          return new ApplyResult.Conflict(change.id(),
              "the stored delegation differs from the one the change was decided against");
        }
        updateTtls(c, change.desired());
        replaceData(c, change.desired());
        recordApplied(c, change);
        c.commit();
        LOG.info("change {} for {} applied", change.id(), child);
        return new ApplyResult.Applied(change.id());
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      }
    } catch (SQLException | IllegalArgumentException e) {
      throw new BackendException("cannot apply change " + change.id() + " to " + child + ": "
          + e.getMessage(), e);
    }
  }

  /** Whether change {@code id} has been applied (and recorded) by this backend. */
  public boolean isApplied(String id) throws BackendException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      return appliedChild(c, id).isPresent();
    } catch (SQLException e) {
      throw new BackendException("cannot read applied changes: " + e.getMessage(), e);
    }
  }

  private static int lockRow(Connection c, Name child) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE zonecut_dsync_delegation"
        + " SET row_version = row_version + 1 WHERE child = ?")) {
      ps.setString(1, canonical(child));
      return ps.executeUpdate();
    }
  }

  private static void insertRow(Connection c, Delegation d) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO zonecut_dsync_delegation"
        + " (child, ns_ttl, ds_ttl, glue_ttl, row_version) VALUES (?, ?, ?, ?, 1)")) {
      ps.setString(1, canonical(d.child()));
      ps.setLong(2, d.nsTtl());
      ps.setLong(3, d.dsTtl());
      ps.setLong(4, d.glueTtl());
      ps.executeUpdate();
    }
  }

  private static void updateTtls(Connection c, Delegation d) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE zonecut_dsync_delegation"
        + " SET ns_ttl = ?, ds_ttl = ?, glue_ttl = ? WHERE child = ?")) {
      ps.setLong(1, d.nsTtl());
      ps.setLong(2, d.dsTtl());
      ps.setLong(3, d.glueTtl());
      ps.setString(4, canonical(d.child()));
      ps.executeUpdate();
    }
  }

  private static void replaceData(Connection c, Delegation d) throws SQLException {
    String child = canonical(d.child());
    for (String table : List.of("zonecut_dsync_ns", "zonecut_dsync_glue", "zonecut_dsync_ds")) {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE child = ?")) {
        ps.setString(1, child);
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO zonecut_dsync_ns (child, host) VALUES (?, ?)")) {
      for (Name ns : d.nameservers()) {
        ps.setString(1, child);
        ps.setString(2, canonical(ns));
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO zonecut_dsync_glue (child, host, address) VALUES (?, ?, ?)")) {
      for (Map.Entry<Name, Set<InetAddress>> e : d.glue().entrySet()) {
        for (InetAddress a : e.getValue()) {
          ps.setString(1, child);
          ps.setString(2, canonical(e.getKey()));
          ps.setString(3, HEX.formatHex(a.getAddress()));
          ps.executeUpdate();
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO zonecut_dsync_ds"
        + " (child, key_tag, algorithm, digest_type, digest) VALUES (?, ?, ?, ?, ?)")) {
      for (DsData ds : d.ds()) {
        ps.setString(1, child);
        ps.setInt(2, ds.keyTag());
        ps.setInt(3, ds.algorithm());
        ps.setInt(4, ds.digestType());
        ps.setString(5, HEX.formatHex(ds.digest()));
        ps.executeUpdate();
      }
    }
  }

  private void recordApplied(Connection c, DelegationChange change) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO zonecut_dsync_applied"
        + " (change_id, child, source, decided_ms, applied_ms) VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, change.id());
      ps.setString(2, canonical(change.child()));
      ps.setString(3, change.source().name());
      ps.setLong(4, change.decidedAt().toEpochMilli());
      ps.setLong(5, clock.millis());
      ps.executeUpdate();
    }
  }

  private static Optional<String> appliedChild(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT child FROM zonecut_dsync_applied WHERE change_id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }

  private static Optional<Delegation> read(Connection c, Name child) throws SQLException {
    String key = canonical(child);
    Delegation.Builder b = Delegation.builder(child);
    try (PreparedStatement ps = c.prepareStatement("SELECT ns_ttl, ds_ttl, glue_ttl"
        + " FROM zonecut_dsync_delegation WHERE child = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        b.nsTtl(rs.getLong(1)).dsTtl(rs.getLong(2)).glueTtl(rs.getLong(3));
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT host FROM zonecut_dsync_ns WHERE child = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          b.nameservers(name(rs.getString(1)));
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT host, address FROM zonecut_dsync_glue WHERE child = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          try {
            b.glue(name(rs.getString(1)),
                InetAddress.getByAddress(HEX.parseHex(rs.getString(2))));
          } catch (UnknownHostException | IllegalArgumentException e) {
            throw new SQLException("stored glue address is not an address: "
                + rs.getString(2), e);
          }
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT key_tag, algorithm, digest_type,"
        + " digest FROM zonecut_dsync_ds WHERE child = ?")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          b.ds(new DsData(rs.getInt(1), rs.getInt(2), rs.getInt(3),
              HEX.parseHex(rs.getString(4))));
        }
      }
    }
    return Optional.of(b.build());
  }

  private static Name name(String text) throws SQLException {
    try {
      return Name.fromString(text);
    } catch (TextParseException e) {
      throw new SQLException("stored name is not a name: " + text, e);
    }
  }

  private static String canonical(Name n) {
    return n.canonicalize().toString();
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      LOG.warn("rollback failed: {}", e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "JdbcDelegationBackend[schema " + MIGRATIONS.size() + "]";
  }
}
