/**
 * zonecut keystate: the KeyState EDNS(0) option (draft-berra-dnsop-keystate -02/-03), the
 * parent's trust registry for child SIG(0) keys with its store SPI (in memory, JDBC), the SVCB
 * {@code bootstrap} parameter (draft-ietf-dnsop-delegation-mgmt-via-ddns §9.5) and the rules of
 * SIG(0) key bootstrap (ddns §9.4).
 */
module io.github.zonecut.keystate {
  requires transitive io.github.zonecut.core;
  requires transitive io.github.zonecut.sig0;
  requires transitive java.sql;
  requires org.slf4j;
  requires static org.jspecify;

  exports io.github.zonecut.keystate;
  exports io.github.zonecut.keystate.internal to io.github.zonecut.dsync;
}
