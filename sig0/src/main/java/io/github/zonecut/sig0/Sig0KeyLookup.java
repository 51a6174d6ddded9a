package io.github.zonecut.sig0;

import java.util.List;
import org.xbill.DNS.Name;

/**
 * The verifier's port to trusted keys: the keys that may have made a SIG(0) with this signer
 * name, algorithm and key tag. Key tags collide, so a lookup returns every candidate; the
 * verifier confirms each by recomputing its tag from the key bytes and checking its owner and
 * algorithm before trying it. A {@link Sig0KeyStore} is a lookup.
 */
@FunctionalInterface
public interface Sig0KeyLookup {
  /**
   * The trusted keys matching the SIG(0)'s signer name (compared case-insensitively by label),
   * algorithm and key tag; empty when none.
   */
  List<Sig0PublicKey> find(Name signer, Sig0Algorithm algorithm, int keyTag);

  /** A lookup over a fixed set of keys. */
  static Sig0KeyLookup of(Sig0PublicKey... keys) {
    List<Sig0PublicKey> all = List.of(keys);
    return (signer, algorithm, keyTag) -> {
      // A loop, not a stream: this runs once per verified message.
      List<Sig0PublicKey> out = new java.util.ArrayList<>(1);
      for (Sig0PublicKey k : all) {
        if (k.algorithm().equals(algorithm) && k.keyTag() == keyTag && k.owner().equals(signer)) {
          out.add(k);
        }
      }
      return out;
    };
  }
}
