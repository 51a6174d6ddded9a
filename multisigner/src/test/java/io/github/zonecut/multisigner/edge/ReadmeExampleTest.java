package io.github.zonecut.multisigner.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.multisigner.Capability;
import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.core.DsData;
import io.github.zonecut.multisigner.Intent;
import io.github.zonecut.multisigner.KeyRole;
import io.github.zonecut.multisigner.Mermaid;
import io.github.zonecut.multisigner.OwnedKey;
import io.github.zonecut.multisigner.ParentPolicy;
import io.github.zonecut.multisigner.Plan;
import io.github.zonecut.multisigner.PlannedStep;
import io.github.zonecut.multisigner.Planner;
import io.github.zonecut.multisigner.SignerId;
import io.github.zonecut.multisigner.ZoneSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/** The README's controller loop, compiled and run once against loopback servers. */
class ReadmeExampleTest {

  @Test
  void oneRoundOfTheControllerLoop() throws Exception {
    Name zone = Name.fromConstantString("example.com.");
    TSIG tsig = new TSIG(TSIG.HMAC_SHA256, "alpha-key.", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==");
    DnsKeyData ksk = KeyRole.KSK.key(13, new byte[] {1, 2, 3, 4});
    DnsKeyData zsk = KeyRole.ZSK.key(13, new byte[] {5, 6, 7, 8});
    Name ns1 = Name.fromConstantString("ns1.alpha.net.");
    var executorService = Executors.newSingleThreadExecutor();
    try (TinyUpdateServer alphaServer = new TinyUpdateServer(zone, tsig);
        TinyUpdateServer parentServer = new TinyUpdateServer(zone, tsig);
        NioDnsTransport transport = NioDnsTransport.create(executorService)) {
      synchronized (alphaServer) {
        alphaServer.records.add(new SOARecord(zone, DClass.IN, 3600, ns1, ns1, 1, 3600, 600, 86400, 300));
        alphaServer.records.add(new DNSKEYRecord(zone, DClass.IN, 3600, 257, 3, 13, ksk.publicKey()));
        alphaServer.records.add(new DNSKEYRecord(zone, DClass.IN, 3600, 256, 3, 13, zsk.publicKey()));
        alphaServer.records.add(new NSRecord(zone, DClass.IN, 3600, ns1));
        for (var covered : new int[] {Type.SOA, Type.DNSKEY}) {
          DnsKeyData by = covered == Type.SOA ? zsk : ksk;
          alphaServer.records.add(new RRSIGRecord(zone, DClass.IN, 3600, covered, 13, 3600,
              java.time.Instant.now().plusSeconds(86400), java.time.Instant.now().minusSeconds(60),
              by.keyTag(), zone, new byte[64]));
        }
      }
      DsData ds = DsData.compute(zone, ksk, DsData.SHA256);
      synchronized (parentServer) {
        parentServer.records.add(new DSRecord(zone, DClass.IN, 3600, ds.keyTag(), 13, 2, ds.digest()));
        parentServer.records.add(new NSRecord(zone, DClass.IN, 3600, ns1));
      }
      DnsEndpoint alpha = DnsEndpoint.of("127.0.0.1", alphaServer.port());
      DnsEndpoint parent = DnsEndpoint.of("127.0.0.1", parentServer.port());
      SignerId alphaId = SignerId.of("alpha");
      Map<SignerId, List<OwnedKey>> originTable =
          Map.of(alphaId, List.of(OwnedKey.of(ksk, KeyRole.KSK), OwnedKey.of(zsk, KeyRole.ZSK)));

      // --- README snippet ---------------------------------------------------------------
      DnsObserver observer = DnsObserver.create(transport, zone,
          List.of(new DnsObserver.SignerConfig(alphaId, List.of(alpha),
              EnumSet.allOf(Capability.class), Set.of(ns1), Duration.ofHours(1))),
          List.of(parent), KeyOrigins.fromTable(originTable), Duration.ofSeconds(30),
          Clock.systemUTC());
      StepExecutor executor = DnsUpdateStepExecutor.of(transport,
          Map.of(alphaId, new DnsUpdateStepExecutor.Target(alpha, tsig)));
      Planner planner = Planner.create();
      Intent intent = Intent.group(alphaId);

      ZoneSnapshot snapshot = observer.observe().toCompletableFuture().join();
      Plan plan = planner.plan(snapshot, intent, ParentPolicy.DEFAULT, Clock.systemUTC().instant());
      if (plan instanceof Plan.Act act) {
        for (PlannedStep step : act.steps()) {
          executor.execute(zone, step.step()).toCompletableFuture().join(); // then observe again
        }
      } else if (plan instanceof Plan.WaitUntil wait) {
        // schedule the next round at wait.until()
      } else if (plan instanceof Plan.Refused refused) {
        // alert an operator: refused.refusal().message()
      }
      String diagram = Mermaid.plan(plan); // for the operator's dashboard
      // --- end of snippet ---------------------------------------------------------------

      // a fresh observer has seen every value change just now, so the planner first lets it
      // propagate (waits run from the first observation after a restart: longer, never shorter)
      assertThat(plan).isInstanceOfSatisfying(Plan.WaitUntil.class,
          w -> assertThat(w.kind()).isEqualTo(io.github.zonecut.multisigner.WaitKind.NS_WAIT));
      assertThat(diagram).contains("wait NS_WAIT until");
      assertThat(planner.plan(snapshot, intent, ParentPolicy.DEFAULT,
          ((Plan.WaitUntil) plan).until())).isInstanceOf(Plan.Done.class);
    } finally {
      executorService.shutdownNow();
    }
  }
}
