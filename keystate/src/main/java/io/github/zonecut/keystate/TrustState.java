package io.github.zonecut.keystate;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a child's SIG(0) key stands with the parent (ddns §9.4.1: "known" once received with a
 * valid self-signature, "trusted" once validated), and which moves between states are allowed.
 */
public enum TrustState {
  /** Uploaded with a valid self-signature, waiting for validation. */
  KNOWN,
  /** A bootstrap verifier is working on it. */
  VALIDATING,
  /** Validated (or approved by an operator): the key may sign delegation UPDATEs. */
  TRUSTED,
  /** Validation was attempted and failed; waiting will not help (KeyState 8). */
  VALIDATION_FAILED,
  /** Refused by policy, e.g. its algorithm (KeyState 7). */
  REFUSED,
  /** Only an operator can make it trusted (KeyState 10). */
  MANUAL_REQUIRED;

  /** Whether a key in this state may move to {@code to}; staying put is not a move. */
  public boolean canMoveTo(TrustState to) {
    return successors().contains(to);
  }

  /** The states a key in this state may move to. */
  public Set<TrustState> successors() {
    switch (this) {
      case KNOWN:
        return EnumSet.of(VALIDATING, TRUSTED, MANUAL_REQUIRED, REFUSED);
      case VALIDATING:
        return EnumSet.of(TRUSTED, VALIDATION_FAILED, MANUAL_REQUIRED, REFUSED);
      case VALIDATION_FAILED:
        return EnumSet.of(KNOWN, VALIDATING, TRUSTED, MANUAL_REQUIRED, REFUSED);
      case MANUAL_REQUIRED:
        return EnumSet.of(KNOWN, TRUSTED, REFUSED);
      case REFUSED:
        return EnumSet.of(KNOWN, MANUAL_REQUIRED);
      case TRUSTED:
        return EnumSet.noneOf(TrustState.class);
      default:
        throw new AssertionError(this);
    }
  }

  /**
   * The KeyState code a receiver answers for a key in this state (spec state map: trusted 4,
   * validation failed 8, automatic bootstrap in progress 9, manual 10, refused 7).
   *
   * @param manualOnly whether the parent bootstraps manually only, so that a known key waits
   *     for an operator (10) rather than a verifier (9)
   */
  public KeyStateCode keyStateCode(boolean manualOnly) {
    switch (this) {
      case TRUSTED:
        return KeyStateCode.KEY_TRUSTED;
      case VALIDATION_FAILED:
        return KeyStateCode.KEY_VALIDATION_FAILED;
      case REFUSED:
        return KeyStateCode.KEY_REFUSED;
      case MANUAL_REQUIRED:
        return KeyStateCode.BOOTSTRAP_MANUAL;
      case KNOWN:
        return manualOnly ? KeyStateCode.BOOTSTRAP_MANUAL : KeyStateCode.BOOTSTRAP_AUTO;
      case VALIDATING:
        return KeyStateCode.BOOTSTRAP_AUTO;
      default:
        throw new AssertionError(this);
    }
  }
}
