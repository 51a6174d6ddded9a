package io.github.zonecut.multisigner.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.multisigner.Capability;
import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.core.DsData;
import io.github.zonecut.multisigner.KeyRole;
import io.github.zonecut.multisigner.OwnedKey;
import io.github.zonecut.multisigner.SignerId;
import io.github.zonecut.multisigner.SignerSnapshot;
import io.github.zonecut.multisigner.ZoneSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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

class DnsObserverTest {
  private static final Name ZONE = Name.fromConstantString("example.com.");
  private static final SignerId ALPHA = SignerId.of("alpha");
  private static final Name NS1 = Name.fromConstantString("ns1.alpha.net.");
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  private final TSIG key = new TSIG(TSIG.HMAC_SHA256, "k.", "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==");
  private ExecutorService pool;
  private NioDnsTransport transport;
  private TinyUpdateServer signer;
  private TinyUpdateServer parent;
  private DnsKeyData ksk;
  private DnsKeyData zsk;

  @BeforeEach
  void start() throws Exception {
    pool = Executors.newSingleThreadExecutor();
    transport = NioDnsTransport.create(pool);
    signer = new TinyUpdateServer(ZONE, key);
    parent = new TinyUpdateServer(ZONE, key);
    Random r = new Random(3);
    byte[] a = new byte[64];
    byte[] b = new byte[64];
    r.nextBytes(a);
    r.nextBytes(b);
    ksk = KeyRole.KSK.key(13, a);
    zsk = KeyRole.ZSK.key(13, b);
    synchronized (signer) {
      signer.records.add(new SOARecord(ZONE, DClass.IN, 3600, NS1, Name.fromConstantString("h.alpha.net."), 1, 3600, 600, 86400, 300));
      signer.records.add(rrsig(Type.SOA, zsk));
      signer.records.add(new DNSKEYRecord(ZONE, DClass.IN, 7200, ksk.flags(), 3, 13, ksk.publicKey()));
      signer.records.add(new DNSKEYRecord(ZONE, DClass.IN, 7200, zsk.flags(), 3, 13, zsk.publicKey()));
      signer.records.add(rrsig(Type.DNSKEY, ksk));
      signer.records.add(new NSRecord(ZONE, DClass.IN, 3600, NS1));
    }
    DsData ds = DsData.compute(ZONE, ksk, DsData.SHA256);
    synchronized (parent) {
      parent.records.add(new DSRecord(ZONE, DClass.IN, 86400, ds.keyTag(), 13, 2, ds.digest()));
      parent.records.add(new NSRecord(ZONE, DClass.IN, 172800, NS1));
    }
  }

  private static RRSIGRecord rrsig(int covered, DnsKeyData k) {
    return new RRSIGRecord(ZONE, DClass.IN, 3600, covered, 13, 3600, T0.plusSeconds(86400 * 30),
        T0.minusSeconds(3600), k.keyTag(), ZONE, new byte[64]);
  }

