package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.DsyncDiscovery;
import io.github.zonecut.core.MalformedDataException;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.testkit.Endpoint;
import io.github.zonecut.testkit.Service;
import io.github.zonecut.testkit.TestHierarchy;
import io.github.zonecut.testkit.TestZone;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Type;

/**
 * RFC 9567 error reports on the parent side: a NOTIFY(CDS) carrying a Report-Channel agent
 * domain, a scan that refuses the child's CDS (one server divergent), and the report query at
 * the agent domain's server, once per interval.
 */
class ErrorReportFlowTest {
  static final Name PARENT = Name.fromConstantString("test.");
  static final Name CHILD = Name.fromConstantString("child.test.");
  static final Name NS1 = Name.fromConstantString("ns1.nsop.test.");
  static final Name NS2 = Name.fromConstantString("ns2.nsop.test.");
  static final Name AGENT = Name.fromConstantString("reports.ns1.nsop.test.");

  ExecutorService executor;
  NioDnsTransport transport;
  TestHierarchy h;
  TestZone child;
  ScanQueue queue;
  ScanService service;
  ValidatingLookup validating;
  LinkedBlockingQueue<ErrorReporter.Report> reports;

  @BeforeEach
  void start() throws Exception {
    executor = Executors.newFixedThreadPool(2);
    transport = NioDnsTransport.create(executor);
    h = TestHierarchy.builder()
        .zone("test.", z -> z.nameservers("ns1.test.")
            .records("_dsync DSYNC CDS 1 5359 ns1.test."))
        .zone("nsop.test.", z -> z.nameservers("ns1.nsop.test.", "ns2.nsop.test."))
        .zone("child.test.", z -> z.nameservers("ns1.nsop.test.", "ns2.nsop.test."))
        .start();
    child = h.zone("child.test.");
    validating = ValidatingLookup.builder(transport, h.recursive().dnsEndpoint(), executor)
        .trustAnchors(h.trustAnchors()).clock(h.clock()).build();
    reports = new LinkedBlockingQueue<>();
    ErrorReporter reporter = ErrorReporter.builder(transport, validating)
        .overrides(h.endpointOverrides()).clock(h.clock()).timeout(Duration.ofSeconds(2))
        .listener(reports::add).build();
    queue = ScanQueue.withCapacity(100);
    NotifyReceiver receiver = NotifyReceiver.builder(queue).parentZones(PARENT)
        .clock(h.clock()).errorReporter(reporter).build();
    h.nameserver("ns1.test.").install(Service.forOpcodes(
        q -> Optional.of(receiver.handle(q.wire(), q.source())), Opcode.NOTIFY));
    Observer observer = Observer.builder(transport, validating).overrides(h.endpointOverrides())
        .clock(h.clock()).timeout(Duration.ofSeconds(2)).build();
    ReferenceDelegationBackend backend =
        new ReferenceDelegationBackend(new ReferenceDelegationBackend.State(), false);
    backend.put(Delegation.builder(CHILD).nameservers(NS1, NS2)
        .ds(DsData.of(child.ds().get(0))).build());
    service = ScanService.builder(observer, AcceptanceChecks.of(AcceptancePolicy.cdsWithDsboot()),
        backend).clock(h.clock()).errorReporter(reporter).build();
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
    transport.close();
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }

  private NotifySender sender(Optional<Name> agent) {
    NotifySender.Builder b = NotifySender.builder(transport, DsyncDiscovery.builder(validating)
        .overrides(h.endpointOverrides()).build())
        .delayer(d -> CompletableFuture.completedFuture(null)).timeout(Duration.ofSeconds(2));
    agent.ifPresent(b::reportChannel);
    return b.build();
  }

  /** One server frozen before the CDS appears: the scan refuses (INCONSISTENT). */
  private void publishDivergentCds() {
    h.nameserver("ns2.nsop.test.").freeze();
    DNSKEYRecord ksk = child.dnskeys().stream().filter(k -> k.getFlags() == 257).findFirst()
        .orElseThrow();
    DsData d = DsData.compute(CHILD, ksk, DsData.SHA384);
    child.edit(e -> e.add(new CDSRecord(CHILD, DClass.IN, 300, d.keyTag(), d.algorithm(),
        d.digestType(), d.digest())));
  }

  private ScanEvent notifyAndScan(Optional<Name> agent) throws Exception {
    NotifyOutcome o = sender(agent).notifyCds(CHILD).toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    assertThat(o).isInstanceOf(NotifyOutcome.Acknowledged.class);
    List<ScanEvent> finals = new ArrayList<>();
    for (ScanRequest r : queue.drain()) {
      finals.add(service.scan(r).toCompletableFuture().get(30, TimeUnit.SECONDS));
    }
    assertThat(finals).singleElement().isInstanceOfSatisfying(ScanEvent.Refused.class,
        r -> assertThat(r.reason()).isEqualTo(Reason.INCONSISTENT));
    return finals.get(0);
  }

