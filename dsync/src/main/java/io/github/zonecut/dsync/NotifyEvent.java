package io.github.zonecut.dsync;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * What the {@link NotifyReceiver} did with one request, for the host's metrics and audit log: one
 * event per request, answered or not.
 *
 * @param at when the request was handled
 * @param source the sender's address
 * @param child the NOTIFY's QNAME, when it could be read
 * @param type the NOTIFY's QTYPE, or -1 when it could not be read
 * @param outcome what was done
 * @param rcode the RCODE answered, or -1 when nothing was answered
 */
public record NotifyEvent(Instant at, InetAddress source, Optional<Name> child, int type,
    Outcome outcome, int rcode) {

  /** Checks the fields. */
  public NotifyEvent {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(child, "child");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** What the receiver did. */
  public enum Outcome {
    /** Acknowledged; a check of the child was scheduled (RFC 9859 §4.3 option 1). */
    SCHEDULED,
    /** Acknowledged; a check of the child was already pending and this one joined it. */
    COALESCED,
    /** Refused with EDE Blocked (15): the source or the child is over its rate (RFC 9859 §5). */
    RATE_LIMITED,
    /** Refused with EDE Blocked (15): the scan queue is full. */
    QUEUE_FULL,
    /** Refused: the NOTIFY names more than one child (RFC 9859 §4.3: MUST be discarded). */
    MULTI_CHILD,
    /** Refused: the child is not below a zone this receiver serves. */
    NOT_SERVED,
    /** NOTIMP: not a NOTIFY, or a NOTIFY for a type this receiver does not process. */
    NOT_IMPLEMENTED,
    /** FORMERR, or no answer at all to bytes that are not a DNS request. */
    MALFORMED
  }
}
