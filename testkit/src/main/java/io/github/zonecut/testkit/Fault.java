package io.github.zonecut.testkit;

import java.time.Duration;
import java.util.Objects;

/**
 * A misbehaviour an {@link Endpoint} adopts until it is cleared: the failures a resolver, a
 * parent scanner or an UPDATE client must survive. Set one with {@link Endpoint#setFault(Fault)}.
 *
 * <p>Data faults that belong to a zone rather than to a server (a parent publishing a DS that
 * matches no key, a zone whose signatures are all bogus, an out-of-date secondary) are set on
 * {@link TestZone} and {@link Endpoint#freeze()}. A change timed against a client's reads (a
 * zone that moves between two reads of one client, RFC 7477 §3.1) is set with {@link
 * Endpoint#onceAfterAnswering}.
 */
public sealed interface Fault
    permits Fault.Silence,
        Fault.Delay,
        Fault.Truncate,
        Fault.Rcode,
        Fault.BogusSignatures,
        Fault.Scripted {

  /** The endpoint drops every query: the requester times out. */
  static Fault silence() {
    return new Silence();
  }

  /** The endpoint sends its normal answer after {@code delay}. */
  static Fault delay(Duration delay) {
    return new Delay(delay);
  }

  /**
   * Every UDP answer is empty with TC=1 (RFC 2181 §9), whatever its size, so the requester must
   * retry over TCP; TCP answers are normal.
   */
  static Fault truncate() {
    return new Truncate();
  }

  /** The endpoint answers SERVFAIL (RFC 1035 §4.1.1) to everything. */
  static Fault servfail() {
    return new Rcode(org.xbill.DNS.Rcode.SERVFAIL);
  }

  /** The endpoint answers every query with the header-only error {@code rcode} (0–15). */
  static Fault rcode(int rcode) {
    return new Rcode(rcode);
  }

  /** The endpoint's answers carry RRSIGs whose signatures do not verify (RFC 4035 §5.3). */
  static Fault bogusSignatures() {
    return new BogusSignatures();
  }

  /** The endpoint hands every query to {@code peer} and sends what it returns, if anything. */
  static Fault script(HostilePeer peer) {
    return new Scripted(peer);
  }

  /** See {@link Fault#silence()}. */
  record Silence() implements Fault {}

  /**
   * See {@link Fault#delay(Duration)}.
   *
   * @param delay how long each answer is held back; positive
   */
  record Delay(Duration delay) implements Fault {
    /** Validates the delay. */
    public Delay {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative() || delay.isZero()) {
        throw new IllegalArgumentException("delay must be positive: " + delay);
      }
    }
  }

  /** See {@link Fault#truncate()}. */
  record Truncate() implements Fault {}

  /**
   * See {@link Fault#rcode(int)}.
   *
   * @param rcode the response code, 1–15 (header-only error codes)
   */
  record Rcode(int rcode) implements Fault {
    /** Validates the response code. */
    public Rcode {
      if (rcode < 1 || rcode > 15) {
        throw new IllegalArgumentException(
            "rcode must be a header error code 1-15: " + rcode + " (" + org.xbill.DNS.Rcode.string(rcode) + ")");
      }
    }
  }

  /** See {@link Fault#bogusSignatures()}. */
  record BogusSignatures() implements Fault {}

  /**
   * See {@link Fault#script(HostilePeer)}.
   *
   * @param peer the script that answers in the endpoint's place
   */
  record Scripted(HostilePeer peer) implements Fault {
    /** Validates the script. */
    public Scripted {
      Objects.requireNonNull(peer, "peer");
    }
  }
}
