package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The throwaway PostgreSQL server accepts the advertised credentials and nothing else. */
@ExtendWith(PostgresExtension.class)
class PostgresTest {

  @Test
  void createsADatabaseReachableWithTheAdvertisedCredentials(Postgres pg) throws SQLException {
    String url = pg.createDatabase("interop_smoke");

    try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (k text PRIMARY KEY)");
      s.execute("INSERT INTO t VALUES ('x')");
      try (ResultSet rs = s.executeQuery("SELECT current_database(), count(*) FROM t")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("interop_smoke");
        assertThat(rs.getInt(2)).isEqualTo(1);
      }
    }
  }

  @Test
  void rejectsAWrongPassword(Postgres pg) {
    assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "wrong").close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("password authentication failed");
  }

  @Test
  void rejectsAnUnsafeDatabaseName(Postgres pg) {
    assertThatThrownBy(() -> pg.createDatabase("x; DROP DATABASE postgres"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
