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

  private static List<Sig0PublicKey> append(List<Sig0PublicKey> list, Sig0PublicKey k) {
    List<Sig0PublicKey> out = new java.util.ArrayList<>(list);
    out.add(k);
    return out;
  }

  /** A lookup over a fixed set of keys. */
  static Sig0KeyLookup of(Sig0PublicKey... keys) {
    List<Sig0PublicKey> all = List.of(keys);
    // The tags, computed once: the keys are immutable and this runs once per verified message.
    int[] tags = new int[all.size()];
    for (int i = 0; i < tags.length; i++) {
      tags[i] = all.get(i).keyTag();
    }
    return (signer, algorithm, keyTag) -> {
      // A loop, not a stream: this runs once per verified message.
      List<Sig0PublicKey> out = List.of();
      for (int i = 0; i < tags.length; i++) {
        Sig0PublicKey k = all.get(i);
        if (tags[i] == keyTag && k.algorithm().equals(algorithm) && k.owner().equals(signer)) {
          out = out.isEmpty() ? List.of(k) : append(out, k);
        }
      }
      return out;
    };
  }
}
