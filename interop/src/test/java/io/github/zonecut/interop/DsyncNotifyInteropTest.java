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
import io.github.zonecut.dsync.DsyncServer;
import io.github.zonecut.dsync.NotifyEvent;
import io.github.zonecut.dsync.NotifyReceiver;
import io.github.zonecut.dsync.Observer;
import io.github.zonecut.dsync.ScanEvent;
import io.github.zonecut.dsync.ScanQueue;
import io.github.zonecut.dsync.ScanRequest;
import io.github.zonecut.dsync.ScanService;
import io.github.zonecut.dsync.TsigDelegationBackend;
import io.github.zonecut.dsync.TsigKey;
import io.github.zonecut.dsync.UpdateReceiver;
import io.github.zonecut.keystate.BootstrapMethod;
import io.github.zonecut.keystate.InMemoryTrustStore;
import io.github.zonecut.keystate.RegistryPolicy;
import io.github.zonecut.keystate.TrustRegistry;
import io.github.zonecut.keystate.VerificationPolicy;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0ReplayGuard;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.CDNSKEYRecord;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Issue 11 against real software: BIND's {@code dig +opcode=notify} sends NOTIFY(CDS) and
 * NOTIFY(CSYNC) (RFC 9859 §4.3) to a zonecut {@link NotifyReceiver} behind a {@link DsyncServer},
 * which acknowledges each (NOERROR, AA) and schedules one check each. The CDS check then runs
 * end to end: the BIND child {@code child.parent.test.} publishes a SHA-384 CDS for its key
 * (added by TSIG UPDATE), the {@link ScanService} observes it on the child's server and through
 * Unbound, accepts it (RFC 7344 §4.1, continuity holds: same key), and writes the new DS into
 * Knot's {@code parent.test.} through the {@link TsigDelegationBackend}; Unbound then serves the
 * DS SECURE with the SHA-384 digest. Knot's DS and the child's CDS are put back afterwards (the
 * testnet is shared).
 *
 * <p>A multi-question NOTIFY is not tested here: {@code dig} sends one question per message.
 */
@ExtendWith(TestnetExtension.class)
class DsyncNotifyInteropTest {
  private static final Name PARENT = Name.fromConstantString("parent.test.");
  private static final Name CHILD = Name.fromConstantString("child.parent.test.");
  private static final Name CHILD_NS = Name.fromConstantString("ns1.operator.test.");