  private static List<Name> reportQueries(Endpoint... servers) {
    List<Name> out = new ArrayList<>();
    for (Endpoint e : servers) {
      for (Message m : e.recentQueries()) {
        Name q = m.getQuestion() == null ? Name.root : m.getQuestion().getName();
        if (q.subdomain(Name.fromConstantString("_er." + AGENT))) {
          out.add(q);
        }
      }
    }
    return out;
  }

  @Test
  void aRefusedSignalIsReportedToTheAgentDomainOncePerInterval() throws Exception {
    publishDivergentCds();

    notifyAndScan(Optional.of(AGENT));

    ErrorReporter.Report report = reports.poll(30, TimeUnit.SECONDS);
    assertThat(report).isNotNull();
    Name expected = Name.fromConstantString("_er.59.child.test.0._er." + AGENT);
    assertThat(report.outcome()).as(report.detail()).isEqualTo(ErrorReporter.Outcome.SENT);
    assertThat(report.reportName()).contains(expected);
    assertThat(report.agentDomain()).isEqualTo(AGENT);
    assertThat(reportQueries(h.nameserver("ns1.nsop.test."), h.nameserver("ns2.nsop.test.")))
        .containsExactly(expected);

    // the same refusal again within the interval: told to the host, not sent
    notifyAndScan(Optional.of(AGENT));
    ErrorReporter.Report again = reports.poll(30, TimeUnit.SECONDS);
    assertThat(again).isNotNull();
    assertThat(again.outcome()).isEqualTo(ErrorReporter.Outcome.SUPPRESSED);
    assertThat(reportQueries(h.nameserver("ns1.nsop.test."), h.nameserver("ns2.nsop.test.")))
        .hasSize(1);

    // a later NOTIFY without the option withdraws the channel
    notifyAndScan(Optional.empty());
    assertThat(reports.poll(1, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void noReportWithoutAReportChannel() throws Exception {
    publishDivergentCds();

    notifyAndScan(Optional.empty());

    assertThat(reports.poll(1, TimeUnit.SECONDS)).isNull();
    assertThat(reportQueries(h.nameserver("ns1.nsop.test."), h.nameserver("ns2.nsop.test.")))
        .isEmpty();
  }

  /** RFC 9859 §4.2: an agent domain outside the delegation's NS names is never reported to. */
  @Test
  void anAgentDomainOutsideTheNsNamesIsNotReportedTo() throws Exception {
    publishDivergentCds();

    notifyAndScan(Optional.of(Name.fromConstantString("victim.nsop.test.")));

    ErrorReporter.Report report = reports.poll(30, TimeUnit.SECONDS);
    assertThat(report).isNotNull();
    assertThat(report.outcome()).isEqualTo(ErrorReporter.Outcome.NOT_ALLOWED);
    assertThat(report.reportName()).isEmpty();
  }

  @Test
  void theReportNameIsRfc9567s() throws Exception {
    assertThat(ErrorReporter.reportName(Name.fromConstantString("broken.test."), Type.A, 7,
        Name.fromConstantString("a01.agent-domain.example.")))
        .isEqualTo(Name.fromConstantString("_er.1.broken.test.7._er.a01.agent-domain.example."));
    Name long1 = Name.fromConstantString("a".repeat(60) + "." + "b".repeat(60) + ".test.");
    assertThatThrownBy(() -> ErrorReporter.reportName(long1, Type.CDS, 0, long1))
        .isInstanceOf(MalformedDataException.class);
    assertThat(ErrorReporter.edeCode(Reason.BOGUS)).isEqualTo(6);
    assertThat(ErrorReporter.edeCode(Reason.INCONSISTENT)).isEqualTo(ErrorReporter.EDE_OTHER);
  }

  private static Message notifyWith(byte[] optionData) {
    Message m = Message.newQuery(org.xbill.DNS.Record.newRecord(CHILD, Type.CDS, DClass.IN));
    m.getHeader().setOpcode(Opcode.NOTIFY);
    m.addRecord(new org.xbill.DNS.OPTRecord(1232, 0, 0, 0, List.of(
        new org.xbill.DNS.GenericEDNSOption(NotifySender.REPORT_CHANNEL_OPTION, optionData))),
        org.xbill.DNS.Section.ADDITIONAL);
    return m;
  }

  @Test
  void theReportChannelOptionIsReadAndAMalformedOneIgnored() throws Exception {
    assertThat(NotifyReceiver.agentDomain(notifyWith(AGENT.toWire()))).contains(AGENT);
    byte[] trailing = java.util.Arrays.copyOf(AGENT.toWire(), AGENT.toWire().length + 1);
    assertThat(NotifyReceiver.agentDomain(notifyWith(trailing))).isEmpty();
    assertThat(NotifyReceiver.agentDomain(notifyWith(new byte[] {5, 'a'}))).isEmpty();
    assertThat(NotifyReceiver.agentDomain(notifyWith(new byte[] {(byte) 0xC0, 12}))).isEmpty();
    assertThat(NotifyReceiver.agentDomain(notifyWith(new byte[] {0}))).isEmpty();
  }
}
