package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.sig0.Sig0ReplayStore.Insert;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

class JdbcSig0ReplayStoreSqliteTest extends Sig0ReplayStoreContract {
  @TempDir Path dir;
  private int n;

  private DataSource dataSource(String file) {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + dir.resolve(file));
    ds.setSynchronous("OFF"); // a test database: no fsync per statement
    return ds;
  }

  @Override
  Sig0ReplayStore store(int capacity) throws Exception {
    return JdbcSig0ReplayStore.open(dataSource("contract" + (n++) + ".db"), capacity);
  }

  @Test
  void twoNodesOnOneDatabaseShareTheirMemory() throws Exception {
    DataSource ds = dataSource("shared.db");
    JdbcSig0ReplayStore a = JdbcSig0ReplayStore.open(ds);
    JdbcSig0ReplayStore b = JdbcSig0ReplayStore.open(ds); // the table exists already
    assertThat(a.insertIfAbsent(id(1), 100, 10)).isEqualTo(Insert.RECORDED);
    assertThat(b.insertIfAbsent(id(1), 100, 20)).isEqualTo(Insert.PRESENT);
    assertThat(b.insertIfAbsent(id(1), 300, 101)).isEqualTo(Insert.RECORDED);
    assertThat(a.insertIfAbsent(id(1), 300, 102)).isEqualTo(Insert.PRESENT);
  }

  @Test
  void expiredRowsArePurgedInBoundedBatches() throws Exception {
    DataSource ds = dataSource("purge.db");
    JdbcSig0ReplayStore store = JdbcSig0ReplayStore.open(ds);
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      for (int i = 0; i < JdbcSig0ReplayStore.PURGE_BATCH + 10; i++) {
        s.addBatch("INSERT INTO " + JdbcSig0ReplayStore.TABLE + " VALUES ('" + i + "', 50)");
      }
      s.addBatch("INSERT INTO " + JdbcSig0ReplayStore.TABLE + " VALUES ('live', 500)");
      s.executeBatch();
      c.commit();
    }
    assertThat(store.purgeExpired(100)).isEqualTo(JdbcSig0ReplayStore.PURGE_BATCH);
    assertThat(store.purgeExpired(100)).isEqualTo(10);
    assertThat(store.purgeExpired(100)).isZero();
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void aFailingDatabaseIsAStoreExceptionAndTheVerifierRefuses() throws Exception {
    SQLiteDataSource broken = new SQLiteDataSource() {
      @Override
      public Connection getConnection() throws SQLException {
        throw new SQLException("database unreachable");
      }
    };
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> JdbcSig0ReplayStore.open(broken))
        .isInstanceOf(Sig0ReplayStoreException.class).hasMessageContaining("unreachable");
    Sig0ReplayStore failing = new Sig0ReplayStore() {
      @Override
      public Insert insertIfAbsent(byte[] id, long expiresAt, long now)
          throws Sig0ReplayStoreException {
        throw new Sig0ReplayStoreException("database unreachable");
      }

      @Override
      public long size() {
        return 0;
      }
    };
    Sig0KeyPair key = Sig0SignVerifyTest.key(15);
    byte[] wire = Sig0Signer.create(Sig0SignVerifyTest.CONFIG).sign(Sig0SignVerifyTest.update(), key);
    Sig0Outcome out = Sig0Verifier.builder(Sig0KeyLookup.of(key.publicKey()))
        .config(Sig0SignVerifyTest.CONFIG).replayGuard(Sig0ReplayGuard.using(failing)).build()
        .verify(wire);
    assertThat(out).isEqualTo(
        new Sig0Outcome.ReplayGuardUnavailable(key.publicKey(), false, "database unreachable"));
    assertThat(out.rcode()).isEqualTo(Sig0Outcome.SERVFAIL);
  }

  @Test
  void twoVerifiersOnTwoNodesShareOneDatabase() throws Exception {
    DataSource ds = dataSource("nodes.db");
    Sig0KeyPair key = Sig0SignVerifyTest.key(13);
    byte[] wire = Sig0Signer.create(Sig0SignVerifyTest.CONFIG).sign(Sig0SignVerifyTest.update(), key);
    Sig0Verifier node1 = Sig0Verifier.builder(Sig0KeyLookup.of(key.publicKey()))
        .config(Sig0SignVerifyTest.CONFIG)
        .replayGuard(Sig0ReplayGuard.using(JdbcSig0ReplayStore.open(ds))).build();
    Sig0Verifier node2 = Sig0Verifier.builder(Sig0KeyLookup.of(key.publicKey()))
        .config(Sig0SignVerifyTest.CONFIG)
        .replayGuard(Sig0ReplayGuard.using(JdbcSig0ReplayStore.open(ds))).build();
    assertThat(node1.verify(wire)).isInstanceOf(Sig0Outcome.Verified.class);
    assertThat(node2.verify(wire)).isInstanceOf(Sig0Outcome.Replayed.class);
  }
}
