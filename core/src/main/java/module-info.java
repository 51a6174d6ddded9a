/**
 * zonecut core: the record types dnsjava lacks (DSYNC, CSYNC, HSYNC, HSYNCPARAM), the
 * {@link io.github.zonecut.core.Codepoints} profile, label-wise name rules, the
 * {@code Delegation} value, the DNS transport port and lookups.
 */
module io.github.zonecut.core {
  requires transitive org.dnsjava;
  requires static org.jspecify;
  requires org.slf4j;

  exports io.github.zonecut.core;
  exports io.github.zonecut.core.internal.server to io.github.zonecut.testkit, io.github.zonecut.dsync;
}
