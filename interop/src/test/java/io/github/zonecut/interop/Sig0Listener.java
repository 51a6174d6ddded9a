package io.github.zonecut.interop;

import io.github.zonecut.sig0.Sig0Outcome;
import io.github.zonecut.sig0.Sig0Verifier;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A zonecut SIG(0)-verifying UPDATE endpoint on loopback (UDP and TCP on one ephemeral port): each
 * message is verified over the exact bytes received, the outcome is queued for the test, and the
 * answer is a header-only reply with NOERROR when verified, else the outcome's RCODE folded to
 * NOTAUTH (extended RCODEs need an OPT the reply does not carry).
 */
final class Sig0Listener implements AutoCloseable {
  private final Sig0Verifier verifier;
  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final BlockingQueue<Received> outcomes = new LinkedBlockingQueue<>();

  /** One message as received (the exact bytes) and zonecut's verdict on it. */
  record Received(Sig0Outcome outcome, byte[] wire) {}
  private final Thread udpLoop;
  private final Thread tcpLoop;

  private Sig0Listener(Sig0Verifier verifier, DatagramSocket udp, ServerSocket tcp) {
    this.verifier = verifier;
    this.udp = udp;
    this.tcp = tcp;
    this.udpLoop = new Thread(this::serveUdp, "sig0-listener-udp");
    this.tcpLoop = new Thread(this::serveTcp, "sig0-listener-tcp");
    udpLoop.setDaemon(true);
    tcpLoop.setDaemon(true);
    udpLoop.start();
    tcpLoop.start();
  }

  static Sig0Listener start(Sig0Verifier verifier) {
    for (int attempt = 0; attempt < 20; attempt++) {
      DatagramSocket udp = null;
      try {
        udp = new DatagramSocket(new InetSocketAddress(Peers.LOOPBACK, 0));
        ServerSocket tcp = new ServerSocket();
        try {
          tcp.bind(new InetSocketAddress(Peers.LOOPBACK, udp.getLocalPort()));
        } catch (IOException taken) {
          tcp.close();
          udp.close();
          continue;
        }
        return new Sig0Listener(verifier, udp, tcp);
      } catch (IOException e) {
        if (udp != null) {
          udp.close();
        }
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("no loopback port free for both UDP and TCP");
  }

  int port() {
    return udp.getLocalPort();
  }

  /** The next outcome, waiting at most {@code timeout}. */
  Sig0Outcome next(Duration timeout) throws InterruptedException {
    return nextMessage(timeout).outcome();
  }

  /** The next message with its verdict, waiting at most {@code timeout}. */
  Received nextMessage(Duration timeout) throws InterruptedException {
    Received o = outcomes.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (o == null) {
      throw new AssertionError("no message reached the listener within " + timeout);
    }
    return o;
  }

  private byte[] handle(byte[] wire) {
    Sig0Outcome out = verifier.verify(wire);
    outcomes.add(new Received(out, wire.clone()));
    byte[] reply = new byte[12];
    if (wire.length >= 4) {
      reply[0] = wire[0];
      reply[1] = wire[1];
      reply[2] = (byte) (0x80 | (wire[2] & 0x78)); // QR, opcode echoed
    }
    int rcode = out.rcode() == 0 ? 0 : (out.rcode() > 15 ? 9 : out.rcode());
    reply[3] = (byte) rcode;
    return reply;
  }

  private void serveUdp() {
    byte[] buf = new byte[65535];
    while (!udp.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udp.receive(p);
        byte[] wire = java.util.Arrays.copyOf(p.getData(), p.getLength());
        byte[] reply = handle(wire);
        udp.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
      } catch (SocketException closed) {
        return;
      } catch (IOException e) {
        // one bad exchange does not stop the listener
      }
    }
  }

  private void serveTcp() {
    while (!tcp.isClosed()) {
      try (Socket c = tcp.accept()) {
        c.setSoTimeout(10_000);
        DataInputStream in = new DataInputStream(c.getInputStream());
        DataOutputStream out = new DataOutputStream(c.getOutputStream());
        while (true) {
          int len;
          try {
            len = in.readUnsignedShort();
          } catch (IOException eof) {
            break;
          }
          byte[] wire = new byte[len];
          in.readFully(wire);
          byte[] reply = handle(wire);
          out.writeShort(reply.length);
          out.write(reply);
          out.flush();
        }
      } catch (SocketException closed) {
        if (tcp.isClosed()) {
          return;
        }
      } catch (IOException e) {
        // next connection
      }
    }
  }

  @Override
  public void close() {
    udp.close();
    try {
      tcp.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
