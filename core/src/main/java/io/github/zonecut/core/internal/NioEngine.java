package io.github.zonecut.core.internal;

import io.github.zonecut.core.DnsTransportException;
import io.github.zonecut.core.DnsTransportException.Reason;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The machinery behind {@code NioDnsTransport}: a fixed set of {@link EventLoop}s, each with its
 * share of the UDP socket and TCP connection limits, and the in-flight limit.
 */
public final class NioEngine implements AutoCloseable {
  final Stats stats = new Stats();
  private final List<EventLoop> loops = new ArrayList<>();
  private final SecureRandom random = IdRandom.create();
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
    final LongAdder spoofingFallbacks = new LongAdder();
    final LongAdder tcpConnections = new LongAdder();
    final LongAdder tcpReconnects = new LongAdder();

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

    /** UDP queries moved to TCP after a burst of mismatched answers on their port. */
    public long spoofingFallbacks() {
      return spoofingFallbacks.sum();
    }

    /** TCP connections opened. */
    public long tcpConnections() {
      return tcpConnections.sum();
    }

    /** TCP exchanges moved to another connection after theirs was closed under them. */
    public long tcpReconnects() {
      return tcpReconnects.sum();
    }
  }

  /**
   * Opens the selectors and starts the loop threads.
   *
   * @param udpSockets UDP sockets open at once, shared among the loops
   * @param randomizeCase whether the question name of ID-assignable UDP requests gets a random
   *     0x20 case that answers must echo
   * @param maxTcpConnections TCP connections open at once (idle ones included), shared among the
   *     loops
   * @param tcpPipelineDepth exchanges outstanding at once on one TCP connection
   * @param maxTcpConnectionsPerServer TCP connections to one server at once, per loop
   * @param tcpIdleNanos how long a TCP connection with nothing outstanding stays open for reuse;
   *     0 closes it after each answer and carries one exchange per connection
   * @param opener opens the channels ({@link ChannelOpener#SYSTEM} but in tests)
   * @throws IOException if a selector cannot be opened
   */
  public NioEngine(
      int loopCount,
      int udpSockets,
      int receiveBuffer,
      int sendBuffer,
      int maxTcpConnections,
      int tcpPipelineDepth,
      int maxTcpConnectionsPerServer,
      long tcpIdleNanos,
      int maxInFlight,
      boolean randomizeCase,
      ThreadFactory threads,
      Executor executor,
      ChannelOpener opener)
      throws IOException {
    this.maxInFlight = maxInFlight;
    this.executor = executor;
    int tcpPerLoop = Math.max(1, (maxTcpConnections + loopCount - 1) / loopCount);
    int udpPerLoop = Math.max(1, (udpSockets + loopCount - 1) / loopCount);
    try {
      for (int i = 0; i < loopCount; i++) {
        loops.add(new EventLoop(this, udpPerLoop, receiveBuffer, sendBuffer, tcpPerLoop,
            tcpPipelineDepth, maxTcpConnectionsPerServer, tcpIdleNanos, randomizeCase, opener));
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
    } catch (RuntimeException e) {
      // RejectedExecutionException, or a broken executor
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
    EventLoop loop = pickLoop();
    if (loop == null) {
      inFlight.decrementAndGet();
      deliver(callback.failed(new DnsTransportException(Reason.CLOSED,
          "transport stopped: no selector thread left")));
      return;
    }
    Exchange ex;
    if (tcp) {
      // over UDP the loop picks the ID, free on the socket it picks; over TCP the loop keeps
      // this random ID unless an exchange on the connection it picks holds it
      WireQuestion q = idAssignable ? question.withId(random.nextInt(0x10000)) : question;
      byte[] w = idAssignable ? WireQuestion.withId(wire, q.id()) : wire;
      ex = new Exchange(loop, peer, w, q, idAssignable, true, deadline, callback);
      stats.sent.increment();
    } else {
      ex = new Exchange(loop, peer, wire, question, idAssignable, false, deadline, callback);
    }
    loop.schedule(ex);
  }

  /** The next live loop, round robin; null if every loop has stopped. */
  private @Nullable EventLoop pickLoop() {
    int n = loops.size();
    int start = Math.floorMod(nextLoop.getAndIncrement(), n);
    for (int i = 0; i < n; i++) {
      EventLoop loop = loops.get((start + i) % n);
      if (!loop.terminated()) {
        return loop;
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
