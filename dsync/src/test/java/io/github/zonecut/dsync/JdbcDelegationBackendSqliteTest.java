package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.dsync.DelegationBackend.ApplyResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;
import org.xbill.DNS.Name;

/** The backend contract on SQLite (a temporary file), plus what is specific to JDBC. */
class JdbcDelegationBackendSqliteTest extends DelegationBackendContract {
  @TempDir Path dir;
  private int generation;

  private DataSource dataSource() {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + dir.resolve("registry-" + generation + ".db"));
    return ds;
  }

  @Override
  protected DelegationBackend newBackend() throws Exception {
    generation++;
    return JdbcDelegationBackend.open(dataSource());
  }

  @Override
  protected DelegationBackend reopen() throws Exception {
    return JdbcDelegationBackend.open(dataSource());
  }

  @Override
  protected DelegationBackend reopenFailingMidApply() throws Exception {
    return JdbcDelegationBackend.open(
        FailingDataSource.wrap(dataSource(), FailingDataSource::recordsApplied, false));
  }

  @Override
  protected void seed(DelegationBackend backend, Delegation d) throws Exception {
    ((JdbcDelegationBackend) backend).put(d);
  }

  @Test
  void aCrashBeforeCommitLeavesNothingAndTheRetryAfterRestartApplies() throws Exception {
    JdbcDelegationBackend b = (JdbcDelegationBackend) newBackend();
    b.put(initial());
    DelegationChange c = change("crash", initial(), withNewDs());
    JdbcDelegationBackend dying = JdbcDelegationBackend.open(
        FailingDataSource.wrap(dataSource(), FailingDataSource::recordsApplied, true));

    assertThatThrownBy(() -> dying.apply(c)).isInstanceOf(FailingDataSource.SimulatedCrash.class);

    JdbcDelegationBackend restarted = JdbcDelegationBackend.open(dataSource());
    assertThat(restarted.current(CHILD)).contains(initial());
    assertThat(restarted.isApplied("crash")).isFalse();
    assertThat(restarted.apply(c)).isEqualTo(new ApplyResult.Applied("crash"));
    assertThat(restarted.isApplied("crash")).isTrue();
    assertThat(restarted.current(CHILD)).contains(withNewDs());
  }

  @Test
  void aChangeIdReusedForAnotherChildIsRejected() throws Exception {
    JdbcDelegationBackend b = (JdbcDelegationBackend) newBackend();
    b.put(initial());
    Name other = Name.fromString("other.parent.test.");
    Delegation o1 = Delegation.builder(other).nameservers(Name.fromString("a.example.")).build();
    Delegation o2 = Delegation.builder(other).nameservers(Name.fromString("b.example.")).build();
    b.put(o1);
    assertThat(b.apply(change("id-1", initial(), withNs2())))
        .isEqualTo(new ApplyResult.Applied("id-1"));

    ApplyResult r = b.apply(new DelegationChange("id-1", other, o1, o2,
        DelegationChange.Source.SCAN, T0));

    assertThat(r).isInstanceOf(ApplyResult.Rejected.class);
    assertThat(b.current(other)).contains(o1);
  }

  @Test
  void putReplacesAndSeedLoadsManyInOneTransaction() throws Exception {
    JdbcDelegationBackend b = (JdbcDelegationBackend) newBackend();
    b.put(initial());
    b.put(withNewDs());
    assertThat(b.current(CHILD)).contains(withNewDs());

    Name other = Name.fromString("other.parent.test.");
    Delegation o = Delegation.builder(other).nameservers(Name.fromString("a.example.")).build();
    b.seed(List.of(unsignedOutOfBailiwick(), o));
    assertThat(b.current(CHILD)).contains(unsignedOutOfBailiwick());
    assertThat(b.current(other)).contains(o);
  }

  @Test
  void migrationsRunOnceAndANewerSchemaIsRefused() throws Exception {
    newBackend();
    DataSource ds = dataSource();
    JdbcDelegationBackend.open(ds);
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM zonecut_dsync_schema")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(JdbcDelegationBackend.schemaVersion());
      }
      s.execute("INSERT INTO zonecut_dsync_schema (version) VALUES (99)");
    }
    assertThatThrownBy(() -> JdbcDelegationBackend.open(ds))
        .isInstanceOf(BackendException.class).hasMessageContaining("newer");
  }

  @Test
  void anUnreachableDatabaseIsABackendException() {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + dir.resolve("no/such/dir/x.db"));
    assertThatThrownBy(() -> JdbcDelegationBackend.open(ds))
        .isInstanceOf(BackendException.class);
  }
}
