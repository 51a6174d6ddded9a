package io.github.zonecut.keystate;

import static io.github.zonecut.keystate.Keys.CHILD;
import static io.github.zonecut.keystate.Keys.T0;
import static io.github.zonecut.keystate.Keys.id;
import static io.github.zonecut.keystate.Keys.key;
import static io.github.zonecut.keystate.Keys.selfSigned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.keystate.RegistryOutcome.Applied;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;
import org.xbill.DNS.KEYRecord;

class JdbcTrustStoreSqliteTest extends TrustStoreContract {
  @TempDir Path dir;

  private DataSource dataSource(String file) {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + dir.resolve(file));
    return ds;
  }

  @Override
  TrustStore store() throws Exception {
    return JdbcTrustStore.open(dataSource("contract.db"));
  }

  @Test
  void migrationsRunOnceAndAreRecorded() throws Exception {
    DataSource ds = dataSource("m.db");
    JdbcTrustStore.open(ds);
    JdbcTrustStore.open(ds);
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT COUNT(*), MAX(version) FROM zonecut_keystate_schema")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(JdbcTrustStore.schemaVersion());
      assertThat(rs.getInt(2)).isEqualTo(JdbcTrustStore.schemaVersion());
    }
  }

  @Test
  void aVersionOneDatabaseIsMigratedAndItsKeysKept() throws Exception {
    DataSource ds = dataSource("v1.db");
    KEYRecord k = key(1);
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE zonecut_keystate_schema (version INTEGER NOT NULL PRIMARY KEY)");
      s.execute("CREATE TABLE zonecut_keystate_key ("
          + " owner TEXT NOT NULL, algorithm INTEGER NOT NULL, public_key TEXT NOT NULL,"
          + " flags INTEGER NOT NULL, key_tag INTEGER NOT NULL, state VARCHAR(32) NOT NULL,"
          + " method VARCHAR(16), supersedes_others INTEGER NOT NULL, since_ms BIGINT NOT NULL,"
          + " progress_rounds INTEGER, progress_observation TEXT, progress_next_ms BIGINT,"
          + " PRIMARY KEY (owner, algorithm, public_key))");
      s.execute("CREATE TABLE zonecut_keystate_audit ("
          + " seq BIGINT NOT NULL PRIMARY KEY, owner TEXT NOT NULL, algorithm INTEGER NOT NULL,"
          + " public_key TEXT NOT NULL, from_state VARCHAR(32), to_state VARCHAR(32),"
          + " at_ms BIGINT NOT NULL, actor TEXT NOT NULL, reason TEXT NOT NULL)");
      s.execute("INSERT INTO zonecut_keystate_schema (version) VALUES (1)");
      s.execute("INSERT INTO zonecut_keystate_key VALUES ('child.parent.example.', 15, '"
          + id(k).publicKeyBase64() + "', 512, " + k.getFootprint() + ", 'TRUSTED', 'MANUAL', 0,"
          + " 1000, NULL, NULL, NULL)");
    }
    JdbcTrustStore store = JdbcTrustStore.open(ds);
    KeyEntry e = store.find(id(k)).orElseThrow();
    assertThat(e.state()).isEqualTo(TrustState.TRUSTED);
    assertThat(e.rolledFrom()).isNull();
  }

  @Test
  void aSchemaFromTheFutureIsRefused() throws Exception {
    DataSource ds = dataSource("future.db");
    JdbcTrustStore.open(ds);
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO zonecut_keystate_schema (version) VALUES (99)");
    }
    assertThatThrownBy(() -> JdbcTrustStore.open(ds)).isInstanceOf(StoreException.class)
        .hasMessageContaining("99");
  }

  @Test
  void anUnreachableDatabaseIsAStoreException() {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + dir.resolve("no/such/dir/x.db"));
    assertThatThrownBy(() -> JdbcTrustStore.open(ds)).isInstanceOf(StoreException.class)
        .hasMessageContaining("migrate");
  }

  @Test
  void aCorruptedRowIsAStoreExceptionNotACrash() throws Exception {
    DataSource ds = dataSource("corrupt.db");
    JdbcTrustStore store = JdbcTrustStore.open(ds);
    new TrustRegistry(store, RegistryPolicy.of(VerificationPolicy.of(BootstrapMethod.AT_APEX)),
        Clock.systemUTC()).upload(selfSigned(key(1), false), "x");
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("UPDATE zonecut_keystate_key SET state = 'HALF_TRUSTED'");
    }
    assertThatThrownBy(() -> store.keysOf(CHILD)).isInstanceOf(StoreException.class)
        .hasMessageContaining("HALF_TRUSTED");
  }

  /** The unsigned method's progress survives a restart in the middle of validation. */
  @Test
  void aRestartMidValidationResumesWhereItStopped() throws Exception {
    RegistryPolicy policy = RegistryPolicy.of(
        VerificationPolicy.of(BootstrapMethod.AT_APEX, BootstrapMethod.UNSIGNED));
    KEYRecord old = key(1);
    KEYRecord fresh = key(2);
    Instant t = T0;
    {
      TrustRegistry before = new TrustRegistry(JdbcTrustStore.open(dataSource("r.db")), policy,
          Clock.fixed(t, ZoneOffset.UTC));
      before.upload(selfSigned(old, false), "child");
      before.startValidation(id(old), BootstrapMethod.AT_APEX, "at-apex");
      before.validated(id(old), "at-apex", "ok");
      before.upload(selfSigned(fresh, true), "child");
      before.startValidation(id(fresh), BootstrapMethod.UNSIGNED, "unsigned");
      before.recordProgress(id(fresh),
          new VerificationProgress(1, "sha256:abc", t.plus(Duration.ofSeconds(60))));
      // the process dies here
    }
    Instant later = t.plus(Duration.ofMinutes(5));
    TrustRegistry after = new TrustRegistry(JdbcTrustStore.open(dataSource("r.db")), policy,
        Clock.fixed(later, ZoneOffset.UTC));
    assertThat(after.inState(TrustState.VALIDATING)).singleElement().satisfies(e -> {
      assertThat(e.id()).isEqualTo(id(fresh));
      assertThat(e.method()).isEqualTo(BootstrapMethod.UNSIGNED);
      assertThat(e.supersedesOthers()).isTrue();
      assertThat(e.progress()).isEqualTo(
          new VerificationProgress(1, "sha256:abc", t.plus(Duration.ofSeconds(60))));
    });
    assertThat(after.isTrusted(id(old))).isTrue();
    after.recordProgress(id(fresh), new VerificationProgress(2, "sha256:abc", later));
    after.recordProgress(id(fresh), new VerificationProgress(3, "sha256:abc", later));
    RegistryOutcome o = after.validated(id(fresh), "unsigned", "3 identical rounds");
    assertThat(((Applied) o).removed()).containsExactly(id(old));
    assertThat(after.history(CHILD)).extracting(AuditEvent::to).containsExactly(
        TrustState.KNOWN, TrustState.VALIDATING, TrustState.TRUSTED, TrustState.KNOWN,
        TrustState.VALIDATING, TrustState.TRUSTED, null);
    assertThat(after.history(CHILD).get(5).at()).isEqualTo(later);
  }
}
