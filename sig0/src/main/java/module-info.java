/**
 * zonecut SIG(0): RFC 2931 transaction signatures over the exact wire bytes, for RFC 3007
 * secure dynamic update. Signing, verification with a clock-skew window and a replay guard,
 * key generation, KEY records, BIND key files, PKCS#8 PEM and a key-store SPI.
 */
module io.github.zonecut.sig0 {
  requires transitive io.github.zonecut.core;
  requires transitive org.dnsjava;
  requires org.bouncycastle.provider;
  requires org.slf4j;
  requires static org.jspecify;

  exports io.github.zonecut.sig0;
}
