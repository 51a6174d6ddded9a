package io.github.zonecut.dsync;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

/**
 * A loopback DNS primary for one zone, over TCP on 127.0.0.1: answers NS queries below the zone
 * with referrals (glue in the additional section) and DS queries authoritatively, and applies
 * TSIG-signed UPDATEs with RFC 2136 §3.2 prerequisite checks (value-dependent RRset exists,
 * RRset does not exist), recording every UPDATE it receives. Knobs for hostile behaviour: a
 * forced rcode, unsigned answers, a hook that changes the zone just before an UPDATE is processed.
 */
final class FakePrimary implements AutoCloseable {

  private final Name zone;
  private final TSIG tsig;
  private final ServerSocket server;
  private final Thread thread;
  /** name → type → records (dnsjava's Record.equals ignores the TTL, as RFC 2136 §3.2.3). */
  private final Map<Name, Map<Integer, Set<Record>>> data = new HashMap<>();
  private final List<Message> updates = new ArrayList<>();
  private @Nullable Runnable beforeUpdate;
  private int forcedUpdateRcode = -1;
  private boolean unsignedAnswers;
  private int queries;

  FakePrimary(Name zone, TSIG tsig) throws IOException {
    this.zone = zone;
    this.tsig = tsig;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.thread = new Thread(this::serve, "fake-primary");
    thread.setDaemon(true);
    thread.start();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  synchronized void add(Record r) {
    data.computeIfAbsent(r.getName(), n -> new LinkedHashMap<>())
        .computeIfAbsent(r.getType(), t -> new LinkedHashSet<>()).add(r);
  }

  synchronized void deleteRrset(Name name, int type) {
    Map<Integer, Set<Record>> node = data.get(name);
    if (node != null) {
      node.remove(type);
      if (node.isEmpty()) {
        data.remove(name);
      }
    }
  }

  synchronized Set<Record> rrset(Name name, int type) {
    return new HashSet<>(data.getOrDefault(name, Map.of()).getOrDefault(type, Set.of()));
  }

  synchronized List<Message> updates() {
    return new ArrayList<>(updates);
  }

  synchronized int queries() {
    return queries;
  }

  synchronized void beforeUpdate(@Nullable Runnable hook) {
    this.beforeUpdate = hook;
  }

  synchronized void forceUpdateRcode(int rcode) {
    this.forcedUpdateRcode = rcode;
  }

  synchronized void unsignedAnswers(boolean unsigned) {
    this.unsignedAnswers = unsigned;
  }

  private void serve() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        for (int i = 0; i < 1000; i++) {
          int len;
          try {
            len = in.readUnsignedShort();
          } catch (IOException eof) {
            break;
          }
          byte[] req = new byte[len];
          in.readFully(req);
          byte[] resp = handle(req);
          out.writeShort(resp.length);
          out.write(resp);
          out.flush();
        }
      } catch (IOException e) {
        // closed or client gone: next connection
      }
    }
  }

  synchronized byte[] handle(byte[] wire) throws IOException {
    Message req = new Message(wire);
    TSIGRecord sent = req.getTSIG();
    Message resp = new Message(req.getHeader().getID());
    resp.getHeader().setFlag(Flags.QR);
    resp.getHeader().setOpcode(req.getHeader().getOpcode());
    Record question = req.getQuestion();
    if (question != null) {
      resp.addRecord(question, Section.QUESTION);
    }
    if (sent != null && tsig.verify(req, wire, null) != Rcode.NOERROR) {
      resp.getHeader().setRcode(Rcode.NOTAUTH);
      return resp.toWire();
    }
    if (req.getHeader().getOpcode() == Opcode.UPDATE) {
      updates.add(req);
      if (sent == null) {
        resp.getHeader().setRcode(Rcode.REFUSED);
      } else {
        if (beforeUpdate != null) {
          beforeUpdate.run();
        }
        resp.getHeader().setRcode(forcedUpdateRcode >= 0 ? forcedUpdateRcode : update(req));
      }
    } else {
      queries++;
      answer(req, resp);
    }
    if (sent != null && !unsignedAnswers) {
      tsig.apply(resp, sent);
    }
    return resp.toWire();
  }

  private void answer(Message req, Message resp) {
    Record q = req.getQuestion();
    Name name = q.getName();
    resp.getHeader().setFlag(Flags.AA);
    if (q.getType() == Type.NS && !name.equals(zone)) {
      Set<Record> ns = rrset(name, Type.NS);
      if (!ns.isEmpty()) {
        resp.getHeader().unsetFlag(Flags.AA);
        ns.forEach(r -> resp.addRecord(r, Section.AUTHORITY));
        for (Record r : ns) {
          Name host = ((NSRecord) r).getTarget();
          rrset(host, Type.A).forEach(g -> resp.addRecord(g, Section.ADDITIONAL));
          rrset(host, Type.AAAA).forEach(g -> resp.addRecord(g, Section.ADDITIONAL));
        }
        return;
      }
    }
    if (!data.containsKey(name)) {
      resp.getHeader().setRcode(Rcode.NXDOMAIN);
      return;
    }
    rrset(name, q.getType()).forEach(r -> resp.addRecord(r, Section.ANSWER));
  }

  /** RFC 2136 §3.2 prerequisites, then §3.4 updates, all or nothing. */
  private int update(Message req) {
    Record z = req.getQuestion();
    if (z == null || !z.getName().equals(zone)) {
      return Rcode.NOTZONE;
    }
    Map<List<Object>, Set<Record>> valueDependent = new LinkedHashMap<>();
    for (Record p : req.getSection(Section.PREREQ)) {
      if (p.getTTL() != 0) {
        return Rcode.FORMERR;
      }
      if (p.getDClass() == DClass.NONE) {
        if (!rrset(p.getName(), p.getType()).isEmpty()) {
          return Rcode.YXRRSET;
        }
      } else if (p.getDClass() == DClass.IN) {
        valueDependent.computeIfAbsent(List.of(p.getName(), p.getType()), k -> new HashSet<>())
            .add(p);
      } else {
        return Rcode.FORMERR; // ANY-class prerequisites are not used by the backend
      }
    }
    for (Map.Entry<List<Object>, Set<Record>> e : valueDependent.entrySet()) {
      if (!rrset((Name) e.getKey().get(0), (Integer) e.getKey().get(1)).equals(e.getValue())) {
        return Rcode.NXRRSET;
      }
    }
    for (Record u : req.getSection(Section.UPDATE)) {
      if (u.getDClass() == DClass.ANY) {
        deleteRrset(u.getName(), u.getType());
      } else if (u.getDClass() == DClass.NONE) {
        Map<Integer, Set<Record>> node = data.get(u.getName());
        if (node != null && node.containsKey(u.getType())) {
          node.get(u.getType()).removeIf(x -> x.rdataToString().equals(u.rdataToString()));
        }
      } else {
        Set<Record> set = data.computeIfAbsent(u.getName(), n -> new LinkedHashMap<>())
            .computeIfAbsent(u.getType(), t -> new LinkedHashSet<>());
        set.remove(u);
        set.add(u);
      }
    }
    return Rcode.NOERROR;
  }

  @Override
  public void close() throws Exception {
    server.close();
    thread.join(5000);
  }
}
