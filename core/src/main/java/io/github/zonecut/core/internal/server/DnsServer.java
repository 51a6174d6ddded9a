package io.github.zonecut.core.internal.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small DNS server: one selector thread serves every listener's UDP socket and TCP connections
 * (RFC 1035 §4.2, RFC 7766 length-prefixed frames), and one scheduler thread releases delayed
 * answers. {@link #close()} stops both and closes every socket before it returns.
 *
 * <p>Bounded: at most {@code maxTcpConnections} connections (a new one evicts the least recently
 * active), each closed after the idle timeout; messages of at most 65,535 octets. Handlers run on
 * the selector thread and must return quickly: a handler doing real work (cryptography, storage)
 * hands it to its own executor and calls {@code reply} from there.
 *
 * <p>Shared by testkit (the in-process hierarchy) and dsync (the DSYNC target server); exported
 * to those two modules only.
 */
public final class DnsServer implements AutoCloseable {
  /** Turns one received query into zero or one reply, now or later. */
  @FunctionalInterface
  public interface Handler {
    /**
     * Handles {@code query}; call {@code reply} (from any thread, at most once) to answer it.
     *
     * @param source the sender's address and port
     * @param tcp whether the query arrived over TCP
     */
    void handle(byte[] query, InetSocketAddress source, boolean tcp, Consumer<byte[]> reply);
  }

  private static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);
  private static final int MAX_FRAME = 65535;

  private final Selector selector;
  private final Thread thread;
  private final ScheduledExecutorService scheduler;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final int maxTcpConnections;
  private final long idleNanos;
  private final Set<TcpConnection> connections = new LinkedHashSet<>();
  private volatile boolean running = true;
  private long lastSweep = System.nanoTime();

  /** A server keeping at most 64 TCP connections, each closed after 30 s without traffic. */
  public DnsServer() {
    this(64, Duration.ofSeconds(30));
  }

  /**
   * Opens the selector and starts the I/O thread (the delay thread starts on first use).
   *
   * @param maxTcpConnections connections kept open at once; at the limit a new connection evicts
   *     the least recently active one
   * @param idleTimeout a TCP connection without traffic this long is closed (RFC 7766 §6.2.3)
   */
  public DnsServer(int maxTcpConnections, Duration idleTimeout) {
    this(maxTcpConnections, idleTimeout, "zonecut-testkit");
  }

  /**
   * As {@link #DnsServer(int, Duration)}, naming the threads {@code threadPrefix + "-io"} and
   * {@code threadPrefix + "-delay"}.
   */
  public DnsServer(int maxTcpConnections, Duration idleTimeout, String threadPrefix) {
    if (maxTcpConnections < 1 || idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException(
          "need at least one TCP connection and a positive idle timeout: " + maxTcpConnections + ", " + idleTimeout);
    }
    this.maxTcpConnections = maxTcpConnections;
    this.idleNanos = idleTimeout.toNanos();
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector", e);
    }
    thread = new Thread(this::loop, threadPrefix + "-io");
    thread.setDaemon(true);
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadPrefix + "-delay");
              t.setDaemon(true);
              return t;
            });
    thread.start();
  }

  /**
   * Binds a UDP socket and a TCP listener on the same ephemeral port of 127.0.0.1 and serves
   * them with {@code handler}.
   */
  public InetSocketAddress listen(Handler handler) throws IOException {
    return listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), handler);
  }

  /**
   * Binds a UDP socket and a TCP listener on {@code bind} (port 0: the same ephemeral port for
   * both) and serves them with {@code handler}.
   *
   * @return the bound address
   */
  public InetSocketAddress listen(InetSocketAddress bind, Handler handler) throws IOException {
    IOException last = null;
    StandardProtocolFamily family = bind.getAddress() instanceof java.net.Inet6Address
        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    int attempts = bind.getPort() == 0 ? 20 : 1;
    for (int attempt = 0; attempt < attempts; attempt++) {
      DatagramChannel udp = DatagramChannel.open(family);
      ServerSocketChannel tcp = ServerSocketChannel.open(family);
      try {
        udp.bind(bind);
        InetSocketAddress address = (InetSocketAddress) udp.getLocalAddress();
        tcp.bind(address, 16);
        udp.configureBlocking(false);
        tcp.configureBlocking(false);
        onLoop(
            () -> {
              udp.register(selector, SelectionKey.OP_READ, new UdpListener(udp, handler));
              tcp.register(selector, SelectionKey.OP_ACCEPT, new TcpListener(tcp, handler));
            });
        return address;
      } catch (IOException e) {
        last = e; // the UDP port was free but its TCP twin was not: try another port
        udp.close();
        tcp.close();
      }
    }
    throw new IOException("no free loopback port for UDP and TCP together", last);
  }

  /** Runs {@code task} on the scheduler thread after {@code delay}. */
  public void schedule(Duration delay, Runnable task) {
    if (!running) {
      return;
    }
    ScheduledFuture<?> unused = scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private void onLoop(IoAction action) throws IOException {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    submit(
        () -> {
          try {
            action.run();
            done.complete(true);
          } catch (IOException | RuntimeException e) {
            done.completeExceptionally(e);
          }
        });
    try {
      done.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while registering a listener", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException) {
        throw (IOException) cause;
      }
      throw new IOException("cannot register a listener", cause);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IOException("the server loop did not register the listener", e);
    }
  }

  private void submit(Runnable task) {
    if (Thread.currentThread() == thread) {
      task.run();
      return;
    }
    tasks.add(task);
    selector.wakeup();
  }

  private void loop() {
    while (running) {
      try {
        selector.select(1000);
      } catch (IOException e) {
        LOG.warn("selector failed; stopping the DNS server", e);
        return;
      }
      for (Runnable task; (task = tasks.poll()) != null; ) {
        task.run();
      }
      sweepIdle();
      Iterator<SelectionKey> it = selector.selectedKeys().iterator();
      while (it.hasNext()) {
        SelectionKey key = it.next();
        it.remove();
        Object attachment = key.attachment();
        try {
          if (!key.isValid()) {
            continue;
          }
          if (attachment instanceof UdpListener) {
            ((UdpListener) attachment).read();
          } else if (attachment instanceof TcpListener) {
            ((TcpListener) attachment).accept();
          } else if (attachment instanceof TcpConnection) {
            TcpConnection c = (TcpConnection) attachment;
            if (key.isReadable()) {
              c.read();
            }
            if (key.isValid() && key.isWritable()) {
              c.flush();
            }
          }
        } catch (IOException | RuntimeException e) {
          LOG.debug("closing a DNS server channel after {}", e.toString());
          if (attachment instanceof TcpConnection) {
            ((TcpConnection) attachment).close();
          }
        }
      }
    }
  }

  private void sweepIdle() {
    long now = System.nanoTime();
    if (now - lastSweep < TimeUnit.MILLISECONDS.toNanos(200)) {
      return;
    }
    lastSweep = now;
    for (TcpConnection c : List.copyOf(connections)) {
      if (now - c.lastActive > idleNanos) {
        c.close();
      }
    }
  }

  private static void dispatch(Handler handler, byte[] query, SocketAddress source, boolean tcp,
      Consumer<byte[]> reply) {
    try {
      handler.handle(query, (InetSocketAddress) source, tcp, reply);
    } catch (RuntimeException e) {
      // a handler bug must not take the server down; the requester sees a timeout
      LOG.warn("DNS handler failed", e);
    }
  }

  private final class UdpListener {
    private final DatagramChannel channel;
    private final Handler handler;
    private final ByteBuffer buffer = ByteBuffer.allocate(MAX_FRAME);

    UdpListener(DatagramChannel channel, Handler handler) {
      this.channel = channel;
      this.handler = handler;
    }

    void read() throws IOException {
      for (SocketAddress from; (from = receive()) != null; ) {
        buffer.flip();
        byte[] query = new byte[buffer.remaining()];
        buffer.get(query);
        SocketAddress peer = from;
        dispatch(handler, query, peer, false, answer -> submit(() -> send(peer, answer)));
      }
    }

    private @Nullable SocketAddress receive() throws IOException {
      buffer.clear();
      return channel.receive(buffer);
    }

    private void send(SocketAddress peer, byte[] answer) {
      try {
        channel.send(ByteBuffer.wrap(answer), peer); // a full socket buffer drops it, as UDP may
      } catch (IOException e) {
        LOG.debug("UDP send to {} failed: {}", peer, e.toString());
      }
    }
  }

  private final class TcpListener {
    private final ServerSocketChannel channel;
    private final Handler handler;

    TcpListener(ServerSocketChannel channel, Handler handler) {
      this.channel = channel;
      this.handler = handler;
    }

    void accept() throws IOException {
      for (SocketChannel c; (c = channel.accept()) != null; ) {
        if (connections.size() >= maxTcpConnections) {
          // the set keeps activity order: its first member is the least recently active
          connections.iterator().next().close();
        }
        c.configureBlocking(false);
        TcpConnection conn = new TcpConnection(c, handler);
        conn.key = c.register(selector, SelectionKey.OP_READ, conn);
        connections.add(conn);
      }
    }
  }

  private final class TcpConnection {
    private final SocketChannel channel;
    private final Handler handler;
    private final ByteBuffer in = ByteBuffer.allocate(2 + MAX_FRAME);
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    private @Nullable SelectionKey key;
    private boolean closed;
    private long lastActive = System.nanoTime();

    TcpConnection(SocketChannel channel, Handler handler) {
      this.channel = channel;
      this.handler = handler;
    }

    void read() throws IOException {
      int n = channel.read(in);
      SocketAddress remote = channel.getRemoteAddress();
      if (n < 0) {
        close();
        return;
      }
      touch();
      in.flip();
      while (in.remaining() >= 2) {
        int length = Short.toUnsignedInt(in.getShort(in.position()));
        if (in.remaining() < 2 + length) {
          break;
        }
        in.getShort();
        byte[] query = new byte[length];
        in.get(query);
        dispatch(handler, query, remote, true, answer -> submit(() -> enqueue(answer)));
      }
      in.compact();
    }

    private void enqueue(byte[] answer) {
      if (closed || answer.length > MAX_FRAME) {
        return;
      }
      ByteBuffer frame = ByteBuffer.allocate(2 + answer.length);
      frame.putShort((short) answer.length).put(answer).flip();
      out.add(frame);
      try {
        flush();
      } catch (IOException e) {
        close();
      }
    }

    private void touch() {
      lastActive = System.nanoTime();
      connections.remove(this); // re-inserted last: LinkedHashSet order is activity order
      connections.add(this);
    }

    void flush() throws IOException {
      if (!out.isEmpty()) {
        touch();
      }
      while (!out.isEmpty()) {
        ByteBuffer head = out.peek();
        channel.write(head);
        if (head.hasRemaining()) {
          break;
        }
        out.poll();
      }
      if (key != null && key.isValid()) {
        key.interestOps(out.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
      }
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      connections.remove(this);
      try {
        channel.close();
      } catch (IOException e) {
        LOG.debug("closing a TCP connection failed: {}", e.toString());
      }
    }
  }

  /**
   * Stops the threads and closes every socket. Idempotent; pending delayed answers are dropped.
   */
  @Override
  public void close() {
    if (!running) {
      return;
    }
    running = false;
    scheduler.shutdownNow();
    selector.wakeup();
    try {
      if (Thread.currentThread() != thread) {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      }
      scheduler.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SelectionKey key : selector.keys()) {
      try {
        key.channel().close();
      } catch (IOException e) {
        LOG.debug("closing a channel failed: {}", e.toString());
      }
    }
    try {
      selector.close();
    } catch (IOException e) {
      LOG.debug("closing the selector failed: {}", e.toString());
    }
  }

}
