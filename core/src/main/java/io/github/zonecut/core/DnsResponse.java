package io.github.zonecut.core;

import java.util.Objects;
import org.xbill.DNS.Message;

/**
 * One DNS answer as received: the exact octets (needed to verify a SIG(0) over what was received,
 * RFC 2931 §3.2) and the message parsed from them.
 */
public final class DnsResponse {
  private final byte[] wire;
  private final Message message;
  private final DnsEndpoint from;
  private final TransportProtocol protocol;

  /**
   * @param wire the received octets (copied)
   * @param message the message parsed from {@code wire}
   * @param from the endpoint that answered
   * @param protocol the protocol that carried the answer (TCP after a TC=1 retry)
   */
  public DnsResponse(byte[] wire, Message message, DnsEndpoint from, TransportProtocol protocol) {
    this(wire.clone(), message, from, protocol, true);
  }

  private DnsResponse(
      byte[] owned, Message message, DnsEndpoint from, TransportProtocol protocol, boolean unused) {
    this.wire = owned;
    this.message = Objects.requireNonNull(message, "message");
    this.from = Objects.requireNonNull(from, "from");
    this.protocol = Objects.requireNonNull(protocol, "protocol");
  }

  /** A response owning {@code wire}, which the caller created for it and never touches again. */
  static DnsResponse adopt(
      byte[] wire, Message message, DnsEndpoint from, TransportProtocol protocol) {
    return new DnsResponse(wire, message, from, protocol, true);
  }

  /** A copy of the octets received. */
  public byte[] wire() {
    return wire.clone();
  }

  /**
   * The message parsed from {@link #wire()}. dnsjava messages are mutable: callers that change it
   * own the consequences; the octets stay as received.
   */
  public Message message() {
    return message;
  }

  /** The endpoint that answered. */
  public DnsEndpoint from() {
    return from;
  }

  /** The protocol that carried the answer. */
  public TransportProtocol protocol() {
    return protocol;
  }

  @Override
  public String toString() {
    return "DnsResponse[from=" + from + " over " + protocol + ", id=" + message.getHeader().getID()
        + ", rcode=" + message.getRcode() + ", " + wire.length + " octets]";
  }
}
