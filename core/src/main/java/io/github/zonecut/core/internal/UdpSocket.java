package io.github.zonecut.core.internal;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import java.util.HashMap;
import org.jspecify.annotations.Nullable;

/**
 * One UDP socket, bound to a fresh kernel-chosen ephemeral port and connected to one server, and
 * the exchanges waiting for an answer on it, keyed by message ID: no two exchanges in flight
 * share a (port, ID) pair. Normally it serves one exchange and is closed with it; when the
 * transport is at its socket limit it is shared by several exchanges to the same server. Loop
 * thread only.
 */
final class UdpSocket {
  final DatagramChannel channel;
  final InetSocketAddress peer;
  final HashMap<Integer, Exchange> pending = new HashMap<>();
  /** Requests the kernel had no buffer space for. */
  final ArrayDeque<Exchange> backlog = new ArrayDeque<>();
  @Nullable SelectionKey key;
  /** Datagrams that matched no exchange on this socket (wrong ID, question or case). */
  int mismatches;
  /** Takes no new exchange; closed when the last one ends. */
  boolean retired;
  boolean closed;

  UdpSocket(DatagramChannel channel, InetSocketAddress peer) {
    this.channel = channel;
    this.peer = peer;
  }
}
