package io.github.zonecut.multisigner;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What to do next for a zone: execute steps, wait, or nothing; or a refusal. A host switches over
 * it, acts, observes again and plans again.
 */
public sealed interface Plan {

  /**
   * Execute these steps now, in any order or in parallel; each is safe given the snapshot.
   * Then observe again and plan again.
   */
  record Act(List<PlannedStep> steps) implements Plan {
    /** Copies the list; it must not be empty. */
    public Act {
      steps = List.copyOf(steps);
      if (steps.isEmpty()) {
        throw new IllegalArgumentException("an Act plan has at least one step");
      }
    }
  }

  /** Nothing may change before {@code until}: a propagation wait (draft §2). Plan again then. */
  record WaitUntil(Instant until, WaitKind kind, String reason) implements Plan {
    /** Checks for null. */
    public WaitUntil {
      Objects.requireNonNull(until);
      Objects.requireNonNull(kind);
      Objects.requireNonNull(reason);
    }
  }

  /**
   * Wait for someone else (the parent, or the zone owner) to make {@code awaited} true; observe
   * again from time to time. After {@code deadline} the planner refuses with {@link
   * Refusal.ParentTimeout}.
   */
  record AwaitChange(Condition awaited, Instant deadline, String reason) implements Plan {
    /** Checks for null. */
    public AwaitChange {
      Objects.requireNonNull(awaited);
      Objects.requireNonNull(deadline);
      Objects.requireNonNull(reason);
    }
  }

  /** The zone is in the intended state and every change has propagated. */
  record Done(String summary) implements Plan {
    /** Checks for null. */
    public Done {
      Objects.requireNonNull(summary);
    }
  }

  /** The planner will not proceed; nothing should be changed. */
  record Refused(Refusal refusal) implements Plan {
    /** Checks for null. */
    public Refused {
      Objects.requireNonNull(refusal);
    }
  }
}
