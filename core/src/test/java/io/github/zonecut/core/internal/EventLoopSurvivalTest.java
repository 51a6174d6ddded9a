package io.github.zonecut.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.DnsTransportException;
import io.github.zonecut.core.DnsTransportException.Reason;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The selector thread survives whatever its sockets throw at it, and every stage completes. */
class EventLoopSurvivalTest {
  /** Opening a TCP channel to this port fails at once, as EMFILE or an unroutable target does. */
  private static final int FAILING_PORT = 9;

  private ServerSocket silent;
  private ServerSocket echo;
  private Thread echoThread;
  private NioEngine engine;

  @BeforeEach
  void setUp() throws IOException {
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    // accepts (through its backlog) and never answers
    silent = new ServerSocket(0, 50, lo);
    echo = new ServerSocket(0, 50, lo);
    echoThread = new Thread(this::serveEcho, "test-echo");
    echoThread.setDaemon(true);
    echoThread.start();
    ChannelOpener opener = new ChannelOpener() {
      @Override
      public SocketChannel tcp(InetSocketAddress peer) throws IOException {
        if (peer.getPort() == FAILING_PORT) {
          throw new IOException("test: too many open files");
        }
        return SocketChannel.open();
      }

      @Override
      public DatagramChannel udp(InetSocketAddress peer) throws IOException {
        if (peer.getPort() == FAILING_PORT) {
          throw new OutOfMemoryError("test: an Error while opening a socket");
        }
        return DatagramChannel.open();
      }
    };
    engine = new NioEngine(1, 16, 1 << 16, 1 << 16, 4, 1, 4, 0L, 100_000, false, r -> {
      Thread t = new Thread(r, "test-loop");
      t.setDaemon(true);
      return t;
    }, Runnable::run, opener);
  }

  @AfterEach
  void tearDown() throws IOException {
    engine.close();
    silent.close();
    echo.close();
  }

  /** Answers each framed TCP query with the query itself, QR set: a valid empty answer. */
  private void serveEcho() {
    while (!echo.isClosed()) {
      try (Socket s = echo.accept()) {
        DataInputStream in = new DataInputStream(s.getInputStream());
        byte[] q = new byte[in.readUnsignedShort()];
        in.readFully(q);
        q[2] |= (byte) 0x80;
        OutputStream out = s.getOutputStream();
        out.write(new byte[] {(byte) (q.length >>> 8), (byte) q.length});
        out.write(q);
        out.flush();
      } catch (IOException e) {
        // closed
      }
    }
  }

  private static final class Result implements ExchangeCallback {
    final CompletableFuture<Message> future = new CompletableFuture<>();

    @Override
    public Runnable answered(byte[] wire, Message message, InetSocketAddress from, boolean tcp) {
      return () -> future.complete(message);
    }

    @Override
    public Runnable failed(DnsTransportException failure) {
      return () -> future.completeExceptionally(failure);
    }
  }

  private Result submit(InetSocketAddress peer, String name, boolean tcp, long timeoutMillis)
      throws IOException {
    byte[] wire = Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN))
        .toWire();
    WireQuestion q = WireQuestion.read(wire);
    assertThat(q).isNotNull();
    Result r = new Result();
    engine.submit(peer, wire, q, true, tcp, TimeUnit.MILLISECONDS.toNanos(timeoutMillis), r);
    return r;
  }

  private static Reason reason(Result r) throws Exception {
    try {
      r.future.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      DnsTransportException t = DnsTransportException.find(e);
      assertThat(t).isNotNull();
      return t.reason();
    }
    throw new AssertionError("succeeded");
  }

  @Test
  void thousandsOfQueuedTcpExchangesFailingAtOnceAllCompleteAndTheLoopLives() throws Exception {
    InetSocketAddress held = new InetSocketAddress(silent.getInetAddress(), silent.getLocalPort());
    InetSocketAddress failing = new InetSocketAddress("127.0.0.1", FAILING_PORT);
    List<Result> holders = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      holders.add(submit(held, "hold" + i + ".example.", true, 500));
    }
    // queued behind the 4 held connections; when those time out, the queue drains and every
    // start fails synchronously (formerly recursing once per queued exchange)
    int queued = 10_000;
    List<Result> doomed = new ArrayList<>(queued);
    for (int i = 0; i < queued; i++) {
      doomed.add(submit(failing, "q" + i + ".example.", true, 60_000));
    }

    for (Result h : holders) {
      assertThat(reason(h)).isEqualTo(Reason.TIMEOUT);
    }
    for (Result d : doomed) {
      assertThat(reason(d)).isEqualTo(Reason.NETWORK);
    }
    assertThat(engine.inFlight()).isZero();

    Result later = submit(new InetSocketAddress(echo.getInetAddress(), echo.getLocalPort()),
        "later.example.", true, 30_000);
    assertThat(later.future.get(30, TimeUnit.SECONDS).getQuestion().getName())
        .isEqualTo(Name.fromString("later.example."));
    assertThat(engine.inFlight()).isZero();
  }

  @Test
  void anErrorWhileStartingAnExchangeFailsItAndTheLoopGoesOn() throws Exception {
    Result hit = submit(new InetSocketAddress("127.0.0.1", FAILING_PORT), "oom.example.", false,
        60_000);

    assertThat(reason(hit)).isEqualTo(Reason.NETWORK);
    Result later = submit(new InetSocketAddress(echo.getInetAddress(), echo.getLocalPort()),
        "after.example.", true, 30_000);
    assertThat(later.future.get(30, TimeUnit.SECONDS)).isNotNull();
    assertThat(engine.inFlight()).isZero();
  }
}
