package io.github.zonecut.examples;

import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.dsync.NotifyOutcome;
import io.github.zonecut.dsync.NotifyReceiver;
import io.github.zonecut.dsync.NotifySender;
import io.github.zonecut.dsync.Observer;
import io.github.zonecut.dsync.ScanQueue;
import io.github.zonecut.dsync.Signals;
import io.github.zonecut.keystate.Delayer;
import io.github.zonecut.testkit.Endpoint;
import io.github.zonecut.testkit.Service;
import io.github.zonecut.testkit.TestHierarchy;
import io.github.zonecut.testkit.TestZone;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.CDNSKEYRecord;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;

/**
 * Example 4, a DNS hosting vendor announcing a signed customer zone to its parent: compute CDS
 * and CDNSKEY from the zone's keys (RFC 7344 §3), a CSYNC for its NS and glue (RFC 7477), and the
 * {@code _dsboot} copies for authenticated bootstrapping (RFC 9615 §3) with {@link Signals};
 * publish them; check that every nameserver serves the same signals before telling the parent
 * (RFC 9859 §4.2) — one secondary has not caught up at first, so the NOTIFY waits — then send
 * NOTIFY(CDS) to the endpoint the parent's DSYNC record names (RFC 9859 §4.1) with {@link
 * NotifySender}.
 *
 * <p>Run it with {@code java -cp examples/target/zonecut-demo.jar
 * io.github.zonecut.examples.VendorSignals} (after {@code ./mvnw -B -q -pl examples -am package
 * -DskipTests}); {@code ExamplesTest} runs it and checks the outcome.
 */
public final class VendorSignals {
  static final Name ZONE = Name.fromConstantString("shop.parent.test.");
  static final List<Name> SERVERS = List.of(Name.fromConstantString("ns1.vendor.test."),
      Name.fromConstantString("ns2.vendor.test."));

  /**
   * What the vendor did.
   *
   * @param published the signals computed and published (apex and {@code _dsboot})
   * @param whileLagging the consistency check while ns2 still served the old zone
   * @param consistent the check once every server served the signals
   * @param notified the parent's answer to the NOTIFY(CDS)
   * @param scansQueued the scans the parent queued
   */
  public record Result(List<Record> published, Signals.Consistency whileLagging,
      Signals.Consistency consistent, NotifyOutcome notified, int scansQueued) {}

  private VendorSignals() {}

  /** Runs the story and prints it. */
  public static void main(String[] args) throws Exception {
    Result r = run();
    r.published().forEach(rr -> System.out.println("published " + rr));
    System.out.println("before ns2 caught up: " + r.whileLagging().problems());
    System.out.println("then consistent: " + r.consistent().consistent());
    System.out.println("NOTIFY(CDS): " + r.notified());
  }

  /** Publishes the signals of {@link #ZONE}, checks its servers and notifies the parent. */
  public static Result run() throws Exception {
    ZonecutTypes.register();
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try (TestHierarchy dns = TestHierarchy.builder().zone("test.")
            // the parent takes NOTIFY(CDS) at ns1.parent.test. (scheme 1 = NOTIFY, RFC 9859 §3)
            .zone("parent.test.", z -> z.records("_dsync 300 IN DSYNC CDS 1 5359 ns1.parent.test."))
            .zone("vendor.test.") // the vendor's own zone: holds the _signal names
            .zone(ZONE.toString(), z -> z.nameservers("ns1.vendor.test.", "ns2.vendor.test."))
            .start();
        NioDnsTransport transport = NioDnsTransport.create(executor)) {
      ScanQueue parentScans = ScanQueue.withCapacity(100);
      NotifyReceiver parent = NotifyReceiver.builder(parentScans)
          .parentZones(Name.fromConstantString("parent.test.")).clock(dns.clock()).build();
      dns.nameserver("ns1.parent.test.").install(Service.forOpcodes(
          q -> Optional.of(parent.handle(q.wire(), q.source())), Opcode.NOTIFY));

      // 1. compute from the zone's DNSKEY RRset (the KSK/CSK only)
      TestZone zone = dns.zone(ZONE.toString());
      List<CDSRecord> cds = Signals.cds(ZONE, zone.dnskeys(), 300);
      List<CDNSKEYRecord> cdnskey = Signals.cdnskey(ZONE, zone.dnskeys(), 300);
      List<Record> apex = new ArrayList<>(cds);
      apex.addAll(cdnskey);
      apex.add(Signals.csync(ZONE, zone.serial() + 1, true, true, 300)); // the serial it lands in
      List<Record> dsboot = Signals.dsboot(ZONE, SERVERS, cds, cdnskey);

      // 2. publish; ns2 is a secondary that has not transferred the new version yet
      Endpoint ns2 = dns.nameserver("ns2.vendor.test.");
      ns2.freeze();
      zone.edit(e -> apex.forEach(e::add));
      dns.zone("vendor.test.").edit(e -> dsboot.forEach(e::add));

      // 3. RFC 9859 §4.2: every server must serve the signals before the parent is told
      ValidatingLookup validated = dns.validatingLookup(transport, executor).build();
      Observer observer = Observer.builder(transport, validated)
          .overrides(dns.endpointOverrides()).clock(dns.clock()).build();
      Signals.Consistency lagging = await(Signals.checkConsistency(observer, ZONE));
      ns2.thaw(); // the transfer happened
      Signals.Consistency consistent = await(Signals.checkConsistency(observer, ZONE));

      // 4. NOTIFY(CDS) to the endpoint the parent's DSYNC names
      NotifySender sender = NotifySender.builder(transport, dns.dsyncDiscovery(validated).build())
          .delayer(Delayer.using(executor)).timeout(Duration.ofSeconds(5)).build();
      if (!consistent.consistent()) {
        throw new IllegalStateException("servers disagree: " + consistent.problems());
      }
      NotifyOutcome notified = await(sender.notifyCds(ZONE));
      List<Record> published = new ArrayList<>(apex);
      published.addAll(dsboot);
      return new Result(published, lagging, consistent, notified, parentScans.size());
    } finally {
      executor.shutdownNow();
    }
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
