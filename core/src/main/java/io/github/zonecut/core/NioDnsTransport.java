package io.github.zonecut.core;

import io.github.zonecut.core.internal.Checks;
import io.github.zonecut.core.DnsTransportException.Reason;
import io.github.zonecut.core.internal.ExchangeCallback;
import io.github.zonecut.core.internal.NioEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Message;

/**
 * The default {@link DnsTransport}, on {@code java.nio}: a few selector threads, a bounded pool
 * of shared UDP sockets and TCP connections bounded by a limit, built for many thousands of
 * queries in flight without a thread or a file descriptor per query.
 *
 * <p><b>UDP.</b> Requests share {@link Builder#udpSockets(int)} unconnected sockets, each bound
 * to a kernel-chosen ephemeral port. Answers are demultiplexed by (message ID, first question,
 * source address and port) (RFC 5452 §9.1); anything else is dropped and counted in {@link
 * #stats()}. An {@link DnsRequest#idAssignable() ID-assignable} request gets a fresh random ID
 * that is not in flight for the same question and server on the chosen socket; a request with a
 * fixed ID goes to a socket where that ID is free. Because the sockets are shared, source-port
 * randomisation contributes only the choice among the pool; the lookups built on this transport
 * rely on DNSSEC, and UPDATE and KeyState go over TCP.
 *
 * <p><b>TCP.</b> One connection per exchange, closed after the answer; at most {@link
 * Builder#maxTcpConnections(int)} are open at once and further TCP exchanges wait in a queue
 * (their deadline keeps running). This keeps the state per connection trivial and is ample for
 * the TCP traffic zonecut produces (UPDATE, KeyState, truncated answers).
 *
 * <p><b>Threads.</b> {@link Builder#selectorThreads(int)} daemon threads do all socket I/O and
 * deadline handling; every stage returned by {@link #exchange} is completed on the {@link
 * Executor} given to {@link #builder(Executor)} (never on {@code ForkJoinPool.commonPool()}).
 * Answers that arrive in the same selector round on one socket are completed in one executor
 * task, so a busy transport does not pay a thread hand-off per answer.
 * Deadlines are kept in a timing wheel with 10 ms ticks, so a timeout fires at most about one
 * tick late.
 *
 * <p><b>Failures</b> complete the stage exceptionally with {@link DnsTransportException}; its
 * {@link DnsTransportException#reason() reason} distinguishes {@link Reason#TIMEOUT} from
 * network failures, malformed answers, overload and {@link #close()}.
 */
public final class NioDnsTransport implements DnsTransport, AutoCloseable {
  private static final AtomicInteger TRANSPORT_SEQ = new AtomicInteger();

  private final NioEngine engine;

