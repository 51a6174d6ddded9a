package io.github.zonecut.core.internal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The loopback server's framing and failure handling, below the DNS logic. */
class DnsServerTest {
  /** Echoes each message reversed; throws on a message starting with 'X'. */
  private static final DnsServer.Handler ECHO =
      (query, source, tcp, reply) -> {
        if (query.length > 0 && query[0] == 'X') {
          throw new IllegalStateException("handler bug");
        }
        byte[] out = query.clone();
        for (int i = 0; i < out.length / 2; i++) {
          byte t = out[i];
          out[i] = out[out.length - 1 - i];
          out[out.length - 1 - i] = t;
        }
        reply.accept(out);
      };

  private static byte[] udp(InetSocketAddress to, byte[] msg) throws Exception {
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(1000);
      s.send(new DatagramPacket(msg, msg.length, to));
      DatagramPacket p = new DatagramPacket(new byte[512], 512);
      s.receive(p);
      return Arrays.copyOf(p.getData(), p.getLength());
    }
  }

  @Test
  void aThrowingHandlerCostsOneAnswerNotTheServer() throws Exception {
    try (DnsServer server = new DnsServer()) {
      InetSocketAddress a = server.listen(ECHO);
      assertThatThrownBy(() -> udp(a, "Xbad".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(udp(a, new byte[] {1, 2, 3})).containsExactly(3, 2, 1);
    }
  }

  @Test
  void tcpFramesArePipelinedAndReassembled() throws Exception {
    try (DnsServer server = new DnsServer();
        Socket s = new Socket()) {
      InetSocketAddress a = server.listen(ECHO);
      s.connect(a, 1000);
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      // two frames in one write (RFC 7766 §6.2.1.1), then a third split across writes
      ByteBuffer two = ByteBuffer.allocate(10);
      two.putShort((short) 3).put(new byte[] {1, 2, 3}).putShort((short) 3).put(new byte[] {4, 5, 6});
      out.write(two.array());
      out.write(new byte[] {0, 2, 7});
      out.flush();
      Thread.sleep(50); // let the server see the partial frame first
      out.write(new byte[] {8});
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      for (byte[] expected : new byte[][] {{3, 2, 1}, {6, 5, 4}, {8, 7}}) {
        byte[] frame = new byte[in.readUnsignedShort()];
        in.readFully(frame);
        assertThat(frame).containsExactly(expected);
      }
    }
  }

  @Test
  void idleTcpConnectionsAreClosed() throws Exception {
    try (DnsServer server = new DnsServer(4, java.time.Duration.ofMillis(300));
        Socket s = new Socket()) {
      s.connect(server.listen(ECHO), 1000);
      s.setSoTimeout(10_000);
      assertThat(s.getInputStream().read()).isEqualTo(-1); // closed by the server, not timed out
    }
  }

  @Test
  void aNewConnectionAtTheLimitEvictsTheLeastRecentlyActive() throws Exception {
    try (DnsServer server = new DnsServer(2, java.time.Duration.ofMinutes(5));
        Socket first = new Socket();
        Socket second = new Socket();
        Socket third = new Socket()) {
      InetSocketAddress a = server.listen(ECHO);
      first.connect(a, 1000);
      second.connect(a, 1000);
      assertThat(tcpEcho(second, (byte) 9)).isEqualTo((byte) 9); // second is now the most active
      third.connect(a, 1000);
      first.setSoTimeout(10_000);
      assertThat(first.getInputStream().read()).isEqualTo(-1);
      assertThat(tcpEcho(third, (byte) 5)).isEqualTo((byte) 5);
      assertThat(tcpEcho(second, (byte) 7)).isEqualTo((byte) 7);
    }
  }

  private static byte tcpEcho(Socket s, byte b) throws Exception {
    s.setSoTimeout(2000);
    s.getOutputStream().write(new byte[] {0, 1, b});
    s.getOutputStream().flush();
    DataInputStream in = new DataInputStream(s.getInputStream());
    assertThat(in.readUnsignedShort()).isEqualTo(1);
    return in.readByte();
  }

  @Test
  void rejectsNonsenseLimits() {
    assertThatThrownBy(() -> new DnsServer(0, java.time.Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DnsServer(1, java.time.Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closeIsIdempotentAndFreesThePort() throws Exception {
    DnsServer server = new DnsServer();
    InetSocketAddress a = server.listen(ECHO);
    server.close();
    server.close();
    try (DatagramSocket again = new DatagramSocket(a)) {
      assertThat(again.getLocalPort()).isEqualTo(a.getPort());
    }
  }
}
