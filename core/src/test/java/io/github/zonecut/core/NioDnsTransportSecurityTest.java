package io.github.zonecut.core;

import static io.github.zonecut.core.Exchanges.await;
import static io.github.zonecut.core.Exchanges.failure;
import static io.github.zonecut.core.Exchanges.firstA;
import static io.github.zonecut.core.Exchanges.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.DnsTransportException.Reason;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Spoofing resistance and answer matching of {@link NioDnsTransport} (issue 9, 14). */
class NioDnsTransportSecurityTest {
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

  // ---------------------------------------------------------------- item 12: ports, 0x20, bursts

  @Test
  void everyQueryLeavesFromItsOwnEphemeralPort() throws Exception {
    Set<Integer> ports = ConcurrentHashMap.newKeySet();
    server.onUdp((s, q, w, from) -> {
      ports.add(((InetSocketAddress) from).getPort());
      s.sendUdp(TestDnsServer.answer(q), from);
    });
    int n = 300;
    for (int i = 0; i < n; i++) {
      await(transport.exchange(server.endpoint(), query("p" + i + ".example."),
          TransportProtocol.UDP, LONG));
    }

    // formerly 16 (the shared pool); the kernel may reuse a few ports of closed sockets
    assertThat(ports).hasSizeGreaterThanOrEqualTo(200);
    assertThat(transport.stats().inFlight()).isZero();
  }

