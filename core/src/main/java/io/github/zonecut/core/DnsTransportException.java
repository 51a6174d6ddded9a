package io.github.zonecut.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Why a {@link DnsTransport} exchange produced no usable answer. Transports complete their
 * {@link java.util.concurrent.CompletionStage} exceptionally with this exception; stages derived
 * from it wrap it in a {@link java.util.concurrent.CompletionException}, so use {@link
 * #find(Throwable)} to get it back and switch over {@link #reason()}.
 */
public final class DnsTransportException extends ZonecutException {
  private static final long serialVersionUID = 1L;

  /** The failure classes a caller can act on differently. */
  public enum Reason {
    /** No matching answer before the deadline: retry, maybe elsewhere (RFC 1035 §4.2.1). */
    TIMEOUT,
    /**
     * The request could not be sent or the connection failed (refused, reset, unreachable; over
     * UDP an ICMP port unreachable from the server's host, reported at once).
     */
    NETWORK,
    /**
     * An answer came but could not be parsed or does not fit the query (another OPCODE, another
     * question count; over TCP also another ID or question, or TC=1): over TCP at once, since the
     * connection serves this query alone; over UDP only if no valid matching answer arrived
     * before the deadline (an off-path spoofer cannot kill a query with garbage).
     */
    MALFORMED_RESPONSE,
    /** The transport refused the request because its in-flight limit was reached. */
    OVERLOADED,
    /** The transport was closed before the exchange completed. */
    CLOSED
  }

  private final Reason reason;

  /** An exception of the given class with a message naming the endpoint and what went wrong. */
  public DnsTransportException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Like {@link #DnsTransportException(Reason, String)} with the underlying cause. */
  public DnsTransportException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** The failure class. */
  public Reason reason() {
    return reason;
  }

  /**
   * The {@code DnsTransportException} in {@code failure}'s cause chain (typically under a {@link
   * java.util.concurrent.CompletionException}), or null if there is none.
   */
  public static @Nullable DnsTransportException find(@Nullable Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 16; depth++) {
      if (t instanceof DnsTransportException) {
        return (DnsTransportException) t;
      }
      t = t.getCause();
    }
    return null;
  }
}
