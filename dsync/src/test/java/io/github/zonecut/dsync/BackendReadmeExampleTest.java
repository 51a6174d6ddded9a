package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.NioDnsTransport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;
import org.xbill.DNS.Name;

/** The README's backend snippets, compiled and run. */
class BackendReadmeExampleTest {
  @TempDir Path dir;

  @Test
  void jdbcBackendOnSqlite() throws Exception {
    Path file = dir.resolve("registry.db");
    Delegation current = DelegationBackendContract.initial();
    Delegation desired = DelegationBackendContract.withNs2();
    Name child = current.child();
    // --- README: JDBC backend ---
    SQLiteDataSource ds = new SQLiteDataSource();            // org.xerial:sqlite-jdbc
    ds.setUrl("jdbc:sqlite:" + file);
    JdbcDelegationBackend backend = JdbcDelegationBackend.open(ds); // creates the tables
    backend.seed(List.of(current));                           // the registry's data, once
    DelegationChange change = new DelegationChange("change-0001", child,
        backend.current(child).orElseThrow(), desired, DelegationChange.Source.UPDATE,
        Instant.now());
    DelegationBackend.ApplyResult result = backend.apply(change);
    boolean answerNoerror = result instanceof DelegationBackend.ApplyResult.Applied
        || result instanceof DelegationBackend.ApplyResult.AlreadyApplied
        || result instanceof DelegationBackend.ApplyResult.Queued;
    // Conflict: read current() again and decide again; Rejected: REFUSED to the child
    // --- end ---
    assertThat(answerNoerror).isTrue();
    assertThat(result).isEqualTo(new DelegationBackend.ApplyResult.Applied("change-0001"));
  }

  @Test
  void tsigBackendSnippetBuilds() throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try (NioDnsTransport transport = NioDnsTransport.create(executor)) {
      // --- README: TSIG backend ---
      TsigDelegationBackend backend = TsigDelegationBackend.builder(transport,
              DnsEndpoint.of("127.0.0.1", 5320), Name.fromString("parent.test."),
              TsigKey.of("upd", "hmac-sha256", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ="))
          .build();
      // --- end ---
      assertThat(backend.zone()).isEqualTo(Name.fromString("parent.test."));
    } finally {
      executor.shutdownNow();
    }
  }
}
