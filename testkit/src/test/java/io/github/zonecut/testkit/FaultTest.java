package io.github.zonecut.testkit;

import static io.github.zonecut.testkit.Dns.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** Every fault is observable, from a nameserver endpoint and through the validator. */
class FaultTest {
  @RegisterExtension
  static final TestHierarchyExtension HIERARCHY =
      TestHierarchyExtension.of(
          b ->
              b.clock(Dns.CLOCK)
                  .zone("test.", z -> z.nameservers("ns1.test.", "ns2.test."))
                  .zone(
                      "child.test.",
                      z -> z.algorithm(SigningAlgorithm.ED25519).records("www A 192.0.2.7")));

  private static TestHierarchy h() {
    return HIERARCHY.get();
  }

  @AfterEach
  void reset() {
    h().nameservers().values().forEach(e -> {
      e.clearFault();
      e.thaw();
    });
    h().recursive().clearFault();
    h().zone("child.test.").setParentDs(ParentDs.CORRECT).setSignaturesCorrupted(false);
  }

  private static SimpleResolver ns1() {
    return Dns.dnssecResolver(h().nameserver("ns1.test."));
  }

  private static Message validated(String name, int type) throws IOException {
    return send(h().newValidatingResolver(), name, type);
  }

  @Test
  void silenceTimesOut() {
    Endpoint ns1 = h().nameserver("ns1.test.");
    ns1.setFault(Fault.silence());
    long before = ns1.queryCount();
    SimpleResolver r = ns1();
    r.setTimeout(Duration.ofMillis(500));
    assertThatThrownBy(() -> send(r, "test.", Type.SOA)).isInstanceOf(IOException.class);
    assertThat(ns1.queryCount()).isGreaterThan(before);
    assertThat(ns1.fault()).containsInstanceOf(Fault.Silence.class);
  }

  @Test
  void delayedAnswerArrivesLate() throws Exception {
    Endpoint ns1 = h().nameserver("ns1.test.");
    ns1.setFault(Fault.delay(Duration.ofSeconds(2)));
    SimpleResolver impatient = ns1();
    impatient.setTimeout(Duration.ofMillis(300));
    assertThatThrownBy(() -> send(impatient, "test.", Type.SOA)).isInstanceOf(IOException.class);
    SimpleResolver patient = ns1();
    patient.setTimeout(Duration.ofSeconds(10));
    assertThat(send(patient, "test.", Type.SOA).getSection(Section.ANSWER)).isNotEmpty();
  }

