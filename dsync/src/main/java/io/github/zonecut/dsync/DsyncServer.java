package io.github.zonecut.dsync;

import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.core.internal.server.DnsServer;
import io.github.zonecut.dsync.internal.Replies;
import io.github.zonecut.keystate.KeyStateResponder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small UDP+TCP server for one DSYNC target (RFC 9859 §2; ddns §5): UPDATEs (opcode 5) go to
 * an {@link UpdateReceiver}, NOTIFYs (opcode 4) to a {@link NotifyHandler} (NOTIMP by default),
 * KeyState inquiries (QUERY, opcode 0) to a {@link KeyStateResponder} (REFUSED without one), and
 * every other opcode is answered NOTIMP.
 *
 * <p>UPDATEs and KeyState inquiries are served over TCP only by default (ddns draft §5: delegation
 * UPDATEs SHOULD be carried over TCP, which rules out off-path spoofing and fragmentation and
 * leaves room for large signatures). Over UDP they are answered with TC set and nothing applied,
 * so a standard client (nsupdate, dig, zonecut's own senders already use TCP) retries over TCP;
 * {@link Builder#acceptUdpUpdatesLeavingDraftGuidance()} turns that off. NOTIFY is served over
 * both, as RFC 1996 senders use UDP.
 *
 * <p>Bounded: TCP connections (the least recently active is closed at the limit, each closed
 * after an idle timeout), 65,535-octet messages, a fixed pool of worker threads with a bounded
 * queue (a request arriving when it is full is dropped and counted, never queued without end).
 * The I/O runs on one selector thread; handlers run on the workers. {@link #close()} stops
 * everything and returns once the sockets are closed.
 *
 * <pre>{@code
 * try (DsyncServer server = DsyncServer.builder(receiver).keyState(responder)
 *     .bind(new InetSocketAddress("192.0.2.53", 5302)).start()) {
 *   ...
 * }
 * }</pre>
 */
public final class DsyncServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DsyncServer.class);

  private final UpdateReceiver receiver;
  private final @Nullable KeyStateResponder keyState;
  private final NotifyHandler notify;
  private final DnsServer server;
  private final ThreadPoolExecutor workers;
  private final InetSocketAddress address;
  private final AtomicInteger dropped = new AtomicInteger();
  private final boolean udpUpdates;

  private DsyncServer(Builder b) throws IOException {
    this.receiver = b.receiver;
    this.udpUpdates = b.udpUpdates;
    this.keyState = b.keyState;
    this.notify = b.notify;
    AtomicInteger n = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(b.threads, b.threads, 0, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(b.queue), r -> {
          Thread t = new Thread(r, "zonecut-dsync-worker-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    this.server = new DnsServer(b.maxTcpConnections, b.idleTimeout, "zonecut-dsync");
    InetSocketAddress bound;
    try {
      bound = server.listen(b.bind, this::dispatch);
    } catch (IOException | RuntimeException e) {
      server.close();
      workers.shutdownNow();
      throw e;
    }
    this.address = bound;
    LOG.info("DSYNC target serving on {} (UDP and TCP)", bound);
  }

  /** A builder for a server handing UPDATEs to {@code receiver}. */
  public static Builder builder(UpdateReceiver receiver) {
    return new Builder(receiver);
  }

  /** The bound address (UDP and TCP share it). */
  public InetSocketAddress address() {
    return address;
  }

  /** Requests dropped because every worker was busy and the queue full. */
  public int dropped() {
    return dropped.get();
  }

  private void dispatch(byte[] query, InetSocketAddress source, boolean tcp,
      Consumer<byte[]> reply) {
    if (query.length < 12 || (query[2] & 0x80) != 0) {
      return; // not a request: no answer, no reflection loops
    }
    int opcode = (query[2] >>> 3) & 0xF;
    if (!tcp && !udpUpdates && (opcode == 5 || opcode == 0)) {
      reply.accept(Replies.truncated(query)); // TCP only: tell the client to retry there
      return;
    }
    try {
      workers.execute(() -> {
        byte[] answer = answer(query, source.getAddress(),
            tcp ? TransportProtocol.TCP : TransportProtocol.UDP);
        if (answer.length > 0) {
          reply.accept(answer);
        }
      });
    } catch (RejectedExecutionException e) {
      dropped.incrementAndGet();
    }
  }

  private byte[] answer(byte[] query, InetAddress source, TransportProtocol protocol) {
    int opcode = (query[2] >>> 3) & 0xF;
    try {
      switch (opcode) {
        case 5:
          return receiver.handle(query, source, protocol);
        case 4:
          return notify.handle(query, source);
        case 0:
          KeyStateResponder ks = keyState;
          return ks == null ? Replies.bare(query, 5) : ks.respond(query, source, protocol).orElse(new byte[0]);
        default:
          return Replies.bare(query, 4);
      }
    } catch (RuntimeException e) {
      // The handlers promise not to throw; a host's NotifyHandler might.
      LOG.warn("handler for opcode {} failed on a request from {}", opcode,
          source.getHostAddress(), e);
      return Replies.bare(query, 2);
    }
  }

  /** Stops serving: closes every socket, then stops the workers. Idempotent. */
  @Override
  public void close() {
    server.close();
    workers.shutdownNow();
    try {
      if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("DSYNC workers still busy after 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "DsyncServer[" + address + "]";
  }

  /** Builds and starts a {@link DsyncServer}. */
  public static final class Builder {
    private final UpdateReceiver receiver;
    private @Nullable KeyStateResponder keyState;
    private NotifyHandler notify = NotifyHandler.NOT_IMPLEMENTED;
    private InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private int queue = 1024;
    private int maxTcpConnections = 256;
    private Duration idleTimeout = Duration.ofSeconds(10);
    private boolean udpUpdates;

    private Builder(UpdateReceiver receiver) {
      this.receiver = Objects.requireNonNull(receiver, "receiver");
    }

    /** Answers KeyState inquiries (draft-berra-dnsop-keystate) with {@code responder}. */
    public Builder keyState(KeyStateResponder responder) {
      this.keyState = Objects.requireNonNull(responder, "responder");
      return this;
    }

    /** Handles NOTIFY (default {@link NotifyHandler#NOT_IMPLEMENTED}). */
    public Builder notify(NotifyHandler handler) {
      this.notify = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /** Where to listen (default 127.0.0.1, an ephemeral port shared by UDP and TCP). */
    public Builder bind(InetSocketAddress address) {
      this.bind = Objects.requireNonNull(address, "address");
      return this;
    }

    /** Worker threads (default: the processors) and queued requests (default 1024). */
    public Builder workers(int threads, int queue) {
      if (threads < 1 || queue < 1) {
        throw new IllegalArgumentException("need a thread and a queue slot: " + threads + ", "
            + queue);
      }
      this.threads = threads;
      this.queue = queue;
      return this;
    }

    /** TCP connections kept at once (default 256) and their idle timeout (default 10 s). */
    public Builder tcp(int maxConnections, Duration idleTimeout) {
      if (maxConnections < 1 || idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("need a connection and a positive idle timeout");
      }
      this.maxTcpConnections = maxConnections;
      this.idleTimeout = idleTimeout;
      return this;
    }

    /**
     * Also serves UPDATEs and KeyState inquiries that arrive over UDP, instead of answering them
     * with TC set. This leaves the ddns draft's guidance (§5: UPDATEs SHOULD use TCP): a UDP
     * UPDATE can be spoofed from off path and a large signature fragments. For lab setups with
     * clients that cannot retry over TCP.
     */
    public Builder acceptUdpUpdatesLeavingDraftGuidance() {
      this.udpUpdates = true;
      return this;
    }

    /**
     * Binds and starts serving.
     *
     * @throws IOException when the address cannot be bound
     */
    public DsyncServer start() throws IOException {
      return new DsyncServer(this);
    }
  }
}
