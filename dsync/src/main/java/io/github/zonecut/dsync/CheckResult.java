package io.github.zonecut.dsync;

import java.util.Objects;

/**
 * The verdict of {@link DelegationChecks#check}: the proposed change may be applied, or it may
 * not, with the reason (RFC section in {@link Reason}'s documentation).
 */
public sealed interface CheckResult permits CheckResult.Passed, CheckResult.Failed {

  /** Whether the change passed. */
  default boolean passed() {
    return this instanceof Passed;
  }

  /** Every check passed. */
  record Passed() implements CheckResult {}

  /**
   * A check failed.
   *
   * @param reason which rule
   * @param detail what exactly was wrong (names, key tags), for the registrant
   */
  record Failed(Reason reason, String detail) implements CheckResult {
    /** Checks the fields. */
    public Failed {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
