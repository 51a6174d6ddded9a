package io.github.zonecut.dsync;

import static io.github.zonecut.dsync.ReceiverFixture.CHILD;
import static io.github.zonecut.dsync.ReceiverFixture.name;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.keystate.KeyStateResponder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/** The DSYNC target server on loopback: UPDATE over TCP and UDP, NOTIFY, KeyState, others. */
class DsyncServerTest {

  private static byte[] tcp(InetSocketAddress to, byte[] msg) throws IOException {
    try (Socket s = new Socket(to.getAddress(), to.getPort())) {
      s.setSoTimeout(5000);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeShort(msg.length);
      out.write(msg);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] answer = new byte[in.readUnsignedShort()];
      in.readFully(answer);
      return answer;
    }
  }

  private static byte[] udp(InetSocketAddress to, byte[] msg) throws IOException {
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(5000);
      s.send(new DatagramPacket(msg, msg.length, to));
      DatagramPacket p = new DatagramPacket(new byte[65535], 65535);
      s.receive(p);
      return Arrays.copyOf(p.getData(), p.getLength());
    }
  }

  private static Update change(ReceiverFixture f, String ns) throws Exception {
    Update u = f.update();
    u.add(CHILD, Type.NS, 3600, ns);
    return u;
  }

  @Test
  void servesUpdateNotifyAndKeyStateOverTcpAndUdp() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    KeyStateResponder responder = KeyStateResponder.builder(f.registry, f.receiverKey)
        .clock(f.clock).replayGuard(f.guard).build();
    AtomicInteger notifies = new AtomicInteger();
    try (DsyncServer server = DsyncServer.builder(f.receiver).keyState(responder)
        .notify((req, src) -> {
          notifies.incrementAndGet();
          return io.github.zonecut.dsync.internal.Replies.bare(req, Rcode.NOERROR);
        }).workers(2, 64).start()) {
      InetSocketAddress at = server.address();
      assertThat(at.getAddress().isLoopbackAddress()).isTrue();

      byte[] overTcp = f.sign(change(f, "ns2.child.parent.example."), f.childKey);
      byte[] a1 = tcp(at, overTcp);
      assertThat(ReceiverFixture.rcode(a1)).isEqualTo(Rcode.NOERROR);
      assertThat(f.signedByReceiver(a1, overTcp)).isTrue();

      // over UDP the UPDATE is not applied: TC tells the client to retry over TCP (ddns §5)
      Update viaUdp = change(f, "ns3.child.parent.example.");
      byte[] overUdp = f.sign(viaUdp, f.childKey);
      Message a2 = new Message(udp(at, overUdp));
      assertThat(a2.getHeader().getFlag(Flags.TC)).isTrue();
      assertThat(a2.getHeader().getFlag(Flags.QR)).isTrue();
      assertThat(a2.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(a2.getHeader().getID()).isEqualTo(viaUdp.getHeader().getID());
      assertThat(a2.getHeader().getOpcode()).isEqualTo(Opcode.UPDATE);
      assertThat(a2.getQuestion().getName()).isEqualTo(viaUdp.getQuestion().getName());
      assertThat(f.current(CHILD).nameservers()).contains(name("ns2.child.parent.example."))
          .doesNotContain(name("ns3.child.parent.example."));
      // the same bytes over TCP are applied (the UDP attempt did not consume them as a replay)
      assertThat(ReceiverFixture.rcode(tcp(at, overUdp))).isEqualTo(Rcode.NOERROR);
      assertThat(f.current(CHILD).nameservers()).contains(name("ns3.child.parent.example."));

      Message notify = Message.newQuery(Record.newRecord(CHILD, Type.CDS, DClass.IN));
      notify.getHeader().setOpcode(Opcode.NOTIFY);
      assertThat(ReceiverFixture.rcode(udp(at, notify.toWire()))).isEqualTo(Rcode.NOERROR);
      assertThat(notifies).hasValue(1);

      // an unsigned QUERY without KeyState option: the responder answers it (REFUSED)
      Message q = Message.newQuery(Record.newRecord(CHILD, Type.KEY, DClass.IN));
      byte[] ks = tcp(at, q.toWire());
      assertThat(new Message(ks).getHeader().getID()).isEqualTo(q.getHeader().getID());
      assertThat(ReceiverFixture.rcode(ks)).isEqualTo(Rcode.REFUSED);

      // a KeyState inquiry over UDP: TC, not answered
      assertThat(new Message(udp(at, q.toWire())).getHeader().getFlag(Flags.TC)).isTrue();

      Message status = Message.newQuery(Record.newRecord(CHILD, Type.SOA, DClass.IN));
      status.getHeader().setOpcode(Opcode.STATUS);
      assertThat(ReceiverFixture.rcode(udp(at, status.toWire()))).isEqualTo(Rcode.NOTIMP);
    }
  }

  @Test
  void udpUpdatesOnlyWhenTheHostLeavesTheDraftGuidance() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    try (DsyncServer server = DsyncServer.builder(f.receiver)
        .acceptUdpUpdatesLeavingDraftGuidance().start()) {
      byte[] overUdp = f.sign(change(f, "ns3.child.parent.example."), f.childKey);
      Message a = new Message(udp(server.address(), overUdp));
      assertThat(a.getHeader().getFlag(Flags.TC)).isFalse();
      assertThat(a.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(f.current(CHILD).nameservers()).contains(name("ns3.child.parent.example."));
    }
  }

  /**
   * A receiver whose own key is ML-DSA (kilobyte signatures, TCP only): even where the host
   * serves UPDATEs over UDP, a UDP request is answered truncated before any work, unsigned and
   * far below the requester's 512 octets, and the same bytes sent again over TCP are applied
   * and answered signed (the UDP attempt spent nothing in the replay guard).
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {199, 228})
  void anMlDsaReceiverAnswersUdpTruncatedAndTcpSigned(int alg) throws Exception {
    io.github.zonecut.sig0.Sig0KeyPair mlDsa = io.github.zonecut.sig0.Sig0KeyPair.generate(
        ReceiverFixture.TARGET, io.github.zonecut.sig0.Sig0Algorithm.of(alg),
        io.github.zonecut.sig0.Sig0PublicKey.FLAGS_ZONE);
    ReceiverFixture f = new ReceiverFixture(mlDsa, b -> {});
    try (DsyncServer server = DsyncServer.builder(f.receiver)
        .acceptUdpUpdatesLeavingDraftGuidance().start()) {
      byte[] request = f.sign(change(f, "ns3.child.parent.example."), f.childKey);
      byte[] overUdp = udp(server.address(), request);
      Message a = new Message(overUdp);
      assertThat(a.getHeader().getFlag(Flags.TC)).isTrue();
      assertThat(a.getHeader().getID()).isEqualTo(new Message(request).getHeader().getID());
      assertThat(overUdp.length).isLessThanOrEqualTo(512);
      assertThat(a.getSectionArray(org.xbill.DNS.Section.ADDITIONAL)).isEmpty();
      assertThat(f.current(CHILD).nameservers())
          .doesNotContain(name("ns3.child.parent.example."));
      // the host hears of the truncated request too: one event, nothing known of the signer
      assertThat(f.events).singleElement().satisfies(e -> {
        assertThat(e.outcome()).isEqualTo(UpdateEvent.Outcome.TRUNCATED);
        assertThat(e.rcode()).isEqualTo(Rcode.NOERROR);
        assertThat(e.signed()).isFalse();
        assertThat(e.signerKey()).isNull();
        assertThat(e.detail()).contains("TCP only");
      });

      byte[] overTcp = tcp(server.address(), request);
      assertThat(new Message(overTcp).getHeader().getFlag(Flags.TC)).isFalse();
      assertThat(ReceiverFixture.rcode(overTcp)).isEqualTo(Rcode.NOERROR);
      assertThat(overTcp.length).isGreaterThan(2420);
      assertThat(f.signedByReceiver(overTcp, request)).isTrue();
      assertThat(f.current(CHILD).nameservers()).contains(name("ns3.child.parent.example."));
      assertThat(f.events).extracting(UpdateEvent::outcome)
          .containsExactly(UpdateEvent.Outcome.TRUNCATED, UpdateEvent.Outcome.APPLIED);
    }
  }

  @Test
  void truncatedReplyOfAMalformedQuestionIsHeaderOnly() {
    byte[] req = new byte[14];
    req[0] = 0x12;
    req[1] = 0x34;
    req[2] = (byte) (5 << 3);
    req[5] = 1; // one question, but its name runs past the end
    req[12] = 40;
    byte[] a = io.github.zonecut.dsync.internal.Replies.truncated(req);
    assertThat(a).hasSize(12);
    assertThat(a[2] & 0x82).isEqualTo(0x82);
    assertThat(a[5]).isZero();
    assertThat(io.github.zonecut.dsync.internal.Replies.truncated(a)).isEmpty(); // a response
  }

  @Test
  void defaultsAnswerNotifyNotimpAndQueryRefused() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    try (DsyncServer server = DsyncServer.builder(f.receiver).start()) {
      Message notify = Message.newQuery(Record.newRecord(CHILD, Type.CSYNC, DClass.IN));
      notify.getHeader().setOpcode(Opcode.NOTIFY);
      assertThat(ReceiverFixture.rcode(tcp(server.address(), notify.toWire()))).isEqualTo(Rcode.NOTIMP);
      Message q = Message.newQuery(Record.newRecord(CHILD, Type.KEY, DClass.IN));
      assertThat(ReceiverFixture.rcode(tcp(server.address(), q.toWire()))).isEqualTo(Rcode.REFUSED);
    }
  }

  @Test
  void closeStopsServing() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    DsyncServer server = DsyncServer.builder(f.receiver).start();
    InetSocketAddress at = server.address();
    server.close();
    server.close(); // idempotent
    assertThatThrownBy(() -> tcp(at, f.update().toWire())).isInstanceOf(IOException.class);
  }

  /**
   * The NOTIFY half of one DSYNC target: dig's NOTIFY(CDS) and NOTIFY(CSYNC) vectors, sent over
   * UDP to the server, reach the {@link NotifyReceiver} (answered NOERROR, AA) and schedule one
   * check each.
   */
  @Test
  void dispatchesNotifyToTheNotifyReceiver() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    ScanQueue queue = ScanQueue.withCapacity(16);
    NotifyReceiver notifies = NotifyReceiver.builder(queue)
        .parentZones(org.xbill.DNS.Name.fromConstantString("parent.test.")).build();
    try (DsyncServer server = DsyncServer.builder(f.receiver).notify(notifies::handle)
        .workers(2, 64).start()) {
      for (String file : new String[] {"notify-cds-dig.hex", "notify-csync-dig.hex"}) {
        byte[] wire;
        try (java.io.InputStream in = getClass().getResourceAsStream("/vectors/" + file)) {
          wire = java.util.HexFormat.of().parseHex(new String(in.readAllBytes(),
              java.nio.charset.StandardCharsets.US_ASCII).replaceAll("\\s", ""));
        }
        Message answer = new Message(udp(server.address(), wire));
        assertThat(answer.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(answer.getHeader().getFlag(org.xbill.DNS.Flags.AA)).isTrue();
      }
    }
    org.xbill.DNS.Name child = org.xbill.DNS.Name.fromConstantString("child.parent.test.");
    assertThat(queue.drain()).containsExactly(ScanRequest.cds(child), ScanRequest.csync(child));
  }
}
