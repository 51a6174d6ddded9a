/**
 * zonecut dsync: delegation synchronisation end to end (draft-ietf-dnsop-delegation-mgmt-via-ddns,
 * RFC 9859, RFC 7344, RFC 8078, RFC 9615, RFC 7477, RFC 5910).
 */
module io.github.zonecut.dsync {
  requires transitive io.github.zonecut.core;
  requires transitive io.github.zonecut.sig0;
  requires transitive io.github.zonecut.keystate;
  requires transitive java.sql;
  requires org.slf4j;
  requires static org.jspecify;

  exports io.github.zonecut.dsync;
}
