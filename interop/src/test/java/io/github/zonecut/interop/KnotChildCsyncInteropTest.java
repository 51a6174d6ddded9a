package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.EndpointOverrides;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.dsync.AcceptanceChecks;
import io.github.zonecut.dsync.AcceptancePolicy;
import io.github.zonecut.dsync.Observer;
import io.github.zonecut.dsync.Reason;
import io.github.zonecut.dsync.ScanEvent;
import io.github.zonecut.dsync.ScanRequest;
import io.github.zonecut.dsync.ScanService;
import io.github.zonecut.dsync.TsigDelegationBackend;
import io.github.zonecut.dsync.TsigKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Issue 11 against real software, with a <em>Knot</em> child: {@code knsupdate} (TSIG) adds an
 * in-bailiwick name server {@code ns2.kchild.parent.test.} with A and AAAA and a CSYNC (RFC 7477,
 * types A NS AAAA) to {@code kchild.parent.test.}, which knotd #2 serves and signs on its own
 * (automatic signing); the zonecut {@link ScanService} ({@link AcceptancePolicy#cdsWithCsync()})
 * observes it directly on the Knot child server over TCP and validated through Unbound, and
 * writes the new NS RRset and its glue into Knot's {@code parent.test.} through the {@link
 * TsigDelegationBackend}; {@code dig +norec +dnssec} against the parent then shows the new
 * referral. The twins: a CSYNC without {@code immediate} and one whose {@code soaminimum} is
 * ahead of the zone are seen and left pending, nothing written.
 *
 * <p>Knot, as observed (3.2): one DDNS message is one new serial (increment policy), re-signing
 * included, so the child can put the serial its update will get into the CSYNC. The child is on
 * a knotd of its own because a knotd serving both {@code parent.test.} and the child answers a
 * query for the child's NS from the child zone: the parent's delegation could not be read there.
 *
 * <p>The testnet is shared: {@link #restore()} removes the CSYNC, NS and glue from the child and
 * puts the parent's delegation back after every test, passed or failed.
 */
@ExtendWith(TestnetExtension.class)
class KnotChildCsyncInteropTest {
  private static final Name PARENT = Name.fromConstantString("parent.test.");
  private static final Name KCHILD = Name.fromConstantString("kchild.parent.test.");
  private static final Name NS1 = Name.fromConstantString("ns1.kchild.parent.test.");
  private static final Name NS2 = Name.fromConstantString("ns2.kchild.parent.test.");
  /** RFC 7477 §2.1.1: immediate (bit 0), soaminimum (bit 1). */
  private static final int IMMEDIATE_SOAMINIMUM = 3;
  private static final int SOAMINIMUM_ONLY = 2;
  private static final InetAddress V4 = address(127, 0, 0, 1);
  private static final InetAddress V6 = address(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);

  private final List<ScanEvent> scans = new CopyOnWriteArrayList<>();
  private @Nullable Testnet net;
  private @Nullable ExecutorService executor;
  private @Nullable NioDnsTransport transport;
  private @Nullable TsigDelegationBackend backend;
  private @Nullable ScanService service;
  /** The parent's delegation before the test; restored afterwards. */
  private @Nullable Delegation before;

  @BeforeEach
  void setUp(Testnet testnet) throws Exception {
    net = testnet;
    executor = Executors.newFixedThreadPool(2);
    transport = NioDnsTransport.create(executor);
    backend = TsigDelegationBackend.builder(transport, DnsEndpoint.of(testnet.parent()), PARENT,
            TsigKey.of(testnet.tsigName(), testnet.tsigAlgorithm(), testnet.tsigSecret()))
        .timeout(Duration.ofSeconds(5)).build();
    ValidatingLookup validated = ValidatingLookup.builder(transport,
            DnsEndpoint.of(testnet.resolver()), executor)
        .trustAnchors(List.of(testnet.trustAnchorRecord())).build();
    // both name servers are the Knot child server; ns2's glue (127.0.0.1, ::1) names port 53
    Observer observer = Observer.builder(transport, validated)
        .overrides(EndpointOverrides.builder()
            .name(NS1, DnsEndpoint.of(testnet.knotChild()))
            .name(NS2, DnsEndpoint.of(testnet.knotChild()))
            .build())
        .timeout(Duration.ofSeconds(5)).build();
    service = ScanService.builder(observer,
            AcceptanceChecks.of(AcceptancePolicy.cdsWithCsync()), backend)
        .listener(scans::add).build();

    Delegation now = backend.current(KCHILD).orElseThrow();
    assertThat(now.nameservers()).as("the testnet's delegation of " + KCHILD
        + " (an earlier test did not restore it?)").containsExactly(NS1);
    assertThat(now.glue()).containsOnlyKeys(NS1);
    assertThat(now.ds()).isNotEmpty();
    before = now;
  }

  @AfterEach
  void restore() throws Exception {
    try {
      Testnet testnet = net;
      Delegation original = before;
      if (testnet != null && original != null) {
        testnet.knsupdate(testnet.knotChild(), KCHILD.toString(),
            "update delete " + KCHILD + " CSYNC\n"
                + "update delete " + KCHILD + " NS " + NS2 + "\n"
                + "update delete " + NS2 + " A\n"
                + "update delete " + NS2 + " AAAA\n");
        Update u = new Update(PARENT);
        u.delete(KCHILD, Type.NS);
        u.delete(NS2, Type.A);
        u.delete(NS2, Type.AAAA);
        for (Record r : original.toRecords()) {
          if (r.getType() == Type.NS) {
            u.add(r);
          }
        }
        assertThat(testnet.update(testnet.parent(), u).getRcode()).as("restore Knot's NS")
            .isEqualTo(Rcode.NOERROR);
        testnet.flush(KCHILD.toString());
        assertThat(backend().current(KCHILD)).as("parent restored").contains(original);
        assertThat(childNameservers(testnet)).as("child restored").containsExactly(NS1);
      }
    } finally {
      if (transport != null) {
        transport.close();
      }
      if (executor != null) {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void knsupdatesCsyncOnAKnotChildIsScannedAndWrittenIntoTheKnotParent() throws Exception {
    Testnet net = net();
    Delegation original = before();
    long serial = addNs2WithCsync(net, IMMEDIATE_SOAMINIMUM, 1);

    ScanEvent result = scan();
    assertThat(result).as("scan events " + scans).isInstanceOf(ScanEvent.Applied.class);
    assertThat(scans).as("signal seen, accepted, applied").hasAtLeastOneElementOfType(
        ScanEvent.SignalSeen.class).hasAtLeastOneElementOfType(ScanEvent.Accepted.class);

    Delegation after = backend().current(KCHILD).orElseThrow();
    assertThat(after.nameservers()).containsExactlyInAnyOrder(NS1, NS2);
    assertThat(after.glue()).containsOnlyKeys(NS1, NS2);
    assertThat(after.glue().get(NS1)).containsExactly(V4);
    assertThat(after.glue().get(NS2)).containsExactlyInAnyOrder(V4, V6);
    assertThat(after.ds()).isEqualTo(original.ds());
    assertThat(after.nsTtl()).as("NS TTL from the child").isEqualTo(5);

    // what the parent serves, as real software shows it: the referral with the new NS and glue
    List<Record> referral = digParent(net);
    assertThat(referral).filteredOn(r -> r instanceof NSRecord && r.getName().equals(KCHILD))
        .extracting(r -> ((NSRecord) r).getTarget()).containsExactlyInAnyOrder(NS1, NS2);
    assertThat(referral).filteredOn(r -> r instanceof ARecord && r.getName().equals(NS2))
        .extracting(r -> ((ARecord) r).getAddress()).containsExactly(V4);
    assertThat(referral).filteredOn(r -> r instanceof AAAARecord && r.getName().equals(NS2))
        .extracting(r -> ((AAAARecord) r).getAddress()).containsExactly(V6);
    assertThat(referral).filteredOn(r -> r instanceof DSRecord).isNotEmpty();
    assertThat(referral).filteredOn(r -> r instanceof RRSIGRecord s
        && s.getTypeCovered() == Type.DS && s.getSigner().equals(PARENT)).isNotEmpty();

    // the child stays SECURE through Unbound, its new name server's addresses too
    net.flush(KCHILD.toString());
    assertSecure(net, KCHILD, Type.SOA);
    assertSecure(net, NS2, Type.A);
    assertSecure(net, NS2, Type.AAAA);
    assertThat(soaSerial(net)).as("no change to the child while scanning").isEqualTo(serial);

    // scanning again finds the parent in sync with the CSYNC
    assertThat(scan()).as("scan events " + scans).isInstanceOf(ScanEvent.NoChange.class);
  }

  @Test
  void aCsyncWithoutImmediateOnAKnotChildIsSeenAndLeftPending() throws Exception {
    Testnet net = net();
    Delegation original = before();
    addNs2WithCsync(net, SOAMINIMUM_ONLY, 1);

    ScanEvent result = scan();
    assertThat(result).as("scan events " + scans).isInstanceOf(ScanEvent.Pending.class);
    ScanEvent.Pending pending = (ScanEvent.Pending) result;
    assertThat(pending.reason()).isEqualTo(Reason.APPROVAL_REQUIRED);
    Delegation proposed = pending.proposed().orElseThrow();
    assertThat(proposed.nameservers()).containsExactlyInAnyOrder(NS1, NS2);
    assertThat(proposed.glue().get(NS2)).containsExactlyInAnyOrder(V4, V6);
    assertThat(scans).hasAtLeastOneElementOfType(ScanEvent.SignalSeen.class)
        .noneMatch(e -> e instanceof ScanEvent.Accepted || e instanceof ScanEvent.Applied);
    assertNothingWritten(net, original);
  }

  @Test
  void aCsyncWhoseSoaminimumIsAheadOfTheKnotChildIsLeftPending() throws Exception {
    Testnet net = net();
    Delegation original = before();
    addNs2WithCsync(net, IMMEDIATE_SOAMINIMUM, 100);

    ScanEvent result = scan();
    assertThat(result).as("scan events " + scans).isInstanceOf(ScanEvent.Pending.class);
    assertThat(((ScanEvent.Pending) result).reason()).isEqualTo(Reason.SOA_BELOW_MINIMUM);
    assertNothingWritten(net, original);
  }

  /**
   * Adds {@code ns2} (A and AAAA), the NS and a CSYNC with {@code flags} and the serial this very
   * update gets plus {@code serialAhead - 1}, in one TSIG UPDATE by {@code knsupdate}.
   *
   * @return the child's serial after the update
   */
  private long addNs2WithCsync(Testnet net, int flags, int serialAhead) {
    long serial = soaSerial(net);
    // Knot (serial-policy increment) gives this update serial + 1, re-signing included
    long csyncSerial = (serial + serialAhead) & 0xFFFFFFFFL;
    net.knsupdate(net.knotChild(), KCHILD.toString(),
        "update add " + NS2 + " 5 A 127.0.0.1\n"
            + "update add " + NS2 + " 5 AAAA ::1\n"
            + "update add " + KCHILD + " 5 NS " + NS2 + "\n"
            + "update add " + KCHILD + " 5 CSYNC " + csyncSerial + " " + flags + " A NS AAAA\n");
    long now = soaSerial(net);
    assertThat(now).as("Knot's serial after one DDNS update").isEqualTo((serial + 1) & 0xFFFFFFFFL);
    net.flush(KCHILD.toString());
    return now;
  }

  private void assertNothingWritten(Testnet net, Delegation original) throws Exception {
    assertThat(backend().current(KCHILD)).contains(original);
    List<Record> referral = digParent(net);
    assertThat(referral).filteredOn(r -> r instanceof NSRecord)
        .extracting(r -> ((NSRecord) r).getTarget()).containsExactly(NS1);
    assertThat(referral).noneMatch(r -> r.getName().equals(NS2));
  }

  private ScanEvent scan() throws Exception {
    return service().scan(new ScanRequest(KCHILD, Type.CSYNC)).toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  /** {@code dig +norec +dnssec} to the parent's knotd: the referral's authority and additional. */
  private static List<Record> digParent(Testnet net) throws IOException {
    ToolResult dig = Peers.run(Duration.ofSeconds(20), null, Map.of(), List.of("dig",
        "@" + net.parent().getAddress().getHostAddress(), "-p",
        Integer.toString(net.parent().getPort()), "+norec", "+dnssec", "+time=2", "+tries=2",
        "+noall", "+authority", "+additional", KCHILD.toString(), "NS")).orThrow();
    List<Record> records = new ArrayList<>();
    try (Master master = new Master(new ByteArrayInputStream(
        dig.stdout().getBytes(StandardCharsets.UTF_8)), Name.root)) {
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        records.add(r);
      }
    }
    assertThat(records).as("dig output:\n" + dig.stdout()).isNotEmpty();
    return records;
  }

  private static void assertSecure(Testnet net, Name name, int type) {
    Message m = net.query(name.toString(), type);
    assertThat(m.getRcode()).as(name + "/" + Type.string(type)).isEqualTo(Rcode.NOERROR);
    assertThat(m.getSection(Section.ANSWER)).as(name + "/" + Type.string(type)).isNotEmpty();
    assertThat(m.getHeader().getFlag(Flags.AD)).as(name + "/" + Type.string(type)
        + " SECURE through Unbound").isTrue();
  }

  private static long soaSerial(Testnet net) {
    return Testnet.query(net.knotChild(), KCHILD.toString(), Type.SOA, false)
        .getSection(Section.ANSWER).stream().filter(r -> r instanceof SOARecord)
        .map(r -> ((SOARecord) r).getSerial()).findFirst().orElseThrow();
  }

  private static List<Name> childNameservers(Testnet net) {
    return Testnet.query(net.knotChild(), KCHILD.toString(), Type.NS, false)
        .getSection(Section.ANSWER).stream().filter(r -> r instanceof NSRecord)
        .map(r -> ((NSRecord) r).getTarget()).toList();
  }

  private static InetAddress address(int... octets) {
    byte[] b = new byte[octets.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) octets[i];
    }
    try {
      return InetAddress.getByAddress(b);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private Testnet net() {
    Testnet n = net;
    assertThat(n).isNotNull();
    return n;
  }

  private Delegation before() {
    Delegation d = before;
    assertThat(d).isNotNull();
    return d;
  }

  private TsigDelegationBackend backend() {
    TsigDelegationBackend b = backend;
    assertThat(b).isNotNull();
    return b;
  }

  private ScanService service() {
    ScanService s = service;
    assertThat(s).isNotNull();
    return s;
  }
}
