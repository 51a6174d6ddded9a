package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.CsyncRecord;
import io.github.zonecut.core.DsyncDiscovery;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.keystate.Delayer;
import io.github.zonecut.testkit.Endpoint;
import io.github.zonecut.testkit.Fault;
import io.github.zonecut.testkit.Service;
import io.github.zonecut.testkit.TestHierarchy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * NOTIFY(CDS/CSYNC) from the child side to a {@link NotifyReceiver} installed on the DSYNC target
 * of a testkit hierarchy, with a virtual delayer for the RFC 1996 §3.6 retries.
 */
class NotifySenderHierarchyTest {
  static final Name CHILD = Name.fromConstantString("child.test.");

  ExecutorService executor;
  NioDnsTransport transport;
  TestHierarchy h;
  Endpoint target;
  ScanQueue queue;
  List<Duration> delays;
  DsyncDiscovery discovery;

  @BeforeEach
  void start() throws Exception {
    executor = Executors.newFixedThreadPool(2);
    transport = NioDnsTransport.create(executor);
    h = TestHierarchy.builder()
        .zone("test.", z -> z.nameservers("ns1.test.").records(
            "_dsync DSYNC CDS 1 5359 ns1.test.\n_dsync DSYNC CSYNC 1 5359 ns1.test."))
        .zone("child.test.", z -> z.nameservers("ns1.child.test."))
        .zone("other.", z -> z.nameservers("ns1.other."))
        .start();
    queue = ScanQueue.withCapacity(10);
    target = h.nameserver("ns1.test.");
    install(NotifyReceiver.builder(queue).parentZones(Name.fromConstantString("test."))
        .clock(h.clock()).build());
    ValidatingLookup validating = ValidatingLookup.builder(transport, h.recursive().dnsEndpoint(),
        executor).trustAnchors(h.trustAnchors()).clock(h.clock()).build();
    discovery = DsyncDiscovery.builder(validating).overrides(h.endpointOverrides()).build();
    delays = new ArrayList<>();
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
    transport.close();
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }

  private void install(NotifyReceiver receiver) {
    target.install(Service.forOpcodes(q -> Optional.of(receiver.handle(q.wire(), q.source())),
        Opcode.NOTIFY));
  }

  /** Records each delay and completes at once; runs {@code onDelay} first. */
  private Delayer virtual(Runnable onDelay) {
    return d -> {
      delays.add(d);
      onDelay.run();
      return CompletableFuture.completedFuture(null);
    };
  }

  private NotifySender.Builder sender() {
    return NotifySender.builder(transport, discovery).timeout(Duration.ofMillis(300))
        .delayer(virtual(() -> { }));
  }

  private static NotifyOutcome get(java.util.concurrent.CompletionStage<NotifyOutcome> s)
      throws Exception {
    return s.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void notifiesCdsAndCsyncToTheDiscoveredEndpoint() throws Exception {
    NotifySender sender = sender().build();

    assertThat(get(sender.notifyCds(CHILD))).isEqualTo(
        new NotifyOutcome.Acknowledged(target.dnsEndpoint(), 1));
    assertThat(get(sender.notifyCsync(CHILD))).isInstanceOf(NotifyOutcome.Acknowledged.class);

    assertThat(queue.drain()).containsExactly(ScanRequest.cds(CHILD), ScanRequest.csync(CHILD));
    assertThat(delays).isEmpty();
  }

  @Test
  void retriesAsRfc1996WhileTheEndpointIsSilentThenGetsThrough() throws Exception {
    target.setFault(Fault.silence());
    NotifySender sender = sender().delayer(virtual(() -> {
      if (delays.size() == 2) {
        target.clearFault();
      }
    })).build();

    NotifyOutcome outcome = get(sender.notifyCds(CHILD));

    assertThat(outcome).isEqualTo(new NotifyOutcome.Acknowledged(target.dnsEndpoint(), 3));
    assertThat(delays).containsExactly(Duration.ofSeconds(60), Duration.ofSeconds(60));
  }

  @Test
  void givesUpAfterTheLastRetransmission() throws Exception {
    target.setFault(Fault.silence());
    NotifySender sender = sender().retries(2, Duration.ofSeconds(30)).build();

    NotifyOutcome outcome = get(sender.notifyCds(CHILD));

    assertThat(outcome).isInstanceOfSatisfying(NotifyOutcome.NoAnswer.class,
        n -> assertThat(n.attempts()).isEqualTo(3));
    assertThat(delays).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(30));
  }

  @Test
  void aShortIntervalNeedsTheLoudMethod() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> sender().retries(3, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retriesBelowRfc1996FloorForTestHarnesses");
    sender().retriesBelowRfc1996FloorForTestHarnesses(3, Duration.ofSeconds(1)).build();
  }

  @Test
  void aRateLimitedNotifyIsRefusedWithBlockedAndNotRetried() throws Exception {
    install(NotifyReceiver.builder(queue).parentZones(Name.fromConstantString("test."))
        .childLimit(1, Duration.ofHours(1)).clock(h.clock()).build());
    NotifySender sender = sender().build();
    assertThat(get(sender.notifyCds(CHILD))).isInstanceOf(NotifyOutcome.Acknowledged.class);

    NotifyOutcome second = get(sender.notifyCds(CHILD));

    assertThat(second).isInstanceOfSatisfying(NotifyOutcome.Refused.class, r -> {
      assertThat(r.rcode()).isEqualTo(Rcode.REFUSED);
      assertThat(r.ede()).get().extracting(NotifyOutcome.Ede::code).isEqualTo(15);
    });
    assertThat(delays).isEmpty();
  }

  @Test
  void noDsyncMeansNoEndpointAndNothingSent() throws Exception {
    long before = target.queryCount();
    NotifyOutcome outcome = get(sender().build().notifyCds(Name.fromConstantString(
        "child.other.")));
    assertThat(outcome).isInstanceOf(NotifyOutcome.NoEndpoint.class);
    assertThat(queue.size()).isZero();
    assertThat(target.recentQueries()).noneMatch(m -> m.getHeader().getOpcode() == Opcode.NOTIFY);
    assertThat(target.queryCount()).isGreaterThanOrEqualTo(before);
  }

  @Test
  void carriesTheReportChannelOption() throws Exception {
    Name agent = Name.fromConstantString("reports.ns1.child.test.");
    NotifySender sender = sender().reportChannel(agent).build();

    assertThat(get(sender.send(CHILD, CsyncRecord.TYPE)))
        .isInstanceOf(NotifyOutcome.Acknowledged.class);

    Message sent = target.recentQueries().stream()
        .filter(m -> m.getHeader().getOpcode() == Opcode.NOTIFY).findFirst().orElseThrow();
    assertThat(sent.getQuestion().getType()).isEqualTo(CsyncRecord.TYPE);
    List<EDNSOption> options = sent.getOPT().getOptions(NotifySender.REPORT_CHANNEL_OPTION);
    assertThat(options).hasSize(1);
    assertThat(new Name(options.get(0).toWire().length > 0
        ? java.util.Arrays.copyOfRange(options.get(0).toWire(), 4,
            options.get(0).toWire().length) : new byte[0])).isEqualTo(agent);
    assertThat(sent.getQuestion().getName()).isEqualTo(CHILD);
    assertThat(Type.string(sent.getQuestion().getType())).isEqualTo("CSYNC");
  }
}
