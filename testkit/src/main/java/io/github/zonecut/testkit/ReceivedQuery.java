package io.github.zonecut.testkit;

import io.github.zonecut.testkit.internal.Responder;
import java.util.Optional;
import java.util.function.Supplier;
import org.xbill.DNS.Message;

/**
 * A query as an endpoint received it, handed to a {@link HostilePeer}: the exact bytes, their
 * parse, the transport, and the answer the endpoint would have sent.
 */
public final class ReceivedQuery {
  private final byte[] wire;
  private final Message message;
  private final boolean overTcp;
  private final Supplier<Message> standard;

  ReceivedQuery(byte[] wire, Message message, boolean overTcp, Supplier<Message> standard) {
    this.wire = wire.clone();
    this.message = message;
    this.overTcp = overTcp;
    this.standard = standard;
  }

  /** A copy of the bytes received (for checks over the exact wire form, e.g. SIG(0), RFC 2931). */
  public byte[] wire() {
    return wire.clone();
  }

  /** The received query, parsed. */
  public Message message() {
    return message.clone();
  }

  /**
   * The address the query came from. Every testkit endpoint listens on loopback, so this is the
   * loopback address (the hierarchy does not tell clients apart by source port).
   */
  public java.net.InetAddress source() {
    return java.net.InetAddress.getLoopbackAddress();
  }

  /** Whether the query arrived over TCP. */
  public boolean overTcp() {
    return overTcp;
  }

  /**
   * A fresh copy of the answer the endpoint would send without the script (from its zones, before
   * transport limits), for scripts that tamper with a correct answer.
   */
  public Optional<Message> standardAnswer() {
    return Optional.of(standard.get());
  }

  /**
   * The octets the endpoint would send without the script, transport limits applied (TC=1 over
   * UDP when too large): for scripts that handle some messages themselves (an UPDATE receiver
   * under test, say) and answer the rest normally.
   */
  public byte[] standardAnswerWire() {
    return Responder.render(standard.get(), message, overTcp);
  }
}
