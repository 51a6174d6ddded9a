package io.github.zonecut.core.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The state of one request in flight, shared by the UDP path, the TCP path (first try or TC=1
 * retry) and the deadline. Exactly one of them finishes it ({@link #tryFinish()}).
 */
final class Exchange {
  final EventLoop loop;
  final InetSocketAddress peer;
  final byte[] wire;
  final WireQuestion question;
  final long deadlineNanos;
  final ExchangeCallback callback;
  private final AtomicBoolean finished = new AtomicBoolean();

  /** Set while the exchange waits on a UDP socket; guarded by the finish race. */
  volatile @Nullable UdpSocket udpSocket;

  volatile @Nullable DemuxKey udpKey;

  /** Set while a TCP connection serves this exchange; touched on the loop thread only. */
  @Nullable TcpConnection tcp;

  /** An answer matched but did not parse; reported instead of a plain timeout. */
  volatile boolean sawMalformed;

  // Timer wheel links; touched on the loop thread only.
  @Nullable Exchange wheelPrev;
  @Nullable Exchange wheelNext;
  long wheelTick;
  boolean inWheel;

  Exchange(
      EventLoop loop,
      InetSocketAddress peer,
      byte[] wire,
      WireQuestion question,
      long deadlineNanos,
      ExchangeCallback callback) {
    this.loop = loop;
    this.peer = peer;
    this.wire = wire;
    this.question = question;
    this.deadlineNanos = deadlineNanos;
    this.callback = callback;
  }

  /** Claims the right to finish this exchange; true for exactly one caller. */
  boolean tryFinish() {
    return finished.compareAndSet(false, true);
  }

  boolean isFinished() {
    return finished.get();
  }

  /** Key in a UDP socket's demultiplexing table (RFC 5452 §9.1). */
  record DemuxKey(int id, WireQuestion question, InetSocketAddress peer) {
    @Override
    public boolean equals(@Nullable Object o) {
      if (!(o instanceof DemuxKey)) {
        return false;
      }
      DemuxKey k = (DemuxKey) o;
      return id == k.id && peer.equals(k.peer) && question.sameQuestion(k.question);
    }

    @Override
    public int hashCode() {
      // Name.hashCode is case-insensitive, like Name.equals
      return ((id * 31 + question.type()) * 31 + question.name().hashCode()) * 31
          + peer.hashCode();
    }
  }
}
