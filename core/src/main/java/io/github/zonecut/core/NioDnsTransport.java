package io.github.zonecut.core;

import io.github.zonecut.core.internal.ChannelOpener;
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
 * The default {@link DnsTransport}, on {@code java.nio}: a few selector threads, UDP sockets and
 * TCP connections bounded by limits, built for many thousands of queries in flight without a
 * thread per query.
 *
 * <p><b>UDP.</b> Each query gets its own socket, bound to a fresh kernel-chosen ephemeral port
 * (random on Linux, over {@code net.ipv4.ip_local_port_range}) and connected to the server, and a
 * fresh random ID (RFC 5452 §9.2); the socket is closed as soon as its query ends. At most {@link
 * Builder#udpSockets(int)} sockets are open at once: beyond that, queries share the open sockets
 * to the same server (never two in flight with the same port and ID) or wait for one to close,
 * their deadline running. Answers must come from the server's address and port (the kernel
 * filters a connected socket), carry the query's ID and question (RFC 5452 §9.1), and, with
 * {@link Builder#randomizeQuestionCase(boolean)}, echo the question name's random 0x20 case
 * octet for octet; anything else is dropped and counted in {@link #stats()}. A burst of 8 such
 * mismatched datagrams on one port is taken as a spoofing attempt: that port's queries are retried over TCP (counted in
 * {@link Stats#spoofingFallbacks()}). An ICMP port unreachable fails the query at once with
 * {@link Reason#NETWORK} instead of a {@link Reason#TIMEOUT} at the deadline.
 *
 * <p><b>What an off-path spoofer faces.</b> With the default Linux port range (32768–60999) a
 * forged answer must hit one of 28,232 ports and one of 65,536 IDs: about 1.85 × 10⁹ datagrams
 * (2<sup>30.8</sup>) per query in expectation, all within that query's lifetime, against 2<sup>20</sup>
 * (16 shared ports × 65,536 IDs, forged in ~6 s on loopback) before ports were per query. Once
 * a spoofer hits the right port, its wrong IDs there trip the mismatch burst above after 8
 * datagrams, so even knowing the port it wins a query with probability at most 8 / 65,536. 0x20 multiplies the cost by 2 per
 * letter of the name. Sharing at the socket limit lowers the port factor to the number of open
 * sockets to that server. DNSSEC remains the defence against an on-path attacker.
 *
 * <p><b>TCP.</b> Connections are reused and pipelined (RFC 7766 §6.2.1): exchanges to the
 * same server share an open connection while it has fewer than {@link
 * Builder#tcpPipelineDepth(int)} outstanding, each request written as soon as the connection
 * takes it, without waiting for earlier answers; answers may come in any order (RFC 7766 §7) and
 * are matched by ID and question. Requests whose ID the transport may choose get one not
 * outstanding on their connection; a signed request whose fixed ID is taken there goes to
 * another connection or waits. When every connection to a server is full, another is opened, up
 * to {@link Builder#maxTcpConnectionsPerServer(int)} per server (RFC 7766 §6.2.2) and {@link
 * Builder#maxTcpConnections(int)} in all (idle connections included; the least recently used
 * idle one is closed to make room); beyond that, TCP exchanges wait in a queue, their deadline
 * running. A connection with nothing outstanding is closed after {@link
 * Builder#tcpIdleTimeout(Duration)} (RFC 7766 §6.2.3); {@link Duration#ZERO} restores one
 * connection per exchange, closed after its answer. A server may close a connection at any time
 * (RFC 7766 §6.2.4): its unanswered exchanges are retried on a new connection within their
 * deadline, once if the connection answered nothing (then {@link Reason#NETWORK}); a connection
 * that cannot be opened fails its exchanges with {@link Reason#NETWORK}. Any message that does
 * not answer an outstanding exchange (unknown ID, QR clear, another question, OPCODE or
 * QDCOUNT, TC=1, unparsable) closes the connection, so a peer streaming junk costs one message:
 * the exchange whose ID it carries fails with {@link Reason#MALFORMED_RESPONSE} and the others
 * on that connection are retried once on a fresh one (then {@link Reason#MALFORMED_RESPONSE}).
 * A late answer to an exchange that timed out is dropped; its ID is not reused on that
 * connection.
 *
 * <p><b>Threads.</b> {@link Builder#selectorThreads(int)} daemon threads do all socket I/O and
 * deadline handling; every stage returned by {@link #exchange} is completed on the {@link
 * Executor} given to {@link #builder(Executor)} (never on {@code ForkJoinPool.commonPool()}).
 * Answers that arrive in the same selector round on one socket are completed in one executor
 * task, so a busy transport does not pay a thread hand-off per answer.
 * Deadlines are kept in a timing wheel with 10 ms ticks, so a timeout fires at most about one
 * tick late. A selector thread survives any exception or error while serving a socket (that
 * socket's exchanges fail); every returned stage completes, whatever happens.
 *
 * <p><b>Failures</b> complete the stage exceptionally with {@link DnsTransportException}; its
 * {@link DnsTransportException#reason() reason} distinguishes {@link Reason#TIMEOUT} from
 * network failures, malformed answers, overload and {@link #close()}. Messages name endpoints
 * as {@code 192.0.2.1:53} and {@code [2001:db8::1]:53}.
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
        b.sendBufferBytes, b.maxTcpConnections, b.tcpPipelineDepth, b.maxTcpConnectionsPerServer,
        b.tcpIdleTimeout.toNanos(), b.maxInFlight, b.randomizeQuestionCase, tf, b.executor,
        ChannelOpener.SYSTEM);
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
        s.tcpRetries(), engine.inFlight(), s.spoofingFallbacks(), s.tcpConnections(),
        s.tcpReconnects());
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
   * @param dropped received messages matching no exchange (wrong ID, question or 0x20 case, or
   *     over TCP a message that answers another query or a query that already timed out): stray
   *     or spoofed answers
   * @param malformed received messages that matched an exchange but did not parse or carried
   *     another OPCODE, another question count, or TC=1 over TCP
   * @param timeouts exchanges that reached their deadline
   * @param tcpRetries UDP answers with TC=1 retried over TCP
   * @param inFlight exchanges started and not finished
   * @param spoofingFallbacks UDP queries retried over TCP because their port received a burst of
   *     mismatched answers (a likely spoofing attempt)
   * @param tcpConnections TCP connections opened (with reuse, far fewer than TCP exchanges)
   * @param tcpReconnects TCP exchanges retried on another connection because theirs was closed
   *     by the server, reset, or closed for a message that did not answer them
   */
  public record Stats(
      long sent,
      long received,
      long dropped,
      long malformed,
      long timeouts,
      long tcpRetries,
      int inFlight,
      long spoofingFallbacks,
      long tcpConnections,
      long tcpReconnects) {

    /** The counters without the TCP connection counters (which are then 0): the former shape. */
    public Stats(long sent, long received, long dropped, long malformed, long timeouts,
        long tcpRetries, int inFlight, long spoofingFallbacks) {
      this(sent, received, dropped, malformed, timeouts, tcpRetries, inFlight, spoofingFallbacks,
          0, 0);
    }
  }

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
    private int udpSockets = 1024;
    private boolean randomizeQuestionCase;
    private int maxTcpConnections = 256;
    private int tcpPipelineDepth = 16;
    private int maxTcpConnectionsPerServer = 4;
    private Duration tcpIdleTimeout = Duration.ofSeconds(2);
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

    /**
     * UDP sockets open at once, hence UDP file descriptors (default 1024). Each UDP query gets
     * its own socket and port while fewer are open; beyond, queries share the open sockets to the
     * same server, so source-port randomisation (RFC 5452 §9.2) is at its best below this many
     * UDP queries in flight.
     */
    public Builder udpSockets(int n) {
      this.udpSockets = positive("udpSockets", n);
      return this;
    }

    /**
     * Randomises the case of the question name's letters in UDP queries whose ID the transport
     * may choose ({@link DnsRequest#idAssignable()}; never signed requests) and drops answers
     * that do not echo it octet for octet (draft-vixie-dnsext-dns0x20): one more bit an off-path
     * spoofer must guess per letter. Off by default: a server that does not copy the question
     * verbatim (rare, some middleboxes) then never answers over UDP.
     */
    public Builder randomizeQuestionCase(boolean enabled) {
      this.randomizeQuestionCase = enabled;
      return this;
    }

    /**
     * TCP connections open at once, idle ones included; further TCP exchanges queue (default
     * 256). Divided among the selector threads.
     */
    public Builder maxTcpConnections(int n) {
      this.maxTcpConnections = positive("maxTcpConnections", n);
      return this;
    }

    /**
     * Exchanges outstanding at once on one TCP connection (default 16): RFC 7766 §6.2.1.1
     * pipelining. A connection with this many waits for answers before it takes another
     * exchange; it also bounds what a server closing the connection makes the transport retry.
     * 1 disables pipelining but keeps reuse.
     */
    public Builder tcpPipelineDepth(int n) {
      this.tcpPipelineDepth = positive("tcpPipelineDepth", n);
      return this;
    }

    /**
     * TCP connections to one server (address and port) at once, per selector thread (default
     * 4). RFC 7766 §6.2.2 asks clients to keep concurrent connections to a server few; a handful
     * rather than one lets servers that answer each connection's queries in order (as Knot and
     * NSD do) work on several at once. When every one is at {@link #tcpPipelineDepth(int)},
     * further exchanges to that server wait in the queue rather than pipeline deeper.
     */
    public Builder maxTcpConnectionsPerServer(int n) {
      this.maxTcpConnectionsPerServer = positive("maxTcpConnectionsPerServer", n);
      return this;
    }

    /**
     * How long a TCP connection with nothing outstanding stays open for the next exchange to
     * that server (default 2 s; RFC 7766 §6.2.3 asks clients to close idle connections soon,
     * and servers' own idle timeouts, BIND's and Knot's among them, are longer, so the client
     * closes first). {@link Duration#ZERO} closes each connection after its answer: one
     * connection per exchange, no reuse and no pipelining.
     */
    public Builder tcpIdleTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("tcpIdleTimeout must not be negative: " + timeout);
      }
      this.tcpIdleTimeout = timeout;
      return this;
    }

    /** Exchanges in flight; beyond it, {@link Reason#OVERLOADED} (default 65536). */
    public Builder maxInFlight(int n) {
      this.maxInFlight = positive("maxInFlight", n);
      return this;
    }

    /**
     * Requested SO_RCVBUF of each UDP socket (default 4 MiB; the kernel may cap it, e.g. Linux
     * {@code net.core.rmem_max}, and charges only what is queued). Bursts of answers beyond it
     * are lost and time out; it matters when sockets are shared at the {@link #udpSockets(int)}
     * limit.
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
     * Opens the selectors and starts the selector threads.
     *
     * @throws IOException if a selector cannot be opened
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
