package io.github.zonecut.keystate;

import java.util.List;
import java.util.Objects;

/** What a request to the trust registry led to; callers switch over the cases. */
public sealed interface RegistryOutcome {

  /**
   * The request was applied.
   *
   * @param key the entry of the key concerned, as it now is
   * @param removed keys removed as a consequence (superseded after a promotion)
   */
  record Applied(KeyEntry key, List<KeyIdentity> removed) implements RegistryOutcome {
    /** Copies the list. */
    public Applied {
      Objects.requireNonNull(key, "key");
      removed = List.copyOf(removed);
    }
  }

  /**
   * The request broke a rule and nothing changed.
   *
   * @param reason which rule, in words (safe to log and to report to the child)
   */
  record Rejected(String reason) implements RegistryOutcome {
    /** Checks the reason. */
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
