package io.github.zonecut.testkit;

import java.util.Optional;

/**
 * A scripted peer that answers in an endpoint's place: the "hostile peer double" for tests of
 * code that must survive malformed, forged or out-of-order answers. Install it with {@link
 * Fault#script(HostilePeer)}.
 *
 * <p>Example: answer with the normal response but a wrong message ID.
 *
 * <pre>{@code
 * endpoint.setFault(Fault.script(q -> q.standardAnswer().map(m -> {
 *   m.getHeader().setID((m.getHeader().getID() + 1) & 0xFFFF);
 *   return m.toWire();
 * })));
 * }</pre>
 */
@FunctionalInterface
public interface HostilePeer {
  /**
   * Returns the bytes to send back for {@code query}, or empty to stay silent. Called on the
   * server's I/O thread: do not block. An exception is logged and treated as silence.
   */
  Optional<byte[]> respond(ReceivedQuery query);
}
