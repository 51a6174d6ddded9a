package io.github.zonecut.testkit;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * A server program installed on an {@link Endpoint} beside its zone data: an UPDATE receiver, a
 * NOTIFY receiver, a KeyState responder — whatever answers the queries it {@link #accepts}
 * while the endpoint answers every other query from its zones.
 *
 * <p>A service is not a {@link Fault}: faults are set on top of it and compose with it. {@link
 * Fault#silence()} drops its queries too, {@link Fault#delay(java.time.Duration)} delays its
 * answers, {@link Fault#truncate()} truncates its UDP answers, {@link Fault#rcode(int)} answers in
 * its place, {@link Fault#script(HostilePeer)} replaces it (the script can still call {@link
 * ReceivedQuery#standardAnswerWire()}), and {@link Endpoint#clearFault()} returns to the service,
 * not to unsigned zone answers. {@link Fault#bogusSignatures()} corrupts RRSIGs of zone answers
 * only.
 *
 * <p>One line installs a receiver, e.g. a zonecut dsync receiver on the DSYNC target:
 *
 * <pre>{@code
 * hierarchy.nameserver("ns.parent.test.").install(Service.of(q -> true,
 *     q -> Optional.of(receiver.handle(q.wire(), q.source()))));
 * }</pre>
 */
public interface Service {

  /** Whether this service answers {@code query} (otherwise the endpoint's zones answer it). */
  boolean accepts(ReceivedQuery query);

  /**
   * The bytes to send back for an {@link #accepts accepted} query, or empty to stay silent (a
   * dropped, rate-limited query). Called on the server's I/O thread: do not block. An exception
   * is logged and treated as silence.
   */
  Optional<byte[]> handle(ReceivedQuery query);

  /** A service that answers the queries {@code accepts} matches with {@code handler}. */
  static Service of(Predicate<ReceivedQuery> accepts, HostilePeer handler) {
    return new Service() {
      @Override
      public boolean accepts(ReceivedQuery query) {
        return accepts.test(query);
      }

      @Override
      public Optional<byte[]> handle(ReceivedQuery query) {
        return handler.respond(query);
      }
    };
  }

  /** A service that answers the queries with one of these opcodes (RFC 6895 §2.2) only. */
  static Service forOpcodes(HostilePeer handler, int... opcodes) {
    int[] ops = opcodes.clone();
    return of(q -> {
      int op = q.message().getHeader().getOpcode();
      for (int o : ops) {
        if (o == op) {
          return true;
        }
      }
      return false;
    }, handler);
  }
}
