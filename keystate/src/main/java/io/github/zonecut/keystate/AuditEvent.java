package io.github.zonecut.keystate;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the registry's audit trail: who moved which key from where to where, when and
 * why.
 *
 * @param key the key concerned
 * @param from its state before, or null when the key was new
 * @param to its state after, or null when the key was removed
 * @param at when, from the registry's clock
 * @param actor who or what did it (an operator, a verifier, a signer's key)
 * @param reason why, in words
 */
public record AuditEvent(KeyIdentity key, @Nullable TrustState from, @Nullable TrustState to,
    Instant at, String actor, String reason) {

  /** Validates the fields. */
  public AuditEvent {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(reason, "reason");
    if (from == null && to == null) {
      throw new IllegalArgumentException("an audit event needs a state before or after");
    }
  }
}