  @AfterEach
  void stop() throws Exception {
    signer.close();
    parent.close();
    transport.close();
    pool.shutdownNow();
    pool.awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void buildsASnapshotAndTracksWhenValuesChange() throws Exception {
    MutableClock clock = new MutableClock(T0);
    DnsObserver observer = DnsObserver.create(transport, ZONE,
        List.of(new DnsObserver.SignerConfig(ALPHA, List.of(DnsEndpoint.of("127.0.0.1", signer.port())),
            EnumSet.allOf(Capability.class), Set.of(NS1), Duration.ofHours(1))),
        List.of(DnsEndpoint.of("127.0.0.1", parent.port())),
        KeyOrigins.fromTable(Map.of(ALPHA, List.of(OwnedKey.of(ksk, KeyRole.KSK), OwnedKey.of(zsk, KeyRole.ZSK)))),
        Duration.ofSeconds(10), clock);
    ZoneSnapshot first = observer.observe().toCompletableFuture().get(10, TimeUnit.SECONDS);
    SignerSnapshot a = first.signers().get(0);
    assertThat(a.isAnswering()).isTrue();
    assertThat(a.dnskey().value()).containsExactlyInAnyOrder(ksk, zsk);
    assertThat(a.dnskey().ttl()).isEqualTo(Duration.ofSeconds(7200));
    assertThat(a.signing().value().zoneKeys()).containsExactly(zsk);
    assertThat(a.signing().value().dnskeyKeys()).containsExactly(ksk);
    assertThat(a.ns().value()).containsExactly(NS1);
    assertThat(a.cds().value()).isEmpty();
    assertThat(a.csync().value()).isFalse();
    assertThat(first.parent().agreedDs().value()).singleElement()
        .satisfies(d -> assertThat(d.matches(ZONE, ksk)).isTrue());
    assertThat(first.parent().agreedNs().value()).containsExactly(NS1);

    // a CDS appears later: only the CDS observation changes
    clock.now = T0.plusSeconds(600);
    DsData cds = DsData.compute(ZONE, ksk, DsData.SHA256);
    synchronized (signer) {
      signer.records.add(new org.xbill.DNS.CDSRecord(ZONE, DClass.IN, 3600, cds.keyTag(), 13, 2, cds.digest()));
    }
    ZoneSnapshot second = observer.observe().toCompletableFuture().get(10, TimeUnit.SECONDS);
    SignerSnapshot b = second.signers().get(0);
    assertThat(b.cds().value()).containsExactly(cds);
    assertThat(b.cds().since()).isEqualTo(T0.plusSeconds(600));
    assertThat(b.dnskey().since()).isEqualTo(T0);

    // the signer stops answering: it is observed as not answering, values stay as last seen
    clock.now = T0.plusSeconds(1200);
    signer.refusing = true;
    SignerSnapshot c = observer.observe().toCompletableFuture().get(10, TimeUnit.SECONDS).signers().get(0);
    assertThat(c.isAnswering()).isFalse();
    assertThat(c.answering().since()).isEqualTo(T0.plusSeconds(1200));
    assertThat(c.dnskey().value()).containsExactlyInAnyOrder(ksk, zsk);
  }

  @Test
  void keepsTheLargerTtlAfterTheRrsetChangesAndReadsTheSoaTtls() throws Exception {
    MutableClock clock = new MutableClock(T0);
    DnsObserver observer = DnsObserver.create(transport, ZONE,
        List.of(new DnsObserver.SignerConfig(ALPHA, List.of(DnsEndpoint.of("127.0.0.1", signer.port())),
            EnumSet.allOf(Capability.class), Set.of(NS1), Duration.ofHours(1))),
        List.of(DnsEndpoint.of("127.0.0.1", parent.port())),
        KeyOrigins.fromTable(Map.of(ALPHA, List.of(OwnedKey.of(ksk, KeyRole.KSK), OwnedKey.of(zsk, KeyRole.ZSK)))),
        Duration.ofSeconds(10), clock);
    SignerSnapshot first = observer.observe().toCompletableFuture().get(10, TimeUnit.SECONDS).signers().get(0);
    assertThat(first.zoneTtls()).isEqualTo(io.github.zonecut.multisigner.ZoneTtls.ofSeconds(3600, 300, 3600));
    // the operator lowers the DNSKEY TTL from 2 hours to 60 s ...
    clock.now = T0.plusSeconds(600);
    synchronized (signer) {
      signer.records.removeIf(r -> r.getType() == Type.DNSKEY);
      signer.records.add(new DNSKEYRecord(ZONE, DClass.IN, 60, ksk.flags(), 3, 13, ksk.publicKey()));
      signer.records.add(new DNSKEYRecord(ZONE, DClass.IN, 60, zsk.flags(), 3, 13, zsk.publicKey()));
    }
    observer.observe().toCompletableFuture().get(10, TimeUnit.SECONDS);
    // ... and ten minutes later a new ZSK is published
    clock.now = T0.plusSeconds(1200);
    DnsKeyData fresh = KeyRole.ZSK.key(13, new byte[64]);
    synchronized (signer) {
      signer.records.add(new DNSKEYRecord(ZONE, DClass.IN, 60, fresh.flags(), 3, 13, fresh.publicKey()));
    }
    SignerSnapshot later = observer.observe().toCompletableFuture().get(10, TimeUnit.SECONDS).signers().get(0);
    assertThat(later.dnskey().value()).contains(fresh);
    assertThat(later.dnskey().since()).isEqualTo(T0.plusSeconds(1200));
    // copies fetched with the 2-hour TTL before the change may be cached until T0 + 600 s + 2 h
    assertThat(later.dnskey().settledAt(Duration.ZERO, 1.0)).isAfterOrEqualTo(T0.plusSeconds(600 + 7200));
  }

  @Test
  void keyTagModuloAttributesServedKeys() {
    var rule = new io.github.zonecut.multisigner.KeyOwnership.KeyTagModulo(2,
        Map.of(ALPHA, ksk.keyTag() % 2, SignerId.of("bravo"), 1 - ksk.keyTag() % 2));
    var own = KeyOrigins.byKeyTag(rule).ownKeys(ALPHA, Set.of(ksk, zsk),
        io.github.zonecut.multisigner.Signing.of(Set.of(zsk), Set.of(ksk)));
    assertThat(own).contains(OwnedKey.of(ksk, KeyRole.KSK));
    assertThat(own.stream().anyMatch(k -> k.key().equals(zsk))).isEqualTo(zsk.keyTag() % 2 == ksk.keyTag() % 2);
  }

  private static RRSIGRecord rrsig(Name owner, int covered, DnsKeyData k) {
    return new RRSIGRecord(owner, DClass.IN, 3600, covered, 13, 3600, T0.plusSeconds(86400 * 30),
        T0.minusSeconds(3600), k.keyTag(), ZONE, new byte[64]);
  }

  /** The signer re-signs with {@code k}: every RRSIG over {@code owner}/{@code type} is replaced. */
  private void resign(Name owner, int type, DnsKeyData k) {
    synchronized (signer) {
      signer.records.removeIf(r -> r instanceof RRSIGRecord s && r.getName().equals(owner)
          && s.getTypeCovered() == type);
      signer.records.add(rrsig(owner, type, k));
    }
  }

  @Test
  void seesAGradualResigningAcrossTheZoneAndThePlannerWaitsForIt() throws Exception {
    Name a = Name.fromConstantString("a.example.com.");
    Name z = Name.fromConstantString("zz.example.com.");
    DnsKeyData next = KeyRole.ZSK.key(13, new byte[64]);
    synchronized (signer) {
      signer.records.add(rrsig(ZONE, Type.NS, zsk));
      for (Name n : List.of(a, z)) {
        signer.records.add(new org.xbill.DNS.ARecord(n, DClass.IN, 3600, java.net.InetAddress.getByName("192.0.2.1")));
        signer.records.add(rrsig(n, Type.A, zsk));
      }
      // the new ZSK is published (long ago, for the test) and the signer starts re-signing with it
      signer.records.add(new DNSKEYRecord(ZONE, DClass.IN, 7200, next.flags(), 3, 13, next.publicKey()));
    }
    resign(ZONE, Type.SOA, next);
    resign(ZONE, Type.NS, next);
    resign(a, Type.A, next);
    MutableClock clock = new MutableClock(T0);
    KeyOrigins origins = KeyOrigins.fromTable(Map.of(ALPHA, List.of(OwnedKey.of(ksk, KeyRole.KSK),
        OwnedKey.of(zsk, KeyRole.ZSK), OwnedKey.of(next, KeyRole.ZSK))));
    DnsObserver apexOnly = DnsObserver.create(transport, ZONE,
        List.of(new DnsObserver.SignerConfig(ALPHA, List.of(DnsEndpoint.of("127.0.0.1", signer.port())),
            EnumSet.allOf(Capability.class), Set.of(NS1), Duration.ofHours(1))),
        List.of(DnsEndpoint.of("127.0.0.1", parent.port())), origins, Duration.ofSeconds(10), clock);
    DnsObserver sampling = apexOnly.sampling(List.of(new DnsObserver.Sample(a, Type.A),
        new DnsObserver.Sample(z, Type.A)));
    io.github.zonecut.multisigner.Intent roll = io.github.zonecut.multisigner.Intent.group(ALPHA)
        .withRollovers(new io.github.zonecut.multisigner.Rollover.Zsk(ALPHA, zsk));
    io.github.zonecut.multisigner.Planner planner = io.github.zonecut.multisigner.Planner.create();

    SignerSnapshot first = sampling.observe().toCompletableFuture().get(10, TimeUnit.SECONDS).signers().get(0);
    assertThat(first.signing().value().zoneKeys()).containsExactly(next); // the SOA's signer
    assertThat(first.partialSigning().value()).containsExactlyInAnyOrder(zsk, next);
    apexOnly.observe().toCompletableFuture().get(10, TimeUnit.SECONDS);

    // three hours on, zz.example.com. still carries the old ZSK's RRSIG
    clock.now = T0.plusSeconds(3 * 3600);
    ZoneSnapshot blind = apexOnly.observe().toCompletableFuture().get(10, TimeUnit.SECONDS);
    ZoneSnapshot seen = sampling.observe().toCompletableFuture().get(10, TimeUnit.SECONDS);
    // the SOA-and-NS view thinks the old ZSK's signatures are gone and removes it: zz.example.com.
    // would be bogus for resolvers that fetch the DNSKEY RRset afterwards
    assertThat(removesOldZsk(planner.plan(blind, roll,
        io.github.zonecut.multisigner.ParentPolicy.DEFAULT, clock.now))).isTrue();
    io.github.zonecut.multisigner.Plan p = planner.plan(seen, roll,
        io.github.zonecut.multisigner.ParentPolicy.DEFAULT, clock.now);
    assertThat(removesOldZsk(p)).isFalse();
    assertThat(p).isInstanceOfSatisfying(io.github.zonecut.multisigner.Plan.WaitUntil.class, w -> {
      assertThat(w.kind()).isEqualTo(io.github.zonecut.multisigner.WaitKind.SIGNATURE_WAIT);
      assertThat(w.reason()).contains("re-signing");
    });

    // the last RRset is re-signed: the signature wait runs from then
    clock.now = T0.plusSeconds(4 * 3600);
    resign(z, Type.A, next);
    ZoneSnapshot done = sampling.observe().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(done.signers().get(0).partialSigning().value()).isEmpty();
    assertThat(done.signers().get(0).partialSigning().since()).isEqualTo(clock.now);
    assertThat(planner.plan(done, roll, io.github.zonecut.multisigner.ParentPolicy.DEFAULT, clock.now))
        .isInstanceOfSatisfying(io.github.zonecut.multisigner.Plan.WaitUntil.class,
            w -> assertThat(w.until()).isAfterOrEqualTo(clock.now.plus(Duration.ofHours(2))));
  }

  private static boolean removesOldZsk(io.github.zonecut.multisigner.Plan p) {
    return p instanceof io.github.zonecut.multisigner.Plan.Act act && act.steps().stream()
        .anyMatch(s -> s.step() instanceof io.github.zonecut.multisigner.Step.RemoveDnskeys);
  }

  static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
