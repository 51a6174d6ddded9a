package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.keystate.AuditEvent;
import io.github.zonecut.keystate.BootstrapMethod;
import io.github.zonecut.keystate.JdbcTrustStore;
import io.github.zonecut.keystate.KeyIdentity;
import io.github.zonecut.keystate.RegistryOutcome;
import io.github.zonecut.keystate.RegistryPolicy;
import io.github.zonecut.keystate.TrustRegistry;
import io.github.zonecut.keystate.TrustState;
import io.github.zonecut.keystate.UploadEvidence;
import io.github.zonecut.keystate.VerificationPolicy;
import io.github.zonecut.keystate.VerificationProgress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.ds.PGSimpleDataSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;

/** The JDBC trust store on PostgreSQL: migrations, and a restart in the middle of validation. */
@ExtendWith(PostgresExtension.class)
class KeyStateJdbcPostgresTest {
  static final Name CHILD = Name.fromConstantString("Child.Parent.Test.");
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static KEYRecord key(long seed) {
    byte[] pub = new byte[32];
    new Random(seed).nextBytes(pub);
    return new KEYRecord(CHILD, DClass.IN, 3600, 512, KEYRecord.Protocol.DNSSEC, 15, pub);
  }

  static PGSimpleDataSource dataSource(Postgres pg, String db) throws Exception {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(pg.createDatabase(db));
    ds.setUser(pg.user());
    ds.setPassword(pg.password());
    return ds;
  }

  @Test
  void stateSurvivesARestartMidValidation(Postgres pg) throws Exception {
    PGSimpleDataSource ds = dataSource(pg, "keystate_restart");
    RegistryPolicy policy = RegistryPolicy.of(
        VerificationPolicy.of(BootstrapMethod.AT_APEX, BootstrapMethod.UNSIGNED));
    KEYRecord old = key(1);
    KEYRecord fresh = key(2);
    KeyIdentity oldId = KeyIdentity.of(old);
    KeyIdentity freshId = KeyIdentity.of(fresh);
    TrustRegistry before = new TrustRegistry(JdbcTrustStore.open(ds), policy,
        Clock.fixed(T0, ZoneOffset.UTC));
    before.upload(new UploadEvidence(CHILD, List.of(old), false, oldId, T0), "child");
    before.startValidation(oldId, BootstrapMethod.AT_APEX, "at-apex");
    before.validated(oldId, "at-apex", "ok");
    before.upload(new UploadEvidence(CHILD, List.of(fresh), true, freshId, T0), "child");
    before.startValidation(freshId, BootstrapMethod.UNSIGNED, "unsigned");
    before.recordProgress(freshId, new VerificationProgress(2, "sha256:x", T0.plusSeconds(60)));

    TrustRegistry after = new TrustRegistry(JdbcTrustStore.open(ds), policy,
        Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC));
    assertThat(after.inState(TrustState.VALIDATING)).singleElement().satisfies(e -> {
      assertThat(e.id()).isEqualTo(freshId);
      assertThat(e.progress()).isEqualTo(
          new VerificationProgress(2, "sha256:x", T0.plusSeconds(60)));
    });
    assertThat(after.isTrusted(oldId)).isTrue();
    RegistryOutcome o = after.validated(freshId, "unsigned", "3 rounds");
    assertThat(((RegistryOutcome.Applied) o).removed()).containsExactly(oldId);
    assertThat(after.keysOf(Name.fromString("child.parent.test."))).extracting(e -> e.id())
        .containsExactly(freshId);
    assertThat(after.history(CHILD)).extracting(AuditEvent::to).containsExactly(
        TrustState.KNOWN, TrustState.VALIDATING, TrustState.TRUSTED, TrustState.KNOWN,
        TrustState.VALIDATING, TrustState.TRUSTED, null);
  }

  @Test
  void migrationsAreIdempotent(Postgres pg) throws Exception {
    PGSimpleDataSource ds = dataSource(pg, "keystate_migrate");
    JdbcTrustStore.open(ds);
    JdbcTrustStore.open(ds);
    try (var c = ds.getConnection(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT COUNT(*) FROM zonecut_keystate_schema")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(JdbcTrustStore.schemaVersion());
    }
  }
}