  private NioDnsTransport(Builder b) throws IOException {
    ThreadFactory tf = b.threadFactory;
    if (tf == null) {
      int seq = TRANSPORT_SEQ.incrementAndGet();
      AtomicInteger n = new AtomicInteger();
      tf = r -> {
        Thread t = new Thread(r, "zonecut-dns-" + seq + "-io-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
    }
    this.engine = new NioEngine(b.selectorThreads, b.udpSockets, b.receiveBufferBytes,
        b.sendBufferBytes, b.maxTcpConnections, b.maxInFlight, tf, b.executor);
  }

  /**
   * A builder; answers and failures are delivered on {@code executor}.
   *
   * @param executor runs the completion of every returned stage (and whatever the caller chains
   *     on it without an explicit executor). A direct executor ({@code Runnable::run}) runs them
   *     on the selector thread: the fastest choice, for callbacks that never block; anything
   *     that blocks there stalls every exchange of that thread.
   */
  public static Builder builder(Executor executor) {
    return new Builder(executor);
  }

  /** A transport with the default settings, delivering results on {@code executor}. */
  public static NioDnsTransport create(Executor executor) throws IOException {
    return builder(executor).build();
  }

  @Override
  public CompletionStage<DnsResponse> exchange(
      DnsEndpoint endpoint, DnsRequest request, TransportProtocol protocol, Duration timeout) {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(protocol, "protocol");
    Checks.positive("timeout", timeout);
    CompletableFuture<DnsResponse> future = new CompletableFuture<>();
    engine.submit(endpoint.socketAddress(), request.wireUnsafe(), request.question(),
        request.idAssignable(), protocol == TransportProtocol.TCP, timeout.toNanos(),
        new Completion(future, endpoint));
    return future;
  }

  /** Counters of what this transport has seen; cheap to read, for monitoring and tests. */
  public Stats stats() {
    NioEngine.Stats s = engine.stats();
    return new Stats(s.sent(), s.received(), s.dropped(), s.malformed(), s.timeouts(),
        s.tcpRetries(), engine.inFlight());
  }

  /**
   * Fails every exchange in flight with {@link Reason#CLOSED}, closes every socket and stops the
   * selector threads (waiting up to 5 s for them). Later exchanges fail with {@link
   * Reason#CLOSED}. Idempotent.
   */
  @Override
  public void close() {
    engine.close();
  }

  /**
   * Counters of a {@link NioDnsTransport}.
   *
   * @param sent requests handed to the network (TCP retries not counted twice)
   * @param received messages received over UDP and TCP
   * @param dropped received messages matching no exchange (wrong ID, question or source): stray
   *     or spoofed answers
   * @param malformed received messages that matched an exchange but did not parse
   * @param timeouts exchanges that reached their deadline
   * @param tcpRetries UDP answers with TC=1 retried over TCP
   * @param inFlight exchanges started and not finished
   */
  public record Stats(
      long sent,
      long received,
      long dropped,
      long malformed,
      long timeouts,
      long tcpRetries,
      int inFlight) {}

  private final class Completion implements ExchangeCallback {
    private final CompletableFuture<DnsResponse> future;
    private final DnsEndpoint endpoint;

    Completion(CompletableFuture<DnsResponse> future, DnsEndpoint endpoint) {
      this.future = future;
      this.endpoint = endpoint;
    }

    @Override
    public Runnable answered(byte[] wire, Message message, InetSocketAddress from, boolean tcp) {
      // the engine allocated wire for this answer alone; no second copy
      DnsResponse r = DnsResponse.adopt(wire, message, DnsEndpoint.of(from),
          tcp ? TransportProtocol.TCP : TransportProtocol.UDP);
      return () -> future.complete(r);
    }

    @Override
    public Runnable failed(DnsTransportException failure) {
      return () -> future.completeExceptionally(failure);
    }

    @Override
    public String toString() {
      return "exchange with " + endpoint;
    }
  }

  /** Settings of a {@link NioDnsTransport}; every setter names what it bounds. */
  public static final class Builder {
    private final Executor executor;
    private int selectorThreads = 1;
    private int udpSockets = 16;
    private int maxTcpConnections = 256;
    private int maxInFlight = 65_536;
    private int receiveBufferBytes = 4 << 20;
    private int sendBufferBytes = 1 << 20;
    private @org.jspecify.annotations.Nullable ThreadFactory threadFactory;

    private Builder(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** Selector threads doing all socket I/O (default 1). */
    public Builder selectorThreads(int n) {
      this.selectorThreads = positive("selectorThreads", n);
      return this;
    }

    /** Shared UDP sockets, hence UDP file descriptors (default 16). */
    public Builder udpSockets(int n) {
      this.udpSockets = positive("udpSockets", n);
      return this;
    }

    /** TCP connections open at once; further TCP exchanges queue (default 256). */
    public Builder maxTcpConnections(int n) {
      this.maxTcpConnections = positive("maxTcpConnections", n);
      return this;
    }

    /** Exchanges in flight; beyond it, {@link Reason#OVERLOADED} (default 65536). */
    public Builder maxInFlight(int n) {
      this.maxInFlight = positive("maxInFlight", n);
      return this;
    }

    /**
     * Requested SO_RCVBUF of each UDP socket (default 4 MiB; the kernel may cap it, e.g. Linux
     * {@code net.core.rmem_max}). Bursts of answers beyond it are lost and time out.
     */
    public Builder receiveBufferBytes(int n) {
      this.receiveBufferBytes = positive("receiveBufferBytes", n);
      return this;
    }

    /** Requested SO_SNDBUF of each UDP socket (default 1 MiB). */
    public Builder sendBufferBytes(int n) {
      this.sendBufferBytes = positive("sendBufferBytes", n);
      return this;
    }

    /** Creates the selector threads (default: daemon threads named {@code zonecut-dns-N-io-M}). */
    public Builder threadFactory(ThreadFactory factory) {
      this.threadFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Opens the sockets and starts the selector threads.
     *
     * @throws IOException if a socket or selector cannot be opened
     */
    public NioDnsTransport build() throws IOException {
      return new NioDnsTransport(this);
    }

    private static int positive(String what, int n) {
      if (n < 1) {
        throw new IllegalArgumentException(what + " must be positive: " + n);
      }
      return n;
    }
  }
}
