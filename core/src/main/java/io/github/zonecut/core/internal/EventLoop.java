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
import java.util.LinkedHashSet;
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
  /** Bulk reads per TCP connection per wake-up, so one busy connection cannot starve others. */
  private static final int TCP_READ_ROUNDS = 4;
  /** Failed rounds in a row after which the loop gives up, failing what it holds. */
  static final int MAX_CONSECUTIVE_FAILURES = 100;

  private final NioEngine engine;
  private final Selector selector;
  private final ChannelOpener opener;
  private final SecureRandom random = IdRandom.create();
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Exchange> newExchanges = new ConcurrentLinkedQueue<>();
  private final TimerWheel wheel = new TimerWheel(System.nanoTime());
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(0xFFFF);
  private final Set<TcpConnection> connections = new HashSet<>();
  private final ArrayDeque<Exchange> tcpWaiting = new ArrayDeque<>();
  /** Connections in service (not closed) by server; the ones reused and pipelined on. */
  private final HashMap<InetSocketAddress, List<TcpConnection>> tcpByPeer = new HashMap<>();
  /** Connections with nothing outstanding, least recently used first. */
  private final LinkedHashSet<TcpConnection> idle = new LinkedHashSet<>();
  private final int maxTcp;
  /** Exchanges (and stale IDs) one connection carries at once; 1 when idle timeout is zero. */
  private final int tcpDepth;
  /** Connections to one server at once (RFC 7766 §6.2.2). */
  private final int tcpPerServer;
  /** How long an idle connection stays open; 0 closes it after each answer. */
  private final long tcpIdleNanos;
  /** A TCP connection closed or got room since the last queue drain. */
  private boolean tcpFreed;
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
      int tcpDepth, int tcpPerServer, long tcpIdleNanos, boolean randomizeCase,
      ChannelOpener opener) throws IOException {
    // idle timeout zero: one exchange per connection, closed after its answer
    this.tcpDepth = tcpIdleNanos == 0 ? 1 : tcpDepth;
    this.tcpPerServer = tcpIdleNanos == 0 ? Integer.MAX_VALUE : tcpPerServer;
    this.tcpIdleNanos = tcpIdleNanos;
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
    } else if (!idle.isEmpty()) {
      selector.select(idleWaitMillis(System.nanoTime()));
    } else {
      // schedule() and execute() wake the selector, so nothing new can be missed here
      selector.select();
    }
    closingUdp = 0;
    drainUdp();
    processSelected();
    long now = System.nanoTime();
    wheel.expire(now, this::timeout);
    if (!idle.isEmpty()) {
      expireIdle(now);
    }
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
          TcpConnection c = (TcpConnection) att;
          for (Exchange ex : takeOutstanding(c)) {
            failNetwork(ex, "TCP exchange with " + Endpoints.format(c.peer) + " failed", e);
          }
          drainTcp();
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

  /** Outcome of one attempt to place a TCP exchange. */
  private enum Placement { STARTED, WAIT, WAIT_ID }

  /**
   * Starts a TCP exchange: on an open connection to the same server with room in its pipeline
   * and its ID free there (RFC 7766 §6.2.1: reuse and pipeline), else on a new connection while
   * under the per-server and total limits (closing the least recently used idle connection to
   * make room), else it waits in the queue, its deadline running. Loop thread.
   */
  private void startTcp(Exchange ex) {
    if (ex.isFinished()) {
      return;
    }
    if (placeTcp(ex) != Placement.STARTED) {
      tcpWaiting.add(ex);
    }
  }

  private Placement placeTcp(Exchange ex) {
    List<TcpConnection> open = tcpByPeer.get(ex.peer);
    boolean room = false;
    if (open != null) {
      for (TcpConnection c : open) {
        if (c.load() < tcpDepth) {
          room = true;
          if (assignTcp(c, ex)) {
            enqueue(c, ex);
            return Placement.STARTED;
          }
        }
      }
    }
    if (open != null && open.size() >= tcpPerServer) {
      // room but not for this fixed ID: a signed request waits for its ID to be free somewhere
      return room ? Placement.WAIT_ID : Placement.WAIT;
    }
    if (connections.size() >= maxTcp) {
      TcpConnection lru = idle.isEmpty() ? null : idle.iterator().next();
      if (lru == null) {
        return Placement.WAIT;
      }
      // RFC 7766 §6.2.2: idle connections count against the limit; the oldest makes room
      closeTcp(lru);
    }
    TcpConnection c = new TcpConnection(ex.peer);
    connections.add(c);
    tcpByPeer.computeIfAbsent(ex.peer, p -> new ArrayList<>(2)).add(c);
    engine.stats.tcpConnections.increment();
    if (!assignTcp(c, ex)) {
      // cannot happen on an empty connection
      closeTcp(c);
      failNetwork(ex, "no message ID free on a fresh TCP connection", null);
      return Placement.STARTED;
    }
    enqueue(c, ex);
    try {
      SocketChannel ch = opener.tcp(ex.peer);
      c.channel = ch;
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      c.connected = ch.connect(ex.peer);
      c.key = ch.register(selector, 0, c);
      interest(c);
    } catch (IOException | RuntimeException e) {
      // fails ex; the queue drain this triggers is iterative (drainTcp), never recursive
      connectFailed(c, e);
    }
    return Placement.STARTED;
  }

  /**
   * Gives {@code ex} an ID free on {@code c}: a fresh random one if the transport may choose it
   * (RFC 5452 §9.2), else its own if no exchange on {@code c} holds it (RFC 7766 §7: IDs tell
   * pipelined answers apart).
   */
  private boolean assignTcp(TcpConnection c, Exchange ex) {
    int id = ex.question.id();
    if (c.idFree(id)) {
      return true;
    }
    if (!ex.idAssignable) {
      return false;
    }
    for (int t = 0; t < ID_TRIES; t++) {
      int candidate = random.nextInt(0x10000);
      if (c.idFree(candidate)) {
        ex.wire = WireQuestion.withId(ex.wire, candidate);
        ex.question = ex.question.withId(candidate);
        return true;
      }
    }
    return false;
  }

  /** Puts {@code ex} on {@code c} and writes its request as soon as the connection takes it. */
  private void enqueue(TcpConnection c, Exchange ex) {
    idle.remove(c);
    c.outstanding.put(ex.question.id(), ex);
    ex.tcp = c;
    c.out.add(TcpConnection.frame(ex.wire));
    if (c.connected && c.out.size() == 1) {
      SocketChannel ch = c.channel;
      if (ch != null) {
        try {
          writeOut(c, ch);
        } catch (IOException | RuntimeException e) {
          peerFailed(c, "TCP write to " + Endpoints.format(c.peer) + " failed", e);
          return;
        }
      }
    }
    interest(c);
  }

  /** Writes queued requests until the kernel's buffer is full or the queue is empty. */
  private static void writeOut(TcpConnection c, SocketChannel ch) throws IOException {
    ByteBuffer b;
    while ((b = c.out.peek()) != null) {
      ch.write(b);
      if (b.hasRemaining()) {
        return;
      }
      c.out.poll();
    }
  }

  /** OP_CONNECT while connecting; then OP_READ always, OP_WRITE only while requests wait. */
  private static void interest(TcpConnection c) {
    SelectionKey k = c.key;
    if (c.closed || k == null || !k.isValid()) {
      return;
    }
    k.interestOps(!c.connected ? SelectionKey.OP_CONNECT
        : c.out.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
  }

  private void tcpReady(TcpConnection c, SelectionKey key) {
    SocketChannel ch = (SocketChannel) key.channel();
    if (!c.connected) {
      try {
        if (key.isConnectable()) {
          ch.finishConnect();
          c.connected = true;
          interest(c);
        }
      } catch (IOException | RuntimeException e) {
        connectFailed(c, e);
      }
      return;
    }
    try {
      if (key.isWritable()) {
        writeOut(c, ch);
        interest(c);
      }
      if (!c.closed && key.isValid() && key.isReadable()) {
        readTcp(c, ch);
      }
    } catch (IOException | RuntimeException e) {
      peerFailed(c, "TCP exchange with " + Endpoints.format(c.peer) + " failed", e);
    }
  }

  /**
   * Reads what the socket holds, in one bulk read per round (a bounded number of rounds per
   * wake-up, so one busy connection cannot starve others), and handles each complete message.
   */
  private void readTcp(TcpConnection c, SocketChannel ch) throws IOException {
    for (int round = 0; round < TCP_READ_ROUNDS && !c.closed; round++) {
      readBuffer.clear();
      int n = ch.read(readBuffer);
      if (n < 0) {
        ByteBuffer partial = c.body;
        peerClosed(c, "TCP connection to " + Endpoints.format(c.peer) + " closed by the server"
            + (partial != null || c.lengthPrefix.position() > 0 ? " inside an answer" : ""));
        return;
      }
      if (n == 0) {
        return;
      }
      readBuffer.flip();
      while (readBuffer.hasRemaining() && !c.closed) {
        ByteBuffer body = c.body;
        if (body == null) {
          while (c.lengthPrefix.hasRemaining() && readBuffer.hasRemaining()) {
            c.lengthPrefix.put(readBuffer.get());
          }
          if (c.lengthPrefix.hasRemaining()) {
            break;
          }
          int length = ((c.lengthPrefix.get(0) & 0xFF) << 8) | (c.lengthPrefix.get(1) & 0xFF);
          c.lengthPrefix.clear();
          if (length < WireQuestion.HEADER_LENGTH) {
            engine.stats.malformed.increment();
            junk(c, null, "TCP message from " + Endpoints.format(c.peer)
                + " shorter than a header: " + length);
            return;
          }
          body = ByteBuffer.allocate(length);
          c.body = body;
        }
        int take = Math.min(body.remaining(), readBuffer.remaining());
        int limit = readBuffer.limit();
        readBuffer.limit(readBuffer.position() + take);
        body.put(readBuffer);
        readBuffer.limit(limit);
        if (body.hasRemaining()) {
          break;
        }
        c.body = null;
        tcpMessage(c, body.array());
      }
    }
  }

  /**
   * Handles one complete message. An answer to an outstanding exchange completes it. Anything
   * else closes the connection (a peer streaming junk costs one message): a message that claims
   * an outstanding exchange's ID but fails its checks (QR clear, another question, OPCODE or
   * question count, TC=1, unparsable) fails that exchange with {@link Reason#MALFORMED_RESPONSE};
   * the connection's other exchanges are retried once on a fresh connection. A late answer to an
   * exchange that already ended here is dropped and the connection goes on.
   */
  private void tcpMessage(TcpConnection c, byte[] data) {
    engine.stats.received.increment();
    String peer = Endpoints.format(c.peer);
    WireQuestion wq = WireQuestion.read(data);
    if (wq == null) {
      engine.stats.malformed.increment();
      junk(c, null, "TCP message from " + peer + " has no readable question");
      return;
    }
    Exchange ex = c.outstanding.get(wq.id());
    if (ex == null) {
      engine.stats.dropped.increment();
      if (wq.response() && c.stale.remove(wq.id())) {
        // the answer to an exchange whose deadline passed: late, not hostile
        maybeIdle(c);
        return;
      }
      junk(c, null, "TCP message from " + peer + " does not answer any query (ID " + wq.id()
          + (wq.response() ? "" : ", QR clear") + ", question " + wq.name() + " type "
          + wq.type() + "); connection closed");
      return;
    }
    if (!wq.response() || !wq.sameQuestion(ex.question)) {
      engine.stats.dropped.increment();
      junk(c, ex, "TCP message from " + peer + " does not answer the query (ID " + wq.id()
          + (wq.response() ? "" : ", QR clear") + ", question " + wq.name() + " type "
          + wq.type() + "); connection closed");
      return;
    }
    if (!WireQuestion.headerFits(data, ex.wire)) {
      engine.stats.malformed.increment();
      junk(c, ex, "TCP answer from " + peer + " has OPCODE " + WireQuestion.opcode(data)
          + " and " + WireQuestion.questionCount(data) + " questions; the query had OPCODE "
          + WireQuestion.opcode(ex.wire) + " and " + WireQuestion.questionCount(ex.wire));
      return;
    }
    if (WireQuestion.truncated(data)) {
      // TCP has no size limit to truncate for (RFC 7766 §8): TC=1 here means an incomplete answer
      engine.stats.malformed.increment();
      junk(c, ex, "TCP answer from " + peer + " has TC=1: incomplete");
      return;
    }
    Message message;
    try {
      message = new Message(data);
    } catch (IOException | RuntimeException e) {
      engine.stats.malformed.increment();
      junk(c, ex, "TCP answer from " + peer + " does not parse: " + e.getMessage());
      return;
    }
    c.outstanding.remove(wq.id());
    c.answered++;
    answer(ex, data, message, c.peer, true);
  }

  /** Takes {@code c} out of service and closes its channel; its exchanges are the caller's. */
  private void closeTcp(TcpConnection c) {
    if (c.closed) {
      return;
    }
    c.closed = true;
    connections.remove(c);
    idle.remove(c);
    List<TcpConnection> list = tcpByPeer.get(c.peer);
    if (list != null) {
      list.remove(c);
      if (list.isEmpty()) {
        tcpByPeer.remove(c.peer);
      }
    }
    c.out.clear();
    SocketChannel ch = c.channel;
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        LOG.debug("closing TCP channel", e);
      }
    }
    tcpFreed = true;
  }

  /** Closes {@code c} and hands back its unfinished exchanges, detached from it. */
  private List<Exchange> takeOutstanding(TcpConnection c) {
    closeTcp(c);
    List<Exchange> list = new ArrayList<>(c.outstanding.values());
    c.outstanding.clear();
    for (Exchange ex : list) {
      ex.tcp = null;
    }
    return list;
  }

  /** The connection never came up: its exchanges fail with {@link Reason#NETWORK}, as ever. */
  private void connectFailed(TcpConnection c, Throwable cause) {
    for (Exchange ex : takeOutstanding(c)) {
      failNetwork(ex, "TCP connect to " + Endpoints.format(c.peer) + " failed", cause);
    }
    drainTcp();
  }

  private void peerFailed(TcpConnection c, String message, Throwable cause) {
    retryOrFail(c, message, cause, Reason.NETWORK);
  }

  /** The server closed (EOF) the connection: its right at any time (RFC 7766 §6.2.4). */
  private void peerClosed(TcpConnection c, String message) {
    retryOrFail(c, message, null, Reason.NETWORK);
  }

  /**
   * A message on {@code c} answers nothing it may answer: the exchange it claims (if any) fails,
   * the connection closes, and the others are innocent: retried once.
   */
  private void junk(TcpConnection c, @Nullable Exchange claimed, String message) {
    if (claimed != null) {
      c.outstanding.remove(claimed.question.id());
      claimed.tcp = null;
      fail(claimed, Reason.MALFORMED_RESPONSE, message, null);
    }
    retryOrFail(c, message, null, Reason.MALFORMED_RESPONSE);
  }

  /**
   * Closes {@code c} and retries its unfinished exchanges on another connection, within their
   * deadlines (RFC 7766 §6.2.4: a server may close a connection at any time, and clients SHOULD
   * retry the queries it left unanswered).
   * An exchange gets one retry after a connection that answered nothing; a connection that
   * answered some of its exchanges made progress, so retrying the rest does not use up their
   * retry (a server closing after each answer still serves them all, one per connection). An
   * exchange out of retries fails with {@code reason}.
   */
  private void retryOrFail(TcpConnection c, String message, @Nullable Throwable cause,
      Reason reason) {
    boolean progress = c.answered > 0 && reason == Reason.NETWORK;
    List<Exchange> retry = new ArrayList<>();
    for (Exchange ex : takeOutstanding(c)) {
      if (ex.isFinished()) {
        continue;
      }
      if (progress || !ex.tcpRetried) {
        ex.tcpRetried |= !progress;
        retry.add(ex);
      } else {
        fail(ex, reason, message, cause);
      }
    }
    if (!retry.isEmpty()) {
      LOG.debug("{}; retrying {} exchanges on another connection", message, retry.size());
      engine.stats.tcpReconnects.add(retry.size());
    }
    for (Exchange ex : retry) {
      startTcp(ex);
    }
    drainTcp();
  }

  /**
   * {@code ex} ended without an answer on its connection (deadline, close): its ID stays
   * reserved there against a late answer.
   */
  private void leaveTcp(Exchange ex, TcpConnection c) {
    ex.tcp = null;
    if (c.outstanding.remove(ex.question.id(), ex) && !c.closed) {
      c.stale.add(ex.question.id());
    }
    maybeIdle(c);
  }

  /**
   * After an exchange ended on {@code c}: with nothing outstanding the connection becomes idle
   * (closed at once when the idle timeout is zero, or when late answers it still waits for fill
   * its pipeline), and its room goes to waiting exchanges.
   */
  private void maybeIdle(TcpConnection c) {
    if (c.closed) {
      return;
    }
    tcpFreed = true;
    if (c.outstanding.isEmpty()) {
      if (tcpIdleNanos == 0 || c.stale.size() >= tcpDepth) {
        closeTcp(c);
      } else {
        c.idleSinceNanos = System.nanoTime();
        idle.remove(c);
        idle.add(c);
      }
    }
    drainTcp();
  }

  /** Closes connections idle for the idle timeout (RFC 7766 §6.2.3), oldest first. */
  private void expireIdle(long nowNanos) {
    Iterator<TcpConnection> it = idle.iterator();
    while (it.hasNext()) {
      TcpConnection c = it.next();
      if (nowNanos - c.idleSinceNanos < tcpIdleNanos) {
        return;
      }
      it.remove();
      closeTcp(c);
    }
  }

  /** Milliseconds until the oldest idle connection expires (at least 1), or -1 if none is idle. */
  private long idleWaitMillis(long nowNanos) {
    if (idle.isEmpty()) {
      return -1;
    }
    long left = idle.iterator().next().idleSinceNanos + tcpIdleNanos - nowNanos;
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(left) + 1);
  }

  /**
   * Starts waiting TCP exchanges where room has appeared, in queue order. Iterative: a start
   * that fails at once frees its connection, and the pass is repeated instead of recursing.
   */
  private void drainTcp() {
    if (drainingTcp || terminated) {
      return;
    }
    drainingTcp = true;
    try {
      while (tcpFreed && !tcpWaiting.isEmpty()) {
        tcpFreed = false;
        HashSet<InetSocketAddress> full = new HashSet<>();
        boolean started = false;
        for (int n = tcpWaiting.size(); n > 0; n--) {
          Exchange ex = tcpWaiting.poll();
          if (ex == null) {
            break;
          }
          if (ex.isFinished()) {
            continue;
          }
          Placement p = full.contains(ex.peer) ? Placement.WAIT : placeTcp(ex);
          if (p == Placement.STARTED) {
            started = true;
          } else {
            if (p == Placement.WAIT) {
              // no room for this server: its other waiting exchanges need not try in this pass
              full.add(ex.peer);
            }
            tcpWaiting.add(ex);
          }
        }
        if (!started) {
          break;
        }
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
      leaveTcp(ex, c);
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
      for (Exchange ex : takeOutstanding(c)) {
        closed(ex);
      }
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