  @Test
  void digNotifiesAreAcknowledgedAndTheCdsScanReachesKnot(Testnet net) throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(2);
    List<NotifyEvent> notifies = new CopyOnWriteArrayList<>();
    List<ScanEvent> scans = new CopyOnWriteArrayList<>();
    try (NioDnsTransport transport = NioDnsTransport.create(executor)) {
      TsigDelegationBackend backend = TsigDelegationBackend.builder(transport,
              DnsEndpoint.of(net.parent()), PARENT,
              TsigKey.of(net.tsigName(), net.tsigAlgorithm(), net.tsigSecret()))
          .timeout(Duration.ofSeconds(5)).build();
      Delegation before = backend.current(CHILD).orElseThrow();
      ValidatingLookup validated = ValidatingLookup.builder(transport,
              DnsEndpoint.of(net.resolver()), executor)
          .trustAnchors(List.of(net.trustAnchorRecord())).build();
      Observer observer = Observer.builder(transport, validated)
          .overrides(EndpointOverrides.builder().name(CHILD_NS, DnsEndpoint.of(net.child()))
              .build())
          .timeout(Duration.ofSeconds(5)).build();
      // accepts SHA-256 and SHA-384 CDS (RFC 8624 §3.3: SHA-384 MAY)
      ScanService service = ScanService.builder(observer,
              AcceptanceChecks.of(AcceptancePolicy.cdsWithDsboot()), backend)
          .listener(scans::add).build();
      ScanQueue queue = ScanQueue.withCapacity(16);
      NotifyReceiver notifyReceiver = NotifyReceiver.builder(queue).parentZones(PARENT)
          .listener(notifies::add).build();

      DNSKEYRecord ksk = (DNSKEYRecord) Testnet.query(net.child(), CHILD.toString(), Type.DNSKEY,
          false).getSection(Section.ANSWER).stream()
          .filter(r -> r instanceof DNSKEYRecord k
              && (k.getFlags() & DNSKEYRecord.Flags.SEP_KEY) != 0)
          .findFirst().orElseThrow();
      DSRecord sha384 = new DSRecord(CHILD, DClass.IN, 60, DNSSEC.Digest.SHA384, ksk);
      // BIND adds its own CDS once, seconds after start: not in the middle of this test
      net.awaitBindCdsPublished(CHILD.toString());
      List<Record> signalsBefore = new ArrayList<>();
      for (int type : new int[] {Type.CDS, Type.CDNSKEY}) {
        signalsBefore.addAll(Testnet.query(net.child(), CHILD.toString(), type, false)
            .getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList());
      }
      List<Record> added = publishSignals(net, ksk, sha384);
      try (DsyncServer server = DsyncServer.builder(updateReceiver(backend))
          .notify(notifyReceiver::handle)
          .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).start()) {
        // 1. dig's NOTIFY(CDS) and NOTIFY(CSYNC): acknowledged with AA, one check each
        for (String type : new String[] {"CDS", "CSYNC"}) {
          String out = digNotify(server.address(), type);
          assertThat(out).as("NOTIFY(" + type + ")").contains("opcode: NOTIFY")
              .contains("status: NOERROR");
          assertThat(flags(out)).as("NOTIFY(" + type + ") flags").contains("qr", "aa");
        }
        assertThat(notifies).extracting(NotifyEvent::outcome)
            .containsExactly(NotifyEvent.Outcome.SCHEDULED, NotifyEvent.Outcome.SCHEDULED);
        List<ScanRequest> pending = queue.drain();
        assertThat(pending).containsExactlyInAnyOrder(new ScanRequest(CHILD, Type.CDS),
            new ScanRequest(CHILD, Type.CSYNC));

        // 2. the CDS check: observed on the child's server, accepted, applied to Knot
        ScanEvent result = service.scan(new ScanRequest(CHILD, Type.CDS)).toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
        assertThat(result).as("scan events " + scans).isInstanceOf(ScanEvent.Applied.class);
        Delegation after = backend.current(CHILD).orElseThrow();
        assertThat(after.ds()).contains(DsData.of(sha384));
        assertThat(after.ds()).containsAll(before.ds());

        // 3. Unbound serves the new DS SECURE
        net.flush("child.parent.test.");
        Message ds = net.query("child.parent.test.", Type.DS);
        assertThat(ds.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(ds.getHeader().getFlag(Flags.AD)).as("DS validated by Unbound").isTrue();
        assertThat(ds.getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.DS)
            .map(r -> ((DSRecord) r).getDigestID())).contains(DNSSEC.Digest.SHA384);
        Message soa = net.query("child.parent.test.", Type.SOA);
        assertThat(soa.getHeader().getFlag(Flags.AD)).as("child still SECURE").isTrue();
      } finally {
        restore(net, before, added, signalsBefore);
      }
      // the shared testnet is as it was: Knot's delegation and the child's signals
      assertThat(backend.current(CHILD)).contains(before);
      assertThat(Testnet.query(net.child(), CHILD.toString(), Type.CDS, false)
          .getSection(Section.ANSWER)).noneMatch(r -> r instanceof CDSRecord c
              && c.getDigestID() == DNSSEC.Digest.SHA384);
    } finally {
      executor.shutdownNow();
      executor.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Adds the SHA-384 CDS (beside whatever CDS the child already has, or a SHA-256 one for the same
   * key) and the CDNSKEY of {@code ksk} to the child by TSIG UPDATE; returns what was added.
   */
  private static List<Record> publishSignals(Testnet net, DNSKEYRecord ksk, DSRecord sha384)
      throws Exception {
    List<Record> existing = new ArrayList<>();
    for (int type : new int[] {Type.CDS, Type.CDNSKEY}) {
      existing.addAll(Testnet.query(net.child(), CHILD.toString(), type, false)
          .getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList());
    }
    List<Record> wanted = new ArrayList<>();
    DSRecord sha256 = new DSRecord(CHILD, DClass.IN, 60, DNSSEC.Digest.SHA256, ksk);
    for (DSRecord d : List.of(sha256, sha384)) {
      wanted.add(new CDSRecord(CHILD, DClass.IN, 60, d.getFootprint(), d.getAlgorithm(),
          d.getDigestID(), d.getDigest()));
    }
    wanted.add(new CDNSKEYRecord(CHILD, DClass.IN, 60, ksk.getFlags(), ksk.getProtocol(),
        ksk.getAlgorithm(), ksk.getKey()));
    List<Record> added = new ArrayList<>();
    Update u = new Update(CHILD);
    for (Record r : wanted) {
      if (existing.stream().noneMatch(e -> e.rdataToString().equals(r.rdataToString()))) {
        u.add(r);
        added.add(r);
      }
    }
    if (!added.isEmpty()) {
      assertThat(net.update(net.child(), u).getRcode()).as("publish CDS/CDNSKEY")
          .isEqualTo(Rcode.NOERROR);
    }
    net.flush("child.parent.test.");
    return added;
  }

  /** Puts Knot's DS of the child and the child's CDS/CDNSKEY back as they were. */
  private static void restore(Testnet net, Delegation before, List<Record> added,
      List<Record> signalsBefore) {
    Update parent = new Update(PARENT);
    parent.delete(CHILD, Type.DS);
    for (Record r : before.toRecords()) {
      if (r.getType() == Type.DS) {
        parent.add(r);
      }
    }
    assertThat(net.update(net.parent(), parent).getRcode()).as("restore Knot DS")
        .isEqualTo(Rcode.NOERROR);
    if (!added.isEmpty()) {
      // BIND ignores deleting single CDS/CDNSKEY records of a key in use ("attempt to delete in
      // use CDS ignored"); replacing the whole RRset is honoured: each changed type is put back
      // as it was (empty, or BIND's own records).
      Update child = new Update(CHILD);
      for (int type : added.stream().map(Record::getType).distinct().toList()) {
        child.delete(CHILD, type);
        signalsBefore.stream().filter(r -> r.getType() == type).forEach(child::add);
      }
      assertThat(net.update(net.child(), child).getRcode()).as("restore child CDS")
          .isEqualTo(Rcode.NOERROR);
    }
    net.flush("child.parent.test.");
  }

  /** A receiver for the server's UPDATE path; this test sends no UPDATE. */
  private static UpdateReceiver updateReceiver(TsigDelegationBackend backend) throws Exception {
    Sig0KeyPair receiverKey = Sig0KeyPair.generate(Name.fromConstantString("ns1.parent.test."),
        Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    TrustRegistry registry = new TrustRegistry(new InMemoryTrustStore(), new RegistryPolicy(
        VerificationPolicy.of(BootstrapMethod.AT_APEX), RegistryPolicy.DEFAULT_ALGORITHMS, true),
        Clock.systemUTC());
    return UpdateReceiver.builder(Set.of(PARENT), receiverKey, registry, backend,
        Sig0ReplayGuard.create()).build();
  }

  /** {@code dig +opcode=notify} for the child and {@code type}; dig's full output. */
  private static String digNotify(InetSocketAddress server, String type) {
    return Peers.run(Duration.ofSeconds(20), null, Map.of(), List.of("dig",
            "@" + server.getAddress().getHostAddress(), "-p", Integer.toString(server.getPort()),
            "+opcode=notify", "+norec", "+time=2", "+tries=2", CHILD.toString(), type))
        .orThrow().stdout();
  }

  /** The header flags dig printed, e.g. {@code [qr, aa]}. */
  private static List<String> flags(String digOutput) {
    for (String line : digOutput.split("\n")) {
      int i = line.indexOf(";; flags:");
      if (i >= 0) {
        String f = line.substring(i + ";; flags:".length());
        int end = f.indexOf(';');
        return List.of(f.substring(0, end < 0 ? f.length() : end).strip()
            .toLowerCase(Locale.ROOT).split("\\s+"));
      }
    }
    return List.of();
  }
}
