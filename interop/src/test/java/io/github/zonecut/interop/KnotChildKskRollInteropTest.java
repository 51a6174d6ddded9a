package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.EndpointOverrides;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.dsync.AcceptanceChecks;
import io.github.zonecut.dsync.AcceptancePolicy;
import io.github.zonecut.dsync.Observer;
import io.github.zonecut.dsync.ScanEvent;
import io.github.zonecut.dsync.ScanRequest;
import io.github.zonecut.dsync.ScanService;
import io.github.zonecut.dsync.TsigDelegationBackend;
import io.github.zonecut.dsync.TsigKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Issue 11 against real software: the Knot child {@code knot.parent.test.} publishes CDS/CDNSKEY
 * on its own ({@code cds-cdnskey-publish: always}); the zonecut {@link ScanService} scans it
 * through Unbound and finds it in sync. Then Knot rolls its KSK ({@code knotc zone-key-rollover
 * ksk}: new KSK published and signing, CDS for the new KSK at submission); the scanner picks the
 * new CDS up, accepts it and writes the new DS, the old one gone, into the Knot parent through
 * the {@link TsigDelegationBackend}; {@code knotc zone-ksk-submitted} ends the roll, and Unbound
 * validates the child throughout. The roll only moves forward: no other test uses this zone.
 */
@ExtendWith(TestnetExtension.class)
class KnotChildKskRollInteropTest {
  private static final Name PARENT = Name.fromConstantString("parent.test.");
  private static final Name KNOT = Name.fromConstantString("knot.parent.test.");
  private static final Name PARENT_NS = Name.fromConstantString("ns1.parent.test.");

  @Test
  void knotsKskRollIsPickedUpByTheScannerAndWrittenIntoKnot(Testnet net) throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(2);
    List<ScanEvent> scans = new CopyOnWriteArrayList<>();
    try (NioDnsTransport transport = NioDnsTransport.create(executor)) {
      TsigDelegationBackend backend = TsigDelegationBackend.builder(transport,
              DnsEndpoint.of(net.parent()), PARENT,
              TsigKey.of(net.tsigName(), net.tsigAlgorithm(), net.tsigSecret()))
          .timeout(Duration.ofSeconds(5)).build();
      ValidatingLookup validated = ValidatingLookup.builder(transport,
              DnsEndpoint.of(net.resolver()), executor)
          .trustAnchors(List.of(net.trustAnchorRecord())).build();
      Observer observer = Observer.builder(transport, validated)
          .overrides(EndpointOverrides.builder().name(PARENT_NS, DnsEndpoint.of(net.parent()))
              .build())
          .timeout(Duration.ofSeconds(5)).build();
      ScanService service = ScanService.builder(observer,
              AcceptanceChecks.of(AcceptancePolicy.cdsWithDsboot()), backend)
          .listener(scans::add).build();

      // 1. Knot's own CDS matches the DS the testnet put in the parent: in sync
      assertSecure(net);
      Delegation before = backend.current(KNOT).orElseThrow();
      List<Integer> oldKsk = kskTags(net);
      assertThat(oldKsk).hasSize(1);
      ScanEvent first = scan(service);
      assertThat(first).as("scan events " + scans).isInstanceOf(ScanEvent.NoChange.class);

      // 2. Knot rolls its KSK; the scanner picks up the new CDS and writes the DS into Knot
      net.knotc("zone-key-rollover", KNOT.toString(), "ksk");
      int newTag = awaitCdsOtherThan(net, oldKsk.get(0));
      assertSecure(net);
      ScanEvent rolled = scan(service);
      assertThat(rolled).as("scan events " + scans).isInstanceOf(ScanEvent.Applied.class);
      Delegation after = backend.current(KNOT).orElseThrow();
      assertThat(after.ds()).extracting(DsData::keyTag).containsExactly(newTag);
      assertThat(after.nameservers()).isEqualTo(before.nameservers());
      net.flush(KNOT.toString());
      Message ds = net.query(KNOT.toString(), Type.DS);
      assertThat(ds.getHeader().getFlag(Flags.AD)).as("new DS SECURE").isTrue();
      assertThat(ds.getSection(Section.ANSWER).stream().filter(r -> r instanceof DSRecord)
          .map(r -> ((DSRecord) r).getFootprint())).containsExactly(newTag);

      // 3. Knot is told the DS is there and retires the old KSK; the child stays SECURE
      net.knotc("zone-ksk-submitted", KNOT.toString());
      for (int i = 0; i < 100 && kskTags(net).size() > 1; i++) {
        Thread.sleep(200);
      }
      assertThat(kskTags(net)).containsExactly(newTag);
      net.flush(KNOT.toString());
      assertSecure(net);
    } finally {
      executor.shutdownNow();
      executor.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static ScanEvent scan(ScanService service) throws Exception {
    return service.scan(new ScanRequest(KNOT, Type.CDS)).toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  private static void assertSecure(Testnet net) {
    Message soa = net.query(KNOT.toString(), Type.SOA);
    assertThat(soa.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(soa.getHeader().getFlag(Flags.AD)).as(KNOT + " SECURE through Unbound").isTrue();
  }

  private static List<Integer> kskTags(Testnet net) {
    return Testnet.query(net.parent(), KNOT.toString(), Type.DNSKEY, false)
        .getSection(Section.ANSWER).stream()
        .filter(r -> r instanceof DNSKEYRecord k
            && (k.getFlags() & DNSKEYRecord.Flags.SEP_KEY) != 0)
        .map(r -> ((DNSKEYRecord) r).getFootprint()).sorted().toList();
  }

  private static int awaitCdsOtherThan(Testnet net, int oldTag) throws InterruptedException {
    List<Integer> tags = List.of();
    for (int i = 0; i < 150; i++) {
      tags = Testnet.query(net.parent(), KNOT.toString(), Type.CDS, false)
          .getSection(Section.ANSWER).stream().filter(r -> r instanceof CDSRecord)
          .map(r -> ((CDSRecord) r).getFootprint()).distinct().toList();
      if (tags.size() == 1 && tags.get(0) != oldTag) {
        return tags.get(0);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("Knot's CDS of " + KNOT + " did not move off " + oldTag + ": " + tags);
  }
}
