package io.github.zonecut.dsync;

import io.github.zonecut.core.Delegation;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * What a registrant would want to hear about a check of their child's signals, as {@link
 * ScanService} makes it: the signal was seen, it is pending (and why), accepted, applied, refused
 * (and by which rule), or the check failed. Today's tools mostly report the final change only; the
 * "DS is pending" state is the common complaint this answers. Each event names the child, the
 * signal type ({@link org.xbill.DNS.Type#CDS} or CSYNC) and when it happened.
 */
public sealed interface ScanEvent permits ScanEvent.SignalSeen, ScanEvent.NoChange,
    ScanEvent.Pending, ScanEvent.Refused, ScanEvent.Accepted, ScanEvent.Applied,
    ScanEvent.Failed {

  /** The child checked. */
  Name child();

  /** {@link org.xbill.DNS.Type#CDS} (CDS/CDNSKEY) or CSYNC. */
  int type();

  /** When it happened. */
  Instant at();

  /** Whether this event ends a check (every check ends with exactly one such event). */
  default boolean isFinal() {
    return !(this instanceof SignalSeen) && !(this instanceof Accepted);
  }

  /** At least one server of the child publishes the signal (CDS/CDNSKEY or CSYNC). */
  record SignalSeen(Name child, int type, Instant at) implements ScanEvent {
    /** Checks the fields. */
    public SignalSeen {
      Objects.requireNonNull(child, "child");
      Objects.requireNonNull(at, "at");
    }
  }

  /** Nothing to do: no signal, or the parent already has what it asks for. */
  record NoChange(Name child, int type, Instant at, String detail) implements ScanEvent {
    /** Checks the fields. */
    public NoChange {
      Objects.requireNonNull(child, "child");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * Not yet: waiting for consistency, observations, approval or a reachable server.
   *
   * @param reason what is awaited
   * @param detail what exactly
   * @param proposed the delegation that would be published, when known
   */
  record Pending(Name child, int type, Instant at, Reason reason, String detail,
      Optional<Delegation> proposed) implements ScanEvent {
    /** Checks the fields. */
    public Pending {
      Objects.requireNonNull(child, "child");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(proposed, "proposed");
    }
  }

  /** The signal breaks a rule; nothing changes until the child changes it. */
  record Refused(Name child, int type, Instant at, Reason reason, String detail)
      implements ScanEvent {
    /** Checks the fields. */
    public Refused {
      Objects.requireNonNull(child, "child");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** The checks accepted the signal; the change goes to the backend next. */
  record Accepted(Name child, int type, Instant at, DelegationChange change, String summary)
      implements ScanEvent {
    /** Checks the fields. */
    public Accepted {
      Objects.requireNonNull(child, "child");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(change, "change");
      Objects.requireNonNull(summary, "summary");
    }
  }

  /**
   * The backend took the change: {@link DelegationBackend.ApplyResult.Applied}, {@code Queued}
   * or {@code AlreadyApplied}.
   */
  record Applied(Name child, int type, Instant at, DelegationChange change,
      DelegationBackend.ApplyResult result) implements ScanEvent {
    /** Checks the fields. */
    public Applied {
      Objects.requireNonNull(child, "child");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(change, "change");
      Objects.requireNonNull(result, "result");
    }
  }

  /**
   * The check could not complete: the backend failed, refused or conflicted, or the observation
   * failed. Worth retrying later.
   *
   * @param kind a short stable word for metrics ({@code backend}, {@code conflict}, {@code
   *     rejected}, {@code observe}, {@code timeout})
   * @param detail what happened
   */
  record Failed(Name child, int type, Instant at, String kind, String detail)
      implements ScanEvent {
    /** Checks the fields. */
    public Failed {
      Objects.requireNonNull(child, "child");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
