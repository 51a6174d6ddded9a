package io.github.zonecut.keystate.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * Numbered schema migrations for zonecut's JDBC stores (keystate's trust store, dsync's
 * delegation backend): a one-column version table, each migration's statements run and recorded
 * in one transaction, in order, from the recorded version up. Plain SQL that SQLite and
 * PostgreSQL both accept.
 */
public final class JdbcMigrations {
  private JdbcMigrations() {}

  /** The database holds a schema version newer than the code knows. */
  public static final class NewerSchemaException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int found;

    NewerSchemaException(int found) {
      super("schema version " + found);
      this.found = found;
    }

    /** The version the database records. */
    public int found() {
      return found;
    }
  }

  /**
   * Brings the schema up to {@code migrations.size()}.
   *
   * @param versionTable the table recording applied versions (created if absent)
   * @param migrations the statements of version 1, 2, …
   * @throws NewerSchemaException when the database records a version above {@code
   *     migrations.size()}
   * @throws SQLException when a statement fails (that migration is rolled back)
   */
  public static void migrate(DataSource ds, String versionTable, List<List<String>> migrations)
      throws SQLException, NewerSchemaException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(true);
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE IF NOT EXISTS " + versionTable
            + " (version INTEGER NOT NULL PRIMARY KEY)");
      }
      int current;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM " + versionTable)) {
        rs.next();
        current = rs.getInt(1);
      }
      if (current > migrations.size()) {
        throw new NewerSchemaException(current);
      }
      c.setAutoCommit(false);
      for (int v = current + 1; v <= migrations.size(); v++) {
        try (Statement s = c.createStatement()) {
          for (String sql : migrations.get(v - 1)) {
            s.execute(sql);
          }
          s.execute("INSERT INTO " + versionTable + " (version) VALUES (" + v + ")");
          c.commit();
        } catch (SQLException e) {
          c.rollback();
          throw e;
        }
      }
    }
  }
}
