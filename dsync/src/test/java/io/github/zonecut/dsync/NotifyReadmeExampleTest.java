package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.DsyncDiscovery;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.testkit.Service;
import io.github.zonecut.testkit.TestHierarchy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Type;

/** The README's NOTIFY-path snippets, kept compiling and running. */
class NotifyReadmeExampleTest {

  /** README: "Parent: NOTIFY receiver and scan". */
  static NotifyReceiver parentReceiver(ScanQueue queue) {
    return NotifyReceiver.builder(queue)
        .parentZones(Name.fromConstantString("test."))
        .sourceLimit(20, Duration.ofMinutes(1))   // RFC 9859 §5: MUST rate-limit
        .childLimit(5, Duration.ofMinutes(1))
        .listener(e -> { /* metrics: e.outcome(), e.rcode() */ })
        .build();
    // server: byte[] answer = receiver.handle(requestBytes, sourceAddress); empty = send nothing
  }

  /** README: the host's loop that runs the coalesced checks. */
  static void runPending(ScanQueue queue, ScanService scans) {
    for (ScanRequest r : queue.drain()) {
      scans.scan(r); // events: SignalSeen, Pending, Accepted, Applied, Refused, Failed
    }
  }

  /** README: "Child: NOTIFY(CDS)". */
  static NotifyOutcome notifyParent(DnsTransport transport, DsyncDiscovery discovery, Name child)
      throws Exception {
    NotifySender sender = NotifySender.builder(transport, discovery).build(); // 60 s × 5 retries
    NotifyOutcome outcome = sender.notifyCds(child).toCompletableFuture().get();
    if (outcome instanceof NotifyOutcome.Refused) {
      // e.g. REFUSED with EDE 15 (Blocked): the parent rate-limits; its periodic scan still runs
    }
    return outcome;
  }

  /** README: "Registry: bulk scan with a checkpoint". */
  static Scanner.Progress scanAll(ScanService scans, Path children, Path checkpoint)
      throws Exception {
    Scanner scanner = Scanner.builder(child -> scans.scan(child, Type.CDS))
        .concurrency(32)
        .timeout(Duration.ofSeconds(60))
        .checkpoint(checkpoint) // rerun after a crash: resumes, no child skipped or redone
        .listener(p -> { /* p.done(), p.total(), p.perSecond(), p.errorsByKind() */ })
        .build();
    return scanner.run(children, result -> { /* stream to the registrant notices */ });
  }

  @Test
  void theSnippetsRun(@TempDir Path dir) throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try (TestHierarchy h = TestHierarchy.builder()
        .zone("test.", z -> z.nameservers("ns1.test.").records("_dsync DSYNC CDS 1 5359 ns1.test."))
        .zone("child.test.").start();
        NioDnsTransport transport = NioDnsTransport.create(executor)) {
      ScanQueue queue = ScanQueue.withCapacity(1000);
      NotifyReceiver receiver = parentReceiver(queue);
      h.nameserver("ns1.test.").install(Service.forOpcodes(
          q -> Optional.of(receiver.handle(q.wire(), q.source())), Opcode.NOTIFY));
      ValidatingLookup validating = ValidatingLookup.builder(transport,
          h.recursive().dnsEndpoint(), executor).trustAnchors(h.trustAnchors())
          .clock(h.clock()).build();
      DsyncDiscovery discovery = DsyncDiscovery.builder(validating)
          .overrides(h.endpointOverrides()).build();
      Name child = Name.fromConstantString("child.test.");

      assertThat(notifyParent(transport, discovery, child))
          .isInstanceOf(NotifyOutcome.Acknowledged.class);
      assertThat(queue.size()).isEqualTo(1);

      ReferenceDelegationBackend backend = new ReferenceDelegationBackend(
          new ReferenceDelegationBackend.State(), false);
      ScanService scans = ScanService.builder(Observer.builder(transport, validating)
          .overrides(h.endpointOverrides()).clock(h.clock()).build(),
          AcceptanceChecks.of(AcceptancePolicy.cdsWithCsync()), backend).clock(h.clock()).build();
      runPending(queue, scans);
      assertThat(queue.size()).isZero();

      Path children = dir.resolve("children.txt");
      java.nio.file.Files.write(children, List.of("child.test."));
      Scanner.Progress p = scanAll(scans, children, dir.resolve("scan.ckpt"));
      assertThat(p.done()).isEqualTo(1);
    } finally {
      executor.shutdownNow();
      executor.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
