/**
 * zonecut SIG(0): RFC 2931 transaction signatures over the exact wire bytes, for RFC 3007
 * secure dynamic update. Signing, verification with a clock-skew window and a replay guard,
 * key generation, KEY records, BIND key files, PKCS#8 PEM, a key-store SPI and a replay-store
 * SPI (in memory, JDBC).
 */
module io.github.zonecut.sig0 {
  requires transitive io.github.zonecut.core;
  requires transitive org.dnsjava;
  // JdbcSig0ReplayStore: a replay guard shared by several nodes through a database.
  requires transitive java.sql;
  requires org.bouncycastle.provider;
  requires org.slf4j;
  requires static org.jspecify;
  // The optional native provider (Amazon Corretto Crypto Provider) is found through service
  // binding or reflection, never linked: zonecut works without it.
  uses java.security.Provider;

  exports io.github.zonecut.sig0;
}
