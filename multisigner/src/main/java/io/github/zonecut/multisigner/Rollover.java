package io.github.zonecut.multisigner;

import io.github.zonecut.core.DnsKeyData;
import java.util.Objects;

/**
 * A key rollover the controller is asked to run. Each names what it retires, so the planner can
 * tell from a snapshot alone whether it is done: the retired key (or algorithm) is gone from every
 * DNSKEY RRset, signature, CDS and DS.
 */
public sealed interface Rollover {

  /** A signer replaces one ZSK (draft-ietf-dnsop-dnssec-automation §5.5). */
  record Zsk(SignerId signer, DnsKeyData oldKey) implements Rollover {
    /** Checks that the key is not a SEP key. */
    public Zsk {
      Objects.requireNonNull(signer, "signer");
      if (oldKey.isSep()) {
        throw new IllegalArgumentException("a ZSK rollover retires a non-SEP key: " + oldKey);
      }
    }
  }

  /** A signer replaces one KSK or CSK (draft §5.6), with a double-DS period at the parent. */
  record Sep(SignerId signer, DnsKeyData oldKey) implements Rollover {
    /** Checks that the key is a SEP key. */
    public Sep {
      Objects.requireNonNull(signer, "signer");
      if (!oldKey.isSep()) {
        throw new IllegalArgumentException("a KSK/CSK rollover retires a SEP key: " + oldKey);
      }
    }
  }

  /** The whole group moves from one DNSSEC algorithm to another (draft §5.7). */
  record Algorithm(int from, int to) implements Rollover {
    /** Checks the algorithm numbers. */
    public Algorithm {
      if (from < 1 || from > 255 || to < 1 || to > 255 || from == to) {
        throw new IllegalArgumentException("algorithm rollover " + from + " -> " + to);
      }
    }
  }
}
