package io.github.zonecut.multisigner;

import java.util.Objects;

/**
 * How conservative the planner is.
 *
 * @param safetyFactor every TTL in a wait time is multiplied by this (at least 1; the draft's
 *     minimums are factor 1, multi-signer-controller used 2)
 * @param ownership how keys are attributed to signers
 * @param removeSignalsWhenDone remove CDS/CDNSKEY and CSYNC once the parent has acted (the
 *     draft's optional steps, §5.3 steps 7 and 13, §5.4 steps 4 and 11)
 */
public record PlannerConfig(double safetyFactor, KeyOwnership ownership, boolean removeSignalsWhenDone) {

  /** Factor 2, ownership by origin, signals removed. */
  public static final PlannerConfig DEFAULT =
      new PlannerConfig(2.0, new KeyOwnership.ByOrigin(), true);

  /** Checks the factor. */
  public PlannerConfig {
    if (!(safetyFactor >= 1.0) || safetyFactor > 100.0) {
      throw new IllegalArgumentException("safety factor must be in 1..100: " + safetyFactor);
    }
    Objects.requireNonNull(ownership, "ownership");
  }

  /** This configuration with another ownership rule. */
  public PlannerConfig withOwnership(KeyOwnership o) {
    return new PlannerConfig(safetyFactor, o, removeSignalsWhenDone);
  }

  /** This configuration with another safety factor. */
  public PlannerConfig withSafetyFactor(double f) {
    return new PlannerConfig(f, ownership, removeSignalsWhenDone);
  }
}
