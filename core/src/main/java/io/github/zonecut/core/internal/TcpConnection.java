package io.github.zonecut.core.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One TCP connection to one server, shared by the exchanges to that server (RFC 7766 §6.2.1):
 * requests are written length-prefixed (RFC 1035 §4.2.2) one after the other without waiting
 * for answers (pipelining), and answers, in any order (RFC 7766 §7), are matched by ID and
 * question against the connection's outstanding exchanges, whatever the segmentation. Loop
 * thread only.
 */
final class TcpConnection {
  final InetSocketAddress peer;
  /** Exchanges sent (or queued to be sent) here and not yet finished, by message ID, in order. */
  final LinkedHashMap<Integer, Exchange> outstanding = new LinkedHashMap<>();
  /**
   * IDs of exchanges that ended here without an answer (deadline): a late answer to one is
   * dropped without closing the connection, and the ID is not reused on this connection.
   */
  final HashSet<Integer> stale = new HashSet<>();
  /** Length-prefixed requests not yet written (the head may be partly written). */
  final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
  final ByteBuffer lengthPrefix = ByteBuffer.allocate(2);
  @Nullable ByteBuffer body;
  @Nullable SocketChannel channel;
  @Nullable SelectionKey key;
  /** The TCP handshake completed. */
  boolean connected;
  /** Answers received here: a connection that answered is a live, reused one. */
  int answered;
  /** When the last outstanding exchange ended (loop's {@code System.nanoTime()}). */
  long idleSinceNanos;
  boolean closed;

  TcpConnection(InetSocketAddress peer) {
    this.peer = peer;
  }

  /** Exchanges and stale IDs that occupy the connection's pipeline. */
  int load() {
    return outstanding.size() + stale.size();
  }

  /** Whether {@code id} may be used by a new exchange here. */
  boolean idFree(int id) {
    return !outstanding.containsKey(id) && !stale.contains(id);
  }

  static ByteBuffer frame(byte[] wire) {
    ByteBuffer b = ByteBuffer.allocate(2 + wire.length);
    b.putShort((short) wire.length).put(wire).flip();
    return b;
  }
}
