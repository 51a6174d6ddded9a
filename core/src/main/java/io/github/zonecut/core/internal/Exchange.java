package io.github.zonecut.core.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The state of one request in flight, shared by the UDP path, the TCP path (first try or
 * retry) and the deadline. Exactly one of them finishes it ({@link #tryFinish()}); everything but
 * the finish flag is touched on the owning loop's thread only.
 */
final class Exchange {
  final EventLoop loop;
  final InetSocketAddress peer;
  final long deadlineNanos;
  final ExchangeCallback callback;
  /** Whether the transport may choose the ID (and the case of the question name). */
  final boolean idAssignable;
  /** Whether the exchange starts over TCP (else UDP, with TCP on TC=1 or a spoofing burst). */
  final boolean tcpFirst;
  private final AtomicBoolean finished = new AtomicBoolean();

  /** The octets to send; replaced (never mutated) when the loop assigns the ID or 0x20 case. */
  byte[] wire;
  /** ID and question the answer must match. */
  WireQuestion question;
  /**
   * End offset of the question name in {@link #wire} when its case was randomised (0x20): the
   * answer must echo those octets exactly. 0 when the case is the caller's.
   */
  int caseSensitiveNameEnd;

  /** The UDP socket the exchange waits on, if any. */
  @Nullable UdpSocket udpSocket;

  /** The TCP connection serving this exchange, if any. */
  @Nullable TcpConnection tcp;

  /** A TCP connection that answered nothing failed under it once; the next such failure ends it. */
  boolean tcpRetried;

  /** An answer matched but did not parse or failed a header check; reported at the deadline. */
  boolean sawMalformed;

  // Timer wheel links.
  @Nullable Exchange wheelPrev;
  @Nullable Exchange wheelNext;
  long wheelTick;
  boolean inWheel;

  Exchange(
      EventLoop loop,
      InetSocketAddress peer,
      byte[] wire,
      WireQuestion question,
      boolean idAssignable,
      boolean tcpFirst,
      long deadlineNanos,
      ExchangeCallback callback) {
    this.loop = loop;
    this.peer = peer;
    this.wire = wire;
    this.question = question;
    this.idAssignable = idAssignable;
    this.tcpFirst = tcpFirst;
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
}
