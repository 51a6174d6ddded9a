package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.sig0.JdbcSig0ReplayStore;
import io.github.zonecut.sig0.Sig0ReplayStore.Insert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/** The JDBC replay store on PostgreSQL: two nodes share it, live entries are never dropped. */
@ExtendWith(PostgresExtension.class)
class Sig0ReplayJdbcPostgresTest {

  static byte[] id(int n) {
    byte[] id = new byte[32];
    id[31] = (byte) n;
    id[30] = (byte) (n >>> 8);
    return id;
  }

  @Test
  void twoNodesShareOneReplayMemory(Postgres pg) throws Exception {
    PGSimpleDataSource ds = KeyStateJdbcPostgresTest.dataSource(pg, "sig0_replay_nodes");
    JdbcSig0ReplayStore a = JdbcSig0ReplayStore.open(ds);
    JdbcSig0ReplayStore b = JdbcSig0ReplayStore.open(ds); // the table exists already
    assertThat(a.insertIfAbsent(id(1), 100, 10)).isEqualTo(Insert.RECORDED);
    assertThat(b.insertIfAbsent(id(1), 100, 100)).isEqualTo(Insert.PRESENT);
    assertThat(b.insertIfAbsent(id(1), 300, 101)).isEqualTo(Insert.RECORDED);
    assertThat(a.insertIfAbsent(id(1), 300, 102)).isEqualTo(Insert.PRESENT);
  }

  @Test
  void fullOfLiveEntriesItRefusesAndPurgesInBatches(Postgres pg) throws Exception {
    PGSimpleDataSource ds = KeyStateJdbcPostgresTest.dataSource(pg, "sig0_replay_full");
    JdbcSig0ReplayStore store = JdbcSig0ReplayStore.open(ds, 2);
    assertThat(store.insertIfAbsent(id(1), 100, 10)).isEqualTo(Insert.RECORDED);
    assertThat(store.insertIfAbsent(id(2), 200, 10)).isEqualTo(Insert.RECORDED);
    assertThat(store.insertIfAbsent(id(3), 300, 50)).isEqualTo(Insert.FULL);
    assertThat(store.insertIfAbsent(id(1), 100, 50)).isEqualTo(Insert.PRESENT);
    assertThat(store.insertIfAbsent(id(3), 300, 150)).isEqualTo(Insert.RECORDED);
    // Rows 1 (expired at 100) and 2 (at 200) are gone at 250; row 3 lives until 300.
    assertThat(store.purgeExpired(250)).isEqualTo(2);
    assertThat(store.size()).isEqualTo(1);
  }
}
