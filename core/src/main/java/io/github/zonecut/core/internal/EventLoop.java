package io.github.zonecut.core.internal;

import io.github.zonecut.core.DnsTransportException;
import io.github.zonecut.core.DnsTransportException.Reason;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;

/**
 * One selector thread: its UDP sockets, its TCP connections and the deadlines of its exchanges.
 * Everything but {@link #execute}, {@link #schedule} and {@link #shutdown} runs on this loop's
 * thread, so the socket tables need no locks.
 *
 * <p>The loop never dies of an exception: a failure while serving one socket fails that socket's
 * exchanges and the loop goes on; only {@link #shutdown()}, a closed selector or a run of {@value
 * #MAX_CONSECUTIVE_FAILURES} failed rounds stop it, and then every exchange it holds is completed
 * with {@link Reason#CLOSED}. Queues (TCP beyond the connection limit, UDP beyond the socket
 * limit) are drained iteratively, so a run of synchronous failures cannot recurse.
 */
final class EventLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
  /** Bound on datagrams read per socket per wake-up, so one busy socket cannot starve others. */
  private static final int READ_BATCH = 256;
  /**
   * Mismatched datagrams (right server address and port, wrong ID, question or 0x20 case) one
   * socket tolerates before its queries are treated as under attack and moved to TCP.
   */
  static final int MISMATCH_BURST = 8;
  /** How many random IDs are tried on one shared socket before trying the next socket. */
  private static final int ID_TRIES = 16;
  /** Failed rounds in a row after which the loop gives up, failing what it holds. */
  static final int MAX_CONSECUTIVE_FAILURES = 100;

  private final NioEngine engine;
  private final Selector selector;
  private final ChannelOpener opener;
  private final SecureRandom random = new SecureRandom();
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Exchange> newExchanges = new ConcurrentLinkedQueue<>();
  private final TimerWheel wheel = new TimerWheel(System.nanoTime());
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(0xFFFF);
  private final Set<TcpConnection> connections = new HashSet<>();
  private final ArrayDeque<Exchange> tcpWaiting = new ArrayDeque<>();
  private final int maxTcp;
  private final Set<UdpSocket> udpSockets = new HashSet<>();
  /** Open, not retired UDP sockets by server: where exchanges go when at the socket limit. */
  private final HashMap<InetSocketAddress, List<UdpSocket>> byPeer = new HashMap<>();
  private final ArrayDeque<Exchange> udpWaiting = new ArrayDeque<>();
  private final int maxUdp;
  /**
   * UDP channels closed since the last select: a registered channel's descriptor is released only
   * when the next select deregisters it, so they still count against {@link #maxUdp}.
   */
  private int closingUdp;
  private final int receiveBuffer;
  private final int sendBuffer;
  private final boolean randomizeCase;
  /** Completions gathered on the loop thread, handed to the executor in one task. */
  private final ArrayList<Runnable> batch = new ArrayList<>();
  private boolean drainingTcp;
  private boolean drainingUdp;
  private @Nullable Thread thread;
  private volatile boolean shutdown;
  private volatile boolean terminated;

  EventLoop(NioEngine engine, int maxUdp, int receiveBuffer, int sendBuffer, int maxTcp,
      boolean randomizeCase, ChannelOpener opener) throws IOException {
    this.engine = engine;
    this.maxUdp = maxUdp;
    this.receiveBuffer = receiveBuffer;
    this.sendBuffer = sendBuffer;
    this.maxTcp = maxTcp;
    this.randomizeCase = randomizeCase;
    this.opener = opener;
    this.selector = Selector.open();
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

  /** Whether the loop has stopped (closed, or given up); it takes no more exchanges. */
  boolean terminated() {
    return terminated;
  }

  /** Runs {@code task} on the loop thread. */
  void execute(Runnable task) {
    tasks.add(task);
    selector.wakeup();
    if (terminated) {
      tasks.clear();
    }
  }

  /** Arms the deadline of {@code ex}, which belongs to this loop, and starts it. */
  void schedule(Exchange ex) {
    newExchanges.add(ex);
    // cheap when a wake-up is already pending; a started exchange must not wait a timer tick
    selector.wakeup();
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
    int failures = 0;
    try {
      while (!shutdown) {
        try {
          runOnce();
          failures = 0;
        } catch (Throwable t) {
          // StackOverflowError, OutOfMemoryError, a bug: this thread carries every exchange of
          // the loop, so it goes on; completions gathered so far are still delivered
          failures++;
          LOG.error("DNS transport event loop round failed ({} in a row); continuing", failures, t);
          safeFlush();
          if (!selector.isOpen() || failures >= MAX_CONSECUTIVE_FAILURES) {
            LOG.error("DNS transport event loop stops; failing its exchanges");
            break;
          }
        }
      }
    } finally {
      terminate();
    }
  }

  private void runOnce() throws IOException {
    runTasks();
    startNew();
    // completions of exchanges that failed at once must not wait for the next wake-up
    flush();
    if (closingUdp > 0 && !udpWaiting.isEmpty()) {
      // release the closed sockets' descriptors now, for the queries waiting for one
      selector.selectNow();
    } else if (wheel.size() > 0) {
      selector.select(TimeUnit.NANOSECONDS.toMillis(TimerWheel.TICK_NANOS));
    } else {
      // schedule() and execute() wake the selector, so nothing new can be missed here
      selector.select();
    }
    closingUdp = 0;
    drainUdp();
    processSelected();
    wheel.expire(System.nanoTime(), this::timeout);
    flush();
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

  private void startNew() {
    Exchange ex;
    while ((ex = newExchanges.poll()) != null) {
      if (ex.isFinished()) {
        continue;
      }
      wheel.add(ex);
      try {
        if (ex.tcpFirst) {
          startTcp(ex);
        } else {
          startUdp(ex);
        }
      } catch (Throwable e) {
        failNetwork(ex, "starting the exchange with " + Endpoints.format(ex.peer) + " failed", e);
      }
    }
  }

  private void processSelected() {
    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
    while (it.hasNext()) {
      SelectionKey key = it.next();
      it.remove();
      Object att = key.attachment();
      try {
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
          if (!s.closed && key.isValid() && key.isWritable()) {
            flushBacklog(s);
          }
        } else if (att instanceof TcpConnection) {
          tcpReady((TcpConnection) att, key);
        }
      } catch (Throwable e) {
        // one socket's trouble fails that socket's exchanges, never the loop
        LOG.warn("DNS transport: serving a socket failed", e);
        if (att instanceof UdpSocket) {
          UdpSocket s = (UdpSocket) att;
          failSocket(s, "UDP exchange with " + Endpoints.format(s.peer) + " failed", e);
        } else if (att instanceof TcpConnection) {
          Exchange ex = ((TcpConnection) att).exchange;
          failNetwork(ex, "TCP exchange with " + Endpoints.format(ex.peer) + " failed", e);
        }
      }
    }
  }

  // ---------------------------------------------------------------- UDP

  /**
   * Starts a UDP exchange: on a fresh socket (a new random ephemeral port, RFC 5452 §9.2) while
   * under the socket limit; at the limit, on an open socket to the same server whose ID space
   * has room; else it waits for a socket to close (its deadline keeps running).
   */
  private void startUdp(Exchange ex) {
    if (ex.isFinished()) {
      return;
    }
    UdpSocket s;
    if (udpSockets.size() + closingUdp < maxUdp) {
      try {
        s = openUdp(ex.peer);
      } catch (IOException | RuntimeException e) {
        failNetwork(ex, "UDP socket for " + Endpoints.format(ex.peer) + " could not be opened", e);
        return;
      }
      if (!assign(s, ex)) {
        // cannot happen on an empty socket; never leave the socket behind
        closeUdp(s);
        failNetwork(ex, "no message ID free on a fresh socket", null);
        return;
      }
    } else {
      s = shared(ex);
      if (s == null) {
        udpWaiting.add(ex);
        retireOne();
        return;
      }
    }
    send(s, ex);
  }

  private UdpSocket openUdp(InetSocketAddress peer) throws IOException {
    DatagramChannel ch = opener.udp(peer);
    try {
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
      ch.setOption(StandardSocketOptions.SO_SNDBUF, sendBuffer);
      // RFC 5452 §9.2: an ephemeral port chosen (randomly, on Linux) by the kernel for this query
      ch.bind(null);
      // connected: the kernel drops datagrams from any other source, and ICMP port unreachable
      // surfaces as PortUnreachableException
      ch.connect(peer);
      UdpSocket s = new UdpSocket(ch, peer);
      s.key = ch.register(selector, SelectionKey.OP_READ, s);
      udpSockets.add(s);
      byPeer.computeIfAbsent(peer, p -> new ArrayList<>(2)).add(s);
      return s;
    } catch (IOException | RuntimeException e) {
      try {
        ch.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private @Nullable UdpSocket shared(Exchange ex) {
    List<UdpSocket> list = byPeer.get(ex.peer);
    if (list == null || list.isEmpty()) {
      return null;
    }
    int n = list.size();
    int start = random.nextInt(n);
    for (int i = 0; i < n; i++) {
      UdpSocket s = list.get((start + i) % n);
      if (assign(s, ex)) {
        return s;
      }
    }
    return null;
  }

  /**
   * Puts {@code ex} on {@code s} under an ID free there: a fresh random one (and, if enabled, a
   * random 0x20 case of the question) when the ID is the transport's to choose. One path for every
   * request, so identical concurrent questions never share a (port, ID) pair.
   */
  private boolean assign(UdpSocket s, Exchange ex) {
    if (ex.idAssignable) {
      int id = -1;
      for (int t = 0; t < ID_TRIES; t++) {
        // RFC 5452 §9.2: an unpredictable ID for every query whose ID is not fixed
        int candidate = random.nextInt(0x10000);
        if (!s.pending.containsKey(candidate)) {
          id = candidate;
          break;
        }
      }
      if (id < 0) {
        return false;
      }
      byte[] w = WireQuestion.withId(ex.wire, id);
      if (randomizeCase && ex.caseSensitiveNameEnd == 0) {
        ex.caseSensitiveNameEnd = WireQuestion.randomizeCase(w, random);
      }
      ex.wire = w;
      ex.question = ex.question.withId(id);
    } else if (s.pending.containsKey(ex.question.id())) {
      return false;
    }
    s.pending.put(ex.question.id(), ex);
    ex.udpSocket = s;
    return true;
  }

  private void send(UdpSocket s, Exchange ex) {
    if (!s.backlog.isEmpty()) {
      s.backlog.add(ex);
      return;
    }
    try {
      if (s.channel.write(ByteBuffer.wrap(ex.wire)) == 0) {
        s.backlog.add(ex);
        interest(s, SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        return;
      }
      engine.stats.sent.increment();
    } catch (PortUnreachableException e) {
      failSocket(s, unreachable(s), e);
    } catch (IOException | RuntimeException e) {
      failNetwork(ex, "UDP send to " + Endpoints.format(ex.peer) + " failed", e);
    }
  }

  /** The socket is writable again: sends what waited for buffer space. */
  private void flushBacklog(UdpSocket s) {
    Exchange ex;
    while (!s.closed && (ex = s.backlog.peek()) != null) {
      if (!ex.isFinished() && ex.udpSocket == s) {
        try {
          if (s.channel.write(ByteBuffer.wrap(ex.wire)) == 0) {
            return;
          }
          engine.stats.sent.increment();
        } catch (PortUnreachableException e) {
          failSocket(s, unreachable(s), e);
          return;
        } catch (IOException e) {
          failNetwork(ex, "UDP send to " + Endpoints.format(ex.peer) + " failed", e);
        }
      }
      s.backlog.poll();
    }
    if (!s.closed) {
      interest(s, SelectionKey.OP_READ);
    }
  }

  private static void interest(UdpSocket s, int ops) {
    SelectionKey k = s.key;
    if (k != null && k.isValid()) {
      k.interestOps(ops);
    }
  }

  private static String unreachable(UdpSocket s) {
    return "UDP port unreachable at " + Endpoints.format(s.peer) + " (ICMP)";
  }

  private void readUdp(UdpSocket s) {
    for (int i = 0; i < READ_BATCH && !s.closed; i++) {
      readBuffer.clear();
      int n;
      try {
        n = s.channel.read(readBuffer);
      } catch (PortUnreachableException e) {
        // the server's host said nobody listens there: NETWORK now, not TIMEOUT at the deadline
        failSocket(s, unreachable(s), e);
        return;
      } catch (IOException e) {
        failSocket(s, "UDP receive from " + Endpoints.format(s.peer) + " failed", e);
        return;
      }
      if (n <= 0) {
        return;
      }
      readBuffer.flip();
      byte[] data = new byte[readBuffer.remaining()];
      readBuffer.get(data);
      engine.stats.received.increment();
      udpDatagram(s, data);
    }
  }

  private void udpDatagram(UdpSocket s, byte[] data) {
    WireQuestion wq = WireQuestion.read(data);
    Exchange ex = wq == null || !wq.response() ? null : s.pending.get(wq.id());
    if (wq == null || ex == null || !wq.sameQuestion(ex.question)
        || (ex.caseSensitiveNameEnd > 0
            && !WireQuestion.sameNameOctets(data, ex.wire, ex.caseSensitiveNameEnd))) {
      // RFC 5452 §9.1: wrong ID, question (or 0x20 case): a stray or a spoof. The source is the
      // server's address and port (the socket is connected), so the spoofer is guessing.
      engine.stats.dropped.increment();
      mismatch(s);
      return;
    }
    if (!WireQuestion.headerFits(data, ex.wire)) {
      // another OPCODE or a second question: not an answer to this query
      ex.sawMalformed = true;
      engine.stats.malformed.increment();
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
    if (WireQuestion.truncated(data)) {
      // RFC 7766 §5: retry the same octets over TCP within the same deadline
      detach(ex);
      engine.stats.tcpRetries.increment();
      startTcp(ex);
      return;
    }
    answer(ex, data, message, s.peer, false);
  }

  /**
   * Counts a mismatched datagram; at {@link #MISMATCH_BURST}, someone is spraying guesses at this
   * port: its queries move to TCP, which an off-path attacker cannot spoof, and the port closes.
   */
  private void mismatch(UdpSocket s) {
    if (++s.mismatches < MISMATCH_BURST || s.pending.isEmpty()) {
      return;
    }
    LOG.warn("{} mismatched answers from {} on one port: possible spoofing; retrying {} queries"
        + " over TCP", s.mismatches, Endpoints.format(s.peer), s.pending.size());
    retire(s);
    for (Exchange ex : new ArrayList<>(s.pending.values())) {
      detach(ex);
      engine.stats.spoofingFallbacks.increment();
      startTcp(ex);
    }
  }

  /** Takes {@code ex} off its UDP socket; the socket closes when nothing else waits on it. */
  private void detach(Exchange ex) {
    UdpSocket s = ex.udpSocket;
    if (s == null) {
      return;
    }
    ex.udpSocket = null;
    s.pending.remove(ex.question.id(), ex);
    if (s.pending.isEmpty()) {
      closeUdp(s);
    }
  }

  private void retire(UdpSocket s) {
    if (s.retired) {
      return;
    }
    s.retired = true;
    List<UdpSocket> list = byPeer.get(s.peer);
    if (list != null) {
      list.remove(s);
      if (list.isEmpty()) {
        byPeer.remove(s.peer);
      }
    }
  }

  /** At the socket limit with an exchange waiting: stop sharing one socket so it closes soon. */
  private void retireOne() {
    for (UdpSocket s : udpSockets) {
      if (!s.retired) {
        retire(s);
        return;
      }
    }
  }

  /** Fails every exchange waiting on {@code s} and closes it. */
  private void failSocket(UdpSocket s, String message, Throwable cause) {
    for (Exchange ex : new ArrayList<>(s.pending.values())) {
      failNetwork(ex, message, cause);
    }
    closeUdp(s);
  }

  private void closeUdp(UdpSocket s) {
    if (s.closed) {
      return;
    }
    s.closed = true;
    retire(s);
    udpSockets.remove(s);
    s.backlog.clear();
    closingUdp++;
    try {
      s.channel.close();
    } catch (IOException e) {
      LOG.debug("closing UDP channel", e);
    }
    drainUdp();
  }

  /** Starts waiting UDP exchanges while sockets are free; iterative, never recursive. */
  private void drainUdp() {
    if (drainingUdp || terminated) {
      return;
    }
    drainingUdp = true;
    try {
      Exchange next;
      while (udpSockets.size() + closingUdp < maxUdp && (next = udpWaiting.poll()) != null) {
        startUdp(next);
      }
    } finally {
      drainingUdp = false;
    }
  }

  // ---------------------------------------------------------------- TCP

  /** Starts (or queues, beyond the connection limit) a TCP exchange. Loop thread. */
  private void startTcp(Exchange ex) {
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
      SocketChannel ch = opener.tcp(ex.peer);
      c.channel = ch;
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      boolean connected = ch.connect(ex.peer);
      c.key = ch.register(selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, c);
    } catch (IOException | RuntimeException e) {
      // releases c; the queue drain this triggers is iterative (drainTcp), never recursive
      failNetwork(ex, "TCP connect to " + Endpoints.format(ex.peer) + " failed", e);
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
      failNetwork(ex, "TCP exchange with " + Endpoints.format(ex.peer) + " failed", e);
    }
  }

  /**
   * Reads the one answer of this connection; at most one length prefix and one body read per
   * wake-up. The connection serves one exchange, so the first complete message decides it: a
   * message that does not answer the query (another ID or question, QR clear, another OPCODE,
   * a second question, TC=1) fails the exchange with {@link Reason#MALFORMED_RESPONSE} and closes
   * the connection, so a peer streaming junk costs one message, not a busy selector.
   */
  private void readTcp(TcpConnection c, SocketChannel ch) throws IOException {
    Exchange ex = c.exchange;
    String peer = Endpoints.format(ex.peer);
    ByteBuffer body = c.body;
    if (body == null) {
      if (ch.read(c.lengthPrefix) < 0) {
        failNetwork(ex, "TCP connection to " + peer + " closed before the answer", null);
        return;
      }
      if (c.lengthPrefix.hasRemaining()) {
        return;
      }
      int length = ((c.lengthPrefix.get(0) & 0xFF) << 8) | (c.lengthPrefix.get(1) & 0xFF);
      if (length < WireQuestion.HEADER_LENGTH) {
        failMalformed(ex, "TCP answer from " + peer + " shorter than a header: " + length);
        return;
      }
      body = ByteBuffer.allocate(length);
      c.body = body;
    }
    if (ch.read(body) < 0) {
      failNetwork(ex, "TCP connection to " + peer + " closed inside an answer", null);
      return;
    }
    if (body.hasRemaining()) {
      return;
    }
    byte[] data = body.array();
    engine.stats.received.increment();
    WireQuestion wq = WireQuestion.read(data);
    if (wq == null) {
      failMalformed(ex, "TCP answer from " + peer + " has no readable question");
      return;
    }
    if (!wq.response() || wq.id() != ex.question.id() || !wq.sameQuestion(ex.question)) {
      engine.stats.dropped.increment();
      failMalformed(ex, "TCP message from " + peer + " does not answer the query (ID " + wq.id()
          + (wq.response() ? "" : ", QR clear") + ", question " + wq.name() + " type "
          + wq.type() + "); connection closed");
      return;
    }
    if (!WireQuestion.headerFits(data, ex.wire)) {
      engine.stats.malformed.increment();
      failMalformed(ex, "TCP answer from " + peer + " has OPCODE " + WireQuestion.opcode(data)
          + " and " + WireQuestion.questionCount(data) + " questions; the query had OPCODE "
          + WireQuestion.opcode(ex.wire) + " and " + WireQuestion.questionCount(ex.wire));
      return;
    }
    if (WireQuestion.truncated(data)) {
      // TCP has no size limit to truncate for (RFC 7766 §8): TC=1 here means an incomplete answer
      engine.stats.malformed.increment();
      failMalformed(ex, "TCP answer from " + peer + " has TC=1: incomplete");
      return;
    }
    Message message;
    try {
      message = new Message(data);
    } catch (IOException | RuntimeException e) {
      engine.stats.malformed.increment();
      failMalformed(ex, "TCP answer from " + peer + " does not parse: " + e.getMessage());
      return;
    }
    answer(ex, data, message, ex.peer, true);
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
    drainTcp();
  }

  /**
   * Starts waiting TCP exchanges while connections are free. Iterative: a start that fails at
   * once releases its connection, whose drain returns here instead of recursing.
   */
  private void drainTcp() {
    if (drainingTcp || terminated) {
      return;
    }
    drainingTcp = true;
    try {
      Exchange next;
      while (connections.size() < maxTcp && (next = tcpWaiting.poll()) != null) {
        startTcp(next);
      }
    } finally {
      drainingTcp = false;
    }
  }

  // ---------------------------------------------------------------- completion

  /** Completes {@code ex} with an answer (once), then releases what it holds. */
  private void answer(Exchange ex, byte[] data, Message message, InetSocketAddress from,
      boolean tcp) {
    if (ex.tryFinish()) {
      engine.exchangeEnded();
      Runnable completion;
      try {
        completion = ex.callback.answered(data, message, from, tcp);
      } catch (RuntimeException e) {
        completion = ex.callback.failed(new DnsTransportException(Reason.MALFORMED_RESPONSE,
            "answer from " + Endpoints.format(from) + " could not be delivered: " + e, e));
      }
      dispatch(completion);
    }
    release(ex);
  }

  /**
   * Fails {@code ex} (once): the completion is dispatched first, then its socket or connection is
   * released (which may start queued exchanges). Any thread; resources only on the loop thread.
   */
  void fail(Exchange ex, Reason reason, String message, @Nullable Throwable cause) {
    if (ex.tryFinish()) {
      engine.exchangeEnded();
      dispatch(ex.callback.failed(
          cause == null
              ? new DnsTransportException(reason, message)
              : new DnsTransportException(reason, message + ": " + cause, cause)));
    }
    if (inLoop()) {
      release(ex);
    }
  }

  private void release(Exchange ex) {
    wheel.remove(ex);
    detach(ex);
    TcpConnection c = ex.tcp;
    if (c != null) {
      ex.tcp = null;
      releaseTcp(c);
    }
  }

  /** Runs {@code completion} on the host's executor: batched on the loop thread, else at once. */
  private void dispatch(Runnable completion) {
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
      Runnable r = batch.get(0);
      batch.clear();
      engine.deliver(r);
    } else {
      Runnable[] items = batch.toArray(new Runnable[0]);
      batch.clear();
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
  }

  private void safeFlush() {
    try {
      flush();
    } catch (Throwable t) {
      LOG.error("DNS transport: delivering completions failed", t);
    }
  }

  void failNetwork(Exchange ex, String message, @Nullable Throwable cause) {
    fail(ex, Reason.NETWORK, message, cause);
  }

  private void failMalformed(Exchange ex, String message) {
    fail(ex, Reason.MALFORMED_RESPONSE, message, null);
  }

  private void timeout(Exchange ex) {
    if (ex.isFinished()) {
      return;
    }
    engine.stats.timeouts.increment();
    String peer = Endpoints.format(ex.peer);
    if (ex.sawMalformed) {
      fail(ex, Reason.MALFORMED_RESPONSE,
          "only malformed answers from " + peer + " before the deadline", null);
    } else {
      fail(ex, Reason.TIMEOUT, "no answer from " + peer + " before the deadline", null);
    }
  }

  // ---------------------------------------------------------------- shutdown

  private void terminate() {
    terminated = true;
    // every exchange of this loop is in the wheel or still queued: fail each, whatever happens
    wheel.drain(this::closed);
    failQueued();
    for (Exchange ex : tcpWaiting) {
      closed(ex);
    }
    tcpWaiting.clear();
    for (Exchange ex : udpWaiting) {
      closed(ex);
    }
    udpWaiting.clear();
    for (TcpConnection c : new ArrayList<>(connections)) {
      closed(c.exchange);
      releaseTcp(c);
    }
    for (UdpSocket s : new ArrayList<>(udpSockets)) {
      for (Exchange ex : new ArrayList<>(s.pending.values())) {
        closed(ex);
      }
      closeUdp(s);
    }
    tasks.clear();
    safeFlush();
    try {
      selector.close();
    } catch (IOException e) {
      LOG.debug("closing selector", e);
    }
  }

  private void closed(Exchange ex) {
    try {
      fail(ex, Reason.CLOSED, "transport closed", null);
    } catch (Throwable t) {
      LOG.error("DNS transport: failing an exchange at close failed", t);
    }
  }

  private void failQueued() {
    Exchange ex;
    while ((ex = newExchanges.poll()) != null) {
      closed(ex);
    }
  }
}
