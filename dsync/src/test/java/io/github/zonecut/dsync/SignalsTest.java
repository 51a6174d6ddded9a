package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.CsyncRecord;
import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.testkit.TestHierarchy;
import io.github.zonecut.testkit.TestZone;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CDNSKEYRecord;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class SignalsTest {
  static final Name CHILD = Fixture.CHILD;

  static DNSKEYRecord withFlags(DNSKEYRecord k, int flags) {
    return new DNSKEYRecord(k.getName(), DClass.IN, k.getTTL(), flags, 3, k.getAlgorithm(),
        k.getKey());
  }

  @Test
  void cdsAndCdnskeyDescribeTheKskOnly() {
    DNSKEYRecord ksk = Fixture.KSK1.dnskey();
    DNSKEYRecord zsk = Fixture.ZSK.dnskey();
    DNSKEYRecord revoked = withFlags(Fixture.KSK2.dnskey(), 257 | 0x80);

    List<CDSRecord> cds = Signals.cds(CHILD, List.of(ksk, zsk, revoked), 300);
    List<CDSRecord> both = Signals.cds(CHILD, List.of(ksk, zsk),
        List.of(DsData.SHA384, DsData.SHA256), 300);
    List<CDNSKEYRecord> cdnskey = Signals.cdnskey(CHILD, List.of(ksk, zsk, revoked), 300);

    assertThat(cds).singleElement().satisfies(r -> {
      assertThat(DsData.of(r)).isEqualTo(DsData.compute(CHILD, ksk, DsData.SHA256));
      assertThat(r.getTTL()).isEqualTo(300);
    });
    assertThat(both).extracting(CDSRecord::getDigestID).containsExactly(2, 4);
    assertThat(cdnskey).singleElement().satisfies(r -> {
      assertThat(r.getKey()).isEqualTo(ksk.getKey());
      assertThat(r.getFlags()).isEqualTo(257);
    });
    assertThatThrownBy(() -> Signals.cds(CHILD, List.of(ksk), List.of(DsData.SHA1), 300))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCskWithoutTheSepBitIsStillDescribed() {
    DNSKEYRecord csk = withFlags(Fixture.KSK1.dnskey(), 256);
    assertThat(Signals.cds(CHILD, List.of(csk), 300)).hasSize(1);
  }

  @Test
  void deleteSentinelsAreTheRfc8078Bytes() {
    CDSRecord cds = Signals.cdsDelete(CHILD, 0);
    CDNSKEYRecord cdnskey = Signals.cdnskeyDelete(CHILD, 0);
    assertThat(HexFormat.of().formatHex(cds.rdataToWireCanonical())).isEqualTo("0000000000");
    assertThat(HexFormat.of().formatHex(cdnskey.rdataToWireCanonical())).isEqualTo("0000030000");
    assertThat(cds.rdataToString()).isEqualTo("0 0 0 00");
    assertThat(cdnskey.rdataToString()).isEqualTo("0 3 0 AA==");
    assertThat(AcceptanceChecks.isCdsDelete(cds)).isTrue();
    assertThat(AcceptanceChecks.isCdnskeyDelete(cdnskey)).isTrue();
  }

  @Test
  void csyncMatchesTheRfc7477Example() {
    CsyncRecord csync = Signals.csync(CHILD, 66, true, true, 3600);
    assertThat(HexFormat.of().formatHex(csync.rdataToWireCanonical()))
        .isEqualTo("000000420003000460000008");
    assertThat(csync.isImmediate()).isTrue();
    assertThat(csync.getTypes()).containsExactly(Type.A, Type.NS, Type.AAAA);
    assertThatThrownBy(() -> Signals.csync(CHILD, 1, 1, Set.of(Type.MX), 300))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Signals.csync(CHILD, 1, 4, Set.of(Type.NS), 300))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dsbootCopiesGoUnderEachOutOfDomainNameserverOnly() throws Exception {
    List<CDSRecord> cds = Signals.cds(CHILD, List.of(Fixture.KSK1.dnskey()), 300);
    List<CDNSKEYRecord> cdnskey = Signals.cdnskey(CHILD, List.of(Fixture.KSK1.dnskey()), 300);

    List<Record> records = Signals.dsboot(CHILD, List.of(Fixture.NS1, Fixture.NS3), cds, cdnskey);

    assertThat(records).hasSize(2).allSatisfy(r -> assertThat(r.getName())
        .isEqualTo(Name.fromConstantString("_dsboot.child.example._signal.ns1.operator.test.")));
    assertThat(records).extracting(Record::getType).containsExactly(Type.CDS, Type.CDNSKEY);
    assertThat(records.get(0).rdataToString()).isEqualTo(cds.get(0).rdataToString());
  }

  /** The vendor's output, published on a testkit child, is accepted by the parent's checks. */
  @Test
  void publishedSignalsAreConsistentAndAcceptedThenDivergenceIsCaught() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(2);
    NioDnsTransport transport = NioDnsTransport.create(executor);
    try (TestHierarchy h = TestHierarchy.builder().zone("test.")
        .zone("child.test.", z -> z.nameservers("ns1.nsop.test.", "ns2.nsop.test.")).start()) {
      Name child = Name.fromConstantString("child.test.");
      TestZone zone = h.zone("child.test.");
      ValidatingLookup validating = ValidatingLookup.builder(transport,
          h.recursive().dnsEndpoint(), executor).trustAnchors(h.trustAnchors())
          .clock(h.clock()).build();
      Observer observer = Observer.builder(transport, validating)
          .overrides(h.endpointOverrides()).clock(h.clock()).timeout(Duration.ofSeconds(2))
          .build();
      List<CDSRecord> cds = Signals.cds(child, zone.dnskeys(),
          List.of(DsData.SHA256, DsData.SHA384), 300);
      List<CDNSKEYRecord> cdnskey = Signals.cdnskey(child, zone.dnskeys(), 300);
      zone.edit(e -> {
        cds.forEach(e::add);
        cdnskey.forEach(e::add);
      });

      Signals.Consistency c = Signals.checkConsistency(observer, child).toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      assertThat(c.consistent()).as(c.problems().toString()).isTrue();
      Delegation current = Delegation.builder(child)
          .nameservers(Name.fromConstantString("ns1.nsop.test."),
              Name.fromConstantString("ns2.nsop.test."))
          .ds(DsData.of(zone.ds().get(0))).build();
      Decision d = AcceptanceChecks.of(AcceptancePolicy.cdsAndCdnskeyConsistent()
          .withDigestTypes(Set.of(DsData.SHA256, DsData.SHA384), List.of(DsData.SHA256)))
          .cds(observer.observe(child, Optional.of(current)).toCompletableFuture()
              .get(30, TimeUnit.SECONDS));
      assertThat(d).as(d.toString()).isInstanceOf(Decision.Accept.class);

      h.nameserver("ns2.nsop.test.").freeze();
      zone.edit(e -> e.add(Signals.csync(child, zone.serial() + 1, true, false, 300)));
      Signals.Consistency diverged = Signals.checkConsistency(observer, child)
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(diverged.consistent()).isFalse();
      assertThat(diverged.problems()).anyMatch(p -> p.contains("CSYNC") && p.contains("differs"));
    } finally {
      transport.close();
      executor.shutdownNow();
    }
  }

  @Test
  void sig0keyCopiesGoUnderEachOutOfDomainNameserverOnly() throws Exception {
    KEYRecord key = new KEYRecord(CHILD, DClass.IN, 300, 0x0200, 3, 13, new byte[] {1, 2, 3});

    List<Record> records = Signals.sig0key(CHILD, List.of(Fixture.NS3, Fixture.NS1), List.of(key));

    assertThat(records).singleElement().satisfies(r -> {
      assertThat(r.getName()).isEqualTo(
          Name.fromConstantString("_sig0key.child.example._signal.ns1.operator.test."));
      assertThat(r.rdataToString()).isEqualTo(key.rdataToString());
    });
    assertThatThrownBy(() -> Signals.sig0key(CHILD, List.of(Fixture.NS1),
        List.of(Fixture.KSK1.cdnskey()))).isInstanceOf(IllegalArgumentException.class);
    Name deep = Name.fromConstantString("a".repeat(60) + "." + "b".repeat(60) + "."
        + "c".repeat(60) + "." + "d".repeat(50) + ".test.");
    assertThatThrownBy(() -> Signals.sig0keyName(deep, deep))
        .isInstanceOf(io.github.zonecut.core.MalformedDataException.class);
  }

  /**
   * The NS operators' signal copies ({@code _sig0key} KEY, {@code _dsboot} CDS) are all or none
   * and equal to the apex: one missing, one stale, and all present are told apart.
   */
  @Test
  void signalCopiesAreCheckedForEveryOutOfDomainNameserver() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(2);
    NioDnsTransport transport = NioDnsTransport.create(executor);
    try (TestHierarchy h = TestHierarchy.builder().zone("test.")
        .zone("child.test.", z -> z.nameservers("ns1.nsop.test.", "ns2.nsop.test.")).start()) {
      Name child = Name.fromConstantString("child.test.");
      Name ns1 = Name.fromConstantString("ns1.nsop.test.");
      Name ns2 = Name.fromConstantString("ns2.nsop.test.");
      TestZone zone = h.zone("child.test.");
      TestZone nsop = h.zone("test.");
      ValidatingLookup validating = ValidatingLookup.builder(transport,
          h.recursive().dnsEndpoint(), executor).trustAnchors(h.trustAnchors())
          .clock(h.clock()).build();
      Observer observer = Observer.builder(transport, validating)
          .overrides(h.endpointOverrides()).clock(h.clock()).timeout(Duration.ofSeconds(2))
          .build();
      KEYRecord key = new KEYRecord(child, DClass.IN, 300, 0x0200, 3, 13, new byte[32]);
      KEYRecord other = new KEYRecord(child, DClass.IN, 300, 0x0200, 3, 13, new byte[33]);
      zone.edit(e -> e.add(key));
      List<Record> copy1 = Signals.sig0key(child, List.of(ns1), List.of(key));
      nsop.edit(e -> copy1.forEach(e::add));

      Signals.Consistency oneMissing = Signals.checkConsistency(observer, child)
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertThat(oneMissing.consistent()).isFalse();
      assertThat(oneMissing.problems()).singleElement().asString()
          .contains("KEY copy for " + ns2).contains("missing");

      Record copy2 = key.withName(Signals.sig0keyName(child, ns2));
      nsop.edit(e -> e.add(copy2));
      Signals.Consistency all = Signals.checkConsistency(observer, child).toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      assertThat(all.consistent()).as(all.problems().toString()).isTrue();

      zone.edit(e -> {
        e.remove(key);
        e.add(other);
      });
      List<CDSRecord> cds = Signals.cds(child, zone.dnskeys(), 300);
      zone.edit(e -> cds.forEach(e::add));
      List<Record> dsboot1 = Signals.dsboot(child, List.of(ns1), cds, List.of());
      nsop.edit(e -> dsboot1.forEach(e::add));
      Signals.Consistency stale = Signals.checkConsistency(observer, child).toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      assertThat(stale.problems()).as(stale.problems().toString()).hasSize(3)
          .anyMatch(p -> p.contains("KEY copy for " + ns1) && p.contains("differs"))
          .anyMatch(p -> p.contains("KEY copy for " + ns2) && p.contains("differs"))
          .anyMatch(p -> p.contains("CDS copy for " + ns2) && p.contains("missing"));
    } finally {
      transport.close();
      executor.shutdownNow();
    }
  }
}
