package io.github.zonecut.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One shared, unconnected UDP socket and the exchanges waiting for an answer on it, keyed by
 * (ID, question, server) so that answers are demultiplexed without one socket per query.
 */
final class UdpSocket {
  final EventLoop loop;
  final DatagramChannel channel;
  final ConcurrentHashMap<Exchange.DemuxKey, Exchange> pending = new ConcurrentHashMap<>();

  // Requests the kernel had no buffer space for; guarded by this.
  private final ArrayDeque<Exchange> backlog = new ArrayDeque<>();
  private boolean writeInterest;
  private @Nullable SelectionKey key;

  UdpSocket(EventLoop loop, DatagramChannel channel) {
    this.loop = loop;
    this.channel = channel;
  }

  void registered(SelectionKey key) {
    this.key = key;
  }

  /** Sends from the caller's thread; queues behind earlier requests when the buffer is full. */
  void send(Exchange ex) throws IOException {
    synchronized (this) {
      if (backlog.isEmpty() && channel.send(ByteBuffer.wrap(ex.wire), ex.peer) > 0) {
        return;
      }
      backlog.add(ex);
      if (!writeInterest) {
        writeInterest = true;
        loop.execute(() -> setInterest(SelectionKey.OP_READ | SelectionKey.OP_WRITE));
      }
    }
  }

  /** Called on the loop thread when the socket is writable again. */
  void flush() {
    synchronized (this) {
      Exchange ex;
      while ((ex = backlog.peek()) != null) {
        if (!ex.isFinished()) {
          try {
            if (channel.send(ByteBuffer.wrap(ex.wire), ex.peer) == 0) {
              return;
            }
          } catch (IOException e) {
            loop.failNetwork(ex, "UDP send failed", e);
          }
        }
        backlog.poll();
      }
      writeInterest = false;
      setInterest(SelectionKey.OP_READ);
    }
  }

  private void setInterest(int ops) {
    SelectionKey k = key;
    if (k != null && k.isValid()) {
      k.interestOps(ops);
    }
  }
}
