/**
 * zonecut multi-signer: a pure step planner for RFC 8901 model-2 signer groups following
 * draft-ietf-dnsop-dnssec-automation (join, leave, ZSK, KSK/CSK and algorithm rollovers), the
 * resolver-cache glitch checker that proves a sequence of zone states never breaks validation,
 * and, in {@code io.github.zonecut.multisigner.edge}, the ports a host implements to observe
 * signers and parents and to apply steps.
 */
module io.github.zonecut.multisigner {
  requires transitive io.github.zonecut.core;
  requires static org.jspecify;

  exports io.github.zonecut.multisigner;
  exports io.github.zonecut.multisigner.edge;
}
