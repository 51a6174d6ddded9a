package io.github.zonecut.interop;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.dsync.DelegationBackend;
import io.github.zonecut.dsync.DelegationBackendContract;
import io.github.zonecut.dsync.FailingDataSource;
import io.github.zonecut.dsync.JdbcDelegationBackend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * dsync's {@link JdbcDelegationBackend} on PostgreSQL: the whole {@link DelegationBackendContract}
 * (apply, compare-and-set, idempotence, a failure mid-transaction, two concurrent changes from one
 * state through two backend instances, restart) with the same SQL as on SQLite, a fresh database
 * per test.
 */
@ExtendWith(PostgresExtension.class)
class DsyncJdbcBackendPostgresTest extends DelegationBackendContract {
  private static Postgres pg;
  private static int databases;
  private PGSimpleDataSource dataSource;

  @BeforeAll
  static void server(Postgres server) {
    pg = server;
  }

  @Override
  protected DelegationBackend newBackend() throws Exception {
    dataSource = new PGSimpleDataSource();
    dataSource.setUrl(pg.createDatabase("dsync_contract_" + (++databases)));
    dataSource.setUser(pg.user());
    dataSource.setPassword(pg.password());
    return JdbcDelegationBackend.open(dataSource);
  }

  @Override
  protected DelegationBackend reopen() throws Exception {
    return JdbcDelegationBackend.open(dataSource);
  }

  @Override
  protected DelegationBackend reopenFailingMidApply() throws Exception {
    return JdbcDelegationBackend.open(
        FailingDataSource.wrap(dataSource, FailingDataSource::recordsApplied, false));
  }

  @Override
  protected void seed(DelegationBackend backend, Delegation d) throws Exception {
    ((JdbcDelegationBackend) backend).put(d);
  }
}
