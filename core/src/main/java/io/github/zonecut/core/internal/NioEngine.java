package io.github.zonecut.core.internal;

import io.github.zonecut.core.DnsTransportException;
import io.github.zonecut.core.DnsTransportException.Reason;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The machinery behind {@code NioDnsTransport}: a fixed set of {@link EventLoop}s, each with a
 * share of a bounded pool of UDP sockets, and the in-flight limit.
 */
public final class NioEngine implements AutoCloseable {
  /** How many times a fresh random ID is tried on one socket before moving to the next. */
  private static final int ID_TRIES = 8;

  final Stats stats = new Stats();
  private final List<EventLoop> loops = new ArrayList<>();
  private final List<UdpSocket> sockets = new ArrayList<>();
  private final SecureRandom random = new SecureRandom();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger nextLoop = new AtomicInteger();
  private final int maxInFlight;
  private final Executor executor;
  private volatile boolean closed;

  /** Counters, exposed through the transport's statistics. */
  public static final class Stats {
    final LongAdder sent = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder tcpRetries = new LongAdder();

    /** Requests handed to the network. */
    public long sent() {
      return sent.sum();
    }

    /** Datagrams and TCP messages received. */
    public long received() {
      return received.sum();
    }

    /** Received messages that matched no exchange (wrong ID, question or source): dropped. */
    public long dropped() {
      return dropped.sum();
    }

    /** Received messages that matched an exchange but did not parse. */
    public long malformed() {
      return malformed.sum();
    }

    /** Exchanges that hit their deadline. */
    public long timeouts() {
      return timeouts.sum();
    }

    /** UDP answers with TC=1 that were retried over TCP. */
    public long tcpRetries() {
      return tcpRetries.sum();
    }
  }

  /**
   * Opens the sockets and starts the loop threads.
   *
   * @throws IOException if a socket or selector cannot be opened
   */
  public NioEngine(
      int loopCount,
      int udpSockets,
      int receiveBuffer,
      int sendBuffer,
      int maxTcpConnections,
      int maxInFlight,
      ThreadFactory threads,
      Executor executor)
      throws IOException {
    this.maxInFlight = maxInFlight;
    this.executor = executor;
    int tcpPerLoop = Math.max(1, (maxTcpConnections + loopCount - 1) / loopCount);
    try {
      for (int i = 0; i < loopCount; i++) {
        int share = udpSockets / loopCount + (i < udpSockets % loopCount ? 1 : 0);
        EventLoop loop = new EventLoop(this, share, receiveBuffer, sendBuffer, tcpPerLoop);
        loops.add(loop);
        sockets.addAll(loop.sockets());
      }
    } catch (IOException e) {
      for (EventLoop loop : loops) {
        loop.shutdown();
      }
      throw e;
    }
    for (EventLoop loop : loops) {
      loop.start(threads.newThread(loop));
    }
  }

  /**
   * Runs {@code completion} on the host's executor; if the executor refuses (it was shut down),
   * runs it here, because a stage that never completes is worse.
   */
  void deliver(Runnable completion) {
    try {
      executor.execute(completion);
    } catch (RejectedExecutionException e) {
      completion.run();
    }
  }

  /** The counters. */
  public Stats stats() {
    return stats;
  }

  /** Exchanges started and not yet finished. */
  public int inFlight() {
    return inFlight.get();
  }

  void exchangeEnded() {
    inFlight.decrementAndGet();
  }

  /**
   * Starts one exchange; the outcome goes to {@code callback}, on a loop thread or (for an
   * immediate failure) on the calling thread.
   *
   * @param wire the request octets (not copied; the caller must not change them)
   * @param idAssignable whether a fresh random ID may replace the request's
   */
  public void submit(
      InetSocketAddress peer,
      byte[] wire,
      WireQuestion question,
      boolean idAssignable,
      boolean tcp,
      long timeoutNanos,
      ExchangeCallback callback) {
    if (closed) {
      deliver(callback.failed(new DnsTransportException(Reason.CLOSED, "transport closed")));
      return;
    }
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      deliver(callback.failed(new DnsTransportException(Reason.OVERLOADED,
          "more than " + maxInFlight + " exchanges in flight")));
      return;
    }
    long deadline = System.nanoTime() + timeoutNanos;
    if (tcp || sockets.isEmpty()) {
      EventLoop loop = loops.get(Math.floorMod(nextLoop.getAndIncrement(), loops.size()));
      WireQuestion q = idAssignable ? question.withId(random.nextInt(0x10000)) : question;
      byte[] w = idAssignable ? WireQuestion.withId(wire, q.id()) : wire;
      Exchange ex = new Exchange(loop, peer, w, q, deadline, callback);
      loop.schedule(ex);
      stats.sent.increment();
      loop.execute(() -> loop.startTcp(ex));
      return;
    }
    Exchange ex = registerUdp(peer, wire, question, idAssignable, deadline, callback);
    if (ex == null) {
      inFlight.decrementAndGet();
      deliver(callback.failed(new DnsTransportException(Reason.OVERLOADED,
          "message ID " + question.id() + " for this question and server is in flight on every"
              + " socket")));
      return;
    }
    ex.loop.schedule(ex);
    try {
      UdpSocket s = ex.udpSocket;
      if (s != null) {
        s.send(ex);
        stats.sent.increment();
      }
    } catch (IOException | RuntimeException e) {
      ex.loop.failNetwork(ex, "UDP send to " + peer + " failed", e);
    }
  }

  private @Nullable Exchange registerUdp(
      InetSocketAddress peer,
      byte[] wire,
      WireQuestion question,
      boolean idAssignable,
      long deadline,
      ExchangeCallback callback) {
    int n = sockets.size();
    int start = ThreadLocalRandom.current().nextInt(n);
    for (int i = 0; i < n; i++) {
      UdpSocket s = sockets.get((start + i) % n);
      for (int t = 0; t < (idAssignable ? ID_TRIES : 1); t++) {
        // RFC 5452 §9.2: an unpredictable ID for every query whose ID is not fixed
        WireQuestion q = idAssignable ? question.withId(random.nextInt(0x10000)) : question;
        byte[] w = idAssignable ? WireQuestion.withId(wire, q.id()) : wire;
        Exchange ex = new Exchange(s.loop, peer, w, q, deadline, callback);
        Exchange.DemuxKey key = new Exchange.DemuxKey(q.id(), q, peer);
        ex.udpSocket = s;
        ex.udpKey = key;
        if (s.pending.putIfAbsent(key, ex) == null) {
          return ex;
        }
      }
    }
    return null;
  }

  /** Fails every pending exchange with {@link Reason#CLOSED} and stops the loop threads. */
  @Override
  public void close() {
    closed = true;
    for (EventLoop loop : loops) {
      loop.shutdown();
    }
    for (EventLoop loop : loops) {
      Thread t = loop.thread();
      if (t != null && t != Thread.currentThread()) {
        try {
          t.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
