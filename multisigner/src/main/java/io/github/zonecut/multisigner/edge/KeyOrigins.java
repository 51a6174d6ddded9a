package io.github.zonecut.multisigner.edge;

import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.multisigner.KeyOwnership;
import io.github.zonecut.multisigner.KeyRole;
import io.github.zonecut.multisigner.OwnedKey;
import io.github.zonecut.multisigner.SignerId;
import io.github.zonecut.multisigner.Signing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tells which of the keys a signer serves it generated itself (draft §5.1 prerequisite 3). DNS
 * alone cannot tell an imported key from an own one; a host either keeps an origin table (as
 * MUSIC's {@code zone_dnskeys}) or uses Knot's key-tag-modulo rule.
 */
@FunctionalInterface
public interface KeyOrigins {

  /**
   * The keys {@code signer} owns among those it serves.
   *
   * @param signer the signer
   * @param served its DNSKEY RRset
   * @param signing which served keys sign its zone data and DNSKEY RRset (from RRSIG key tags)
   */
  List<OwnedKey> ownKeys(SignerId signer, java.util.Set<DnsKeyData> served, Signing signing);

  /** Origins from a table the host maintains (it records each key's signer when it first sees it). */
  static KeyOrigins fromTable(Map<SignerId, List<OwnedKey>> table) {
    Map<SignerId, List<OwnedKey>> copy = Map.copyOf(table);
    return (signer, served, signing) -> copy.getOrDefault(signer, List.of());
  }

  /**
   * Origins by key tag (Knot's {@code dnskey_sync} rule): a served key is the signer's own when its
   * tag falls in the signer's class; a SEP key that also signs zone data is a CSK.
   */
  static KeyOrigins byKeyTag(KeyOwnership.KeyTagModulo rule) {
    return (signer, served, signing) -> {
      List<OwnedKey> out = new ArrayList<>();
      for (DnsKeyData k : served) {
        if (signer.equals(rule.ownerOf(k.keyTag()))) {
          KeyRole role = !k.isSep() ? KeyRole.ZSK
              : signing.zoneKeys().contains(k) ? KeyRole.CSK : KeyRole.KSK;
          out.add(OwnedKey.of(k, role));
        }
      }
      return out;
    };
  }
}
