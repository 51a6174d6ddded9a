package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.CsyncRecord;
import io.github.zonecut.core.ZonecutTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class NotifyReceiverTest {
  static final Name PARENT = Name.fromConstantString("parent.test.");
  static final Name CHILD = Name.fromConstantString("child.parent.test.");
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);

  ScanQueue queue;
  List<NotifyEvent> events;
  NotifyReceiver receiver;

  @BeforeEach
  void setUp() {
    ZonecutTypes.register();
    queue = ScanQueue.withCapacity(100);
    events = new ArrayList<>();
    receiver = NotifyReceiver.builder(queue).parentZones(PARENT).clock(CLOCK)
        .listener(events::add).build();
  }

  static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Message notify(Name child, int type, boolean edns) {
    Message m = new Message();
    m.getHeader().setOpcode(Opcode.NOTIFY);
    m.getHeader().setFlag(Flags.AA);
    m.addRecord(Record.newRecord(child, type, DClass.IN), Section.QUESTION);
    if (edns) {
      m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    }
    return m;
  }

  static byte[] vector(String file) throws IOException {
    try (InputStream in = NotifyReceiverTest.class.getResourceAsStream("/vectors/" + file)) {
      return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII)
          .strip());
    }
  }

  Message handle(Message m, String source) throws IOException {
    return new Message(receiver.handle(m.toWire(), ip(source)));
  }

  static Optional<Integer> ede(Message response) {
    OPTRecord opt = response.getOPT();
    if (opt == null) {
      return Optional.empty();
    }
    for (EDNSOption o : opt.getOptions()) {
      if (o instanceof ExtendedErrorCodeOption) {
        return Optional.of(((ExtendedErrorCodeOption) o).getErrorCode());
      }
    }
    return Optional.empty();
  }

  @Test
  void answersDigNotifyVectorsAndSchedulesOneCheckEach() throws Exception {
    for (String file : new String[] {"notify-cds-dig.hex", "notify-csync-dig.hex"}) {
      byte[] wire = vector(file);
      Message query = new Message(wire);
      Message response = new Message(receiver.handle(wire, ip("127.0.0.1")));

      assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(response.getHeader().getID()).isEqualTo(query.getHeader().getID());
      assertThat(response.getHeader().getOpcode()).isEqualTo(Opcode.NOTIFY);
      assertThat(response.getHeader().getFlag(Flags.QR)).isTrue();
      assertThat(response.getHeader().getFlag(Flags.AA)).isTrue();
      assertThat(response.getQuestion()).isEqualTo(query.getQuestion());
    }
    assertThat(queue.drain()).containsExactly(ScanRequest.cds(CHILD), ScanRequest.csync(CHILD));
    assertThat(events).extracting(NotifyEvent::outcome)
        .containsExactly(NotifyEvent.Outcome.SCHEDULED, NotifyEvent.Outcome.SCHEDULED);
  }

  @Test
  void coalescesRepeatsForOneChildUntilTheCheckIsTaken() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(handle(notify(CHILD, Type.CDS, false), "127.0.0." + (i + 1)).getRcode())
          .isEqualTo(Rcode.NOERROR);
    }
    assertThat(queue.size()).isEqualTo(1);
    assertThat(events).extracting(NotifyEvent::outcome).containsExactly(
        NotifyEvent.Outcome.SCHEDULED, NotifyEvent.Outcome.COALESCED,
        NotifyEvent.Outcome.COALESCED);

    assertThat(queue.poll()).contains(ScanRequest.cds(CHILD));
    handle(notify(CHILD, Type.CDS, false), "127.0.0.9");
    assertThat(queue.poll()).contains(ScanRequest.cds(CHILD));
  }

  @Test
  void refusesAMultiChildNotify() throws Exception {
    Message m = notify(CHILD, Type.CDS, true);
    m.addRecord(Record.newRecord(Name.fromConstantString("other.parent.test."), Type.CDS,
        DClass.IN), Section.QUESTION);

    Message response = handle(m, "127.0.0.1");

    assertThat(response.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(queue.size()).isZero();
    assertThat(events.get(0).outcome()).isEqualTo(NotifyEvent.Outcome.MULTI_CHILD);
  }

  @Test
  void refusesPayloadRecordsOfAnotherChild() throws Exception {
    Message m = notify(CHILD, Type.CDS, false);
    m.addRecord(Record.fromString(Name.fromConstantString("other.parent.test."), Type.CDS,
        DClass.IN, 300, "1 13 2 " + "00".repeat(32), Name.root), Section.ANSWER);

    assertThat(handle(m, "127.0.0.1").getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(queue.size()).isZero();
  }

  @Test
  void refusesChildrenOfZonesNotServedLabelWise() throws Exception {
    for (String name : new String[] {"child.xparent.test.", "parent.test.", "child.test."}) {
      Message response = handle(notify(Name.fromConstantString(name), Type.CDS, true),
          "127.0.0.1");
      assertThat(response.getRcode()).as(name).isEqualTo(Rcode.REFUSED);
      assertThat(ede(response)).contains(20);
    }
    // label-wise and case-insensitive: a child in upper case is served
    assertThat(handle(notify(Name.fromConstantString("CHILD.Parent.TEST."), Type.CDS, false),
        "127.0.0.1").getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(queue.size()).isEqualTo(1);
  }

  @Test
  void otherTypesAndOpcodesAreNotImplemented() throws Exception {
    Message soa = handle(notify(CHILD, Type.SOA, true), "127.0.0.1");
    assertThat(soa.getRcode()).isEqualTo(Rcode.NOTIMP);
    assertThat(ede(soa)).contains(21);

    Message query = Message.newQuery(Record.newRecord(CHILD, Type.CDS, DClass.IN));
    assertThat(handle(query, "127.0.0.1").getRcode()).isEqualTo(Rcode.NOTIMP);

    NotifyReceiver cdsOnly = NotifyReceiver.builder(queue).parentZones(PARENT).types(Type.CDS)
        .clock(CLOCK).build();
    Message csync = new Message(cdsOnly.handle(notify(CHILD, CsyncRecord.TYPE, false).toWire(),
        ip("127.0.0.1")));
    assertThat(csync.getRcode()).isEqualTo(Rcode.NOTIMP);
    assertThat(queue.size()).isZero();
  }

  @Test
  void malformedInputIsFormerrOrSilence() throws Exception {
    byte[] junk = HexFormat.of().parseHex("1234200000010000000000000563");
    Message formerr = new Message(receiver.handle(junk, ip("127.0.0.1")));
    assertThat(formerr.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(formerr.getHeader().getID()).isEqualTo(0x1234);

    assertThat(receiver.handle(new byte[5], ip("127.0.0.1"))).isEmpty();
    Message response = notify(CHILD, Type.CDS, false);
    response.getHeader().setFlag(Flags.QR);
    assertThat(receiver.handle(response.toWire(), ip("127.0.0.1"))).isEmpty();

    Message noQuestion = new Message();
    noQuestion.getHeader().setOpcode(Opcode.NOTIFY);
    assertThat(handle(noQuestion, "127.0.0.1").getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(queue.size()).isZero();
    assertThat(events).extracting(NotifyEvent::outcome)
        .containsOnly(NotifyEvent.Outcome.MALFORMED);
  }

  @Test
  void aFloodFromOnePrefixIsBlocked() throws Exception {
    List<Integer> rcodes = new ArrayList<>();
    Message last = null;
    for (int i = 0; i < 30; i++) {
      // different children, sources within one /24: the source prefix is what is counted
      last = handle(notify(Name.fromConstantString("c" + i + ".parent.test."), Type.CDS, true),
          "127.0.0." + (i % 200 + 1));
      rcodes.add(last.getRcode());
    }
    assertThat(rcodes.subList(0, 20)).containsOnly(Rcode.NOERROR);
    assertThat(rcodes.subList(20, 30)).containsOnly(Rcode.REFUSED);
    assertThat(ede(last)).contains(15);
    assertThat(queue.size()).isEqualTo(20);
    // another prefix is not affected
    assertThat(handle(notify(CHILD, Type.CDS, false), "127.0.1.1").getRcode())
        .isEqualTo(Rcode.NOERROR);
  }

  @Test
  void aFloodForOneChildIsBlockedWhateverTheSource() throws Exception {
    List<Integer> rcodes = new ArrayList<>();
    Message last = null;
    for (int i = 0; i < 8; i++) {
      last = handle(notify(CHILD, Type.CDS, true), "127.0." + i + ".1");
      rcodes.add(last.getRcode());
    }
    assertThat(rcodes.subList(0, 5)).containsOnly(Rcode.NOERROR);
    assertThat(rcodes.subList(5, 8)).containsOnly(Rcode.REFUSED);
    assertThat(ede(last)).contains(15);
    assertThat(events.get(7).outcome()).isEqualTo(NotifyEvent.Outcome.RATE_LIMITED);
    assertThat(queue.size()).isEqualTo(1);
  }

  @Test
  void limitsRefillOverTime() throws Exception {
    MutableClock clock = new MutableClock(CLOCK.instant());
    NotifyReceiver r = NotifyReceiver.builder(queue).parentZones(PARENT).clock(clock)
        .childLimit(1, Duration.ofSeconds(10)).build();
    byte[] wire = notify(CHILD, Type.CDS, false).toWire();
    assertThat(new Message(r.handle(wire, ip("127.0.0.1"))).getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(new Message(r.handle(wire, ip("127.0.0.1"))).getRcode()).isEqualTo(Rcode.REFUSED);
    clock.advance(Duration.ofSeconds(10));
    assertThat(new Message(r.handle(wire, ip("127.0.0.1"))).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void aFullQueueIsBlockedAndAFailingListenerIsHarmless() throws Exception {
    NotifyReceiver r = NotifyReceiver.builder(ScanQueue.withCapacity(1)).parentZones(PARENT)
        .clock(CLOCK).listener(e -> {
          throw new IllegalStateException("listener bug");
        }).build();
    assertThat(new Message(r.handle(notify(CHILD, Type.CDS, true).toWire(), ip("127.0.0.1")))
        .getRcode()).isEqualTo(Rcode.NOERROR);
    Message full = new Message(r.handle(notify(Name.fromConstantString("b.parent.test."),
        Type.CDS, true).toWire(), ip("127.0.0.1")));
    assertThat(full.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(ede(full)).contains(15);
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
