package io.github.zonecut.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.DnsResponse;
import io.github.zonecut.core.DnsTransportException;
import io.github.zonecut.core.TransportProtocol;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Every testkit fault, observed through zonecut core's own NET.transport(). */
class CoreTransportIntegrationTest {
  @RegisterExtension
  static final TestHierarchyExtension HIERARCHY =
      TestHierarchyExtension.of(
          b -> {
            StringBuilder big = new StringBuilder();
            for (int i = 0; i < 30; i++) {
              big.append("big TXT \"").append("y".repeat(60)).append(i).append("\"\n");
            }
            b.clock(Dns.CLOCK)
                .zone("test.", z -> z.nameservers("ns1.test.", "ns2.test.").records("www A 192.0.2.1\n" + big))
                .zone("child.test.", z -> z.algorithm(SigningAlgorithm.ED25519));
          });

  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  @RegisterExtension
  static final CoreTransportExtension NET = new CoreTransportExtension();

  @AfterEach
  void reset() {
    HIERARCHY.get().nameservers().values().forEach(e -> {
      e.clearFault();
      e.thaw();
    });
    HIERARCHY.get().zone("child.test.").setParentDs(ParentDs.CORRECT);
  }

  private static Endpoint ns(String name) {
    return HIERARCHY.get().nameserver(name);
  }

