package io.github.zonecut.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * The cheapest possible DNS server, for measuring the client alone: it echoes each UDP query with
 * QR set (a valid NOERROR answer with an empty answer section), on one thread.
 */
final class LoopbackResponder implements AutoCloseable {
  private final DatagramChannel channel;
  private final Thread thread;
  private volatile boolean closed;

  LoopbackResponder() throws IOException {
    channel = DatagramChannel.open();
    channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
    channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
    channel.bind(new InetSocketAddress("127.0.0.1", 0));
    thread = new Thread(this::serve, "loopback-responder");
    thread.setDaemon(true);
    thread.start();
  }

  InetSocketAddress address() throws IOException {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  private void serve() {
    ByteBuffer buf = ByteBuffer.allocateDirect(65535);
    while (!closed) {
      try {
        buf.clear();
        SocketAddress from = channel.receive(buf);
        buf.flip();
        if (buf.remaining() < 12) {
          continue;
        }
        buf.put(2, (byte) (buf.get(2) | 0x80));
        channel.send(buf, from);
      } catch (IOException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    channel.close();
  }
}
