package io.github.zonecut.testkit;

import static io.github.zonecut.testkit.Dns.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The nameserver endpoints: authoritative answers, referrals, EDNS, truncation, TCP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthoritativeTest {
  private TestHierarchy hierarchy;

  @BeforeAll
  void start() throws IOException {
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      big.append("big TXT \"").append("x".repeat(60)).append(i).append("\"\n");
    }
    hierarchy =
        TestHierarchy.builder()
            .clock(Dns.CLOCK)
            .zone("test.", z -> z.nameservers("ns1.test.", "ns2.test.").records("www A 192.0.2.1\n" + big))
            .zone("child.test.", z -> z.nameservers("ns1.child.test.", "ns.other.test.").records("www A 192.0.2.2"))
            .zone("nods.test.", z -> z.parentDs(ParentDs.ABSENT))
            .start();
  }

  @AfterAll
  void stop() {
    hierarchy.close();
  }

  @Test
  void eachNameserverHasItsOwnLoopbackEndpoint() {
    assertThat(hierarchy.nameservers().keySet())
        .containsExactlyInAnyOrder(
            Dns.name("ns1.test."), Dns.name("ns2.test."), Dns.name("ns1.child.test."),
            Dns.name("ns.other.test."), Dns.name("ns1.nods.test."));
    assertThat(hierarchy.nameservers().values().stream().map(e -> e.address().getPort()).distinct())
        .hasSize(5);
    assertThat(hierarchy.nameserver("ns1.test.").address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(hierarchy.nameserver("ns1.child.test.").zones()).containsExactly(Dns.name("child.test."));
  }

  @Test
  void answersAuthoritativelyWithSignaturesWhenDoIsSet() throws Exception {
    Message m = send(Dns.dnssecResolver(hierarchy.nameserver("ns1.test.")), "www.test.", Type.A);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(m.getHeader().getFlag(Flags.RA)).isFalse();
    assertThat(m.getSection(Section.ANSWER)).extracting(Record::getType).containsExactlyInAnyOrder(Type.A, Type.RRSIG);
    assertThat(m.getOPT()).isNotNull();
    DNSSEC.verify(
        m.getSectionRRsets(Section.ANSWER).get(0),
        m.getSectionRRsets(Section.ANSWER).get(0).sigs().get(0),
        hierarchy.zone("test.").dnskeys().get(0),
        Dns.CLOCK.instant());
  }

  @Test
  void omitsSignaturesWithoutDo() throws Exception {
    SimpleResolver r = hierarchy.nameserver("ns1.test.").resolver();
    r.setTimeout(Duration.ofSeconds(3));
    Message m = send(r, "www.test.", Type.A);
    assertThat(m.getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.A);
  }

  @Test
  void refersToTheChildWithNsDsAndGlue() throws Exception {
    Message m = send(Dns.dnssecResolver(hierarchy.nameserver("ns2.test.")), "www.child.test.", Type.A);
    assertThat(m.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    assertThat(m.getSection(Section.AUTHORITY))
        .extracting(Record::getType)
        .containsExactlyInAnyOrder(Type.NS, Type.NS, Type.DS, Type.RRSIG);
    assertThat(m.getSection(Section.ADDITIONAL))
        .filteredOn(r -> r.getType() == Type.A)
        .extracting(Record::getName)
        // glue below the cut, and the in-zone address of the sibling nameserver
        .containsExactlyInAnyOrder(Dns.name("ns1.child.test."), Dns.name("ns.other.test."));
    assertThat(((ARecord) m.getSection(Section.ADDITIONAL).stream().filter(r -> r.getType() == Type.A).findFirst().orElseThrow())
            .getAddress().isLoopbackAddress())
        .isTrue();
  }

  @Test
  void refersWithNsecProofWhenTheChildHasNoDs() throws Exception {
    Message m = send(Dns.dnssecResolver(hierarchy.nameserver("ns1.test.")), "www.nods.test.", Type.A);
    List<Record> auth = m.getSection(Section.AUTHORITY);
    assertThat(auth).extracting(Record::getType).contains(Type.NS, Type.NSEC, Type.RRSIG).doesNotContain(Type.DS);
    NSECRecord nsec = (NSECRecord) auth.stream().filter(r -> r.getType() == Type.NSEC).findFirst().orElseThrow();
    assertThat(nsec.getName()).isEqualTo(Dns.name("nods.test."));
    assertThat(nsec.hasType(Type.NS)).isTrue();
    assertThat(nsec.hasType(Type.DS)).isFalse();
  }

  @Test
  void answersDsFromTheParentSideOfTheCut() throws Exception {
    Message m = send(Dns.dnssecResolver(hierarchy.nameserver("ns1.test.")), "child.test.", Type.DS);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(m.getSection(Section.ANSWER)).extracting(Record::getType).containsExactlyInAnyOrder(Type.DS, Type.RRSIG);
    assertThat(m.getSection(Section.ANSWER).get(0)).isEqualTo(hierarchy.zone("child.test.").ds().get(0));
  }

  @Test
  void childAnswersItsApex() throws Exception {
    Message m = send(Dns.dnssecResolver(hierarchy.nameserver("ns1.child.test.")), "child.test.", Type.DNSKEY);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(m.getSection(Section.ANSWER)).extracting(Record::getType).contains(Type.DNSKEY, Type.RRSIG);
  }

  @Test
  void nxdomainCarriesSoaAndNsecs() throws Exception {
    Message m = send(Dns.dnssecResolver(hierarchy.nameserver("ns1.test.")), "nope.test.", Type.A);
    assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(m.getSection(Section.AUTHORITY)).extracting(Record::getType).contains(Type.SOA, Type.NSEC, Type.RRSIG);
  }

  @Test
  void refusesNamesOutsideItsZones() throws Exception {
    Message m = send(Dns.dnssecResolver(hierarchy.nameserver("ns1.child.test.")), "www.test.", Type.A);
    assertThat(m.getRcode()).isEqualTo(Rcode.REFUSED);
    Message outside = send(Dns.dnssecResolver(hierarchy.recursive()), "www.example.", Type.A);
    assertThat(outside.getRcode()).isEqualTo(Rcode.REFUSED);
  }

  @Test
  void largeUdpAnswerIsTruncatedAndTcpCarriesIt() throws Exception {
    Message query = Dns.query("big.test.", Type.TXT);
    byte[] wire = query.toWire(); // no OPT: 512-octet limit
    Message answer = Dns.udpExchange(wire, hierarchy.nameserver("ns1.test."));
    assertThat(answer.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(answer.getSection(Section.ANSWER)).isEmpty();
    assertThat(answer.getOPT()).isNull();
    SimpleResolver tcp = Dns.dnssecResolver(hierarchy.nameserver("ns1.test."));
    tcp.setTCP(true);
    Message full = tcp.send(query);
    assertThat(full.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(full.getSection(Section.ANSWER)).filteredOn(r -> r.getType() == Type.TXT).hasSize(40);
  }

  @Test
  void resolverFallsBackToTcpTransparently() throws Exception {
    SimpleResolver r = Dns.dnssecResolver(hierarchy.nameserver("ns1.test."));
    r.setEDNS(0, 512, org.xbill.DNS.ExtendedFlags.DO, List.of());
    Message m = send(r, "big.test.", Type.TXT);
    assertThat(m.getSection(Section.ANSWER)).filteredOn(r2 -> r2.getType() == Type.TXT).hasSize(40);
  }

  @Test
  void unparseableQueryGetsFormerrWithItsId() throws Exception {
    byte[] junk = {0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 99};
    Message answer = Dns.udpExchange(junk, hierarchy.nameserver("ns1.test."));
    assertThat(answer.getHeader().getID()).isEqualTo(0x1234);
    assertThat(answer.getRcode()).isEqualTo(Rcode.FORMERR);
  }

  @Test
  void ednsVersionOneGetsBadvers() throws Exception {
    Message q = Dns.query("www.test.", Type.A);
    q.addRecord(new org.xbill.DNS.OPTRecord(1232, 0, 1, 0), Section.ADDITIONAL);
    Message m = Dns.udpExchange(q.toWire(), hierarchy.nameserver("ns1.test."));
    assertThat(m.getRcode()).isEqualTo(Rcode.BADVERS);
    assertThat(m.getOPT().getVersion()).isZero();
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
  }

  @Test
  void otherOpcodesGetNotimpAndResponsesAreIgnored() throws Exception {
    Message update = new org.xbill.DNS.Update(Dns.name("test."));
    Message m = Dns.udpExchange(update.toWire(), hierarchy.nameserver("ns1.test."));
    assertThat(m.getRcode()).isEqualTo(Rcode.NOTIMP);
    Message response = Dns.query("www.test.", Type.A);
    response.getHeader().setFlag(Flags.QR);
    assertThatThrownBy(() -> Dns.udpExchange(response.toWire(), hierarchy.nameserver("ns1.test.")))
        .isInstanceOf(java.net.SocketTimeoutException.class);
  }

  @Test
  void recentQueryLogIsBounded() throws Exception {
    Endpoint ns2 = hierarchy.nameserver("ns2.test.");
    ns2.clearRecentQueries();
    for (int i = 0; i < Endpoint.RECENT_QUERIES + 4; i++) {
      Dns.udpExchange(Dns.query("q" + i + ".test.", Type.A).toWire(), ns2);
    }
    List<Message> log = ns2.recentQueries();
    assertThat(log).hasSize(Endpoint.RECENT_QUERIES);
    assertThat(log.get(0).getQuestion().getName()).isEqualTo(Dns.name("q4.test."));
    assertThat(log.get(log.size() - 1).getQuestion().getName())
        .isEqualTo(Dns.name("q" + (Endpoint.RECENT_QUERIES + 3) + ".test."));
  }

  @Test
  void recursiveEndpointSetsRaNotAa() throws Exception {
    Message m = send(Dns.dnssecResolver(hierarchy.recursive()), "www.child.test.", Type.A);
    assertThat(m.getHeader().getFlag(Flags.RA)).isTrue();
    assertThat(m.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(m.getSection(Section.ANSWER)).extracting(Record::getType).containsExactlyInAnyOrder(Type.A, Type.RRSIG);
  }
}
