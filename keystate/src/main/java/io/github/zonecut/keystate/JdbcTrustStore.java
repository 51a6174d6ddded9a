package io.github.zonecut.keystate;

import io.github.zonecut.keystate.internal.JdbcMigrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * A {@link TrustStore} in a relational database through plain {@code java.sql}, so that keys,
 * verification progress and the audit trail survive a restart. Tested with SQLite and
 * PostgreSQL; the SQL is kept to what both understand.
 *
 * <p>{@link #open(DataSource)} brings the schema up to date: migrations are numbered, recorded in
 * {@code zonecut_keystate_schema} and applied once each, in order, each in its own transaction.
 * Every {@link #apply} runs in one transaction. Owner names are stored in canonical (lower-case)
 * form; public keys in base64.
 */
public final class JdbcTrustStore implements TrustStore {

  /** The migrations, in order; index + 1 is the schema version. Never edit one; append. */
  private static final List<List<String>> MIGRATIONS = List.of(List.of(
      "CREATE TABLE zonecut_keystate_key ("
          + " owner TEXT NOT NULL, algorithm INTEGER NOT NULL, public_key TEXT NOT NULL,"
          + " flags INTEGER NOT NULL, key_tag INTEGER NOT NULL, state VARCHAR(32) NOT NULL,"
          + " method VARCHAR(16), supersedes_others INTEGER NOT NULL, since_ms BIGINT NOT NULL,"
          + " progress_rounds INTEGER, progress_observation TEXT, progress_next_ms BIGINT,"
          + " PRIMARY KEY (owner, algorithm, public_key))",
      "CREATE INDEX zonecut_keystate_key_state ON zonecut_keystate_key (state)",
      "CREATE TABLE zonecut_keystate_audit ("
          + " seq BIGINT NOT NULL PRIMARY KEY, owner TEXT NOT NULL, algorithm INTEGER NOT NULL,"
          + " public_key TEXT NOT NULL, from_state VARCHAR(32), to_state VARCHAR(32),"
          + " at_ms BIGINT NOT NULL, actor TEXT NOT NULL, reason TEXT NOT NULL)",
      "CREATE INDEX zonecut_keystate_audit_owner ON zonecut_keystate_audit (owner, seq)"),
      // 2: the key a roll's new key was vouched for by (same owner; ddns §9.6)
      List.of("ALTER TABLE zonecut_keystate_key ADD COLUMN rolled_from_algorithm INTEGER",
          "ALTER TABLE zonecut_keystate_key ADD COLUMN rolled_from_key TEXT"));

  private static final String KEY_COLUMNS = "owner, algorithm, public_key, flags, key_tag, state,"
      + " method, supersedes_others, since_ms, progress_rounds, progress_observation,"
      + " progress_next_ms, rolled_from_algorithm, rolled_from_key";

  private final DataSource dataSource;

  private JdbcTrustStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Opens the store, creating or migrating its tables first.
   *
   * @throws StoreException when the database cannot be reached or migrated, or its schema is
   *     newer than this version of zonecut knows
   */
  public static JdbcTrustStore open(DataSource dataSource) throws StoreException {
    Objects.requireNonNull(dataSource, "dataSource");
    migrate(dataSource);
    return new JdbcTrustStore(dataSource);
  }

  /** The schema version this code writes. */
  public static int schemaVersion() {
    return MIGRATIONS.size();
  }

  private static void migrate(DataSource ds) throws StoreException {
    try {
      JdbcMigrations.migrate(ds, "zonecut_keystate_schema", MIGRATIONS);
    } catch (JdbcMigrations.NewerSchemaException e) {
      throw new StoreException("trust store schema version " + e.found()
          + " is newer than this zonecut knows (" + MIGRATIONS.size() + ")");
    } catch (SQLException e) {
      throw new StoreException("cannot migrate the trust store schema: " + e.getMessage(), e);
    }
  }


  @Override
  public Optional<KeyEntry> find(KeyIdentity id) throws StoreException {
    List<KeyEntry> found = query("SELECT " + KEY_COLUMNS + " FROM zonecut_keystate_key"
        + " WHERE owner = ? AND algorithm = ? AND public_key = ?",
        ownerText(id.owner()), id.algorithm(), id.publicKeyBase64());
    return found.stream().findFirst();
  }

  @Override
  public List<KeyEntry> keysOf(Name owner) throws StoreException {
    return query("SELECT " + KEY_COLUMNS + " FROM zonecut_keystate_key WHERE owner = ?"
        + " ORDER BY since_ms, algorithm, public_key", ownerText(owner));
  }

  @Override
  public List<KeyEntry> inState(TrustState state) throws StoreException {
    return query("SELECT " + KEY_COLUMNS + " FROM zonecut_keystate_key WHERE state = ?"
        + " ORDER BY owner, since_ms", state.name());
  }

  @Override
  public void apply(RegistryChange change) throws StoreException {
    if (change.isEmpty()) {
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        for (KeyIdentity id : change.removals()) {
          delete(c, id);
        }
        for (KeyEntry e : change.upserts()) {
          delete(c, e.id());
          insert(c, e);
        }
        appendEvents(c, change.events());
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot write the trust store: " + e.getMessage(), e);
    }
  }

  @Override
  public List<AuditEvent> history(Name owner) throws StoreException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT owner, algorithm, public_key,"
            + " from_state, to_state, at_ms, actor, reason FROM zonecut_keystate_audit"
            + " WHERE owner = ? ORDER BY seq")) {
      ps.setString(1, ownerText(owner));
      List<AuditEvent> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new AuditEvent(identity(rs), state(rs.getString(4)), state(rs.getString(5)),
              Instant.ofEpochMilli(rs.getLong(6)), rs.getString(7), rs.getString(8)));
        }
      }
      return out;
    } catch (SQLException | IllegalArgumentException e) {
      throw new StoreException("cannot read the audit trail: " + e.getMessage(), e);
    }
  }

  private List<KeyEntry> query(String sql, Object... params) throws StoreException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      List<KeyEntry> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(entry(rs));
        }
      }
      return out;
    } catch (SQLException | IllegalArgumentException e) {
      throw new StoreException("cannot read the trust store: " + e.getMessage(), e);
    }
  }

  private static void delete(Connection c, KeyIdentity id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM zonecut_keystate_key"
        + " WHERE owner = ? AND algorithm = ? AND public_key = ?")) {
      ps.setString(1, ownerText(id.owner()));
      ps.setInt(2, id.algorithm());
      ps.setString(3, id.publicKeyBase64());
      ps.executeUpdate();
    }
  }

  private static void insert(Connection c, KeyEntry e) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO zonecut_keystate_key ("
        + KEY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, ownerText(e.id().owner()));
      ps.setInt(2, e.id().algorithm());
      ps.setString(3, e.id().publicKeyBase64());
      ps.setInt(4, e.flags());
      ps.setInt(5, e.keyTag());
      ps.setString(6, e.state().name());
      BootstrapMethod m = e.method();
      if (m == null) {
        ps.setNull(7, Types.VARCHAR);
      } else {
        ps.setString(7, m.name());
      }
      ps.setInt(8, e.supersedesOthers() ? 1 : 0);
      ps.setLong(9, e.since().toEpochMilli());
      VerificationProgress p = e.progress();
      if (p == null) {
        ps.setNull(10, Types.INTEGER);
        ps.setNull(11, Types.VARCHAR);
        ps.setNull(12, Types.BIGINT);
      } else {
        ps.setInt(10, p.roundsDone());
        ps.setString(11, p.observation());
        ps.setLong(12, p.nextRoundAt().toEpochMilli());
      }
      KeyIdentity from = e.rolledFrom();
      if (from == null) {
        ps.setNull(13, Types.INTEGER);
        ps.setNull(14, Types.VARCHAR);
      } else {
        ps.setInt(13, from.algorithm());
        ps.setString(14, from.publicKeyBase64());
      }
      ps.executeUpdate();
    }
  }

  private static void appendEvents(Connection c, List<AuditEvent> events) throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    long seq;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM zonecut_keystate_audit")) {
      rs.next();
      seq = rs.getLong(1);
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO zonecut_keystate_audit (seq,"
        + " owner, algorithm, public_key, from_state, to_state, at_ms, actor, reason)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (AuditEvent e : events) {
        ps.setLong(1, ++seq);
        ps.setString(2, ownerText(e.key().owner()));
        ps.setInt(3, e.key().algorithm());
        ps.setString(4, e.key().publicKeyBase64());
        setState(ps, 5, e.from());
        setState(ps, 6, e.to());
        ps.setLong(7, e.at().toEpochMilli());
        ps.setString(8, e.actor());
        ps.setString(9, e.reason());
        ps.executeUpdate();
      }
    }
  }

  private static void setState(PreparedStatement ps, int i, @Nullable TrustState s)
      throws SQLException {
    if (s == null) {
      ps.setNull(i, Types.VARCHAR);
    } else {
      ps.setString(i, s.name());
    }
  }

  private static KeyEntry entry(ResultSet rs) throws SQLException {
    String method = rs.getString(7);
    int rounds = rs.getInt(10);
    VerificationProgress progress = rs.wasNull() ? null
        : new VerificationProgress(rounds, rs.getString(11),
            Instant.ofEpochMilli(rs.getLong(12)));
    KeyIdentity id = identity(rs);
    int fromAlgorithm = rs.getInt(13);
    String fromKey = rs.wasNull() ? null : rs.getString(14);
    KeyIdentity rolledFrom = fromKey == null ? null
        : new KeyIdentity(id.owner(), fromAlgorithm, Base64.getDecoder().decode(fromKey));
    return new KeyEntry(id, rs.getInt(4), TrustState.valueOf(rs.getString(6)),
        method == null ? null : BootstrapMethod.valueOf(method), rs.getInt(8) != 0,
        Instant.ofEpochMilli(rs.getLong(9)), progress, rolledFrom);
  }

  private static KeyIdentity identity(ResultSet rs) throws SQLException {
    try {
      return new KeyIdentity(Name.fromString(rs.getString(1)), rs.getInt(2),
          Base64.getDecoder().decode(rs.getString(3)));
    } catch (TextParseException e) {
      throw new SQLException("stored owner is not a name: " + rs.getString(1), e);
    }
  }

  private static @Nullable TrustState state(@Nullable String s) {
    return s == null ? null : TrustState.valueOf(s);
  }

  private static String ownerText(Name owner) {
    return owner.canonicalize().toString();
  }
}
