package io.github.zonecut.dsync;

import io.github.zonecut.core.Delegation;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the acceptance checks decided about a child's CDS/CDNSKEY or CSYNC signal: a change to
 * apply, nothing to do, not yet (with what is awaited), or never for this data (with the rule).
 * Hosts switch over it and turn each case into an event a registrant can see (the missing "DS
 * is pending" signal of today's tools).
 */
public sealed interface Decision
    permits Decision.Accept, Decision.NoChange, Decision.Pending, Decision.Refused {

  /**
   * The signal is accepted: the parent should publish {@code desired} instead of {@code
   * expected}.
   *
   * @param expected the parent's delegation the decision was made against
   * @param desired the delegation to publish
   * @param summary what changes and by which rule, for logs and events
   */
  record Accept(Delegation expected, Delegation desired, String summary) implements Decision {
    /** Checks the delegations belong to one child. */
    public Accept {
      if (!expected.child().equals(desired.child())) {
        throw new IllegalArgumentException("delegations of two children");
      }
      Objects.requireNonNull(summary, "summary");
    }

    /** The {@link DelegationChange} a {@link DelegationBackend} applies. */
    public DelegationChange toChange(String id, DelegationChange.Source source, Instant at) {
      return new DelegationChange(id, expected.child(), expected, desired, source, at);
    }
  }

  /**
   * Nothing to do: no signal published, or the signal asks for what the parent already has
   * (RFC 7344 §4: an absent or empty RRset means no change).
   *
   * @param detail why
   */
  record NoChange(String detail) implements Decision {
    /** Checks the field. */
    public NoChange {
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * Not yet: the same data may be accepted later (a retry, more observations, an approval).
   *
   * @param reason what is awaited (a {@link Reason#transientCondition() transient} reason)
   * @param detail what exactly
   * @param proposed the delegation that would be published, when it is known (e.g. a CSYNC
   *     awaiting approval)
   * @param history the accept-after-delay state to persist and pass to the next check, when
   *     this is an {@link Reason#AWAITING_OBSERVATIONS} wait
   */
  record Pending(Reason reason, String detail, Optional<Delegation> proposed,
      Optional<BootstrapHistory> history) implements Decision {
    /** Checks the fields. */
    public Pending {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(proposed, "proposed");
      Objects.requireNonNull(history, "history");
    }
  }

  /**
   * Refused: this data breaks a rule; nothing changes until the child changes it.
   *
   * @param reason the rule
   * @param detail what exactly was wrong
   */
  record Refused(Reason reason, String detail) implements Decision {
    /** Checks the fields. */
    public Refused {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
