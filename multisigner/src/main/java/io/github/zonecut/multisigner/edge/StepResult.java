package io.github.zonecut.multisigner.edge;

import java.util.Objects;

/**
 * What happened when a host applied one {@link io.github.zonecut.multisigner.Step} to a signer.
 * The planner never sees these: the host observes again and plans again, and a step that did not
 * take effect is simply planned again. Hosts use the result for logs, alerts and back-off.
 */
public sealed interface StepResult {

  /** The signer accepted the change. */
  record Applied(String detail) implements StepResult {
    /** Checks for null. */
    public Applied {
      Objects.requireNonNull(detail);
    }
  }

  /** The signer already had the desired state; nothing was sent or nothing changed. */
  record AlreadyApplied() implements StepResult {}

  /**
   * The signer refused the change (DNS rcode such as REFUSED/NOTAUTH, a TSIG error, an HTTP 4xx).
   * Retrying unchanged will not help.
   */
  record Rejected(String reason) implements StepResult {
    /** Checks for null. */
    public Rejected {
      Objects.requireNonNull(reason);
    }
  }

  /** The signer could not be reached or timed out; retrying later may help. */
  record Unreachable(String reason) implements StepResult {
    /** Checks for null. */
    public Unreachable {
      Objects.requireNonNull(reason);
    }
  }

  /** This executor cannot perform this kind of step (e.g. key generation over DNS UPDATE). */
  record Unsupported(String reason) implements StepResult {
    /** Checks for null. */
    public Unsupported {
      Objects.requireNonNull(reason);
    }
  }
}
