package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.DsyncDiscovery;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.testkit.Fault;
import io.github.zonecut.testkit.Service;
import io.github.zonecut.testkit.TestHierarchy;
import io.github.zonecut.testkit.TestZone;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Type;

/**
 * The NOTIFY path end to end on the testkit: the child publishes a CDS, its operator sends
 * NOTIFY(CDS) to the discovered endpoint, the parent's receiver coalesces the repeats into one
 * scheduled check, the scan observes every server, accepts, and the backend applies the new DS.
 */
class NotifyToScanEndToEndTest {
  static final Name PARENT = Name.fromConstantString("test.");
  static final Name CHILD = Name.fromConstantString("child.test.");
  static final Name NS1 = Name.fromConstantString("ns1.nsop.test.");
  static final Name NS2 = Name.fromConstantString("ns2.nsop.test.");

  ExecutorService executor;
  NioDnsTransport transport;
  TestHierarchy h;
  TestZone child;
  ScanQueue queue;
  List<NotifyEvent> notifyEvents;
  List<ScanEvent> scanEvents;
  ReferenceDelegationBackend backend;
  ScanService service;
  NotifySender sender;
  Delegation current;

  @BeforeEach
  void start() throws Exception {
    executor = Executors.newFixedThreadPool(2);
    transport = NioDnsTransport.create(executor);
    h = TestHierarchy.builder()
        .zone("test.", z -> z.nameservers("ns1.test.")
            .records("_dsync DSYNC CDS 1 5359 ns1.test."))
        .zone("child.test.", z -> z.nameservers("ns1.nsop.test.", "ns2.nsop.test."))
        .start();
    child = h.zone("child.test.");
    queue = ScanQueue.withCapacity(100);
    notifyEvents = Collections.synchronizedList(new ArrayList<>());
    NotifyReceiver receiver = NotifyReceiver.builder(queue).parentZones(PARENT)
        .clock(h.clock()).listener(notifyEvents::add).build();
    h.nameserver("ns1.test.").install(Service.forOpcodes(
        q -> Optional.of(receiver.handle(q.wire(), q.source())), Opcode.NOTIFY));

    ValidatingLookup validating = ValidatingLookup.builder(transport, h.recursive().dnsEndpoint(),
        executor).trustAnchors(h.trustAnchors()).clock(h.clock()).build();
    Observer observer = Observer.builder(transport, validating).overrides(h.endpointOverrides())
        .clock(h.clock()).timeout(Duration.ofSeconds(2)).build();
    current = Delegation.builder(CHILD).nameservers(NS1, NS2)
        .ds(DsData.of(child.ds().get(0))).build();
    backend = new ReferenceDelegationBackend(new ReferenceDelegationBackend.State(), false);
    backend.put(current);
    scanEvents = Collections.synchronizedList(new ArrayList<>());
    service = ScanService.builder(observer, AcceptanceChecks.of(AcceptancePolicy.cdsWithDsboot()),
        backend).clock(h.clock()).listener(scanEvents::add).build();
    sender = NotifySender.builder(transport, DsyncDiscovery.builder(validating)
        .overrides(h.endpointOverrides()).build())
        .delayer(d -> CompletableFuture.completedFuture(null)).timeout(Duration.ofSeconds(2))
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
    transport.close();
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** The child adds a SHA-384 CDS beside its SHA-256 one (same key: continuity holds). */
  private DsData publishCds() {
    DNSKEYRecord ksk = child.dnskeys().stream().filter(k -> k.getFlags() == 257).findFirst()
        .orElseThrow();
    DsData sha256 = DsData.compute(CHILD, ksk, DsData.SHA256);
    DsData sha384 = DsData.compute(CHILD, ksk, DsData.SHA384);
    child.edit(e -> {
      for (DsData d : new DsData[] {sha256, sha384}) {
        e.add(new CDSRecord(CHILD, DClass.IN, 300, d.keyTag(), d.algorithm(), d.digestType(),
            d.digest()));
      }
    });
    return sha384;
  }

  private List<ScanEvent> runPending() throws Exception {
    List<ScanEvent> finals = new ArrayList<>();
    for (ScanRequest r : queue.drain()) {
      finals.add(service.scan(r).toCompletableFuture().get(30, TimeUnit.SECONDS));
    }
    return finals;
  }

  @Test
  void cdsPublishedNotifiedCoalescedScannedAcceptedApplied() throws Exception {
    DsData sha384 = publishCds();

    for (int i = 0; i < 3; i++) { // an impatient operator: three NOTIFYs, one check
      NotifyOutcome o = sender.notifyCds(CHILD).toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(o).isInstanceOf(NotifyOutcome.Acknowledged.class);
    }
    assertThat(notifyEvents).extracting(NotifyEvent::outcome).containsExactly(
        NotifyEvent.Outcome.SCHEDULED, NotifyEvent.Outcome.COALESCED,
        NotifyEvent.Outcome.COALESCED);
    assertThat(queue.size()).isEqualTo(1);

    List<ScanEvent> finals = runPending();

    assertThat(finals).singleElement().isInstanceOf(ScanEvent.Applied.class);
    assertThat(scanEvents).extracting(e -> e.getClass().getSimpleName())
        .containsExactly("SignalSeen", "Accepted", "Applied");
    Delegation now = backend.current(CHILD).orElseThrow();
    assertThat(now.ds()).contains(sha384).hasSize(2);
    ScanEvent.Applied applied = (ScanEvent.Applied) finals.get(0);
    assertThat(applied.change().source()).isEqualTo(DelegationChange.Source.SCAN);
    assertThat(applied.result()).isInstanceOf(DelegationBackend.ApplyResult.Applied.class);

    // the next check of the same signal finds nothing to do
    assertThat(service.scan(ScanRequest.cds(CHILD)).toCompletableFuture()
        .get(30, TimeUnit.SECONDS)).isInstanceOf(ScanEvent.NoChange.class);
  }

  @Test
  void theScannerAppliesThroughAnSqliteBackend(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    DsData sha384 = publishCds();
    org.sqlite.SQLiteDataSource ds = new org.sqlite.SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + dir.resolve("registry.db"));
    JdbcDelegationBackend jdbc = JdbcDelegationBackend.open(ds, h.clock());
    jdbc.put(current);
    ValidatingLookup validating = ValidatingLookup.builder(transport, h.recursive().dnsEndpoint(),
        executor).trustAnchors(h.trustAnchors()).clock(h.clock()).build();
    Observer observer = Observer.builder(transport, validating).overrides(h.endpointOverrides())
        .clock(h.clock()).timeout(Duration.ofSeconds(2)).build();
    ScanService s = ScanService.builder(observer,
        AcceptanceChecks.of(AcceptancePolicy.cdsWithDsboot()), jdbc).clock(h.clock()).build();
    List<Scanner.Result> results = Collections.synchronizedList(new ArrayList<>());

    Scanner.Progress p = Scanner.builder(c -> s.scan(c, Type.CDS)).concurrency(2)
        .checkpoint(dir.resolve("scan.ckpt")).build()
        .run(List.of(CHILD, Name.fromConstantString("absent.test.")).iterator(), 2, results::add);

    assertThat(p.done()).isEqualTo(2);
    assertThat(results).extracting(Scanner.Result::child, Scanner.Result::outcome)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("child.test.", "Applied"),
            org.assertj.core.groups.Tuple.tuple("absent.test.", "Refused:NOT_DELEGATED"));
    assertThat(jdbc.current(CHILD).orElseThrow().ds()).contains(sha384).hasSize(2);
  }

  @Test
  void aSilentServerIsReportedPendingAndNothingIsApplied() throws Exception {
    publishCds();
    h.nameserver("ns2.nsop.test.").setFault(Fault.silence());

    ScanEvent last = service.scan(ScanRequest.cds(CHILD)).toCompletableFuture()
        .get(30, TimeUnit.SECONDS);

    assertThat(last).isInstanceOfSatisfying(ScanEvent.Pending.class,
        p -> assertThat(p.reason()).isEqualTo(Reason.SERVER_UNREACHABLE));
    assertThat(backend.current(CHILD)).contains(current);
  }

  @Test
  void aDivergentServerIsRefusedWithTheRule() throws Exception {
    h.nameserver("ns2.nsop.test.").freeze();
    publishCds();

    ScanEvent last = service.scan(ScanRequest.cds(CHILD)).toCompletableFuture()
        .get(30, TimeUnit.SECONDS);

    assertThat(last).isInstanceOfSatisfying(ScanEvent.Refused.class,
        r -> assertThat(r.reason()).isEqualTo(Reason.INCONSISTENT));
    assertThat(scanEvents.get(0)).isInstanceOf(ScanEvent.SignalSeen.class);
    assertThat(backend.current(CHILD)).contains(current);
  }

  @Test
  void aBackendFailureIsAFailedEvent() throws Exception {
    publishCds();
    ReferenceDelegationBackend failing = new ReferenceDelegationBackend(
        new ReferenceDelegationBackend.State(), true);
    failing.put(current);
    ValidatingLookup validating = ValidatingLookup.builder(transport, h.recursive().dnsEndpoint(),
        executor).trustAnchors(h.trustAnchors()).clock(h.clock()).build();
    Observer observer = Observer.builder(transport, validating).overrides(h.endpointOverrides())
        .clock(h.clock()).timeout(Duration.ofSeconds(2)).build();
    ScanService s = ScanService.builder(observer,
        AcceptanceChecks.of(AcceptancePolicy.cdsWithDsboot()), failing).clock(h.clock()).build();

    ScanEvent last = s.scan(CHILD, Type.CDS).toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertThat(last).isInstanceOfSatisfying(ScanEvent.Failed.class,
        f -> assertThat(f.kind()).isEqualTo("backend"));
    assertThat(failing.current(CHILD)).contains(current);
  }
}
