package io.github.zonecut.core;

import static io.github.zonecut.core.Exchanges.await;
import static io.github.zonecut.core.Exchanges.failure;
import static io.github.zonecut.core.Exchanges.firstA;
import static io.github.zonecut.core.Exchanges.query;
import static io.github.zonecut.core.Exchanges.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.DnsTransportException.Reason;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class NioDnsTransportTest {
  private static final Duration LONG = Duration.ofSeconds(20);

  private ExecutorService executor;
  private TestDnsServer server;
  private NioDnsTransport transport;

  @BeforeEach
  void setUp() throws IOException {
    executor = Executors.newFixedThreadPool(2);
    server = new TestDnsServer();
    transport = NioDnsTransport.builder(executor).udpSockets(4).build();
  }

  @AfterEach
  void tearDown() {
    transport.close();
    server.close();
    executor.shutdownNow();
  }

  @Test
  void udpExchangeReturnsParsedMessageAndExactBytes() throws Exception {
    DnsResponse r = await(transport.exchange(server.endpoint(), query("www.example."),
        TransportProtocol.UDP, LONG));

    assertThat(r.protocol()).isEqualTo(TransportProtocol.UDP);
    assertThat(r.from()).isEqualTo(server.endpoint());
    assertThat(firstA(r)).isEqualTo("192.0.2.1");
    assertThat(new Message(r.wire()).getHeader().getID()).isEqualTo(r.message().getHeader().getID());
    assertThat(r.message().getQuestion().getName()).isEqualTo(Name.fromString("www.example."));
  }

  @Test
  void fixedWireBytesAreSentUntouched() throws Exception {
    Message q = query("signed.example.");
    q.getHeader().setID(4242);
    byte[] wire = q.toWire();

    DnsResponse r = await(transport.exchange(server.endpoint(), DnsRequest.ofWire(wire),
        TransportProtocol.UDP, LONG));

    assertThat(server.receivedWire).hasSize(1);
    assertThat(server.receivedWire.get(0)).isEqualTo(wire);
    assertThat(r.message().getHeader().getID()).isEqualTo(4242);
  }

  @Test
  void messageRequestsGetAFreshIdButKeepTheirContent() throws Exception {
    Message q = query("fresh.example.");
    DnsRequest request = DnsRequest.of(q);
    assertThat(request.idAssignable()).isTrue();

    await(transport.exchange(server.endpoint(), request, TransportProtocol.UDP, LONG));

    byte[] sent = server.receivedWire.get(0);
    byte[] rendered = q.toWire();
    assertThat(java.util.Arrays.copyOfRange(sent, 2, sent.length))
        .isEqualTo(java.util.Arrays.copyOfRange(rendered, 2, rendered.length));
  }

  @Test
  void truncatedUdpAnswerIsRetriedOverTcp() throws Exception {
    server.onUdp((s, q, w, from) -> {
      Message tc = new Message(q.getHeader().getID());
      tc.getHeader().setFlag(Flags.QR);
      tc.getHeader().setFlag(Flags.TC);
      tc.addRecord(q.getQuestion(), Section.QUESTION);
      s.sendUdp(tc, from);
    });
    server.onTcp((s, q, out) ->
        TestDnsServer.writeFramed(out, TestDnsServer.answer(q, "192.0.2.99").toWire()));

    DnsResponse r = await(transport.exchange(server.endpoint(), query("big.example."),
        TransportProtocol.UDP, LONG));

    assertThat(r.protocol()).isEqualTo(TransportProtocol.TCP);
    assertThat(firstA(r)).isEqualTo("192.0.2.99");
    assertThat(server.tcpQueries).hasValue(1);
    assertThat(transport.stats().tcpRetries()).isEqualTo(1);
    // the same octets went over both transports
    assertThat(server.receivedWire.get(1)).isEqualTo(server.receivedWire.get(0));
  }

  @Test
  void silentServerTimesOut() throws Exception {
    server.onUdp((s, q, w, from) -> { });

    DnsTransportException e = failure(transport.exchange(server.endpoint(), query("slow.example."),
        TransportProtocol.UDP, Duration.ofMillis(200)));

    assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
    assertThat(transport.stats().timeouts()).isEqualTo(1);
    assertThat(transport.stats().inFlight()).isZero();
  }

  @Test
  void silentTcpServerTimesOut() throws Exception {
    server.onTcp((s, q, out) -> { });

    DnsTransportException e = failure(transport.exchange(server.endpoint(), query("slow.example."),
        TransportProtocol.TCP, Duration.ofMillis(200)));

    assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
  }

  @Test
  void spoofedIdAndWrongQuestionAreDroppedThenTheRightAnswerIsAccepted() throws Exception {
    server.onUdp((s, q, w, from) -> {
      Message wrongId = TestDnsServer.answer(q, "198.51.100.1");
      wrongId.getHeader().setID((q.getHeader().getID() + 1) & 0xFFFF);
      s.sendUdp(wrongId, from);
      Message wrongQuestion = TestDnsServer.answer(query("other.example."), "198.51.100.2");
      wrongQuestion.getHeader().setID(q.getHeader().getID());
      s.sendUdp(wrongQuestion, from);
      Message wrongType = TestDnsServer.answer(q, "198.51.100.3");
      wrongType.removeAllRecords(Section.QUESTION);
      wrongType.addRecord(Record.newRecord(q.getQuestion().getName(), Type.AAAA, DClass.IN),
          Section.QUESTION);
      s.sendUdp(wrongType, from);
      try {
        waitFor("three drops", () -> transport.stats().dropped() >= 3);
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      s.sendUdp(TestDnsServer.answer(q, "192.0.2.7"), from);
    });

    DnsResponse r = await(transport.exchange(server.endpoint(), query("target.example."),
        TransportProtocol.UDP, LONG));

    assertThat(firstA(r)).isEqualTo("192.0.2.7");
    assertThat(transport.stats().dropped()).isEqualTo(3);
  }

  @Test
  void questionMatchIsCaseInsensitive() throws Exception {
    server.onUdp((s, q, w, from) -> {
      Message a = TestDnsServer.answer(query("MiXeD.ExAmPlE."), "192.0.2.8");
      a.getHeader().setID(q.getHeader().getID());
      s.sendUdp(a, from);
    });

    DnsResponse r = await(transport.exchange(server.endpoint(), query("mixed.example."),
        TransportProtocol.UDP, LONG));

    assertThat(firstA(r)).isEqualTo("192.0.2.8");
  }

  @Test
  void answerFromTheWrongSourcePortIsDropped() throws Exception {
    server.onUdp((s, q, w, from) -> {
      // sent first: if it got through, it would win (it has the right ID and question)
      s.sendUdpFromOtherPort(TestDnsServer.answer(q, "198.51.100.66"), from);
      s.sendUdp(TestDnsServer.answer(q, "192.0.2.5"), from);
    });

    DnsResponse r = await(transport.exchange(server.endpoint(), query("port.example."),
        TransportProtocol.UDP, LONG));

    assertThat(firstA(r)).isEqualTo("192.0.2.5");
    // the query's socket is connected to the server: the kernel discards the spoof unseen
    assertThat(transport.stats().dropped()).isZero();
  }

  @Test
  void malformedUdpAnswerDoesNotKillTheQuery() throws Exception {
    server.onUdp((s, q, w, from) -> {
      byte[] good = TestDnsServer.answer(q).toWire();
      // matching ID and question, then garbage where the answer section should be
      byte[] bad = java.util.Arrays.copyOf(good, good.length - 3);
      s.sendUdp(bad, from);
      try {
        waitFor("the malformed answer", () -> transport.stats().malformed() >= 1);
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      s.sendUdp(good, from);
    });

    DnsResponse r = await(transport.exchange(server.endpoint(), query("mal.example."),
        TransportProtocol.UDP, LONG));

    assertThat(firstA(r)).isEqualTo("192.0.2.1");
  }

  @Test
  void onlyMalformedUdpAnswersReportMalformedAtTheDeadline() throws Exception {
    server.onUdp((s, q, w, from) -> {
      byte[] good = TestDnsServer.answer(q).toWire();
      s.sendUdp(java.util.Arrays.copyOf(good, good.length - 3), from);
    });

    DnsTransportException e = failure(transport.exchange(server.endpoint(), query("mal.example."),
        TransportProtocol.UDP, Duration.ofMillis(300)));

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_RESPONSE);
  }

  @Test
  void malformedTcpAnswerFailsAtOnce() throws Exception {
    server.onTcp((s, q, out) -> {
      byte[] good = TestDnsServer.answer(q).toWire();
      TestDnsServer.writeFramed(out, java.util.Arrays.copyOf(good, good.length - 3));
    });

    DnsTransportException e = failure(transport.exchange(server.endpoint(), query("mal.example."),
        TransportProtocol.TCP, LONG));

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_RESPONSE);
  }

  @Test
  void tcpFramingSurvivesSplitReads() throws Exception {
    server.onTcp((s, q, out) -> {
      byte[] wire = TestDnsServer.answer(q, "192.0.2.44").toWire();
      byte[] framed = new byte[wire.length + 2];
      framed[0] = (byte) (wire.length >>> 8);
      framed[1] = (byte) wire.length;
      System.arraycopy(wire, 0, framed, 2, wire.length);
      // one octet of the prefix, then the rest of it with part of the body, then the tail
      int[] cuts = {1, 5, 17, framed.length};
      int from = 0;
      for (int cut : cuts) {
        out.write(framed, from, cut - from);
        out.flush();
        from = cut;
        try {
          Thread.sleep(30);
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
    });

    DnsResponse r = await(transport.exchange(server.endpoint(), query("split.example."),
        TransportProtocol.TCP, LONG));

    assertThat(r.protocol()).isEqualTo(TransportProtocol.TCP);
    assertThat(firstA(r)).isEqualTo("192.0.2.44");
  }

  @Test
  void tcpMessageAnsweringNoQueryEndsTheConnectionAndItsRetry() throws Exception {
    server.onTcp((s, q, out) -> {
      Message other = TestDnsServer.answer(q, "198.51.100.9");
      other.getHeader().setID((q.getHeader().getID() + 7) & 0xFFFF);
      TestDnsServer.writeFramed(out, other.toWire());
      TestDnsServer.writeFramed(out, TestDnsServer.answer(q, "192.0.2.45").toWire());
    });

    // a message answering no outstanding exchange closes the connection; the innocent exchange
    // is retried once on a new one, meets the same junk, and fails
    DnsTransportException e = failure(transport.exchange(server.endpoint(),
        query("pipe.example."), TransportProtocol.TCP, LONG));

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_RESPONSE);
    assertThat(e).hasMessageContaining("does not answer any query");
    assertThat(transport.stats().dropped()).isEqualTo(2);
    assertThat(transport.stats().tcpConnections()).isEqualTo(2);
    assertThat(transport.stats().tcpReconnects()).isEqualTo(1);
    assertThat(transport.stats().inFlight()).isZero();
  }

  @Test
  void tcpConnectionClosedEarlyIsANetworkFailure() throws Exception {
    server.onTcp((s, q, out) -> {
      out.write(new byte[] {0, 40, 1, 2});
      out.flush();
      throw new IOException("close it");
    });

    DnsTransportException e = failure(transport.exchange(server.endpoint(), query("eof.example."),
        TransportProtocol.TCP, LONG));

    assertThat(e.reason()).isEqualTo(Reason.NETWORK);
  }

  @Test
  void refusedTcpConnectionIsANetworkFailure() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }

    DnsTransportException e = failure(transport.exchange(DnsEndpoint.of("127.0.0.1", port),
        query("refused.example."), TransportProtocol.TCP, LONG));

    assertThat(e.reason()).isEqualTo(Reason.NETWORK);
  }

  @Test
  void closeFailsPendingExchangesAndLaterOnes() throws Exception {
    server.onUdp((s, q, w, from) -> { });
    server.onTcp((s, q, out) -> { });
    CompletionStage<DnsResponse> udp = transport.exchange(server.endpoint(), query("a.example."),
        TransportProtocol.UDP, LONG);
    CompletionStage<DnsResponse> tcp = transport.exchange(server.endpoint(), query("b.example."),
        TransportProtocol.TCP, LONG);
    waitFor("both queries to arrive", () -> server.receivedWire.size() == 2);

    transport.close();

    assertThat(failure(udp).reason()).isEqualTo(Reason.CLOSED);
    assertThat(failure(tcp).reason()).isEqualTo(Reason.CLOSED);
    assertThat(failure(transport.exchange(server.endpoint(), query("c.example."),
        TransportProtocol.UDP, LONG)).reason()).isEqualTo(Reason.CLOSED);
  }

  @Test
  void inFlightLimitRefusesWithOverloaded() throws Exception {
    server.onUdp((s, q, w, from) -> { });
    try (NioDnsTransport small = NioDnsTransport.builder(executor).maxInFlight(1).build()) {
      CompletionStage<DnsResponse> first = small.exchange(server.endpoint(), query("1.example."),
          TransportProtocol.UDP, LONG);

      DnsTransportException e = failure(small.exchange(server.endpoint(), query("2.example."),
          TransportProtocol.UDP, LONG));

      assertThat(e.reason()).isEqualTo(Reason.OVERLOADED);
      assertThat(first.toCompletableFuture().isDone()).isFalse();
    }
  }

  @Test
  void theSameFixedIdTwiceInFlightGoesOutOnTwoPorts() throws Exception {
    java.util.Set<SocketAddress> sources = java.util.concurrent.ConcurrentHashMap.newKeySet();
    server.onUdp((s, q, w, from) -> {
      sources.add(from);
      if (sources.size() == 2) {
        for (SocketAddress to : sources) {
          s.sendUdp(TestDnsServer.answer(q), to);
        }
      }
    });
    Message q = query("dup.example.");
    DnsRequest fixed = DnsRequest.ofWire(q.toWire());

    CompletionStage<DnsResponse> first = transport.exchange(server.endpoint(), fixed,
        TransportProtocol.UDP, LONG);
    CompletionStage<DnsResponse> second = transport.exchange(server.endpoint(), fixed,
        TransportProtocol.UDP, LONG);

    assertThat(await(first).message().getHeader().getID()).isEqualTo(q.getHeader().getID());
    assertThat(await(second).message().getHeader().getID()).isEqualTo(q.getHeader().getID());
    assertThat(sources).hasSize(2);
  }

  @Test
  void atTheSocketLimitAFixedIdInFlightOnEverySocketWaits() throws Exception {
    server.onUdp((s, q, w, from) -> { });
    try (NioDnsTransport one = NioDnsTransport.builder(executor).udpSockets(1).build()) {
      DnsRequest fixed = DnsRequest.ofWire(query("dup.example.").toWire());
      CompletionStage<DnsResponse> first = one.exchange(server.endpoint(), fixed,
          TransportProtocol.UDP, LONG);

      // no port where that ID is free: it waits for one, and its deadline passes
      DnsTransportException e = failure(one.exchange(server.endpoint(), fixed,
          TransportProtocol.UDP, Duration.ofMillis(200)));

      assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
      assertThat(first.toCompletableFuture().isDone()).isFalse();
      assertThat(server.udpQueries).hasValue(1);
    }
  }

  @Test
  void tcpBeyondTheConnectionLimitQueuesAndKeepsItsDeadline() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    server.onTcp((s, q, out) -> {
      if (q.getQuestion().getName().toString().startsWith("hold.")) {
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          throw new IOException(e);
        }
      }
      TestDnsServer.writeFramed(out, TestDnsServer.answer(q).toWire());
    });
    try (NioDnsTransport one = NioDnsTransport.builder(executor).maxTcpConnections(1)
        .tcpPipelineDepth(1).build()) {
      CompletionStage<DnsResponse> holding = one.exchange(server.endpoint(),
          query("hold.example."), TransportProtocol.TCP, LONG);
      waitFor("the first connection", () -> server.tcpQueries.get() == 1);

      // queued behind the held connection: its deadline passes while it waits
      DnsTransportException e = failure(one.exchange(server.endpoint(), query("late.example."),
          TransportProtocol.TCP, Duration.ofMillis(200)));
      CompletionStage<DnsResponse> queued = one.exchange(server.endpoint(),
          query("queued.example."), TransportProtocol.TCP, LONG);
      release.countDown();

      assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
      assertThat(firstA(await(holding))).isEqualTo("192.0.2.1");
      assertThat(firstA(await(queued))).isEqualTo("192.0.2.1");
      // the timed-out exchange never reached the server
      assertThat(server.tcpQueries).hasValue(2);
    }
  }

  @Test
  void severalSelectorThreadsShareTheWork() throws Exception {
    try (NioDnsTransport multi = NioDnsTransport.builder(executor).selectorThreads(2)
        .udpSockets(3).build()) {
      List<CompletableFuture<DnsResponse>> all = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        all.add(multi.exchange(server.endpoint(), query("m" + i + ".example."),
            i % 5 == 0 ? TransportProtocol.TCP : TransportProtocol.UDP, LONG)
            .toCompletableFuture());
      }
      for (CompletableFuture<DnsResponse> f : all) {
        assertThat(firstA(f.get(30, TimeUnit.SECONDS))).isEqualTo("192.0.2.1");
      }
      assertThat(multi.stats().sent()).isEqualTo(50);
    }
  }

  @Test
  void aShutDownExecutorStillGetsEveryStageCompleted() throws Exception {
    ExecutorService dead = Executors.newSingleThreadExecutor();
    dead.shutdown();
    try (NioDnsTransport t = NioDnsTransport.builder(dead).build()) {
      DnsResponse r = await(t.exchange(server.endpoint(), query("dead.example."),
          TransportProtocol.UDP, LONG));

      assertThat(firstA(r)).isEqualTo("192.0.2.1");
    }
  }

  @Test
  void requestValidation() throws Exception {
    assertThatThrownBy(() -> DnsRequest.ofWire(new byte[5]))
        .isInstanceOf(MalformedDataException.class);
    byte[] truncatedQuestion = java.util.Arrays.copyOf(query("x.example.").toWire(), 15);
    assertThatThrownBy(() -> DnsRequest.ofWire(truncatedQuestion))
        .isInstanceOf(MalformedDataException.class);
    Message response = TestDnsServer.answer(query("x.example."));
    assertThatThrownBy(() -> DnsRequest.ofWire(response.toWire()))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("QR");
    assertThatThrownBy(() -> DnsRequest.ofWire(query("x.example.").toWire()).withId(1))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> transport.exchange(server.endpoint(), query("x.example."),
        TransportProtocol.UDP, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tenThousandQueriesInFlightWithoutThreadOrDescriptorGrowth() throws Exception {
    int total = 10_000;
    int chunk = 500;
    ConcurrentLinkedQueue<Object[]> held = new ConcurrentLinkedQueue<>();
    server.onUdp((s, q, w, from) -> held.add(new Object[] {q, from}));
    int threadsBefore = Thread.getAllStackTraces().size();
    int fdsBefore = openDescriptors();

    List<CompletableFuture<DnsResponse>> futures = new ArrayList<>(total);
    AtomicInteger done = new AtomicInteger();
    for (int i = 0; i < total; i++) {
      CompletableFuture<DnsResponse> f = transport.exchange(server.endpoint(),
          query("q" + i + ".bulk.example."), TransportProtocol.UDP, Duration.ofSeconds(60))
          .toCompletableFuture();
      f.whenComplete((r, e) -> done.incrementAndGet());
      futures.add(f);
      if ((i + 1) % chunk == 0) {
        int sent = i + 1;
        // pace the burst so the test responder's socket buffer never overflows
        waitFor(sent + " queries at the server", () -> server.udpQueries.get() >= sent);
      }
    }
    assertThat(transport.stats().inFlight()).isEqualTo(total);
    int threadsInFlight = Thread.getAllStackTraces().size();
    int fdsInFlight = openDescriptors();

    int answered = 0;
    Object[] h;
    while ((h = held.poll()) != null) {
      Message q = (Message) h[0];
      server.sendUdp(TestDnsServer.answer(q), (SocketAddress) h[1]);
      answered++;
      if (answered % chunk == 0) {
        int target = answered;
        waitFor(target + " answers delivered", () -> done.get() >= target);
      }
    }
    for (int i = 0; i < total; i++) {
      DnsResponse r = futures.get(i).get(30, TimeUnit.SECONDS);
      assertThat(r.message().getQuestion().getName().toString())
          .isEqualTo("q" + i + ".bulk.example.");
    }
    assertThat(transport.stats().inFlight()).isZero();
    assertThat(transport.stats().dropped()).isZero();
    // no thread and no descriptor per query: the pool is fixed (4 sockets, 1 selector)
    assertThat(threadsInFlight - threadsBefore).isLessThanOrEqualTo(2);
    if (fdsBefore >= 0) {
      assertThat(fdsInFlight - fdsBefore).isLessThan(50);
    }
  }

  /** Open file descriptors of this process (Linux), or -1 where /proc is missing. */
  private static int openDescriptors() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }
}