  private static Message dnssecQuery(String name, int type) {
    Message q = Dns.query(name, type);
    q.getHeader().unsetFlag(Flags.RD);
    q.addRecord(new OPTRecord(1232, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
    return q;
  }

  private static DnsResponse exchange(Endpoint e, String name, int type, TransportProtocol p, Duration timeout)
      throws Exception {
    return NET.transport().exchange(e.dnsEndpoint(), dnssecQuery(name, type), p, timeout)
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static DnsTransportException.Reason failure(Endpoint e, Duration timeout) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
        () -> exchange(e, "test.", Type.SOA, TransportProtocol.UDP, timeout));
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    DnsTransportException dte = DnsTransportException.find(thrown);
    assertThat(dte).as(String.valueOf(thrown)).isNotNull();
    return dte.reason();
  }

  @Test
  void normalAnswerIsAuthoritativeAndSigned() throws Exception {
    DnsResponse r = exchange(ns("ns1.test."), "www.test.", Type.A, TransportProtocol.UDP, TIMEOUT);
    assertThat(r.message().getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(r.protocol()).isEqualTo(TransportProtocol.UDP);
    assertThat(r.from()).isEqualTo(ns("ns1.test.").dnsEndpoint());
    RRset a = r.message().getSectionRRsets(Section.ANSWER).get(0);
    DNSSEC.verify(a, a.sigs().get(0), HIERARCHY.get().zone("test.").dnskeys().get(0), Dns.CLOCK.instant());
  }

  @Test
  void silenceIsATimeout() {
    ns("ns1.test.").setFault(Fault.silence());
    assertThat(failure(ns("ns1.test."), Duration.ofMillis(400))).isEqualTo(DnsTransportException.Reason.TIMEOUT);
  }

  @Test
  void delayBeyondTheDeadlineIsATimeoutAndWithinItAnAnswer() throws Exception {
    ns("ns1.test.").setFault(Fault.delay(Duration.ofSeconds(1)));
    assertThat(failure(ns("ns1.test."), Duration.ofMillis(200))).isEqualTo(DnsTransportException.Reason.TIMEOUT);
    assertThat(exchange(ns("ns1.test."), "test.", Type.SOA, TransportProtocol.UDP, Duration.ofSeconds(10))
            .message().getRcode())
        .isEqualTo(Rcode.NOERROR);
  }

  @Test
  void truncationMakesTheTransportRetryOverTcp() throws Exception {
    ns("ns1.test.").setFault(Fault.truncate());
    DnsResponse r = exchange(ns("ns1.test."), "test.", Type.SOA, TransportProtocol.UDP, TIMEOUT);
    assertThat(r.protocol()).isEqualTo(TransportProtocol.TCP);
    assertThat(r.message().getSection(Section.ANSWER)).isNotEmpty();
  }

  @Test
  void oversizedAnswerComesOverTcp() throws Exception {
    Message q = Dns.query("big.test.", Type.TXT); // no EDNS: 512-octet UDP limit
    DnsResponse r = NET.transport().exchange(ns("ns2.test.").dnsEndpoint(), q, TransportProtocol.UDP, TIMEOUT)
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
    assertThat(r.protocol()).isEqualTo(TransportProtocol.TCP);
    assertThat(r.message().getSection(Section.ANSWER)).hasSize(30);
  }

  @Test
  void servfailIsAnAnswerNotAFailure() throws Exception {
    ns("ns2.test.").setFault(Fault.servfail());
    assertThat(exchange(ns("ns2.test."), "test.", Type.SOA, TransportProtocol.TCP, TIMEOUT).message().getRcode())
        .isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void frozenNameserverDivergesFromItsSibling() throws Exception {
    ns("ns2.test.").freeze();
    HIERARCHY.get().zone("test.").add("late A 192.0.2.50");
    long s1 = serial(exchange(ns("ns1.test."), "test.", Type.SOA, TransportProtocol.UDP, TIMEOUT));
    long s2 = serial(exchange(ns("ns2.test."), "test.", Type.SOA, TransportProtocol.UDP, TIMEOUT));
    assertThat(s1).isEqualTo(s2 + 1);
    assertThat(exchange(ns("ns2.test."), "late.test.", Type.A, TransportProtocol.UDP, TIMEOUT).message().getRcode())
        .isEqualTo(Rcode.NXDOMAIN);
    HIERARCHY.get().zone("test.").remove("late A 192.0.2.50");
  }

  private static long serial(DnsResponse r) {
    return ((SOARecord) r.message().getSection(Section.ANSWER).get(0)).getSerial();
  }

  @Test
  void bogusSignaturesDoNotVerify() throws Exception {
    ns("ns1.test.").setFault(Fault.bogusSignatures());
    RRset a = exchange(ns("ns1.test."), "www.test.", Type.A, TransportProtocol.UDP, TIMEOUT)
        .message().getSectionRRsets(Section.ANSWER).get(0);
    assertThatThrownBy(() -> DNSSEC.verify(a, a.sigs().get(0), HIERARCHY.get().zone("test.").dnskeys().get(0), Dns.CLOCK.instant()))
        .isInstanceOf(DNSSEC.DNSSECException.class);
  }

  @Test
  void wrongDsMatchesNoChildKey() throws Exception {
    HIERARCHY.get().zone("child.test.").setParentDs(ParentDs.WRONG);
    Message m = exchange(ns("ns1.test."), "child.test.", Type.DS, TransportProtocol.UDP, TIMEOUT).message();
    assertThat(m.getSection(Section.ANSWER).get(0)).isNotEqualTo(HIERARCHY.get().zone("child.test.").ds().get(0));
  }

  @Test
  void hostileAnswerWithTheWrongIdIsDroppedByTheTransport() {
    ns("ns1.test.").setFault(Fault.script(q -> q.standardAnswer().map(m -> {
      m.getHeader().setID((m.getHeader().getID() + 1) & 0xFFFF);
      return m.toWire();
    })));
    assertThat(failure(ns("ns1.test."), Duration.ofMillis(400))).isEqualTo(DnsTransportException.Reason.TIMEOUT);
  }

  @Test
  void hostileGarbageOverTcpIsAMalformedResponse() {
    ns("ns1.test.").setFault(Fault.script(q -> Optional.of(new byte[] {1, 2, 3})));
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
        () -> exchange(ns("ns1.test."), "test.", Type.SOA, TransportProtocol.TCP, TIMEOUT));
    DnsTransportException dte = DnsTransportException.find(thrown);
    assertThat(dte).as(String.valueOf(thrown)).isNotNull();
    assertThat(dte.reason()).isEqualTo(DnsTransportException.Reason.MALFORMED_RESPONSE);
  }

  @Test
  void recursiveEndpointServesTheWholeTreeThroughTheTransport() throws Exception {
    Message m = NET.transport().exchange(HIERARCHY.get().recursive().dnsEndpoint(), dnssecQuery("child.test.", Type.DNSKEY),
            TransportProtocol.UDP, TIMEOUT).toCompletableFuture().get(30, TimeUnit.SECONDS).message();
    assertThat(m.getHeader().getFlag(Flags.RA)).isTrue();
    assertThat(m.getSection(Section.ANSWER)).extracting(org.xbill.DNS.Record::getType).contains(Type.DNSKEY, Type.RRSIG);
    assertThat(HIERARCHY.get().endpointOverrides().forName(Dns.name("ns2.test.")))
        .contains(List.of(ns("ns2.test.").dnsEndpoint()));
  }
}
