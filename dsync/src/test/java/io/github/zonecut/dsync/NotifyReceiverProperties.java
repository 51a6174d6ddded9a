package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/** The receiver never throws, and answers only requests, always as a response. */
class NotifyReceiverProperties {
  final ScanQueue queue = ScanQueue.withCapacity(10);
  final NotifyReceiver receiver = NotifyReceiver.builder(queue)
      .parentZones(Name.fromConstantString("parent.test."))
      .clock(Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC))
      .sourceLimit(1_000_000, java.time.Duration.ofSeconds(1)).build();

  @Property(tries = 500)
  void anyBytesGetAResponseOrNothing(@ForAll @Size(max = 600) byte[] request) throws Exception {
    byte[] answer = receiver.handle(request, InetAddress.getLoopbackAddress());
    if (answer.length > 0) {
      Message m = new Message(answer);
      assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
      assertThat(m.getHeader().getID())
          .isEqualTo(((request[0] & 0xFF) << 8) | (request[1] & 0xFF));
      assertThat((request[2] & 0x80)).isZero();
    }
  }

  @Property(tries = 300)
  void mutatedNotifiesNeverThrow(@ForAll @Size(min = 1, max = 8) int[] flips) throws Exception {
    byte[] wire = NotifyReceiverTest.notify(Name.fromConstantString("child.parent.test."),
        org.xbill.DNS.Type.CDS, true).toWire();
    for (int f : flips) {
      int i = Math.floorMod(f, wire.length);
      wire[i] = (byte) (wire[i] ^ (1 << Math.floorMod(f >> 8, 8)));
    }
    byte[] answer = receiver.handle(wire, InetAddress.getLoopbackAddress());
    if (answer.length > 0) {
      assertThat(new Message(answer).getHeader().getFlag(Flags.QR)).isTrue();
    }
  }
}
