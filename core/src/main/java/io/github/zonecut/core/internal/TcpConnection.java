package io.github.zonecut.core.internal;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.jspecify.annotations.Nullable;

/**
 * One TCP connection serving one exchange: write the length-prefixed request (RFC 1035 §4.2.2),
 * read one length-prefixed answer, whatever the segmentation. Loop thread only.
 */
final class TcpConnection {
  final Exchange exchange;
  final ByteBuffer out;
  final ByteBuffer lengthPrefix = ByteBuffer.allocate(2);
  @Nullable ByteBuffer body;
  @Nullable SocketChannel channel;
  @Nullable SelectionKey key;
  boolean released;

  TcpConnection(Exchange exchange) {
    this.exchange = exchange;
    byte[] wire = exchange.wire;
    out = ByteBuffer.allocate(2 + wire.length);
    out.putShort((short) wire.length).put(wire).flip();
  }
}
