package io.github.zonecut.dsync;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DelegationDelta;
import java.time.Instant;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * One accepted change to a child's delegation, as both paths hand it to a {@link
 * DelegationBackend}: the UPDATE receiver (draft-ietf-dnsop-delegation-mgmt-via-ddns §5) and the
 * CDS/CDNSKEY/CSYNC scanner (RFC 7344, RFC 7477).
 *
 * <p>{@code expected} is the delegation the decision was made against; a backend applies the
 * change only while the delegation it holds still equals {@code expected} (compare-and-set), so a
 * change decided on stale data is never half-applied over a newer one. {@code id} is unique per
 * change and makes applying idempotent: a backend that has applied a change id reports it applied
 * again rather than applying it twice (a retry after a crash).
 *
 * @param id a unique change id (for idempotence and audit)
 * @param child the delegated zone
 * @param expected the delegation the decision was made against
 * @param desired the delegation after the change
 * @param source what asked for it: {@link Source#UPDATE} or {@link Source#SCAN}
 * @param decidedAt when the change was accepted
 */
public record DelegationChange(
    String id, Name child, Delegation expected, Delegation desired, Source source,
    Instant decidedAt) {

  /** Validates that both delegations are of {@code child}. */
  public DelegationChange {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("change id is blank");
    }
    if (!expected.child().equals(child) || !desired.child().equals(child)) {
      throw new IllegalArgumentException("delegation change for " + child
          + " holds the delegation of " + expected.child() + " / " + desired.child());
    }
  }

  /** The record-by-record difference this change makes (core's diff). */
  public DelegationDelta delta() {
    return expected.diff(desired);
  }

  /** Which path accepted a change. */
  public enum Source {
    /** A SIG(0)-signed DNS UPDATE from the child (or its registrar). */
    UPDATE,
    /** A CDS/CDNSKEY/CSYNC scan, triggered by a generalized NOTIFY or a schedule. */
    SCAN
  }
}
