package io.github.zonecut.multisigner.edge;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/** A one-zone authoritative server on 127.0.0.1 (TCP, ephemeral port) that applies TSIG-signed UPDATEs. */
final class TinyUpdateServer implements AutoCloseable {
  private final Name zone;
  private final TSIG tsig;
  private final ServerSocket socket;
  private final Thread thread;
  final List<Record> records = new ArrayList<>();
  volatile int updates;
  volatile boolean refusing;

  TinyUpdateServer(Name zone, TSIG tsig) throws IOException {
    this.zone = zone;
    this.tsig = tsig;
    this.socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
    this.thread = new Thread(this::serve, "tiny-update-server");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  synchronized List<Record> rrset(int type) {
    List<Record> out = new ArrayList<>();
    for (Record r : records) {
      if (r.getType() == type) {
        out.add(r);
      }
    }
    return out;
  }

  private void serve() {
    while (!socket.isClosed()) {
      try (Socket s = socket.accept()) {
        s.setSoTimeout(5000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        while (true) {
          int len;
          try {
            len = in.readUnsignedShort();
          } catch (IOException eof) {
            break;
          }
          byte[] wire = new byte[len];
          in.readFully(wire);
          byte[] answer = handle(wire);
          out.writeShort(answer.length);
          out.write(answer);
          out.flush();
        }
      } catch (IOException e) {
        // closed or client went away
      }
    }
  }

  private synchronized byte[] handle(byte[] wire) throws IOException {
    Message q = new Message(wire);
    if (refusing) {
      Message no = new Message(q.getHeader().getID());
      no.getHeader().setFlag(Flags.QR);
      no.getHeader().setRcode(Rcode.REFUSED);
      if (q.getQuestion() != null) {
        no.addRecord(q.getQuestion(), Section.QUESTION);
      }
      return no.toWire(65535);
    }
    Message r = new Message(q.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.getHeader().setOpcode(q.getHeader().getOpcode());
    if (q.getHeader().getOpcode() == Opcode.QUERY) {
      Record question = q.getQuestion();
      r.addRecord(question, Section.QUESTION);
      r.getHeader().setFlag(Flags.AA);
      for (Record rr : records) {
        if (rr.getName().equals(question.getName()) && (rr.getType() == question.getType()
            || (rr instanceof org.xbill.DNS.RRSIGRecord sig && sig.getTypeCovered() == question.getType()))) {
          r.addRecord(rr, Section.ANSWER);
        }
      }
      return r.toWire(65535);
    }
    r.addRecord(Record.newRecord(zone, Type.SOA, DClass.IN), Section.ZONE);
    if (q.getTSIG() == null || tsig.verify(q, wire, null) != Rcode.NOERROR) {
      r.getHeader().setRcode(Rcode.NOTAUTH);
      return r.toWire(65535);
    }
    updates++;
    for (Record u : q.getSection(Section.UPDATE)) {
      if (u.getDClass() == DClass.ANY) {
        records.removeIf(x -> x.getName().equals(u.getName())
            && (u.getType() == Type.ANY || x.getType() == u.getType()));
      } else if (u.getDClass() == DClass.NONE) {
        records.removeIf(x -> x.getName().equals(u.getName()) && x.getType() == u.getType()
            && java.util.Arrays.equals(x.rdataToWireCanonical(), u.rdataToWireCanonical()));
      } else if (records.stream().noneMatch(x -> x.getType() == u.getType()
          && java.util.Arrays.equals(x.rdataToWireCanonical(), u.rdataToWireCanonical()))) {
        records.add(u);
      }
    }
    r.setTSIG(tsig, Rcode.NOERROR, q.getTSIG());
    return r.toWire(65535);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
