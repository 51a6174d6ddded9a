package io.github.zonecut.sig0;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * A {@link Sig0ReplayStore} in a relational database through plain {@code java.sql}, so that
 * several processes or nodes receiving SIG(0) for the same keys share one replay memory. Tested
 * with SQLite; the SQL is kept to what SQLite and PostgreSQL both understand.
 *
 * <p>One table, {@value #TABLE}, created if absent: {@code id VARCHAR(64) PRIMARY KEY} (the
 * identifier in hex) and {@code expires_at BIGINT} (epoch second), indexed. The primary key makes
 * the insert atomic across nodes: an INSERT that fails because the row exists is a replay. An
 * expired row with the same identifier is deleted first. Expired rows are purged in bounded
 * batches ({@value #PURGE_BATCH} rows every {@value #PURGE_EVERY} inserts, and by {@link
 * #purgeExpired(long)} when a host schedules it), never with one unbounded statement.
 *
 * <p>Without a capacity the table is bounded by what trusted keys sign inside their (bounded)
 * windows: only verified signatures are recorded. With {@link #open(DataSource, long)} the store
 * counts its live rows before each insert (a scan of the expiry index) and reports {@link
 * Insert#FULL} at the capacity; concurrent inserts from several nodes may overshoot it by their
 * number. Each call runs in auto-commit mode on a connection of its own.
 */
public final class JdbcSig0ReplayStore implements Sig0ReplayStore {
  /** The table's name. */
  public static final String TABLE = "zonecut_sig0_replay";
  /** Rows deleted by one purge statement at most. */
  public static final int PURGE_BATCH = 1000;
  /** How many inserts run between two automatic purges. */
  public static final int PURGE_EVERY = 64;

  private static final HexFormat HEX = HexFormat.of();

  private final DataSource dataSource;
  private final long capacity;
  private final AtomicLong inserts = new AtomicLong();

  private JdbcSig0ReplayStore(DataSource dataSource, long capacity) {
    this.dataSource = dataSource;
    this.capacity = capacity;
  }

  /**
   * Opens the store without a capacity, creating its table if absent.
   *
   * @throws Sig0ReplayStoreException when the database cannot be reached or the table created
   */
  public static JdbcSig0ReplayStore open(DataSource dataSource) throws Sig0ReplayStoreException {
    return open(dataSource, Long.MAX_VALUE);
  }

  /**
   * Opens the store holding at most about {@code capacity} live entries, creating its table if
   * absent.
   *
   * @throws Sig0ReplayStoreException when the database cannot be reached or the table created
   */
  public static JdbcSig0ReplayStore open(DataSource dataSource, long capacity)
      throws Sig0ReplayStoreException {
    Objects.requireNonNull(dataSource, "dataSource");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(true);
      s.execute("CREATE TABLE IF NOT EXISTS " + TABLE
          + " (id VARCHAR(64) NOT NULL PRIMARY KEY, expires_at BIGINT NOT NULL)");
      s.execute("CREATE INDEX IF NOT EXISTS " + TABLE + "_expires ON " + TABLE + " (expires_at)");
    } catch (SQLException e) {
      throw new Sig0ReplayStoreException(
          "cannot create the replay table " + TABLE + ": " + e.getMessage(), e);
    }
    return new JdbcSig0ReplayStore(dataSource, capacity);
  }

  @Override
  public Insert insertIfAbsent(byte[] id, long expiresAt, long now)
      throws Sig0ReplayStoreException {
    String hex = HEX.formatHex(id);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      if (inserts.incrementAndGet() % PURGE_EVERY == 0) {
        purge(c, now);
      }
      try (PreparedStatement del = c.prepareStatement(
          "DELETE FROM " + TABLE + " WHERE id = ? AND expires_at < ?")) {
        del.setString(1, hex);
        del.setLong(2, now);
        del.executeUpdate();
      }
      if (capacity != Long.MAX_VALUE) {
        if (exists(c, hex)) {
          return Insert.PRESENT;
        }
        if (live(c, now) >= capacity) {
          return Insert.FULL;
        }
      }
      try (PreparedStatement ins = c.prepareStatement(
          "INSERT INTO " + TABLE + " (id, expires_at) VALUES (?, ?)")) {
        ins.setString(1, hex);
        ins.setLong(2, expiresAt);
        ins.executeUpdate();
        return Insert.RECORDED;
      } catch (SQLException conflict) {
        // A primary-key conflict is a replay; SQL states differ between drivers, so look.
        if (exists(c, hex)) {
          return Insert.PRESENT;
        }
        throw conflict;
      }
    } catch (SQLException e) {
      throw new Sig0ReplayStoreException("replay store insert failed: " + e.getMessage(), e);
    }
  }

  @Override
  public long size() throws Sig0ReplayStoreException {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + TABLE)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new Sig0ReplayStoreException("replay store count failed: " + e.getMessage(), e);
    }
  }

  /**
   * Deletes at most {@value #PURGE_BATCH} rows that expired before {@code now}.
   *
   * @return how many rows were deleted
   * @throws Sig0ReplayStoreException when the database cannot be written
   */
  public int purgeExpired(long now) throws Sig0ReplayStoreException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      return purge(c, now);
    } catch (SQLException e) {
      throw new Sig0ReplayStoreException("replay store purge failed: " + e.getMessage(), e);
    }
  }

  private static int purge(Connection c, long now) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("DELETE FROM " + TABLE + " WHERE id IN"
        + " (SELECT id FROM " + TABLE + " WHERE expires_at < ? LIMIT " + PURGE_BATCH + ")")) {
      p.setLong(1, now);
      return p.executeUpdate();
    }
  }

  private static boolean exists(Connection c, String hex) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM " + TABLE + " WHERE id = ?")) {
      q.setString(1, hex);
      try (ResultSet rs = q.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static long live(Connection c, long now) throws SQLException {
    try (PreparedStatement q = c.prepareStatement(
        "SELECT COUNT(*) FROM " + TABLE + " WHERE expires_at >= ?")) {
      q.setLong(1, now);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Override
  public String toString() {
    return "JdbcSig0ReplayStore[" + TABLE
        + (capacity == Long.MAX_VALUE ? "" : ", capacity " + capacity) + "]";
  }
}
