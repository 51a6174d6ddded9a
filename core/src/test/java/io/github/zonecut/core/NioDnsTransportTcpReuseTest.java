package io.github.zonecut.core;

import static io.github.zonecut.core.Exchanges.await;
import static io.github.zonecut.core.Exchanges.failure;
import static io.github.zonecut.core.Exchanges.firstA;
import static io.github.zonecut.core.Exchanges.query;
import static io.github.zonecut.core.Exchanges.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.DnsTransportException.Reason;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;

/** TCP connection reuse, pipelining, idle timeout and retries (RFC 7766 §6.2, §7). */
class NioDnsTransportTcpReuseTest {
  private static final Duration LONG = Duration.ofSeconds(20);

  private ExecutorService executor;
  private TestDnsServer server;
  private NioDnsTransport transport;

  @BeforeEach
  void setUp() throws IOException {
    executor = Executors.newFixedThreadPool(2);
    server = new TestDnsServer();
    transport = NioDnsTransport.builder(executor).build();
  }

  @AfterEach
  void tearDown() {
    transport.close();
    server.close();
    executor.shutdownNow();
  }

  /** The answer names its query: {@code qN.example.} gets {@code 192.0.2.N}. */
  private static Message numbered(Message q) {
    String label = q.getQuestion().getName().getLabelString(0);
    return TestDnsServer.answer(q, "192.0.2." + label.substring(1));
  }

  private CompletableFuture<DnsResponse> tcp(NioDnsTransport t, String name) throws IOException {
    return t.exchange(server.endpoint(), query(name), TransportProtocol.TCP, LONG)
        .toCompletableFuture();
  }

