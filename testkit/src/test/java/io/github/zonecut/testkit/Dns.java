package io.github.zonecut.testkit;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.util.Arrays;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

/** Query helpers shared by the tests. */
final class Dns {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

  private Dns() {}

  static Message query(String name, int type) {
    return Message.newQuery(Record.newRecord(name(name), type, DClass.IN));
  }

  static Name name(String name) {
    try {
      return Name.fromString(name);
    } catch (IOException e) {
      throw new IllegalArgumentException(name, e);
    }
  }

  /** A resolver aimed at {@code endpoint} asking with DO over EDNS, short timeout. */
  static SimpleResolver dnssecResolver(Endpoint endpoint) {
    SimpleResolver r = endpoint.resolver();
    r.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
    r.setTimeout(Duration.ofSeconds(3));
    return r;
  }

  /** Sends raw bytes over UDP to {@code endpoint} and parses the one answer (3 s timeout). */
  static Message udpExchange(byte[] wire, Endpoint endpoint) throws IOException {
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(3000);
      s.send(new DatagramPacket(wire, wire.length, endpoint.address()));
      DatagramPacket p = new DatagramPacket(new byte[65535], 65535);
      s.receive(p);
      return new Message(Arrays.copyOf(p.getData(), p.getLength()));
    }
  }

  static Message send(Resolver r, String name, int type) throws IOException {
    return r.send(query(name, type));
  }
}
