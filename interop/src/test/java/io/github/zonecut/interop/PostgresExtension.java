package io.github.zonecut.interop;

/**
 * JUnit 5 extension giving test classes the shared {@link Postgres} server, started once per test
 * run. Skips the class when PostgreSQL is missing (fails under {@code CI=true}).
 *
 * <pre>{@code
 * @ExtendWith(PostgresExtension.class)
 * class JdbcStoreTest {
 *   static String url;
 *
 *   @BeforeAll
 *   static void database(Postgres pg) throws SQLException {
 *     url = pg.createDatabase("jdbc_store_test");
 *   }
 * }
 * }</pre>
 */
public final class PostgresExtension extends SharedPeerExtension<Postgres> {

  /** Used by JUnit. */
  public PostgresExtension() {
    super(Postgres.class);
  }

  @Override
  void requireAvailable() {
    Postgres.requireTools();
  }

  @Override
  Postgres start() {
    return Postgres.start();
  }
}
