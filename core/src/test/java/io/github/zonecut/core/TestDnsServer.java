package io.github.zonecut.core;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A tiny DNS responder on 127.0.0.1 (ephemeral ports) for transport tests: one UDP socket, a
 * second UDP socket to answer from the "wrong" port, and a TCP listener. Behaviour is given as
 * handlers; the default answers every A query with 192.0.2.1.
 */
final class TestDnsServer implements AutoCloseable {

  /** Handles one UDP query; may answer zero or more times through the server. */
  @FunctionalInterface
  interface UdpHandler {
    void handle(TestDnsServer server, Message query, byte[] wire, SocketAddress from)
        throws IOException;
  }

  /** Handles one TCP query; writes zero or more framed answers to the stream. */
  @FunctionalInterface
  interface TcpHandler {
    void handle(TestDnsServer server, Message query, OutputStream out) throws IOException;
  }

  final DatagramSocket udp;
  final DatagramSocket otherUdp;
  final ServerSocket tcp;
  final List<byte[]> receivedWire = new CopyOnWriteArrayList<>();
  final AtomicInteger udpQueries = new AtomicInteger();
  final AtomicInteger tcpQueries = new AtomicInteger();
  /** TCP connections accepted. */
  final AtomicInteger tcpAccepts = new AtomicInteger();
  /** TCP connections ended (closed by the client, or by a handler). */
  final AtomicInteger tcpEnded = new AtomicInteger();
  private volatile UdpHandler udpHandler = (s, q, w, from) -> s.sendUdp(answer(q), from);
  private volatile TcpHandler tcpHandler = (s, q, out) -> writeFramed(out, answer(q).toWire());
  private final Thread udpThread;
  private final Thread tcpThread;
  private volatile boolean closed;

  TestDnsServer() throws IOException {
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    // UDP and TCP on the same port number, as a real server (TC=1 retries go to the same port)
    DatagramSocket u = null;
    ServerSocket t = null;
    for (int attempt = 0; attempt < 50 && t == null; attempt++) {
      u = new DatagramSocket(new InetSocketAddress(lo, 0));
      try {
        t = new ServerSocket(u.getLocalPort(), 50, lo);
      } catch (IOException e) {
        u.close();
      }
    }
    if (t == null || u == null) {
      throw new IOException("no port free for both UDP and TCP");
    }
    udp = u;
    tcp = t;
    udp.setReceiveBufferSize(4 << 20);
    otherUdp = new DatagramSocket(new InetSocketAddress(lo, 0));
    udpThread = new Thread(this::serveUdp, "test-dns-udp");
    tcpThread = new Thread(this::serveTcp, "test-dns-tcp");
    udpThread.setDaemon(true);
    tcpThread.setDaemon(true);
    udpThread.start();
    tcpThread.start();
  }

  /** The server's endpoint: UDP and TCP share the port. */
  DnsEndpoint endpoint() {
    return DnsEndpoint.of(udp.getLocalAddress(), udp.getLocalPort());
  }

  TestDnsServer onUdp(UdpHandler h) {
    udpHandler = h;
    return this;
  }

  TestDnsServer onTcp(TcpHandler h) {
    tcpHandler = h;
    return this;
  }

  void sendUdp(byte[] wire, SocketAddress to) throws IOException {
    udp.send(new DatagramPacket(wire, wire.length, to));
  }

  void sendUdp(Message m, SocketAddress to) throws IOException {
    sendUdp(m.toWire(), to);
  }

  void sendUdpFromOtherPort(Message m, SocketAddress to) throws IOException {
    byte[] wire = m.toWire();
    otherUdp.send(new DatagramPacket(wire, wire.length, to));
  }

  /** An answer to {@code q} with one A record {@code 192.0.2.1} (or {@code address}). */
  static Message answer(Message q) {
    return answer(q, "192.0.2.1");
  }

  static Message answer(Message q, String address) {
    Message r = new Message(q.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    Record question = q.getQuestion();
    r.addRecord(question, Section.QUESTION);
    try {
      r.addRecord(new ARecord(question.getName(), DClass.IN, 300,
          InetAddress.getByName(address)), Section.ANSWER);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return r;
  }

  static void writeFramed(OutputStream out, byte[] wire) throws IOException {
    out.write(new byte[] {(byte) (wire.length >>> 8), (byte) wire.length});
    out.write(wire);
    out.flush();
  }

  private void serveUdp() {
    byte[] buf = new byte[65535];
    while (!closed) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        udp.receive(p);
        byte[] wire = java.util.Arrays.copyOf(p.getData(), p.getLength());
        receivedWire.add(wire);
        udpQueries.incrementAndGet();
        udpHandler.handle(this, new Message(wire), wire, p.getSocketAddress());
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void serveTcp() {
    while (!closed) {
      try {
        Socket s = tcp.accept();
        tcpAccepts.incrementAndGet();
        Thread t = new Thread(() -> serveConnection(s), "test-dns-tcp-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void serveConnection(Socket s) {
    try (s) {
      s.setTcpNoDelay(true);
      DataInputStream in = new DataInputStream(s.getInputStream());
      while (!closed) {
        int len = in.readUnsignedShort();
        byte[] wire = new byte[len];
        in.readFully(wire);
        receivedWire.add(wire);
        tcpQueries.incrementAndGet();
        tcpHandler.handle(this, new Message(wire), s.getOutputStream());
      }
    } catch (EOFException e) {
      // client closed
    } catch (IOException e) {
      // test servers drop broken connections
    } finally {
      tcpEnded.incrementAndGet();
    }
  }

  @Override
  public void close() {
    closed = true;
    udp.close();
    otherUdp.close();
    try {
      tcp.close();
    } catch (IOException e) {
      // closing
    }
  }
}
