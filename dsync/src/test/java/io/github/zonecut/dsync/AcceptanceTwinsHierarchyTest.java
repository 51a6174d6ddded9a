package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.CsyncRecord;
import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.testkit.Endpoint;
import io.github.zonecut.testkit.Fault;
import io.github.zonecut.testkit.KeyScheme;
import io.github.zonecut.testkit.ParentDs;
import io.github.zonecut.testkit.Service;
import io.github.zonecut.testkit.TestHierarchy;
import io.github.zonecut.testkit.TestZone;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.CDNSKEYRecord;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Issue 11's acceptance rules on the real in-process hierarchy, each with its failing twin: the
 * passing world and the failing one differ in one fault only, and both go through the whole wire
 * path (the {@link Observer} over the testkit's servers and the validating lookup through its
 * recursive endpoint, then {@link ScanService} with a registry preset and a backend). Each twin
 * asserts the final {@link ScanEvent}, its {@link Reason}, and that the backend was left alone;
 * never message text, query counts or which lookup produced a result, so the twins hold whether
 * the observer validates through the resolver or locally from the parent's DS.
 *
 * <table>
 *   <caption>The twins</caption>
 *   <tr><th>rule</th><th>the one fault</th><th>failing twin ends</th></tr>
 *   <tr><td>RFC 9975 consistency</td><td>ns2 frozen before the CDS edit</td>
 *       <td>Refused INCONSISTENT</td></tr>
 *   <tr><td>RFC 7344 §4.1 validated</td><td>RRSIGs corrupted at ns2 / at every server</td>
 *       <td>Refused BOGUS</td></tr>
 *   <tr><td>RFC 7344 §4.1 continuity</td><td>CDS of the ZSK (or of a key not served)
 *       instead of the KSK</td><td>Refused NO_CONTINUITY</td></tr>
 *   <tr><td>RFC 8078 §4 delete sentinel</td><td>CDS/CDNSKEY sentinel beside a real
 *       record</td><td>Refused MIXED_DELETE</td></tr>
 *   <tr><td>RFC 7477 §2.1.1.2 immediate</td><td>flag 0 instead of 1</td>
 *       <td>Pending APPROVAL_REQUIRED (with the proposal)</td></tr>
 *   <tr><td>RFC 7477 §3.1 bitmap</td><td>MX, TXT or TYPE65280 beside NS A AAAA</td>
 *       <td>Refused CSYNC_UNKNOWN_TYPE</td></tr>
 *   <tr><td>RFC 7477 §2.1.1.2 soaminimum</td><td>ns2 one serial behind</td>
 *       <td>Pending SOA_BELOW_MINIMUM</td></tr>
 *   <tr><td>RFC 7477 §3.1 SOA before and after</td><td>the zone edited right after ns1
 *       answered the CSYNC read</td><td>Pending SOA_MOVED, the retry applies</td></tr>
 *   <tr><td>RFC 9615 §4.2 step 3</td><td>no {@code _dsboot} signal for ns2</td>
 *       <td>Refused SIGNAL_MISSING</td></tr>
 *   <tr><td>RFC 9859 §5 one child per NOTIFY</td><td>a second question</td>
 *       <td>REFUSED, nothing scheduled</td></tr>
 *   <tr><td>RFC 9859 §5 rate limit</td><td>five NOTIFYs against a source limit of three</td>
 *       <td>REFUSED with EDE 15 for the last two</td></tr>
 *   <tr><td>scanner checkpoint</td><td>the run dies at the third child</td>
 *       <td>resumed: every child applied once, none rescanned</td></tr>
 * </table>
 */
class AcceptanceTwinsHierarchyTest {
  static final Name CHILD = Name.fromConstantString("child.test.");
  static final Name NS1 = Name.fromConstantString("ns1.nsop.test.");
  static final Name NS2 = Name.fromConstantString("ns2.nsop.test.");

  ExecutorService executor;
  NioDnsTransport transport;
  TestHierarchy h;
  TestZone child;
  Observer observer;
  Delegation current;
  ReferenceDelegationBackend.State state;
  ReferenceDelegationBackend backend;
  List<ScanEvent> events;

