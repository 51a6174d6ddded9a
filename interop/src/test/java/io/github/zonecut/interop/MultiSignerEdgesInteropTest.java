package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.multisigner.Capability;
import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.core.DsData;
import io.github.zonecut.multisigner.Observed;
import io.github.zonecut.multisigner.SignerId;
import io.github.zonecut.multisigner.SignerSnapshot;
import io.github.zonecut.multisigner.Step;
import io.github.zonecut.multisigner.ZoneSnapshot;
import io.github.zonecut.multisigner.edge.DnsObserver;
import io.github.zonecut.multisigner.edge.DnsUpdateStepExecutor;
import io.github.zonecut.multisigner.edge.KeyOrigins;
import io.github.zonecut.multisigner.edge.StepResult;
import java.net.InetSocketAddress;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * The multi-signer module's I/O edges against real signers: {@link DnsUpdateStepExecutor} adds and
 * removes a foreign ZSK (RFC 8901 §2.1.2: each signer publishes the other signers' ZSKs) by TSIG
 * UPDATE in named (dnssec-policy; knotd accepts but ignores such an UPDATE), and {@link DnsObserver} reads a
 * signed delegation that {@code dig} through Unbound agrees with. Every test restores the zones it
 * touches: the testnet is shared.
 */
@ExtendWith(TestnetExtension.class)
class MultiSignerEdgesInteropTest {

  private static final SignerId SIGNER = SignerId.of("peer");
  private static final Duration SETTLE = Duration.ofSeconds(10);

  private ExecutorService pool;
  private NioDnsTransport transport;

  @BeforeEach
  void startTransport() throws Exception {
    pool = Executors.newSingleThreadExecutor();
    transport = NioDnsTransport.create(pool);
  }

  @AfterEach
  void stopTransport() throws Exception {
    transport.close();
    pool.shutdownNow();
    pool.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** A fresh ECDSA P-256 (algorithm 13) ZSK, as another signer of the group would have made it. */
  private static DnsKeyData foreignZsk(Name zone) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    DNSKEYRecord r = new DNSKEYRecord(zone, DClass.IN, 60, DNSKEYRecord.Flags.ZONE_KEY,
        DNSKEYRecord.Protocol.DNSSEC, DNSSEC.Algorithm.ECDSAP256SHA256, g.generateKeyPair().getPublic());
    return DnsKeyData.of(r.getFlags(), r.getAlgorithm(), r.getKey());
  }

  private DnsUpdateStepExecutor executor(InetSocketAddress server, TSIG tsig) {
    return DnsUpdateStepExecutor.of(transport,
        Map.of(SIGNER, new DnsUpdateStepExecutor.Target(DnsEndpoint.of(server), tsig)))
        .with(Duration.ofSeconds(5), 60);
  }

  private static StepResult run(DnsUpdateStepExecutor executor, Name zone, Step step) throws Exception {
    return executor.execute(zone, step).toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  private DnsObserver observer(Testnet net, Name zone, InetSocketAddress signer) {
    return DnsObserver.create(transport, zone,
        List.of(new DnsObserver.SignerConfig(SIGNER, List.of(DnsEndpoint.of(signer)),
            Capability.DRAFT_REQUIRED, Set.of(), Duration.ofSeconds(60))),
        List.of(DnsEndpoint.of(net.parent())), KeyOrigins.fromTable(Map.of()), Duration.ZERO,
        Clock.systemUTC());
  }

  private static SignerSnapshot observe(DnsObserver observer) throws Exception {
    ZoneSnapshot s = observer.observe().toCompletableFuture().get(15, TimeUnit.SECONDS);
    SignerSnapshot signer = s.signers().get(0);
    assertThat(signer.isAnswering()).as("the signer answers authoritatively").isTrue();
    return signer;
  }

  /** Observes until {@code present} says whether the key is served (bounded; the servers sign at once). */
  private static SignerSnapshot awaitKey(DnsObserver observer, DnsKeyData key, boolean present) throws Exception {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    SignerSnapshot s = observe(observer);
    while (s.dnskey().value().contains(key) != present && System.nanoTime() < deadline) {
      Thread.sleep(100);
      s = observe(observer);
    }
    return s;
  }

  private static DNSKEYRecord record(Name zone, DnsKeyData k) {
    return new DNSKEYRecord(zone, DClass.IN, 60, k.flags(), DNSKEYRecord.Protocol.DNSSEC, k.algorithm(),
        k.publicKey());
  }

  /**
   * Checks that the served DNSKEY RRset, now holding {@code foreign}, is signed by the server's own
   * key (never the foreign one, whose private key it lacks) and that the signature verifies.
   */
  private static void assertSignedByOwnKey(InetSocketAddress server, Name zone, DnsKeyData foreign) throws Exception {
    Message m = Testnet.query(server, zone.toString(), Type.DNSKEY, false);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    RRset keys = new RRset();
    List<RRSIGRecord> sigs = new java.util.ArrayList<>();
    for (Record r : m.getSection(Section.ANSWER)) {
      if (r instanceof RRSIGRecord s && s.getTypeCovered() == Type.DNSKEY) {
        sigs.add(s);
      } else if (r instanceof DNSKEYRecord k) {
        keys.addRR(k);
      }
    }
    assertThat(keys.rrs(false)).anySatisfy(r -> assertThat(r.rdataToString())
        .isEqualTo(record(zone, foreign).rdataToString()));
    assertThat(sigs).as("RRSIGs over the DNSKEY RRset").isNotEmpty()
        .allSatisfy(s -> assertThat(s.getFootprint()).isNotEqualTo(foreign.keyTag()));
    for (RRSIGRecord sig : sigs) {
      DNSKEYRecord signer = keys.rrs(false).stream()
          .map(DNSKEYRecord.class::cast)
          .filter(k -> k.getFootprint() == sig.getFootprint() && k.getAlgorithm() == sig.getAlgorithm())
          .findFirst()
          .orElseThrow(() -> new AssertionError("no served key with tag " + sig.getFootprint()));
      DNSSEC.verify(keys, sig, signer); // throws DNSSECException if the signature is wrong
    }
  }

  private static void removeQuietly(Testnet net, InetSocketAddress server, Name zone, DnsKeyData key) {
    Update u = new Update(zone);
    u.delete(record(zone, key));
    net.update(server, u);
  }

  @Test
  void namedPublishesAForeignZskAndSignsTheDnskeyRrsetWithItsOwnKey(Testnet net) throws Exception {
    Name zone = Name.fromString("new.parent.test.");
    DnsKeyData foreign = foreignZsk(zone);
    DnsUpdateStepExecutor executor = executor(net.child(), net.tsig());
    DnsObserver observer = observer(net, zone, net.child());
    Set<DnsKeyData> before = observe(observer).dnskey().value();
    try {
      assertThat(run(executor, zone, new Step.AddDnskeys(SIGNER, Set.of(foreign))))
          .isInstanceOf(StepResult.Applied.class);
      SignerSnapshot added = awaitKey(observer, foreign, true);
      assertThat(added.dnskey().value()).containsAll(before).contains(foreign).hasSize(before.size() + 1);
      // DnsObserver reads the signing keys from the RRSIG tags: named's own key(s), not the foreign one
      assertThat(added.signing().value().dnskeyKeys()).isNotEmpty().doesNotContain(foreign)
          .isSubsetOf(before);
      assertSignedByOwnKey(net.child(), zone, foreign);

      // repeated: the executor reads named's DNSKEY RRset first, finds the key and sends nothing
      StepResult again = run(executor, zone, new Step.AddDnskeys(SIGNER, Set.of(foreign)));
      assertThat(again).isInstanceOf(StepResult.AlreadyApplied.class);
      assertThat(observe(observer).dnskey().value()).isEqualTo(added.dnskey().value());

      assertThat(run(executor, zone, new Step.RemoveDnskeys(SIGNER, Set.of(foreign))))
          .isInstanceOf(StepResult.Applied.class);
      assertThat(awaitKey(observer, foreign, false).dnskey().value()).isEqualTo(before);
    } finally {
      removeQuietly(net, net.child(), zone, foreign);
    }
  }

  /**
   * {@code new.parent.test.} is insecure (no DS), so the AD check runs on the secure sibling
   * {@code child.parent.test.}: with a foreign ZSK added, Unbound still validates the DNSKEY RRset
   * from the trust anchor down, i.e. named re-signed it with its CSK.
   */
  @Test
  void aForeignZskInASecureZoneStillValidatesThroughUnbound(Testnet net) throws Exception {
    Name zone = Name.fromString("child.parent.test.");
    DnsKeyData foreign = foreignZsk(zone);
    DnsUpdateStepExecutor executor = executor(net.child(), net.tsig());
    try {
      assertThat(run(executor, zone, new Step.AddDnskeys(SIGNER, Set.of(foreign))))
          .isInstanceOf(StepResult.Applied.class);
      awaitKey(observer(net, zone, net.child()), foreign, true);
      net.flush(zone.toString());
      Message m = net.query(zone.toString(), Type.DNSKEY);
      assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(m.getHeader().getFlag(Flags.AD)).as("AD on the DNSKEY RRset with the foreign ZSK").isTrue();
      assertThat(m.getSection(Section.ANSWER)).anySatisfy(r -> assertThat(r.rdataToString())
          .isEqualTo(record(zone, foreign).rdataToString()));
    } finally {
      removeQuietly(net, net.child(), zone, foreign);
      net.flush(zone.toString());
    }
  }

  /**
   * Knot 3.2 with automatic signing (even under {@code manual: on}) manages the DNSKEY RRset itself
   * from its key store: it answers the DNSKEY UPDATE with NOERROR but logs "DDNS, finished, no
   * changes to the zone were made". The executor therefore reports {@code Applied} for a change
   * that did not happen: only the next observation tells, which is why the planner observes again
   * instead of trusting step results. (Knot imports other signers' keys by its own {@code
   * dnskey-sync}, not by DDNS.)
   */
  @Test
  void knotAcceptsButIgnoresADnskeyUpdateSoOnlyObservationTells(Testnet net) throws Exception {
    Name zone = Name.fromString("parent.test.");
    DnsKeyData foreign = foreignZsk(zone);
    DnsUpdateStepExecutor executor = executor(net.parent(), net.tsig());
    DnsObserver observer = observer(net, zone, net.parent());
    Set<DnsKeyData> before = observe(observer).dnskey().value();
    long serial = serial(net.parent(), zone);
    try {
      assertThat(run(executor, zone, new Step.AddDnskeys(SIGNER, Set.of(foreign))))
          .isInstanceOf(StepResult.Applied.class);
      // knotd finishes the UPDATE before it answers: the zone is already what it will be
      assertThat(observe(observer).dnskey().value()).isEqualTo(before).doesNotContain(foreign);
      assertThat(serial(net.parent(), zone)).as("SOA serial: no zone change").isEqualTo(serial);

      // the key was never kept, so the executor's read shows the removal as already done
      assertThat(run(executor, zone, new Step.RemoveDnskeys(SIGNER, Set.of(foreign))))
          .isInstanceOf(StepResult.AlreadyApplied.class);
      assertThat(observe(observer).dnskey().value()).isEqualTo(before);
    } finally {
      removeQuietly(net, net.parent(), zone, foreign);
    }
  }

  private static long serial(InetSocketAddress server, Name zone) {
    return Testnet.query(server, zone.toString(), Type.SOA, false).getSection(Section.ANSWER).stream()
        .filter(r -> r instanceof org.xbill.DNS.SOARecord)
        .map(r -> ((org.xbill.DNS.SOARecord) r).getSerial())
        .findFirst()
        .orElseThrow(() -> new AssertionError("no SOA from " + server));
  }

  @Test
  void aWrongTsigSecretIsATypedRejectionAndChangesNothing(Testnet net) throws Exception {
    Name zone = Name.fromString("new.parent.test.");
    DnsKeyData foreign = foreignZsk(zone);
    byte[] wrong = Base64.getDecoder().decode(net.tsigSecret());
    wrong[0] ^= 1;
    TSIG bad = new TSIG(Name.fromString(net.tsigAlgorithm() + "."), net.tsigName() + ".",
        Base64.getEncoder().encodeToString(wrong));
    DnsObserver observer = observer(net, zone, net.child());
    try {
      for (InetSocketAddress server : List.of(net.child(), net.parent())) {
        Name target = server.equals(net.child()) ? zone : Name.fromString("parent.test.");
        StepResult r = run(executor(server, bad), target, new Step.AddDnskeys(SIGNER, Set.of(foreign)));
        assertThat(r).as("UPDATE with a wrong TSIG secret to " + server)
            .isInstanceOfSatisfying(StepResult.Rejected.class,
                rej -> assertThat(rej.reason()).doesNotContain(net.tsigSecret()));
      }
      assertThat(observe(observer).dnskey().value()).doesNotContain(foreign);
    } finally {
      removeQuietly(net, net.child(), zone, foreign);
    }
  }

  @Test
  void observerSnapshotOfASignedDelegationMatchesDig(Testnet net) throws Exception {
    Name zone = Name.fromString("child.parent.test.");
    ZoneSnapshot snapshot = observer(net, zone, net.child()).observe().toCompletableFuture()
        .get(15, TimeUnit.SECONDS);
    SignerSnapshot signer = snapshot.signers().get(0);
    assertThat(signer.isAnswering()).isTrue();

    Set<DnsKeyData> digKeys = net.dig("+short", zone.toString(), "DNSKEY").stdoutLines().stream()
        .map(MultiSignerEdgesInteropTest::digDnskey)
        .collect(Collectors.toSet());
    Set<Name> digNs = net.dig("+short", zone.toString(), "NS").stdoutLines().stream()
        .map(n -> Name.fromConstantString(n.strip()))
        .collect(Collectors.toSet());
    Set<DsData> digDs = net.dig("+short", zone.toString(), "DS").stdoutLines().stream()
        .map(MultiSignerEdgesInteropTest::digDs)
        .collect(Collectors.toSet());

    assertThat(digKeys).isNotEmpty();
    assertThat(signer.dnskey().value()).isEqualTo(digKeys);
    assertThat(signer.ns().value()).isNotEmpty().isEqualTo(digNs);
    // the CSK signs both the DNSKEY RRset and the zone data (dnssec-policy "fast": one CSK)
    assertThat(signer.signing().value().dnskeyKeys()).isNotEmpty().isSubsetOf(digKeys);
    assertThat(signer.signing().value().zoneKeys()).isNotEmpty().isSubsetOf(digKeys);

    Observed<Set<DsData>> ds = snapshot.parent().agreedDs();
    Observed<Set<Name>> ns = snapshot.parent().agreedNs();
    assertThat(ds).isNotNull();
    assertThat(ns).isNotNull();
    assertThat(digDs).isNotEmpty();
    assertThat(ds.value()).isEqualTo(digDs);
    assertThat(ns.value()).isEqualTo(digNs);
    // and the parent's DS is the child's served SEP key
    assertThat(ds.value()).allSatisfy(d -> assertThat(digKeys).anySatisfy(k -> assertThat(d.matches(zone, k)).isTrue()));
  }

  /** {@code dig +short} DNSKEY: {@code FLAGS 3 ALG BASE64…} (dig may split the key with spaces). */
  private static DnsKeyData digDnskey(String line) {
    String[] f = line.strip().split("\\s+", 4);
    return DnsKeyData.of(Integer.parseInt(f[0]), Integer.parseInt(f[2]),
        Base64.getDecoder().decode(f[3].replace(" ", "")));
  }

  /** {@code dig +short} DS: {@code TAG ALG DIGESTTYPE HEX…} (dig may split the digest with spaces). */
  private static DsData digDs(String line) {
    String[] f = line.strip().split("\\s+", 4);
    return DsData.of(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
        HexFormat.of().parseHex(f[3].replace(" ", "")));
  }
}
