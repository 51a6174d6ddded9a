package io.github.zonecut.multisigner;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the planner attributes a DNSKEY it sees to the signer that generated it.
 *
 * <p>{@link ByOrigin} trusts each signer's own-key list; a key that no signer claims stops the
 * planner ({@link Refusal.UnattributedKey}) rather than being deleted, since deleting another
 * signer's key breaks validation. {@link KeyTagModulo} is Knot's {@code dnskey_sync} rule: signer
 * {@code i} only generates keys whose tag is {@code i} modulo {@code n}, so any key's origin follows
 * from its tag, including keys of signers that have left.
 */
public sealed interface KeyOwnership {

  /** Ownership from the signers' own-key lists (the default). */
  record ByOrigin() implements KeyOwnership {}

  /**
   * Ownership by key tag: a key belongs to the signer whose remainder equals {@code tag % modulus}.
   *
   * @param modulus the number of classes, 2..65535
   * @param remainders each signer's class
   */
  record KeyTagModulo(int modulus, Map<SignerId, Integer> remainders) implements KeyOwnership {
    /** Checks the modulus and that remainders are distinct and in range. */
    public KeyTagModulo {
      if (modulus < 2 || modulus > 65535) {
        throw new IllegalArgumentException("modulus out of range 2..65535: " + modulus);
      }
      remainders = Map.copyOf(remainders);
      if (remainders.values().stream().distinct().count() != remainders.size()) {
        throw new IllegalArgumentException("two signers share a key-tag remainder: " + remainders);
      }
      for (int r : remainders.values()) {
        if (r < 0 || r >= modulus) {
          throw new IllegalArgumentException("remainder out of range: " + r);
        }
      }
    }

    /** The signer owning keys with this tag, or null if no signer has that class. */
    public @Nullable SignerId ownerOf(int keyTag) {
      int r = keyTag % modulus;
      for (Map.Entry<SignerId, Integer> e : remainders.entrySet()) {
        if (e.getValue() == r) {
          return e.getKey();
        }
      }
      return null;
    }

    /** The remainder of {@code signer}, or null if it has none. */
    public @Nullable Integer remainderOf(SignerId signer) {
      return remainders.get(Objects.requireNonNull(signer));
    }
  }
}