  @Test
  void truncationSetsTcOnEveryUdpAnswerButTcpWorks() throws Exception {
    Endpoint ns1 = h().nameserver("ns1.test.");
    ns1.setFault(Fault.truncate());
    Message udp = Dns.udpExchange(Dns.query("test.", Type.SOA).toWire(), ns1);
    assertThat(udp.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(udp.getSection(Section.ANSWER)).isEmpty();
    SimpleResolver tcp = ns1();
    tcp.setTCP(true);
    assertThat(send(tcp, "test.", Type.SOA).getSection(Section.ANSWER)).isNotEmpty();
  }

  @Test
  void servfailIsAnswered() throws Exception {
    h().nameserver("ns2.test.").setFault(Fault.servfail());
    Message m = send(Dns.dnssecResolver(h().nameserver("ns2.test.")), "test.", Type.SOA);
    assertThat(m.getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    assertThat(send(ns1(), "test.", Type.SOA).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void faultArgumentsAreValidated() {
    assertThatThrownBy(() -> Fault.rcode(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1-15");
    assertThatThrownBy(() -> Fault.delay(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void frozenNameserverServesStaleDivergentData() throws Exception {
    TestZone zone = h().zone("test.");
    Endpoint ns2 = h().nameserver("ns2.test.");
    ns2.freeze();
    long oldSerial = zone.serial();
    zone.add("fresh A 192.0.2.99");
    assertThat(zone.serial()).isEqualTo(oldSerial + 1);
    Message fresh = send(ns1(), "fresh.test.", Type.A);
    Message stale = send(Dns.dnssecResolver(ns2), "fresh.test.", Type.A);
    assertThat(fresh.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(stale.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(serialOf(ns2)).isEqualTo(oldSerial);
    assertThat(serialOf(h().nameserver("ns1.test."))).isEqualTo(oldSerial + 1);
    ns2.thaw();
    assertThat(serialOf(ns2)).isEqualTo(oldSerial + 1);
    zone.remove("fresh A 192.0.2.99");
  }

  private static long serialOf(Endpoint e) throws IOException {
    Message m = send(Dns.dnssecResolver(e), "test.", Type.SOA);
    return ((org.xbill.DNS.SOARecord) m.getSection(Section.ANSWER).get(0)).getSerial();
  }

  @Test
  void bogusSignaturesFaultFailsValidation() throws Exception {
    assertThat(validated("www.child.test.", Type.A).getHeader().getFlag(Flags.AD)).isTrue();
    h().recursive().setFault(Fault.bogusSignatures());
    Message m = validated("www.child.test.", Type.A);
    assertThat(m.getRcode()).isEqualTo(Rcode.SERVFAIL);
    h().recursive().clearFault();
    assertThat(validated("www.child.test.", Type.A).getHeader().getFlag(Flags.AD)).isTrue();
  }

  @Test
  void corruptedZoneIsBogusButItsParentStaysSecure() throws Exception {
    h().zone("child.test.").setSignaturesCorrupted(true);
    assertThat(validated("www.child.test.", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
    assertThat(validated("test.", Type.SOA).getHeader().getFlag(Flags.AD)).isTrue();
  }

  @Test
  void wrongDsAtRunTimeIsBogusAndRepairs() throws Exception {
    TestZone child = h().zone("child.test.");
    child.setParentDs(ParentDs.WRONG);
    Record published =
        h().zone("test.").rrset("child.test.", Type.DS).orElseThrow().first();
    assertThat(published).isNotEqualTo(child.ds().get(0));
    assertThat(validated("www.child.test.", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
    child.setParentDs(ParentDs.ABSENT);
    Message insecure = validated("www.child.test.", Type.A);
    assertThat(insecure.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(insecure.getHeader().getFlag(Flags.AD)).isFalse();
    child.setParentDs(ParentDs.CORRECT);
    assertThat(validated("www.child.test.", Type.A).getHeader().getFlag(Flags.AD)).isTrue();
  }

  @Test
  void wrongDsOnOneParentNameserverOnly() throws Exception {
    TestZone child = h().zone("child.test.");
    child.setParentDs(ParentDs.WRONG);
    h().nameserver("ns2.test.").freeze();
    child.setParentDs(ParentDs.CORRECT);
    Record good = send(ns1(), "child.test.", Type.DS).getSection(Section.ANSWER).get(0);
    Record bad = send(Dns.dnssecResolver(h().nameserver("ns2.test.")), "child.test.", Type.DS)
        .getSection(Section.ANSWER).get(0);
    assertThat(good).isEqualTo(child.ds().get(0));
    assertThat(bad).isNotEqualTo(good);
    assertThat(((org.xbill.DNS.DSRecord) bad).getFootprint()).isEqualTo(child.ds().get(0).getFootprint());
  }

  @Test
  void topZoneHasNoParentDs() {
    assertThatThrownBy(() -> h().zone("test.").setParentDs(ParentDs.WRONG))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no parent");
  }

  @Test
  void hostilePeerSeesTheQueryAndScriptsTheAnswer() throws Exception {
    AtomicReference<ReceivedQuery> seen = new AtomicReference<>();
    h().nameserver("ns1.test.").setFault(Fault.script(q -> {
      seen.set(q);
      return q.standardAnswer().map(m -> {
        m.removeAllRecords(Section.ANSWER);
        m.addRecord(new ARecord(Dns.name("www.test."), org.xbill.DNS.DClass.IN, 60, java.net.InetAddress.getLoopbackAddress()), Section.ANSWER);
        return m.toWire();
      });
    }));
    Message m = send(ns1(), "www.test.", Type.A);
    assertThat(m.getSection(Section.ANSWER)).extracting(Record::getTTL).containsExactly(60L);
    assertThat(seen.get().overTcp()).isFalse();
    assertThat(seen.get().message().getQuestion().getName()).isEqualTo(Dns.name("www.test."));
    assertThat(new Message(seen.get().wire()).getHeader().getID()).isEqualTo(m.getHeader().getID());
  }

  @Test
  void scriptCanHandleUpdatesAndAnswerQueriesNormally() throws Exception {
    h().nameserver("ns1.test.").setFault(Fault.script(q -> {
      if (q.message().getHeader().getOpcode() != org.xbill.DNS.Opcode.UPDATE) {
        return Optional.of(q.standardAnswerWire());
      }
      Message refused = new Message(q.message().getHeader().getID());
      refused.getHeader().setFlag(Flags.QR);
      refused.getHeader().setOpcode(org.xbill.DNS.Opcode.UPDATE);
      refused.getHeader().setRcode(Rcode.REFUSED);
      return Optional.of(refused.toWire());
    }));
    assertThat(send(ns1(), "test.", Type.SOA).getSection(Section.ANSWER)).isNotEmpty();
    SimpleResolver tcp = ns1();
    tcp.setTCP(true);
    assertThat(tcp.send(new org.xbill.DNS.Update(Dns.name("test."))).getRcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void hostilePeerThatStaysSilentOrThrowsLooksLikeSilence() {
    h().nameserver("ns1.test.").setFault(Fault.script(q -> Optional.empty()));
    SimpleResolver r = ns1();
    r.setTimeout(Duration.ofMillis(300));
    assertThatThrownBy(() -> send(r, "test.", Type.SOA)).isInstanceOf(IOException.class);
    h().nameserver("ns1.test.").setFault(Fault.script(q -> {
      throw new IllegalStateException("script bug");
    }));
    assertThatThrownBy(() -> send(r, "test.", Type.SOA)).isInstanceOf(IOException.class);
  }

  @Test
  void strippingDenialProofsMakesNxdomainBogus() throws Exception {
    assertThat(validated("nope.child.test.", Type.A).getHeader().getFlag(Flags.AD)).isTrue();
    h().recursive().setFault(Fault.script(q -> q.standardAnswer().map(m -> {
      List<Record> auth = m.getSection(Section.AUTHORITY);
      m.removeAllRecords(Section.AUTHORITY);
      auth.stream().filter(r -> r.getType() != Type.NSEC).forEach(r -> m.addRecord(r, Section.AUTHORITY));
      return m.toWire();
    })));
    assertThat(validated("nope.child.test.", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
  }
}