  private List<CompletableFuture<DnsResponse>> concurrent(NioDnsTransport t, int n)
      throws IOException {
    List<CompletableFuture<DnsResponse>> all = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      all.add(tcp(t, "q" + i + ".example."));
    }
    return all;
  }

  private static void assertNumberedAnswers(List<CompletableFuture<DnsResponse>> all)
      throws Exception {
    for (int i = 0; i < all.size(); i++) {
      DnsResponse r = await(all.get(i));
      assertThat(r.protocol()).isEqualTo(TransportProtocol.TCP);
      assertThat(firstA(r)).isEqualTo("192.0.2." + (i + 1));
    }
  }

  @Test
  void sequentialExchangesShareOneConnection() throws Exception {
    server.onTcp((s, q, out) -> TestDnsServer.writeFramed(out, numbered(q).toWire()));

    for (int i = 1; i <= 5; i++) {
      assertThat(firstA(await(tcp(transport, "q" + i + ".example.")))).isEqualTo("192.0.2." + i);
    }

    assertThat(server.tcpAccepts).hasValue(1);
    assertThat(transport.stats().tcpConnections()).isEqualTo(1);
    assertThat(server.tcpQueries).hasValue(5);
  }

  @Test
  void concurrentExchangesPipelineAndTakeAnswersInReverseOrder() throws Exception {
    List<Message> held = new ArrayList<>();
    server.onTcp((s, q, out) -> {
      // the per-connection thread reads all eight before answering any: they were pipelined
      synchronized (held) {
        held.add(q);
        if (held.size() == 8) {
          for (int i = held.size() - 1; i >= 0; i--) {
            TestDnsServer.writeFramed(out, numbered(held.get(i)).toWire());
          }
        }
      }
    });

    List<CompletableFuture<DnsResponse>> all = concurrent(transport, 8);

    assertNumberedAnswers(all);
    assertThat(server.tcpAccepts).hasValue(1);
    assertThat(transport.stats().inFlight()).isZero();
  }

  @Test
  void beyondDepthTimesServersConnectionsExchangesQueueAndAllComplete() throws Exception {
    server.onTcp((s, q, out) -> TestDnsServer.writeFramed(out, numbered(q).toWire()));
    try (NioDnsTransport bounded = NioDnsTransport.builder(executor).tcpPipelineDepth(4)
        .maxTcpConnectionsPerServer(3).build()) {
      List<CompletableFuture<DnsResponse>> all = concurrent(bounded, 60);

      assertNumberedAnswers(all);
      assertThat(server.tcpAccepts.get()).isBetween(1, 3);
      assertThat(bounded.stats().tcpConnections()).isBetween(1L, 3L);
    }
  }

  @Test
  void aServerClosingAnIdleConnectionCostsANewConnectionNotAFailure() throws Exception {
    server.onTcp((s, q, out) -> {
      TestDnsServer.writeFramed(out, numbered(q).toWire());
      // RFC 7766 §6.2.3: the server's idle timeout is its own
      out.close();
    });

    assertThat(firstA(await(tcp(transport, "q1.example.")))).isEqualTo("192.0.2.1");
    waitFor("the server to close", () -> server.tcpEnded.get() == 1);
    assertThat(firstA(await(tcp(transport, "q2.example.")))).isEqualTo("192.0.2.2");

    assertThat(server.tcpAccepts).hasValue(2);
  }

  @Test
  void aServerAnsweringOneQueryPerConnectionStillAnswersAPipelinedBurst() throws Exception {
    server.onTcp((s, q, out) -> {
      TestDnsServer.writeFramed(out, numbered(q).toWire());
      out.close();
    });

    List<CompletableFuture<DnsResponse>> all = concurrent(transport, 6);

    // each connection answers one and is closed with the rest unanswered: progress, so retried
    assertNumberedAnswers(all);
    assertThat(server.tcpAccepts.get()).isBetween(6, 12);
  }

  @Test
  void aServerClosingWithExchangesOutstandingHasThemRetriedOnANewConnection() throws Exception {
    AtomicBoolean dropped = new AtomicBoolean();
    server.onTcp((s, q, out) -> {
      if (!dropped.getAndSet(true)) {
        out.close();
        return;
      }
      TestDnsServer.writeFramed(out, numbered(q).toWire());
    });

    List<CompletableFuture<DnsResponse>> all = concurrent(transport, 3);

    assertNumberedAnswers(all);
    assertThat(server.tcpAccepts.get()).isGreaterThanOrEqualTo(2);
    assertThat(transport.stats().tcpReconnects()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void junkClaimingOneExchangeFailsItAndTheInnocentOnesAreRetried() throws Exception {
    List<Message> firstConnection = new ArrayList<>();
    AtomicBoolean junkSent = new AtomicBoolean();
    server.onTcp((s, q, out) -> {
      synchronized (firstConnection) {
        if (!junkSent.get()) {
          firstConnection.add(q);
          if (firstConnection.size() == 3) {
            // the right ID for q3, another question: it claims q3 and answers nothing
            Message bad = TestDnsServer.answer(query("other.example."), "198.51.100.1");
            for (Message m : firstConnection) {
              if (m.getQuestion().getName().toString().startsWith("q3.")) {
                bad.getHeader().setID(m.getHeader().getID());
              }
            }
            TestDnsServer.writeFramed(out, bad.toWire());
            junkSent.set(true);
          }
          return;
        }
      }
      TestDnsServer.writeFramed(out, numbered(q).toWire());
    });

    List<CompletableFuture<DnsResponse>> all = concurrent(transport, 3);

    DnsTransportException e = failure(all.get(2));
    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_RESPONSE);
    assertThat(e).hasMessageContaining("does not answer the query");
    assertNumberedAnswers(all.subList(0, 2));
    assertThat(server.tcpAccepts).hasValue(2);
    assertThat(transport.stats().dropped()).isEqualTo(1);
    assertThat(transport.stats().tcpReconnects()).isEqualTo(2);
  }

  @Test
  void aMessageAnsweringNoQueryClosesTheConnectionAndEveryExchangeIsRetried() throws Exception {
    AtomicBoolean junkSent = new AtomicBoolean();
    List<Message> firstConnection = new ArrayList<>();
    server.onTcp((s, q, out) -> {
      synchronized (firstConnection) {
        if (!junkSent.get()) {
          firstConnection.add(q);
          if (firstConnection.size() == 3) {
            Message stray = numbered(q);
            int id = stray.getHeader().getID();
            int unused = id;
            for (Message m : firstConnection) {
              unused = Math.max(unused, m.getHeader().getID());
            }
            stray.getHeader().setID((unused + 1) & 0xFFFF);
            TestDnsServer.writeFramed(out, stray.toWire());
            junkSent.set(true);
          }
          return;
        }
      }
      TestDnsServer.writeFramed(out, numbered(q).toWire());
    });

    List<CompletableFuture<DnsResponse>> all = concurrent(transport, 3);

    assertNumberedAnswers(all);
    assertThat(server.tcpAccepts).hasValue(2);
    assertThat(transport.stats().dropped()).isEqualTo(1);
  }

  @Test
  void twoSignedRequestsWithTheSameIdAreBothAnswered() throws Exception {
    List<Message> held = new ArrayList<>();
    List<OutputStream> outs = new ArrayList<>();
    server.onTcp((s, q, out) -> {
      synchronized (held) {
        held.add(q);
        outs.add(out);
        if (held.size() == 2) {
          // both arrive before either is answered: they were in flight together
          for (int i = 1; i >= 0; i--) {
            TestDnsServer.writeFramed(outs.get(i), TestDnsServer.answer(held.get(i)).toWire());
          }
        }
      }
    });
    Message q = query("fixed.example.");
    DnsRequest fixed = DnsRequest.ofWire(q.toWire());

    CompletionStage<DnsResponse> first = transport.exchange(server.endpoint(), fixed,
        TransportProtocol.TCP, LONG);
    CompletionStage<DnsResponse> second = transport.exchange(server.endpoint(), fixed,
        TransportProtocol.TCP, LONG);

    assertThat(await(first).message().getHeader().getID()).isEqualTo(q.getHeader().getID());
    assertThat(await(second).message().getHeader().getID()).isEqualTo(q.getHeader().getID());
    // the ID was taken on the first connection: the second request went out on another
    assertThat(server.tcpAccepts).hasValue(2);
  }

  @Test
  void aSignedRequestWhoseIdIsTakenOnTheOnlyConnectionWaitsForIt() throws Exception {
    server.onTcp((s, q, out) -> TestDnsServer.writeFramed(out, TestDnsServer.answer(q).toWire()));
    Message q = query("fixed.example.");
    DnsRequest fixed = DnsRequest.ofWire(q.toWire());
    try (NioDnsTransport one = NioDnsTransport.builder(executor).maxTcpConnectionsPerServer(1)
        .build()) {
      List<CompletableFuture<DnsResponse>> all = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        all.add(one.exchange(server.endpoint(), fixed, TransportProtocol.TCP, LONG)
            .toCompletableFuture());
      }

      for (CompletableFuture<DnsResponse> f : all) {
        assertThat(await(f).message().getHeader().getID()).isEqualTo(q.getHeader().getID());
      }
      assertThat(server.tcpAccepts).hasValue(1);
      assertThat(server.tcpQueries).hasValue(4);
    }
  }

  @Test
  void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    try (NioDnsTransport quick = NioDnsTransport.builder(executor)
        .tcpIdleTimeout(Duration.ofMillis(50)).build()) {
      assertThat(firstA(await(tcp(quick, "q1.example.")))).isEqualTo("192.0.2.1");

      // the client closes it: the server's read ends
      waitFor("the idle connection to close", () -> server.tcpEnded.get() == 1);
      assertThat(firstA(await(tcp(quick, "q2.example.")))).isEqualTo("192.0.2.1");
      assertThat(server.tcpAccepts).hasValue(2);
    }
  }

  @Test
  void idleTimeoutZeroIsOneConnectionPerExchange() throws Exception {
    server.onTcp((s, q, out) -> TestDnsServer.writeFramed(out, numbered(q).toWire()));
    try (NioDnsTransport perExchange = NioDnsTransport.builder(executor)
        .tcpIdleTimeout(Duration.ZERO).build()) {
      for (int i = 1; i <= 3; i++) {
        assertThat(firstA(await(tcp(perExchange, "q" + i + ".example."))))
            .isEqualTo("192.0.2." + i);
      }
      assertNumberedAnswers(concurrent(perExchange, 3));

      assertThat(server.tcpAccepts).hasValue(6);
      waitFor("every connection to close", () -> server.tcpEnded.get() == 6);
    }
  }

  @Test
  void atTheLimitTheLeastRecentlyUsedIdleConnectionMakesRoom() throws Exception {
    try (TestDnsServer other = new TestDnsServer();
        NioDnsTransport one = NioDnsTransport.builder(executor).maxTcpConnections(1).build()) {
      assertThat(firstA(await(tcp(one, "q1.example.")))).isEqualTo("192.0.2.1");

      DnsResponse r = await(one.exchange(other.endpoint(), query("q2.example."),
          TransportProtocol.TCP, LONG));

      assertThat(firstA(r)).isEqualTo("192.0.2.1");
      waitFor("the idle connection to the first server to close",
          () -> server.tcpEnded.get() == 1);
      assertThat(other.tcpAccepts).hasValue(1);
    }
  }

  @Test
  void closeFailsPipelinedExchangesAndClosesIdleConnections() throws Exception {
    server.onTcp((s, q, out) -> {
      if (q.getQuestion().getName().toString().startsWith("q1.")) {
        TestDnsServer.writeFramed(out, numbered(q).toWire());
      }
    });
    assertThat(firstA(await(tcp(transport, "q1.example.")))).isEqualTo("192.0.2.1");
    List<CompletableFuture<DnsResponse>> silent = new ArrayList<>();
    for (int i = 2; i <= 4; i++) {
      silent.add(tcp(transport, "q" + i + ".example."));
    }
    waitFor("the pipelined queries to arrive", () -> server.tcpQueries.get() == 4);

    transport.close();

    for (CompletableFuture<DnsResponse> f : silent) {
      assertThat(failure(f).reason()).isEqualTo(Reason.CLOSED);
    }
    assertThat(server.tcpAccepts).hasValue(1);
    waitFor("the connection to close", () -> server.tcpEnded.get() == 1);
  }

  @Test
  void aLateAnswerToATimedOutExchangeIsDroppedAndTheConnectionGoesOn() throws Exception {
    List<Message> late = new ArrayList<>();
    server.onTcp((s, q, out) -> {
      if (q.getQuestion().getName().toString().startsWith("q1.")) {
        synchronized (late) {
          late.add(q);
        }
        return;
      }
      synchronized (late) {
        // the answer to q1, long after its deadline, then q2's
        TestDnsServer.writeFramed(out, numbered(late.get(0)).toWire());
      }
      TestDnsServer.writeFramed(out, numbered(q).toWire());
    });

    DnsTransportException e = failure(transport.exchange(server.endpoint(),
        query("q1.example."), TransportProtocol.TCP, Duration.ofMillis(100)));
    assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
    assertThat(firstA(await(tcp(transport, "q2.example.")))).isEqualTo("192.0.2.2");

    assertThat(server.tcpAccepts).hasValue(1);
    assertThat(transport.stats().dropped()).isEqualTo(1);
  }
}
