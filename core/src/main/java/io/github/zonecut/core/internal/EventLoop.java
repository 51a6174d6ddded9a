package io.github.zonecut.core.internal;

import io.github.zonecut.core.DnsTransportException;
import io.github.zonecut.core.DnsTransportException.Reason;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;

/**
 * One selector thread: its share of the UDP sockets, its TCP connections and the deadlines of
 * its exchanges. Everything but {@link #execute}, {@link #schedule} and {@link
 * UdpSocket#send} runs on this loop's thread.
 */
final class EventLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
  /** Bound on datagrams read per socket per wake-up, so one busy socket cannot starve others. */
  private static final int READ_BATCH = 256;

  private final NioEngine engine;
  private final Selector selector;
  private final List<UdpSocket> sockets = new ArrayList<>();
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Exchange> newTimers = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean parked = new AtomicBoolean();
  private final TimerWheel wheel = new TimerWheel(System.nanoTime());
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(0xFFFF);
  private final Set<TcpConnection> connections = new HashSet<>();
  private final ArrayDeque<Exchange> tcpWaiting = new ArrayDeque<>();
  private final int maxTcp;
  /** Completions gathered on the loop thread, handed to the executor in one task. */
  private final ArrayList<Runnable> batch = new ArrayList<>();
  private @Nullable Thread thread;
  private volatile boolean shutdown;
  private volatile boolean terminated;

  EventLoop(NioEngine engine, int udpSockets, int receiveBuffer, int sendBuffer, int maxTcp)
      throws IOException {
    this.engine = engine;
    this.maxTcp = maxTcp;
    this.selector = Selector.open();
    try {
      for (int i = 0; i < udpSockets; i++) {
        DatagramChannel ch = DatagramChannel.open();
        try {
          ch.configureBlocking(false);
          ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
          ch.setOption(StandardSocketOptions.SO_SNDBUF, sendBuffer);
          // an ephemeral port chosen (randomly, on Linux) by the kernel; RFC 5452 §9.2
          ch.bind(null);
          UdpSocket s = new UdpSocket(this, ch);
          s.registered(ch.register(selector, SelectionKey.OP_READ, s));
          sockets.add(s);
        } catch (IOException e) {
          ch.close();
          throw e;
        }
      }
    } catch (IOException e) {
      closeQuietly();
      throw e;
    }
  }

  List<UdpSocket> sockets() {
    return sockets;
  }

  void start(Thread t) {
    thread = t;
    t.start();
  }

  @Nullable Thread thread() {
    return thread;
  }

  boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** Runs {@code task} on the loop thread. */
  void execute(Runnable task) {
    tasks.add(task);
    selector.wakeup();
    if (terminated) {
      tasks.clear();
    }
  }

  /** Arms the deadline of {@code ex}, which belongs to this loop. */
  void schedule(Exchange ex) {
    newTimers.add(ex);
    if (parked.get() && parked.compareAndSet(true, false)) {
      selector.wakeup();
    }
    if (terminated) {
      failQueued();
    }
  }

  void shutdown() {
    shutdown = true;
    selector.wakeup();
  }

  @Override
  public void run() {
    try {
      while (!shutdown) {
        runTasks();
        armTimers();
        long waitMillis = wheel.size() > 0 ? TimeUnit.NANOSECONDS.toMillis(TimerWheel.TICK_NANOS) : 0;
        if (waitMillis == 0) {
          parked.set(true);
          if (!tasks.isEmpty() || !newTimers.isEmpty() || shutdown) {
            parked.set(false);
            selector.selectNow();
          } else {
            selector.select();
          }
          parked.set(false);
        } else {
          selector.select(waitMillis);
        }
        processSelected();
        wheel.expire(System.nanoTime(), this::timeout);
        flush();
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("DNS transport event loop failed; failing its exchanges", e);
    } finally {
      terminate();
    }
  }

  private void runTasks() {
    Runnable r;
    while ((r = tasks.poll()) != null) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.warn("DNS transport task failed", e);
      }
    }
  }

  private void armTimers() {
    Exchange ex;
    while ((ex = newTimers.poll()) != null) {
      if (!ex.isFinished()) {
        wheel.add(ex);
      }
    }
  }

  private void processSelected() {
    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
    while (it.hasNext()) {
      SelectionKey key = it.next();
      it.remove();
      Object att = key.attachment();
      if (!key.isValid()) {
        continue;
      }
      if (att instanceof UdpSocket) {
        UdpSocket s = (UdpSocket) att;
        if (key.isReadable()) {
          readUdp(s);
          // one hand-off per socket and round keeps the pool's threads busy in parallel
          flush();
        }
        if (key.isValid() && key.isWritable()) {
          s.flush();
        }
      } else if (att instanceof TcpConnection) {
        tcpReady((TcpConnection) att, key);
      }
    }
  }

  // ---------------------------------------------------------------- UDP

  private void readUdp(UdpSocket s) {
    for (int i = 0; i < READ_BATCH; i++) {
      SocketAddress src;
      readBuffer.clear();
      try {
        src = s.channel.receive(readBuffer);
      } catch (IOException e) {
        // e.g. ICMP port unreachable surfaced on some platforms; the deadline handles the query
        LOG.debug("UDP receive failed", e);
        return;
      }
      if (src == null) {
        return;
      }
      readBuffer.flip();
      byte[] data = new byte[readBuffer.remaining()];
      readBuffer.get(data);
      engine.stats.received.increment();
      udpDatagram(s, data, (InetSocketAddress) src);
    }
  }

  private void udpDatagram(UdpSocket s, byte[] data, InetSocketAddress src) {
    WireQuestion wq = WireQuestion.read(data);
    if (wq == null || !wq.response()) {
      engine.stats.dropped.increment();
      return;
    }
    Exchange.DemuxKey key = new Exchange.DemuxKey(wq.id(), wq, src);
    Exchange ex = s.pending.get(key);
    if (ex == null) {
      // RFC 5452 §9.1: wrong ID, question or source address/port: a stray or a spoof
      engine.stats.dropped.increment();
      return;
    }
    Message message;
    try {
      message = new Message(data);
    } catch (IOException | RuntimeException e) {
      ex.sawMalformed = true;
      engine.stats.malformed.increment();
      return;
    }
    if (message.getHeader().getFlag(Flags.TC)) {
      // RFC 7766 §5: retry the same octets over TCP within the same deadline
      if (s.pending.remove(key, ex)) {
        ex.udpSocket = null;
        ex.udpKey = null;
        engine.stats.tcpRetries.increment();
        startTcp(ex);
      }
      return;
    }
    if (s.pending.remove(key, ex)) {
      ex.udpSocket = null;
      ex.udpKey = null;
      if (claim(ex)) {
        dispatch(ex.callback.answered(data, message, src, false));
      }
    }
  }

  // ---------------------------------------------------------------- TCP

  /** Starts (or queues, beyond the connection limit) a TCP exchange. Loop thread. */
  void startTcp(Exchange ex) {
    if (ex.isFinished()) {
      return;
    }
    if (connections.size() >= maxTcp) {
      tcpWaiting.add(ex);
      return;
    }
    TcpConnection c = new TcpConnection(ex);
    ex.tcp = c;
    connections.add(c);
    try {
      SocketChannel ch = SocketChannel.open();
      c.channel = ch;
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      boolean connected = ch.connect(ex.peer);
      c.key = ch.register(selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, c);
    } catch (IOException | RuntimeException e) {
      failNetwork(ex, "TCP connect to " + ex.peer + " failed", e);
    }
  }

  private void tcpReady(TcpConnection c, SelectionKey key) {
    Exchange ex = c.exchange;
    SocketChannel ch = (SocketChannel) key.channel();
    try {
      if (key.isConnectable()) {
        ch.finishConnect();
        key.interestOps(SelectionKey.OP_WRITE);
        return;
      }
      if (key.isWritable()) {
        ch.write(c.out);
        if (!c.out.hasRemaining()) {
          key.interestOps(SelectionKey.OP_READ);
        }
        return;
      }
      if (key.isReadable()) {
        readTcp(c, ch);
      }
    } catch (IOException | RuntimeException e) {
      failNetwork(ex, "TCP exchange with " + ex.peer + " failed", e);
    }
  }

  private void readTcp(TcpConnection c, SocketChannel ch) throws IOException {
    Exchange ex = c.exchange;
    while (true) {
      ByteBuffer body = c.body;
      if (body == null) {
        if (ch.read(c.lengthPrefix) < 0) {
          failNetwork(ex, "TCP connection to " + ex.peer + " closed before the answer", null);
          return;
        }
        if (c.lengthPrefix.hasRemaining()) {
          return;
        }
        int length = ((c.lengthPrefix.get(0) & 0xFF) << 8) | (c.lengthPrefix.get(1) & 0xFF);
        if (length < WireQuestion.HEADER_LENGTH) {
          failMalformed(ex, "TCP answer from " + ex.peer + " shorter than a header: " + length);
          return;
        }
        body = ByteBuffer.allocate(length);
        c.body = body;
      }
      if (ch.read(body) < 0) {
        failNetwork(ex, "TCP connection to " + ex.peer + " closed inside an answer", null);
        return;
      }
      if (body.hasRemaining()) {
        return;
      }
      byte[] data = body.array();
      c.body = null;
      c.lengthPrefix.clear();
      engine.stats.received.increment();
      WireQuestion wq = WireQuestion.read(data);
      if (wq == null) {
        failMalformed(ex, "TCP answer from " + ex.peer + " has no readable question");
        return;
      }
      if (!wq.response() || wq.id() != ex.question.id() || !wq.sameQuestion(ex.question)) {
        // not ours; a server may answer other queries on a shared connection (RFC 7766 §7)
        engine.stats.dropped.increment();
        continue;
      }
      Message message;
      try {
        message = new Message(data);
      } catch (IOException | RuntimeException e) {
        engine.stats.malformed.increment();
        failMalformed(ex, "TCP answer from " + ex.peer + " does not parse: " + e.getMessage());
        return;
      }
      if (claim(ex)) {
        dispatch(ex.callback.answered(data, message, ex.peer, true));
      }
      return;
    }
  }

  private void releaseTcp(TcpConnection c) {
    if (c.released) {
      return;
    }
    c.released = true;
    connections.remove(c);
    SocketChannel ch = c.channel;
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        LOG.debug("closing TCP channel", e);
      }
    }
    Exchange next;
    while (connections.size() < maxTcp && (next = tcpWaiting.poll()) != null) {
      startTcp(next);
    }
  }

  // ---------------------------------------------------------------- completion

  /**
   * Claims {@code ex} for completion and releases what it holds. Safe from any thread for an
   * exchange without a TCP connection; TCP resources are released on the loop thread only.
   */
  boolean claim(Exchange ex) {
    if (!ex.tryFinish()) {
      return false;
    }
    engine.exchangeEnded();
    UdpSocket s = ex.udpSocket;
    Exchange.DemuxKey k = ex.udpKey;
    if (s != null && k != null) {
      s.pending.remove(k, ex);
    }
    if (inLoop()) {
      wheel.remove(ex);
      TcpConnection c = ex.tcp;
      if (c != null) {
        releaseTcp(c);
      }
    }
    return true;
  }

  /** Runs {@code completion} on the host's executor: batched on the loop thread, else at once. */
  void dispatch(Runnable completion) {
    if (inLoop()) {
      batch.add(completion);
    } else {
      engine.deliver(completion);
    }
  }

  private void flush() {
    int n = batch.size();
    if (n == 0) {
      return;
    }
    if (n == 1) {
      engine.deliver(batch.get(0));
    } else {
      Runnable[] items = batch.toArray(new Runnable[0]);
      engine.deliver(() -> {
        for (Runnable r : items) {
          try {
            r.run();
          } catch (RuntimeException e) {
            LOG.warn("DNS exchange completion failed", e);
          }
        }
      });
    }
    batch.clear();
  }

  void failNetwork(Exchange ex, String message, @Nullable Throwable cause) {
    fail(ex, Reason.NETWORK, message, cause);
  }

  private void failMalformed(Exchange ex, String message) {
    fail(ex, Reason.MALFORMED_RESPONSE, message, null);
  }

  void fail(Exchange ex, Reason reason, String message, @Nullable Throwable cause) {
    if (claim(ex)) {
      dispatch(ex.callback.failed(
          cause == null
              ? new DnsTransportException(reason, message)
              : new DnsTransportException(reason, message + ": " + cause, cause)));
    } else if (inLoop() && ex.tcp != null) {
      releaseTcp(ex.tcp);
    }
  }

  private void timeout(Exchange ex) {
    if (ex.isFinished()) {
      return;
    }
    engine.stats.timeouts.increment();
    if (ex.sawMalformed) {
      fail(ex, Reason.MALFORMED_RESPONSE,
          "only malformed answers from " + ex.peer + " before the deadline", null);
    } else {
      fail(ex, Reason.TIMEOUT, "no answer from " + ex.peer + " before the deadline", null);
    }
  }

  // ---------------------------------------------------------------- shutdown

  private void terminate() {
    terminated = true;
    wheel.drain(ex -> fail(ex, Reason.CLOSED, "transport closed", null));
    failQueued();
    for (Exchange ex : tcpWaiting) {
      fail(ex, Reason.CLOSED, "transport closed", null);
    }
    tcpWaiting.clear();
    for (TcpConnection c : new ArrayList<>(connections)) {
      fail(c.exchange, Reason.CLOSED, "transport closed", null);
      releaseTcp(c);
    }
    for (UdpSocket s : sockets) {
      for (Exchange ex : s.pending.values()) {
        fail(ex, Reason.CLOSED, "transport closed", null);
      }
    }
    tasks.clear();
    flush();
    closeQuietly();
  }

  private void failQueued() {
    Exchange ex;
    while ((ex = newTimers.poll()) != null) {
      fail(ex, Reason.CLOSED, "transport closed", null);
    }
  }

  private void closeQuietly() {
    for (UdpSocket s : sockets) {
      try {
        s.channel.close();
      } catch (IOException e) {
        LOG.debug("closing UDP channel", e);
      }
    }
    try {
      selector.close();
    } catch (IOException e) {
      LOG.debug("closing selector", e);
    }
  }
}
