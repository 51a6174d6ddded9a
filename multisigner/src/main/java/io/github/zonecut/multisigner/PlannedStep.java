package io.github.zonecut.multisigner;

import java.util.List;
import java.util.Objects;

/**
 * A step the planner wants executed now, with the facts that justified it, the observation that
 * will prove it done, and why.
 *
 * @param step the change
 * @param preconditions what held in the snapshot that made the step safe
 * @param reason a sentence for operators
 * @param draftStep the draft-ietf-dnsop-dnssec-automation-04 steps this implements, e.g. {@code
 *     "§5.3 step 3"}; empty for zonecut's own additions
 */
public record PlannedStep(Step step, List<Condition> preconditions, String reason, String draftStep) {

  /** Copies the list. */
  public PlannedStep {
    Objects.requireNonNull(step);
    preconditions = List.copyOf(preconditions);
    Objects.requireNonNull(reason);
    Objects.requireNonNull(draftStep);
  }

  /** The observation that proves the step done. */
  public Condition postcondition() {
    return step.postcondition();
  }
}