  @BeforeEach
  void setUp() throws Exception {
    executor = Executors.newFixedThreadPool(2);
    transport = NioDnsTransport.create(executor);
    events = Collections.synchronizedList(new ArrayList<>());
  }

  @AfterEach
  void tearDown() throws Exception {
    if (h != null) {
      h.close();
    }
    transport.close();
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** A signed parent, a name server operator's zone, and the child served by two of its servers. */
  void start() throws Exception {
    start(KeyScheme.CSK, ParentDs.CORRECT, b -> { });
  }

  void start(KeyScheme scheme, ParentDs parentDs, Consumer<TestHierarchy.Builder> more)
      throws Exception {
    TestHierarchy.Builder b = TestHierarchy.builder()
        .zone("test.", z -> z.nameservers("ns1.test."))
        .zone("nsop.test.", z -> z.nameservers("ns1.nsop.test.", "ns2.nsop.test."))
        .zone("child.test.", z -> z.nameservers("ns1.nsop.test.", "ns2.nsop.test.")
            .keyScheme(scheme).parentDs(parentDs));
    more.accept(b);
    h = b.start();
    child = h.zone("child.test.");
    ValidatingLookup validating = h.validatingLookup(transport, executor).build();
    observer = Observer.builder(transport, validating).overrides(h.endpointOverrides())
        .clock(h.clock()).timeout(Duration.ofSeconds(2)).build();
    state = new ReferenceDelegationBackend.State();
    backend = new ReferenceDelegationBackend(state, false);
    current = delegationOf(CHILD, parentDs == ParentDs.CORRECT);
    backend.put(current);
  }

  /** What the registry holds for {@code name}: both name servers, the DS of its KSK if secure. */
  Delegation delegationOf(Name name, boolean secure) {
    Delegation.Builder d = Delegation.builder(name).nameservers(NS1, NS2);
    if (secure) {
      d.ds(DsData.of(h.zone(name.toString()).ds().get(0)));
    }
    return d.build();
  }

  /** One check of the child through a fresh {@link ScanService}; its final event. */
  ScanEvent scan(AcceptancePolicy policy, int type) throws Exception {
    return service(policy).scan(CHILD, type).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  ScanService service(AcceptancePolicy policy) {
    return ScanService.builder(observer, AcceptanceChecks.of(policy), backend).clock(h.clock())
        .listener(events::add).build();
  }

  DNSKEYRecord ksk() {
    return child.dnskeys().stream().filter(k -> k.getFlags() == 257).findFirst().orElseThrow();
  }

  DNSKEYRecord zsk() {
    return child.dnskeys().stream().filter(k -> k.getFlags() == 256).findFirst().orElseThrow();
  }

  static CDSRecord cds(Name owner, DsData d) {
    return new CDSRecord(owner, DClass.IN, 300, d.keyTag(), d.algorithm(), d.digestType(),
        d.digest());
  }

  static CDNSKEYRecord cdnskey(DNSKEYRecord k) {
    return new CDNSKEYRecord(k.getName(), DClass.IN, 300, k.getFlags(), k.getProtocol(),
        k.getAlgorithm(), k.getKey());
  }

  /** The child asks for a SHA-384 DS beside its SHA-256 one (same key: continuity holds). */
  DsData publishSha384Cds() {
    DsData sha256 = DsData.compute(CHILD, ksk(), DsData.SHA256);
    DsData sha384 = DsData.compute(CHILD, ksk(), DsData.SHA384);
    child.edit(e -> e.add(cds(CHILD, sha256)).add(cds(CHILD, sha384)));
    return sha384;
  }

  void assertApplied(ScanEvent last) {
    assertThat(last).isInstanceOfSatisfying(ScanEvent.Applied.class, a -> assertThat(a.result())
        .isInstanceOf(DelegationBackend.ApplyResult.Applied.class));
    assertThat(state.applied).hasSize(1);
  }

  void assertRefused(ScanEvent last, Reason reason) {
    assertThat(last).isInstanceOfSatisfying(ScanEvent.Refused.class,
        r -> assertThat(r.reason()).isEqualTo(reason));
    assertNothingApplied();
  }

  void assertPending(ScanEvent last, Reason reason) {
    assertThat(last).isInstanceOfSatisfying(ScanEvent.Pending.class,
        p -> assertThat(p.reason()).isEqualTo(reason));
    assertNothingApplied();
  }

  void assertNothingApplied() {
    assertThat(events).noneMatch(e -> e instanceof ScanEvent.Accepted);
    assertThat(backend.current(CHILD)).contains(current);
    assertThat(state.applied).isEmpty();
  }

  Delegation now() {
    return backend.current(CHILD).orElseThrow();
  }

  /** RFC 9975: every server serves the same CDS (the rule and its twin in one place). */
  @Nested
  class Consistency {
    @Test
    void aCdsServedByEveryServerIsApplied() throws Exception {
      start();
      DsData sha384 = publishSha384Cds();

      assertApplied(scan(AcceptancePolicy.cdsWithDsboot(), Type.CDS));
      assertThat(now().ds()).contains(sha384).hasSize(2);
    }

    @Test
    void twinOneServerMissedTheEditIsRefusedInconsistent() throws Exception {
      start();
      h.nameserver("ns2.nsop.test.").freeze(); // a secondary that missed the NOTIFY
      publishSha384Cds();

      assertRefused(scan(AcceptancePolicy.cdsWithDsboot(), Type.CDS), Reason.INCONSISTENT);
    }
  }

  /** RFC 7344 §4.1, RFC 4035 §5.5: the CDS must validate, at every server. */
  @Nested
  class BogusCds {
    @Test
    void aValidCdsIsApplied() throws Exception {
      start();
      DsData sha384 = publishSha384Cds();

      assertApplied(scan(AcceptancePolicy.cdsWithDsboot(), Type.CDS));
      assertThat(now().ds()).contains(sha384);
    }

    @Test
    void twinSignaturesBrokenAtOneServerIsRefusedBogus() throws Exception {
      start();
      publishSha384Cds();
      h.nameserver("ns2.nsop.test.").setFault(Fault.bogusSignatures());

      assertRefused(scan(AcceptancePolicy.cdsWithDsboot(), Type.CDS), Reason.BOGUS);
    }

    @Test
    void twinSignaturesBrokenAtEveryServerIsRefusedBogus() throws Exception {
      start();
      publishSha384Cds();
      child.setSignaturesCorrupted(true);

      assertRefused(scan(AcceptancePolicy.cdsWithDsboot(), Type.CDS), Reason.BOGUS);
    }
  }

  /**
   * RFC 7344 §4.1 continuity: the new DS set must match a key that signs the child's DNSKEY
   * RRset. A KSK/ZSK child: the ZSK is in the DNSKEY RRset but does not sign it.
   */
  @Nested
  class Continuity {
    @Test
    void aDsOfTheKeySigningKeyIsApplied() throws Exception {
      start(KeyScheme.KSK_ZSK, ParentDs.CORRECT, b -> { });
      DsData kskSha384 = DsData.compute(CHILD, ksk(), DsData.SHA384);
      child.edit(e -> e.add(cds(CHILD, kskSha384)));

      assertApplied(scan(AcceptancePolicy.cdsWithDsboot(), Type.CDS));
      assertThat(now().ds()).containsExactly(kskSha384);
    }

    @Test
    void twinADsOfTheZoneSigningKeyIsRefusedNoContinuity() throws Exception {
      start(KeyScheme.KSK_ZSK, ParentDs.CORRECT, b -> { });
      DsData zskSha384 = DsData.compute(CHILD, zsk(), DsData.SHA384);
      child.edit(e -> e.add(cds(CHILD, zskSha384)));

      assertRefused(scan(AcceptancePolicy.cdsWithDsboot(), Type.CDS), Reason.NO_CONTINUITY);
    }

    @Test
    void twinADsOfAKeyTheChildDoesNotServeIsRefusedNoContinuity() throws Exception {
      start(KeyScheme.KSK_ZSK, ParentDs.CORRECT, b -> { });
      byte[] strangerKey = new byte[64]; // an ECDSA P-256 public key no server holds
      Arrays.fill(strangerKey, (byte) 7);
      DNSKEYRecord stranger = new DNSKEYRecord(CHILD, DClass.IN, 300, 257, 3,
          ksk().getAlgorithm(), strangerKey);
      DsData strangerSha384 = DsData.compute(CHILD, stranger, DsData.SHA384);
      child.edit(e -> e.add(cds(CHILD, strangerSha384)));

      assertRefused(scan(AcceptancePolicy.cdsWithDsboot(), Type.CDS), Reason.NO_CONTINUITY);
    }
  }

  /** RFC 8078 §4: the delete sentinel turns DNSSEC off only when it is alone. */
  @Nested
  class DeleteSentinel {
    @Test
    void aCdsDeleteSentinelAloneRemovesTheDs() throws Exception {
      start();
      child.add("@ CDS 0 0 0 00");

      assertApplied(scan(AcceptancePolicy.cdsWithDsboot(), Type.CDS));
      assertThat(now().ds()).isEmpty();
      assertThat(now().nameservers()).isEqualTo(current.nameservers());
    }

    @Test
    void twinACdsDeleteSentinelMixedWithACdsIsRefused() throws Exception {
      start();
      DsData sha256 = DsData.compute(CHILD, ksk(), DsData.SHA256);
      child.edit(e -> e.add("@ CDS 0 0 0 00").add(cds(CHILD, sha256)));

      assertRefused(scan(AcceptancePolicy.cdsWithDsboot(), Type.CDS), Reason.MIXED_DELETE);
    }

    @Test
    void aCdnskeyDeleteSentinelAloneRemovesTheDs() throws Exception {
      start();
      child.add("@ CDNSKEY 0 3 0 AA==");

      assertApplied(scan(AcceptancePolicy.cdnskeyWithDelayedBootstrap(), Type.CDS));
      assertThat(now().ds()).isEmpty();
    }

    @Test
    void twinACdnskeyDeleteSentinelMixedWithACdnskeyIsRefused() throws Exception {
      start();
      child.edit(e -> e.add("@ CDNSKEY 0 3 0 AA==").add(cdnskey(ksk())));

      assertRefused(scan(AcceptancePolicy.cdnskeyWithDelayedBootstrap(), Type.CDS),
          Reason.MIXED_DELETE);
    }
  }

  /** RFC 7477 on the hierarchy: the child drops ns2 and asks the parent to follow with CSYNC. */
  @Nested
  class Csync {
    final AcceptancePolicy policy = AcceptancePolicy.cdsWithCsync();

    /** The child drops ns2 from its apex NS and publishes a CSYNC asking for it. */
    void dropNs2With(String csyncRdata) {
      child.edit(e -> e.replace("@ 3600 IN NS ns1.nsop.test.")
          .add("@ 300 IN CSYNC " + csyncRdata));
    }

    void assertNs2Dropped(ScanEvent last) {
      assertApplied(last);
      assertThat(now().nameservers()).containsExactly(NS1);
      assertThat(now().ds()).isEqualTo(current.ds());
    }

    @Test
    void anImmediateCsyncIsApplied() throws Exception {
      start();
      dropNs2With("0 1 NS");

      assertNs2Dropped(scan(policy, CsyncRecord.TYPE));
    }

    @Test
    void twinWithoutImmediateWaitsForApprovalWithTheProposal() throws Exception {
      start();
      dropNs2With("0 0 NS");

      ScanEvent last = scan(policy, CsyncRecord.TYPE);

      assertPending(last, Reason.APPROVAL_REQUIRED);
      assertThat(((ScanEvent.Pending) last).proposed()).hasValueSatisfying(
          d -> assertThat(d.nameservers()).containsExactly(NS1));
    }

    @Test
    void aBitmapOfNsAAndAaaaIsApplied() throws Exception {
      start();
      dropNs2With("0 1 NS A AAAA");

      assertNs2Dropped(scan(policy, CsyncRecord.TYPE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MX", "TXT", "TYPE65280"})
    void twinAnUnknownTypeInTheBitmapStopsProcessing(String extra) throws Exception {
      start();
      dropNs2With("0 1 NS A AAAA " + extra);

      assertRefused(scan(policy, CsyncRecord.TYPE), Reason.CSYNC_UNKNOWN_TYPE);
    }

    /**
     * Two edits: the NS change with a CSYNC whose soaminimum is the serial of the second edit,
     * then an unrelated change that reaches that serial. With {@code stale}, ns2 misses the
     * second edit only: it serves the same CSYNC and NS, at the serial before.
     */
    void csyncWithSoaMinimumThenReachIt(boolean stale) {
      long target = child.serial() + 2;
      dropNs2With(target + " 3 NS");
      if (stale) {
        h.nameserver("ns2.nsop.test.").freeze();
      }
      child.add("later TXT \"the serial the CSYNC names\"");
      assertThat(child.serial()).isEqualTo(target);
    }

    @Test
    void aSoaMinimumReachedAtEveryServerIsApplied() throws Exception {
      start();
      csyncWithSoaMinimumThenReachIt(false);

      assertNs2Dropped(scan(policy, CsyncRecord.TYPE));
    }

    @Test
    void twinASoaMinimumNotReachedAtOneServerIsPending() throws Exception {
      start();
      csyncWithSoaMinimumThenReachIt(true);

      assertPending(scan(policy, CsyncRecord.TYPE), Reason.SOA_BELOW_MINIMUM);
    }

    @Test
    void aZoneThatHoldsStillDuringTheScanIsApplied() throws Exception {
      start();
      dropNs2With("0 1 NS");

      assertNs2Dropped(scan(policy, CsyncRecord.TYPE));
    }

    @Test
    void twinASoaMovedMidScanIsARetryAndTheRetryApplies() throws Exception {
      start();
      dropNs2With("0 1 NS");
      Endpoint ns1 = h.nameserver("ns1.nsop.test.");
      // RFC 7477 §3.1 orders the reads at each server: SOA, CSYNC, the data, SOA again. The
      // zone changes right after ns1 answered the CSYNC read, so ns1's two SOA reads differ
      // (whatever else the observer asks, and however it validates)
      ns1.onceAfterAnswering(1, q -> {
        Record question = q.message().getQuestion();
        return question != null && question.getType() == CsyncRecord.TYPE
            && question.getName().equals(CHILD);
      }, () -> child.add("moved TXT \"changed mid-scan\""));

      ScanEvent first = scan(policy, CsyncRecord.TYPE);

      assertThat(ns1.hasPendingTrigger()).isFalse();
      assertPending(first, Reason.SOA_MOVED);
      assertThat(Reason.SOA_MOVED.transientCondition()).isTrue();

      // the zone holds still now: the same signal passes on the retry
      assertNs2Dropped(scan(policy, CsyncRecord.TYPE));
    }
  }

  /**
   * RFC 9615 §4.2 step 3: an insecure delegation is bootstrapped only when every out-of-domain
   * name server publishes the {@code _dsboot} signal, SECURE and equal to the apex CDS.
   */
  @Nested
  class Dsboot {
    DsData prepare(boolean atBoth) throws Exception {
      start(KeyScheme.CSK, ParentDs.ABSENT, b -> { });
      DsData sha256 = DsData.compute(CHILD, ksk(), DsData.SHA256);
      child.edit(e -> e.add(cds(CHILD, sha256)));
      TestZone nsop = h.zone("nsop.test.");
      try {
        Name at1 = AcceptanceChecks.dsbootName(CHILD, NS1);
        Name at2 = AcceptanceChecks.dsbootName(CHILD, NS2);
        nsop.edit(e -> {
          e.add(cds(at1, sha256));
          if (atBoth) {
            e.add(cds(at2, sha256));
          }
        });
      } catch (io.github.zonecut.core.MalformedDataException e) {
        throw new AssertionError(e);
      }
      assertThat(current.ds()).isEmpty();
      return sha256;
    }

    @Test
    void signalsAtBothNameserversBootstrapTheDs() throws Exception {
      DsData sha256 = prepare(true);

      assertApplied(scan(AcceptancePolicy.cdsWithDsboot(), Type.CDS));
      assertThat(now().ds()).containsExactly(sha256);
    }

    @Test
    void twinTheSignalMissingAtOneNameserverIsRefused() throws Exception {
      prepare(false);

      assertRefused(scan(AcceptancePolicy.cdsWithDsboot(), Type.CDS), Reason.SIGNAL_MISSING);
    }
  }

  /**
   * The NOTIFY receiver on a server of the hierarchy, reached over the wire (RFC 9859 §5: one
   * child per NOTIFY, rate limits with EDE Blocked).
   */
  @Nested
  class Notify {
    final Name parent = Name.fromConstantString("test.");
    ScanQueue queue;
    List<NotifyEvent> notifyEvents;

    /** Starts the hierarchy and installs a receiver for {@code test.} on ns1.test. */
    void install(UnaryOperator<NotifyReceiver.Builder> config) throws Exception {
      start();
      queue = ScanQueue.withCapacity(100);
      notifyEvents = Collections.synchronizedList(new ArrayList<>());
      NotifyReceiver r = config.apply(NotifyReceiver.builder(queue).parentZones(parent)
          .clock(h.clock()).listener(notifyEvents::add)).build();
      h.nameserver("ns1.test.").install(Service.forOpcodes(
          q -> Optional.of(r.handle(q.wire(), q.source())), Opcode.NOTIFY));
    }

    Message exchange(Message m) throws IOException {
      byte[] wire = m.toWire();
      try (DatagramSocket s = new DatagramSocket()) {
        s.setSoTimeout(5000);
        s.send(new DatagramPacket(wire, wire.length, h.nameserver("ns1.test.").address()));
        DatagramPacket p = new DatagramPacket(new byte[65535], 65535);
        s.receive(p);
        return new Message(Arrays.copyOf(p.getData(), p.getLength()));
      }
    }

    static Name childNo(int i) {
      return Name.fromConstantString("c" + i + ".test.");
    }

    @Test
    void aOneChildNotifyIsAnsweredAndScheduled() throws Exception {
      install(b -> b);

      Message response = exchange(NotifyReceiverTest.notify(CHILD, Type.CDS, true));

      assertThat(response.getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(queue.drain()).containsExactly(ScanRequest.cds(CHILD));
    }

    @Test
    void twinAMultiChildNotifyIsRefusedAndNothingScheduled() throws Exception {
      install(b -> b);
      Message m = NotifyReceiverTest.notify(CHILD, Type.CDS, true);
      m.addRecord(Record.newRecord(childNo(1), Type.CDS, DClass.IN), Section.QUESTION);

      Message response = exchange(m);

      assertThat(response.getRcode()).isEqualTo(Rcode.REFUSED);
      assertThat(queue.size()).isZero();
      assertThat(notifyEvents).extracting(NotifyEvent::outcome)
          .containsExactly(NotifyEvent.Outcome.MULTI_CHILD);
    }

    @Test
    void aBurstWithinTheSourceLimitIsScheduled() throws Exception {
      install(b -> b.sourceLimit(5, Duration.ofHours(1)));

      for (int i = 1; i <= 5; i++) {
        Message response = exchange(NotifyReceiverTest.notify(childNo(i), Type.CDS, true));
        assertThat(response.getRcode()).as("NOTIFY %d", i).isEqualTo(Rcode.NOERROR);
      }

      assertThat(queue.size()).isEqualTo(5);
    }

    @Test
    void twinAFloodBeyondTheSourceLimitIsBlockedWithEde15() throws Exception {
      install(b -> b.sourceLimit(3, Duration.ofHours(1)));

      List<Message> responses = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        responses.add(exchange(NotifyReceiverTest.notify(childNo(i), Type.CDS, true)));
      }

      assertThat(responses.subList(0, 3)).allSatisfy(
          r -> assertThat(r.getRcode()).isEqualTo(Rcode.NOERROR));
      assertThat(responses.subList(3, 5)).allSatisfy(r -> {
        assertThat(r.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(NotifyReceiverTest.ede(r)).contains(15);
      });
      assertThat(queue.drain()).extracting(ScanRequest::child)
          .containsExactly(childNo(1), childNo(2), childNo(3));
      assertThat(notifyEvents).extracting(NotifyEvent::outcome)
          .filteredOn(o -> o == NotifyEvent.Outcome.RATE_LIMITED).hasSize(2);
    }
  }

  /**
   * The bulk scanner over the hierarchy: a run that dies part-way and is resumed from its
   * checkpoint scans every child exactly once, with the result an uninterrupted run gives.
   */
  @Nested
  class CrashAndResume {
    static final int CHILDREN = 4;

    @TempDir
    Path dir;

    List<Name> children() {
      List<Name> out = new ArrayList<>();
      for (int i = 1; i <= CHILDREN; i++) {
        out.add(Name.fromConstantString("c" + i + ".test."));
      }
      return out;
    }

    /** Every child publishes a SHA-384 CDS beside its SHA-256 one; the registry has them all. */
    void prepare() throws Exception {
      start(KeyScheme.CSK, ParentDs.CORRECT, b -> {
        for (Name c : children()) {
          b.zone(c.toString(), z -> z.nameservers("ns1.nsop.test.", "ns2.nsop.test."));
        }
      });
      for (Name c : children()) {
        TestZone z = h.zone(c.toString());
        DNSKEYRecord k = z.dnskeys().get(0);
        z.edit(e -> e.add(cds(c, DsData.compute(c, k, DsData.SHA256)))
            .add(cds(c, DsData.compute(c, k, DsData.SHA384))));
        backend.put(delegationOf(c, true));
      }
    }

    Scanner.ChildScan task(ScanService service) {
      return c -> service.scan(c, Type.CDS);
    }

    void assertEveryChildAppliedOnce(List<Scanner.Result> results) {
      assertThat(results).extracting(Scanner.Result::outcome).containsOnly("Applied");
      assertThat(results).extracting(Scanner.Result::index)
          .containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
      assertThat(state.applied).hasSize(CHILDREN);
      for (Name c : children()) {
        assertThat(backend.current(c).orElseThrow().ds()).hasSize(2)
            .extracting(DsData::digestType).containsExactlyInAnyOrder(2, 4);
      }
    }

    @Test
    void anUninterruptedRunAppliesEveryChildOnce() throws Exception {
      prepare();
      List<Scanner.Result> results = Collections.synchronizedList(new ArrayList<>());

      Scanner.Progress p = Scanner.builder(task(service(AcceptancePolicy.cdsWithDsboot())))
          .concurrency(1).checkpoint(dir.resolve("scan.ckpt")).build()
          .run(children().iterator(), CHILDREN, results::add);

      assertThat(p.done()).isEqualTo(CHILDREN);
      assertEveryChildAppliedOnce(results);
    }

    @Test
    void twinARunThatCrashesIsResumedWithoutSkippingOrRescanningAChild() throws Exception {
      prepare();
      Path checkpoint = dir.resolve("scan.ckpt");
      ScanService service = service(AcceptancePolicy.cdsWithDsboot());
      AtomicInteger started = new AtomicInteger();
      Scanner[] crashing = new Scanner[1];
      crashing[0] = Scanner.builder(c -> {
        if (started.incrementAndGet() == 3) {
          crashing[0].abort(); // the process dies as it starts the third child
          return new CompletableFuture<>();
        }
        return service.scan(c, Type.CDS);
      }).concurrency(1).checkpoint(checkpoint).build();
      List<Scanner.Result> first = Collections.synchronizedList(new ArrayList<>());
      crashing[0].run(children().iterator(), CHILDREN, first::add);
      assertThat(first).hasSize(2);
      assertThat(state.applied).hasSize(2);

      List<Scanner.Result> second = Collections.synchronizedList(new ArrayList<>());
      Scanner.Progress p = Scanner.builder(task(service)).concurrency(1).checkpoint(checkpoint)
          .build().run(children().iterator(), CHILDREN, second::add);

      assertThat(p.done()).isEqualTo(CHILDREN);
      assertThat(p.resumed()).isEqualTo(2);
      // a rescanned child would show as NoChange (its DS is already applied): none is
      assertThat(second).extracting(Scanner.Result::index).containsExactlyInAnyOrder(2L, 3L);
      List<Scanner.Result> all = new ArrayList<>(first);
      all.addAll(second);
      assertEveryChildAppliedOnce(all);
      assertThat(all.stream().map(Scanner.Result::child).collect(Collectors.toSet()))
          .hasSize(CHILDREN);
    }
  }
}
