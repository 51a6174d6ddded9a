/**
 * zonecut testkit: an in-process DNS hierarchy for tests and research harnesses, in the spirit of
 * OkHttp's mockwebserver. Signed zones are served over UDP and TCP on loopback, one endpoint per
 * nameserver plus one recursive-style endpoint for stub validators, with fault injection and
 * hostile-peer doubles.
 */
module io.github.zonecut.testkit {
  requires transitive io.github.zonecut.core;
  requires transitive org.dnsjava;
  requires org.slf4j;
  requires static org.jspecify;
  requires static org.junit.jupiter.api;

  exports io.github.zonecut.testkit;
}