  @Test
  void identicalConcurrentQuestionsNeverShareAPortAndId() throws Exception {
    List<byte[]> held = new ArrayList<>();
    List<SocketAddress> from = new ArrayList<>();
    int n = 50;
    server.onUdp((s, q, w, f) -> {
      synchronized (held) {
        held.add(w);
        from.add(f);
        if (held.size() == n) {
          for (int i = 0; i < n; i++) {
            s.sendUdp(TestDnsServer.answer(new Message(held.get(i))), from.get(i));
          }
        }
      }
    });
    List<CompletableFuture<DnsResponse>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(transport.exchange(server.endpoint(), query("same.example."),
          TransportProtocol.UDP, LONG).toCompletableFuture());
    }
    for (CompletableFuture<DnsResponse> f : all) {
      assertThat(firstA(f.get(30, TimeUnit.SECONDS))).isEqualTo("192.0.2.1");
    }
    Set<String> portAndId = new HashSet<>();
    synchronized (held) {
      for (int i = 0; i < n; i++) {
        portAndId.add(((InetSocketAddress) from.get(i)).getPort() + "/"
            + new Message(held.get(i)).getHeader().getID());
      }
    }
    assertThat(portAndId).hasSize(n);
  }

  @Test
  void caseRandomisedQuestionsAreSentAndAnswersEchoingThemAccepted() throws Exception {
    try (NioDnsTransport x20 = NioDnsTransport.builder(executor).randomizeQuestionCase(true)
        .build()) {
      Name name = Name.fromString("abcdefghijklmnop.example.");
      for (int i = 0; i < 10; i++) {
        DnsResponse r = await(x20.exchange(server.endpoint(), query(name.toString()),
            TransportProtocol.UDP, LONG));
        assertThat(firstA(r)).isEqualTo("192.0.2.1");
        assertThat(r.message().getQuestion().getName()).isEqualTo(name);
      }
      Set<String> spellings = new HashSet<>();
      for (byte[] w : server.receivedWire) {
        spellings.add(new Message(w).getQuestion().getName().toString());
      }
      // 10 draws of 23 random case bits: all identical has probability 2^-207
      assertThat(spellings).hasSizeGreaterThan(1);
      assertThat(spellings).anyMatch(s -> !s.equals(s.toLowerCase(java.util.Locale.ROOT)));
    }
  }

  @Test
  void anAnswerThatDoesNotEchoTheRandomCaseIsDropped() throws Exception {
    server.onUdp((s, q, w, from) -> {
      byte[] a = TestDnsServer.answer(q).toWire();
      // the question name lower-cased, as a spoofer who does not see the query would send it
      for (int i = 12; i < a.length && a[i] != 0; i++) {
        if (a[i] >= 'A' && a[i] <= 'Z') {
          a[i] = (byte) (a[i] | 0x20);
        }
      }
      s.sendUdp(a, from);
    });
    try (NioDnsTransport x20 = NioDnsTransport.builder(executor).randomizeQuestionCase(true)
        .build()) {
      DnsTransportException e = failure(x20.exchange(server.endpoint(),
          query("abcdefghijklmnopqrstuvwxyz.example."), TransportProtocol.UDP,
          Duration.ofMillis(300)));

      assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
      assertThat(x20.stats().dropped()).isEqualTo(1);
    }
  }

  @Test
  void signedRequestsKeepTheirCase() throws Exception {
    try (NioDnsTransport x20 = NioDnsTransport.builder(executor).randomizeQuestionCase(true)
        .build()) {
      byte[] wire = query("fixed.example.").toWire();

      await(x20.exchange(server.endpoint(), DnsRequest.ofWire(wire), TransportProtocol.UDP,
          LONG));

      assertThat(server.receivedWire.get(0)).isEqualTo(wire);
    }
  }

  @Test
  void aBurstOfMismatchedAnswersMovesTheQueryToTcp() throws Exception {
    server.onUdp((s, q, w, from) -> {
      int id = q.getHeader().getID();
      for (int i = 1; i <= 40; i++) {
        Message guess = TestDnsServer.answer(q, "198.51.100.66");
        guess.getHeader().setID((id + i) & 0xFFFF);
        s.sendUdp(guess, from);
      }
    });
    server.onTcp((s, q, out) ->
        TestDnsServer.writeFramed(out, TestDnsServer.answer(q, "192.0.2.77").toWire()));

    DnsResponse r = await(transport.exchange(server.endpoint(), query("sprayed.example."),
        TransportProtocol.UDP, LONG));

    assertThat(r.protocol()).isEqualTo(TransportProtocol.TCP);
    assertThat(firstA(r)).isEqualTo("192.0.2.77");
    assertThat(transport.stats().spoofingFallbacks()).isEqualTo(1);
    assertThat(server.tcpQueries).hasValue(1);
  }

  // ---------------------------------------------------------------- item 16: header checks

  private static Message twoQuestions(Message q) throws IOException {
    Message a = TestDnsServer.answer(q);
    a.addRecord(Record.newRecord(Name.fromString("extra.example."), Type.A, DClass.IN),
        Section.QUESTION);
    return a;
  }

  private static Message otherOpcode(Message q) {
    Message a = TestDnsServer.answer(q);
    a.getHeader().setOpcode(Opcode.UPDATE);
    return a;
  }

  @Test
  void udpAnswerWithTwoQuestionsIsNotAnAnswer() throws Exception {
    server.onUdp((s, q, w, from) -> s.sendUdp(twoQuestions(q), from));

    DnsTransportException e = failure(transport.exchange(server.endpoint(), query("qd.example."),
        TransportProtocol.UDP, Duration.ofMillis(300)));

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_RESPONSE);
  }

  @Test
  void udpAnswerWithAnotherOpcodeIsNotAnAnswer() throws Exception {
    server.onUdp((s, q, w, from) -> s.sendUdp(otherOpcode(q), from));

    DnsTransportException e = failure(transport.exchange(server.endpoint(), query("op.example."),
        TransportProtocol.UDP, Duration.ofMillis(300)));

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_RESPONSE);
  }

  @Test
  void tcpAnswerWithTwoQuestionsFails() throws Exception {
    server.onTcp((s, q, out) -> TestDnsServer.writeFramed(out, twoQuestions(q).toWire()));

    DnsTransportException e = failure(transport.exchange(server.endpoint(), query("qd.example."),
        TransportProtocol.TCP, LONG));

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_RESPONSE);
  }

  @Test
  void tcpAnswerWithAnotherOpcodeFails() throws Exception {
    server.onTcp((s, q, out) -> TestDnsServer.writeFramed(out, otherOpcode(q).toWire()));

    DnsTransportException e = failure(transport.exchange(server.endpoint(), query("op.example."),
        TransportProtocol.TCP, LONG));

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_RESPONSE);
  }

  @Test
  void truncatedTcpAnswerFails() throws Exception {
    server.onTcp((s, q, out) -> {
      Message a = TestDnsServer.answer(q);
      a.getHeader().setFlag(Flags.TC);
      TestDnsServer.writeFramed(out, a.toWire());
    });

    DnsTransportException e = failure(transport.exchange(server.endpoint(), query("tc.example."),
        TransportProtocol.TCP, LONG));

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_RESPONSE);
    assertThat(e).hasMessageContaining("TC=1");
  }

  // ---------------------------------------------------------------- item 13: streaming peer

  @Test
  void aPeerStreamingHeadersCostsOneMessageAndOthersGoOn() throws Exception {
    server.onTcp((s, q, out) -> {
      byte[] header = new byte[12];
      header[2] = (byte) 0x80;
      byte[] framed = new byte[14];
      framed[1] = 12;
      System.arraycopy(header, 0, framed, 2, 12);
      // bounded: ends when the client closes the connection
      for (int i = 0; i < 1_000_000; i++) {
        out.write(framed);
      }
    });

    CompletionStage<DnsResponse> streamed = transport.exchange(server.endpoint(),
        query("stream.example."), TransportProtocol.TCP, LONG);
    List<CompletableFuture<DnsResponse>> others = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      others.add(transport.exchange(server.endpoint(), query("o" + i + ".example."),
          TransportProtocol.UDP, LONG).toCompletableFuture());
    }

    assertThat(failure(streamed).reason()).isEqualTo(Reason.MALFORMED_RESPONSE);
    for (CompletableFuture<DnsResponse> f : others) {
      assertThat(firstA(f.get(30, TimeUnit.SECONDS))).isEqualTo("192.0.2.1");
    }
    assertThat(transport.stats().inFlight()).isZero();
  }

  // ---------------------------------------------------------------- issue 14 item 5

  @Test
  void udpToAClosedPortFailsWithNetworkNotTimeout() throws Exception {
    int port;
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }

    DnsTransportException e = failure(transport.exchange(DnsEndpoint.of("127.0.0.1", port),
        query("closed.example."), TransportProtocol.UDP, Duration.ofSeconds(25)));

    assertThat(e.reason()).isEqualTo(Reason.NETWORK);
    assertThat(e).hasMessageContaining("unreachable at 127.0.0.1:" + port + " ");
  }

  @Test
  void endpointsPrintAsPeopleWriteThem() throws Exception {
    assertThat(DnsEndpoint.of("127.0.0.1", 9)).hasToString("127.0.0.1:9");
    assertThat(DnsEndpoint.of("2001:db8::1", 53)).hasToString("[2001:db8::1]:53");
    assertThat(DnsEndpoint.of("2001:db8:0:1:0:0:0:1", 53)).hasToString("[2001:db8:0:1::1]:53");
    assertThat(DnsEndpoint.of("2001:0:0:1:0:0:0:1", 53)).hasToString("[2001:0:0:1::1]:53");
    assertThat(DnsEndpoint.of("::", 53)).hasToString("[::]:53");
    assertThat(DnsEndpoint.of("::1", 53)).hasToString("[::1]:53");
    assertThat(DnsEndpoint.of("2001:DB8:0:0:1:0:0:0", 53)).hasToString("[2001:db8:0:0:1::]:53");
    assertThat(DnsEndpoint.of("2001:db8:1:2:3:4:5:6", 53)).hasToString("[2001:db8:1:2:3:4:5:6]:53");

    server.onUdp((s, q, w, from) -> { });
    DnsTransportException e = failure(transport.exchange(server.endpoint(), query("t.example."),
        TransportProtocol.UDP, Duration.ofMillis(100)));
    assertThat(e).hasMessageContaining("from 127.0.0.1:" + server.endpoint().port() + " ");
    assertThat(e.getMessage()).doesNotContain("/");
  }
}
