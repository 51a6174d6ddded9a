package io.github.zonecut.sig0;

import io.github.zonecut.core.ZonecutException;
import java.util.Objects;

/**
 * A SIG(0)-signed message that cannot travel as asked: an algorithm that is TCP only (ML-DSA)
 * over UDP, or a message over the 65535 octets a DNS message can have (RFC 1035 §4.2.2).
 */
public final class Sig0TransportException extends ZonecutException {
  private static final long serialVersionUID = 1L;

  /** What was wrong. */
  public enum Reason {
    /** The algorithm's registry entry is TCP only and the message was to go over UDP. */
    TCP_ONLY_ALGORITHM,
    /** The signed message would exceed 65535 octets. */
    MESSAGE_TOO_LARGE
  }

  private final Reason reason;

  /** An exception for {@code reason} with a message naming the algorithm and sizes. */
  public Sig0TransportException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** What was wrong. */
  public Reason reason() {
    return reason;
  }
}
