package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.EndpointOverrides;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.dsync.AcceptanceChecks;
import io.github.zonecut.dsync.AcceptancePolicy;
import io.github.zonecut.dsync.Observer;
import io.github.zonecut.dsync.ScanEvent;
import io.github.zonecut.dsync.ScanService;
import io.github.zonecut.dsync.TsigDelegationBackend;
import io.github.zonecut.dsync.TsigKey;
import io.github.zonecut.multisigner.Capability;
import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.core.DsData;
import io.github.zonecut.multisigner.Intent;
import io.github.zonecut.multisigner.KeyRole;
import io.github.zonecut.multisigner.OwnedKey;
import io.github.zonecut.multisigner.ParentPolicy;
import io.github.zonecut.multisigner.Plan;
import io.github.zonecut.multisigner.PlannedStep;
import io.github.zonecut.multisigner.Planner;
import io.github.zonecut.multisigner.SignerId;
import io.github.zonecut.multisigner.SignerSnapshot;
import io.github.zonecut.multisigner.Step;
import io.github.zonecut.multisigner.ZoneSnapshot;
import io.github.zonecut.multisigner.edge.DnsObserver;
import io.github.zonecut.multisigner.edge.DnsUpdateStepExecutor;
import io.github.zonecut.multisigner.edge.KeyOrigins;
import io.github.zonecut.multisigner.edge.StepResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Issue 16 scenario B: zone {@code ms.test.}, signed by Knot (signer A), moves to BIND (signer B)
 * while a validating Unbound, zonecut's validator behind it, and zonecut's validator pinned to
 * each delegated signer keep asking every 200 ms. The multi-signer {@link Planner} decides every
 * step from {@link DnsObserver} snapshots of the real servers; {@link DnsUpdateStepExecutor}
 * applies them by TSIG UPDATE to both signers; the parent {@code test.} follows the signers' CDS
 * and CSYNC through zonecut's {@link ScanService} (the dsync acceptance checks of RFC 7344 and
 * RFC 7477, then {@link TsigDelegationBackend} into BIND). First B joins, then A leaves. Evidence
 * goes to {@code target/e2e/migration.json}.
 *
 * <p>Every parent change goes through the scan, the join's CDS included: B's KSK enters the DS
 * RRset before B is in the delegation (draft §5.3 steps 6–10), which dsync accepts as a
 * pre-published DS because A's KSK still anchors every delegated server and B's algorithm already
 * signs there (this scenario found dsync refusing it, {@code NO_CONTINUITY}, before). Knot keeps
 * CDS/CDNSKEY for its own KSK by policy, not by UPDATE, so the harness switches {@code
 * cds-cdnskey-publish} with knotc before each CDS step on A (a provider API call, draft §4.3).
 *
 * <p>The negative control ({@code migration-negative.json}) runs on {@code neg.test.}, a finished
 * A+B group: A leaves in a deliberately wrong order (its ZSK is removed from B's DNSKEY RRset
 * right after it stops serving, without the signature wait), and the same probe must see
 * failures.
 *
 * <p>Unbound reaches the zones through stub-zones (a delegation cannot carry a port): the harness
 * copies the parent's NS RRset into the stub whenever the parent changes it. That is the moment
 * a resolver could first learn the new NS RRset; resolvers holding the old one are covered by
 * the planner's NS-Wait-Time, which this harness does not shorten.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationInteropTest {

  private static final Name MS = Name.fromConstantString("ms.test.");
  private static final Name NEG = Name.fromConstantString("neg.test.");
  private static final Name PARENT = Name.fromConstantString("test.");
  private static final SignerId A = SignerId.of("knot");
  private static final SignerId B = SignerId.of("bind");
  private static final Name NS_A = Name.fromConstantString("ns1.a.test.");
  private static final Name NS_B = Name.fromConstantString("ns1.b.test.");
  private static final Duration TTL = Duration.ofSeconds(5);
  private static final Duration SCENARIO_LIMIT = Duration.ofMinutes(4);

  private static @Nullable MigrationNet net;
  private static @Nullable ExecutorService pool;
  private static @Nullable NioDnsTransport transport;

  @BeforeAll
  static void startNet() throws IOException {
    MigrationNet.requireTools();
    net = MigrationNet.start(Peers.workDir(), MigrationNet.configuredBase());
    pool = Executors.newFixedThreadPool(2);
    transport = NioDnsTransport.create(pool);
  }

  @AfterAll
  static void stopNet() throws InterruptedException {
    if (transport != null) {
      transport.close();
    }
    if (pool != null) {
      pool.shutdownNow();
      pool.awaitTermination(5, TimeUnit.SECONDS);
    }
    if (net != null) {
      net.close();
    }
  }

  private static MigrationNet net() {
    return Objects.requireNonNull(net, "net");
  }

  private static NioDnsTransport transport() {
    return Objects.requireNonNull(transport, "transport");
  }

  /** The evidence of one run: timeline entries and probe counts, written as JSON. */
  private static final class Evidence {
    final long start = System.nanoTime();
    final List<Map<String, Object>> timeline = new ArrayList<>();
    @Nullable String lastObservation;
    @Nullable String lastPlan;

    double t() {
      return Math.round((System.nanoTime() - start) / 1e8) / 10.0;
    }

    void add(String phase, String kind, String detail, Map<String, Object> extra) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("t", t());
      e.put("phase", phase);
      e.put("kind", kind);
      e.put("detail", detail);
      e.putAll(extra);
      timeline.add(e);
      System.out.println("[migration] " + e); // progress in the surefire output file
    }
  }

  // ------------------------------------------------------------------ scenario B

  @Test
  @Order(1)
  void knotToBindMigrationNeverBreaksValidation() throws Exception {
    MigrationNet n = net();
    Evidence ev = new Evidence();
    Map<SignerId, List<OwnedKey>> owned = new LinkedHashMap<>();
    owned.put(A, ownKeys(n.signerA(), MS));
    owned.put(B, ownKeys(n.signerB(), MS));
    Set<DnsKeyData> aKeys = owned.get(A).stream().map(OwnedKey::key).collect(Collectors.toSet());
    Set<DnsKeyData> bKeys = owned.get(B).stream().map(OwnedKey::key).collect(Collectors.toSet());
    // B's dnssec-policy publishes CDS/CDNSKEY for its KSK by itself, a few seconds after start; a
    // signer that has not joined should not signal yet (draft §5.3 step 4 comes after the DNSKEY
    // sync), so whatever it published so far is cleared (what it adds later, the planner sees)
    clearCds(n.signerB(), MS);
    ev.add("setup", "observation", "own keys: A " + tags(owned.get(A)) + ", B " + tags(owned.get(B))
        + "; B's own CDS/CDNSKEY removed", Map.of());

    DnsObserver observer = DnsObserver.create(transport(), MS, List.of(
            new DnsObserver.SignerConfig(A, List.of(DnsEndpoint.of(n.signerA())), capabilities(),
                Set.of(NS_A), TTL),
            new DnsObserver.SignerConfig(B, List.of(DnsEndpoint.of(n.signerB())), capabilities(),
                Set.of(NS_B), TTL)),
        List.of(DnsEndpoint.of(n.parent())), KeyOrigins.fromTable(owned), Duration.ZERO,
        Clock.systemUTC());
    DnsUpdateStepExecutor executor = DnsUpdateStepExecutor.of(transport(), Map.of(
            A, new DnsUpdateStepExecutor.Target(DnsEndpoint.of(n.signerA()), n.tsig()),
            B, new DnsUpdateStepExecutor.Target(DnsEndpoint.of(n.signerB()), n.tsig())))
        .with(Duration.ofSeconds(5), TTL.getSeconds());
    ParentAgent parent = new ParentAgent(n, MS, ev);
    Map<String, InetSocketAddress> signers = new LinkedHashMap<>();
    signers.put("A", n.signerA());
    signers.put("B", n.signerB());
    Planner planner = Planner.create();
    Plan last;
    try (MigrationProbe probe = new MigrationProbe(n, MS, signers, ev.start)) {
      probe.serving(parent.delegatedSigners());
      parent.onDelegationChange(probe::serving);
      probe.start();
      Thread.sleep(1000); // a clean baseline before anything changes
      long deadline = System.nanoTime() + SCENARIO_LIMIT.toNanos();
      last = drive("join", planner, Intent.group(A, B), observer, executor, parent, aKeys, ev, deadline);
      assertThat(last).as("the join ends Done: " + ev.timeline).isInstanceOf(Plan.Done.class);
      last = drive("leave", planner, Intent.group(B), observer, executor, parent, aKeys, ev, deadline);
      assertThat(last).as("the leave ends Done").isInstanceOf(Plan.Done.class);
      Thread.sleep(2000); // the probe keeps asking a little after the end
      probe.stop();

      // the end state, read from the servers themselves
      Set<DnsKeyData> served = keys(Testnet.query(n.signerB(), "ms.test.", Type.DNSKEY, false));
      Set<Integer> sigTags = rrsigTags(Testnet.query(n.signerB(), "probe.ms.test.", Type.TXT, false));
      Set<Integer> parentDs = dsTags(Testnet.query(n.parent(), "ms.test.", Type.DS, false));
      Set<Name> parentNs = parent.parentNs();
      int bKsk = owned.get(B).stream().filter(k -> k.key().isSep()).findFirst().orElseThrow().key().keyTag();
      Map<String, Object> end = new LinkedHashMap<>();
      end.put("signerB_dnskey", tagList(served));
      end.put("signerB_txt_rrsig_tags", sigTags);
      end.put("parent_ds_tags", parentDs);
      end.put("parent_ns", parentNs.stream().map(Name::toString).sorted().toList());
      end.put("signerA_answers", answers(n.signerA(), MS));
      write("migration.json", ev, probe, last, end, planner);

      assertThat(probe.probes()).as("probes").isGreaterThan(1000);
      assertThat(ev.timeline).as("the join's pre-published DS passes the continuity check")
          .noneMatch(e -> String.valueOf(e.get("detail")).contains("NO_CONTINUITY"));
      assertThat(probe.total(MigrationProbe.Outcome.SERVFAIL)).as("servfail " + probe.failures()).isZero();
      assertThat(probe.total(MigrationProbe.Outcome.BOGUS)).as("bogus " + probe.failures()).isZero();
      assertThat(probe.total(MigrationProbe.Outcome.INSECURE)).as("insecure " + probe.failures()).isZero();
      assertThat(served).as("only B's keys are served").isEqualTo(bKeys);
      assertThat(parentDs).as("the parent's DS is B's KSK only").containsExactly(bKsk);
      assertThat(parentNs).containsExactly(NS_B);
      assertThat(answers(n.signerA(), MS)).as("A no longer serves ms.test.").isFalse();
    }
  }

  /** Plans, executes, observes until Done, a refusal or the deadline; returns the last plan. */
  private static Plan drive(String phase, Planner planner, Intent intent, DnsObserver observer,
      DnsUpdateStepExecutor executor, ParentAgent parent, Set<DnsKeyData> aKeys, Evidence ev,
      long deadline) throws Exception {
    MigrationNet n = net();
    Plan plan = null;
    for (int round = 0; round < 2000 && System.nanoTime() < deadline; round++) {
      ZoneSnapshot snap = observer.observe().toCompletableFuture().get(30, TimeUnit.SECONDS);
      String obs = describe(snap);
      if (!obs.equals(ev.lastObservation)) {
        ev.add(phase, "observation", obs, Map.of());
        ev.lastObservation = obs;
      }
      plan = planner.plan(snap, intent, ParentPolicy.DEFAULT, Instant.now());
      String p = describe(plan);
      boolean fresh = !p.equals(ev.lastPlan);
      ev.lastPlan = p;
      if (plan instanceof Plan.Done done) {
        ev.add(phase, "done", done.summary(), Map.of());
        return plan;
      } else if (plan instanceof Plan.Refused r) {
        ev.add(phase, "refused", r.refusal().toString(), Map.of());
        return plan;
      } else if (plan instanceof Plan.Act act) {
        for (PlannedStep ps : act.steps()) {
          String result;
          if (ps.step() instanceof Step.StopServing stop && stop.signer().equals(A)) {
            n.stopServingOnA(MS);
            parent.stopped(A);
            result = "Applied (knotc conf-unset zone)";
          } else {
            String prefix = "";
            if (ps.step() instanceof Step.SetCds cds && cds.signer().equals(A)) {
              // Knot keeps its own KSK's CDS/CDNSKEY by policy, not by UPDATE: the controller
              // switches the policy, then UPDATE sets the foreign part (the provider's API, §4.3)
              boolean own = cds.cdnskey().stream().anyMatch(aKeys::contains)
                  || cds.cds().stream().anyMatch(d -> aKeys.stream().anyMatch(k -> d.matches(MS, k)));
              n.knotPublishesOwnCds(own);
              prefix = "knotc cds-cdnskey-publish " + (own ? "always" : "none") + "; ";
            }
            StepResult r = executor.execute(MS, ps.step()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            result = prefix + r;
          }
          ev.add(phase, "step", describe(ps.step()), Map.of("draft", ps.draftStep(),
              "reason", ps.reason(), "result", result));
        }
        Thread.sleep(300); // servers sign and publish; then observe again
      } else if (plan instanceof Plan.WaitUntil w) {
        if (fresh) {
          ev.add(phase, "wait", w.kind() + " " + w.reason(), Map.of("seconds",
              Math.max(0, Duration.between(Instant.now(), w.until()).toMillis()) / 1000.0));
        }
        parent.scan(); // a parent acts on its own schedule
        long ms = Math.min(1000, Math.max(50, Duration.between(Instant.now(), w.until()).toMillis()));
        Thread.sleep(ms);
      } else if (plan instanceof Plan.AwaitChange aw) {
        if (fresh) {
          ev.add(phase, "await", aw.reason() + ": " + aw.awaited().describe(), Map.of());
        }
        parent.scan();
        Thread.sleep(500);
      }
    }
    ev.add(phase, "timeout", "no Done within the limit; last plan " + plan, Map.of());
    return Objects.requireNonNull(plan, "no plan");
  }

  private static Set<Capability> capabilities() {
    Set<Capability> c = new java.util.HashSet<>(Capability.DRAFT_REQUIRED);
    c.add(Capability.MANAGE_NS);
    c.add(Capability.STOP_SERVING);
    return c;
  }

  // ------------------------------------------------------------------ the parent

  /**
   * The parent's side: zonecut's CDS and CSYNC scans of the delegated signers, accepted by the
   * dsync acceptance checks and written into BIND's {@code test.} by TSIG; the parent's NS RRset is
   * then mirrored into Unbound's stub-zone and into the probe's set of delegated signers.
   */
  private static final class ParentAgent {
    private final MigrationNet n;
    private final Name zone;
    private final Evidence ev;
    private final ScanService scans;
    private final Set<SignerId> stopped = new java.util.HashSet<>();
    private final Map<Integer, String> lastScan = new java.util.HashMap<>();
    private java.util.function.Consumer<List<String>> listener = s -> { };
    private Set<Name> lastNs;

    ParentAgent(MigrationNet n, Name zone, Evidence ev) throws Exception {
      this.n = n;
      this.zone = zone;
      this.ev = ev;
      TsigDelegationBackend backend = TsigDelegationBackend.builder(transport(),
              DnsEndpoint.of(n.parent()), PARENT,
              TsigKey.of(n.tsigName(), n.tsigAlgorithm(), n.tsigSecret()))
          .timeout(Duration.ofSeconds(5)).build();
      ValidatingLookup validated = ValidatingLookup.builder(transport(),
              DnsEndpoint.of(n.resolver()), Objects.requireNonNull(pool))
          .trustAnchors(List.of(n.trustAnchor())).keyCacheMaxTtl(Duration.ofSeconds(5)).build();
      Observer observer = Observer.builder(transport(), validated)
          .overrides(EndpointOverrides.builder()
              .name(NS_A, DnsEndpoint.of(n.signerA()))
              .name(NS_B, DnsEndpoint.of(n.signerB())).build())
          .timeout(Duration.ofSeconds(5)).build();
      this.scans = ScanService.builder(observer, AcceptanceChecks.of(AcceptancePolicy.cdsWithCsync()),
          backend).build();
      this.lastNs = parentNs();
    }

    void onDelegationChange(java.util.function.Consumer<List<String>> l) {
      listener = l;
    }

    void stopped(SignerId s) {
      stopped.add(s);
      listener.accept(delegatedSigners());
    }

    Set<Name> parentNs() {
      Message m = Testnet.query(n.parent(), zone.toString(), Type.NS, false);
      Set<Name> out = new TreeSet<>();
      for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
        for (Record r : m.getSection(section)) {
          if (r instanceof NSRecord ns && r.getName().equals(zone)) {
            out.add(ns.getTarget());
          }
        }
      }
      return out;
    }

    List<String> delegatedSigners() {
      List<String> out = new ArrayList<>();
      if (lastNs.contains(NS_A) && !stopped.contains(A)) {
        out.add("A");
      }
      if (lastNs.contains(NS_B) && !stopped.contains(B)) {
        out.add("B");
      }
      return out;
    }

    void scan() throws Exception {
      for (int type : new int[] {Type.CDS, Type.CSYNC}) {
        ScanEvent e = scans.scan(zone, type).toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (!(e instanceof ScanEvent.NoChange)) {
          String d = e.toString().replaceAll("at=[^,]*, ", "");
          if (!d.equals(lastScan.get(type))) {
            ev.add("parent", "scan " + Type.string(type), d, Map.of());
            lastScan.put(type, d);
          }
        }
      }
      Set<Name> ns = parentNs();
      if (!ns.equals(lastNs)) {
        lastNs = ns;
        List<InetSocketAddress> servers = new ArrayList<>();
        if (ns.contains(NS_A)) {
          servers.add(n.signerA());
        }
        if (ns.contains(NS_B)) {
          servers.add(n.signerB());
        }
        n.stub(zone, servers);
        ev.add("parent", "delegation", "parent NS " + ns + " -> Unbound stub " + servers, Map.of());
        listener.accept(delegatedSigners());
      }
    }

  }

  // ------------------------------------------------------------------ negative control

  /**
   * {@code neg.test.} starts as a finished group (DS and NS of both signers, each signer serving
   * the other's ZSK; Unbound happens to ask A). A then leaves in a wrong order: the parent drops
   * it, A stops serving, and its ZSK leaves B's DNSKEY RRset at once, while Unbound still holds
   * probe.neg.test. TXT (TTL 30 s) signed by it. The stub validator behind Unbound then meets a
   * fresh DNSKEY RRset without the key next to the cached signature: the probe must fail.
   */
  @Test
  @Order(2)
  void negativeControlWrongOrderMakesTheProbeFail() throws Exception {
    MigrationNet n = net();
    Evidence ev = new Evidence();
    DnsUpdateStepExecutor executor = DnsUpdateStepExecutor.of(transport(), Map.of(
            A, new DnsUpdateStepExecutor.Target(DnsEndpoint.of(n.signerA()), n.tsig()),
            B, new DnsUpdateStepExecutor.Target(DnsEndpoint.of(n.signerB()), n.tsig())))
        .with(Duration.ofSeconds(5), TTL.getSeconds());
    DnsKeyData aZsk = ownKeys(n.signerA(), NEG).stream().filter(k -> k.role() == KeyRole.ZSK)
        .findFirst().orElseThrow().key();
    DnsKeyData bZsk = ownKeys(n.signerB(), NEG).stream().filter(k -> k.role() == KeyRole.ZSK)
        .findFirst().orElseThrow().key();
    ev.add("setup", "step", "A: add DNSKEY " + bZsk.keyTag() + ", B: add DNSKEY " + aZsk.keyTag(),
        Map.of("A", executor.execute(NEG, new Step.AddDnskeys(A, Set.of(bZsk))).toCompletableFuture()
                .get(30, TimeUnit.SECONDS).toString(),
            "B", executor.execute(NEG, new Step.AddDnskeys(B, Set.of(aZsk))).toCompletableFuture()
                .get(30, TimeUnit.SECONDS).toString()));
    awaitDnskey(n.signerA(), NEG, bZsk, true);
    awaitDnskey(n.signerB(), NEG, aZsk, true);
    Map<String, InetSocketAddress> signers = new LinkedHashMap<>();
    signers.put("A", n.signerA());
    signers.put("B", n.signerB());
    try (MigrationProbe probe = new MigrationProbe(n, NEG, signers, ev.start)) {
      probe.serving(List.of("A", "B"));
      probe.start();
      Thread.sleep(6000);
      long before = failures(probe);
      ev.add("wrong-leave", "observation", "failures before the wrong order: " + before, Map.of());
      // the wrong order: no NS-Wait-Time, no signature wait
      Update p = new Update(PARENT);
      p.delete(NEG, Type.NS);
      p.add(new NSRecord(NEG, DClass.IN, TTL.getSeconds(), NS_B));
      p.delete(NEG, Type.DS);
      DNSKEYRecord bKsk = ownKeys(n.signerB(), NEG).stream().filter(k -> k.key().isSep()).findFirst()
          .map(k -> record(NEG, k.key())).orElseThrow();
      p.add(new DSRecord(NEG, DClass.IN, TTL.getSeconds(), DNSSEC.Digest.SHA256, bKsk));
      assertThat(update(n.parent(), p).getRcode()).isEqualTo(Rcode.NOERROR);
      n.stub(NEG, List.of(n.signerB()));
      probe.serving(List.of("B"));
      ev.add("wrong-leave", "step", "parent: NS {ns1.b.test.}, DS {B KSK}; Unbound stub -> B", Map.of());
      n.stopServingOnA(NEG);
      ev.add("wrong-leave", "step", "A: stop serving neg.test. (no NS-Wait-Time)", Map.of());
      StepResult r = executor.execute(NEG, new Step.RemoveDnskeys(B, Set.of(aZsk)))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      ev.add("wrong-leave", "step", "B: remove DNSKEY " + aZsk.keyTag()
          + " (A's ZSK) before the signature wait", Map.of("result", r.toString()));
      Thread.sleep(14000);
      probe.stop();
      Map<String, Object> end = new LinkedHashMap<>();
      end.put("failures_before_wrong_step", before);
      write("migration-negative.json", ev, probe, null, end, null);
      assertThat(before).as("the group was sound before the wrong step").isZero();
      assertThat(failures(probe)).as("the probe sees the wrong order").isPositive();
    }
  }

  private static long failures(MigrationProbe probe) {
    return probe.total(MigrationProbe.Outcome.BOGUS) + probe.total(MigrationProbe.Outcome.SERVFAIL);
  }

  // ------------------------------------------------------------------ helpers

  /** The keys a signer serves before anything is shared: its own (SEP = KSK, else ZSK). */
  private static List<OwnedKey> ownKeys(InetSocketAddress signer, Name zone) {
    List<OwnedKey> out = new ArrayList<>();
    for (DnsKeyData k : keys(Testnet.query(signer, zone.toString(), Type.DNSKEY, false))) {
      out.add(OwnedKey.of(k, k.isSep() ? KeyRole.KSK : KeyRole.ZSK));
    }
    out.sort(java.util.Comparator.comparingInt(k -> k.key().keyTag()));
    return out;
  }

  private static Set<DnsKeyData> keys(Message m) {
    Set<DnsKeyData> out = new java.util.HashSet<>();
    for (Record r : m.getSection(Section.ANSWER)) {
      if (r instanceof DNSKEYRecord k && r.getType() == Type.DNSKEY) {
        out.add(DnsKeyData.of(k.getFlags(), k.getAlgorithm(), k.getKey()));
      }
    }
    return out;
  }

  private static Set<Integer> rrsigTags(Message m) {
    return m.getSection(Section.ANSWER).stream()
        .filter(r -> r instanceof org.xbill.DNS.RRSIGRecord)
        .map(r -> ((org.xbill.DNS.RRSIGRecord) r).getFootprint())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<Integer> dsTags(Message m) {
    return m.getSection(Section.ANSWER).stream()
        .filter(r -> r instanceof DSRecord && r.getType() == Type.DS)
        .map(r -> ((DSRecord) r).getFootprint())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static boolean answers(InetSocketAddress server, Name zone) {
    try {
      Message m = Testnet.query(server, zone.toString(), Type.SOA, false);
      return m.getRcode() == Rcode.NOERROR && m.getHeader().getFlag(org.xbill.DNS.Flags.AA);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void clearCds(InetSocketAddress server, Name zone) {
    Update u = new Update(zone);
    u.delete(zone, Type.CDS);
    u.delete(zone, Type.CDNSKEY);
    assertThat(update(server, u).getRcode()).as("clear CDS").isEqualTo(Rcode.NOERROR);
  }

  private static void awaitDnskey(InetSocketAddress server, Name zone, DnsKeyData key, boolean present)
      throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      if (keys(Testnet.query(server, zone.toString(), Type.DNSKEY, false)).contains(key) == present) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("DNSKEY " + key.keyTag() + (present ? " not added at " : " not removed at ") + server);
  }

  private static Message update(InetSocketAddress server, Update u) {
    try {
      org.xbill.DNS.SimpleResolver r = new org.xbill.DNS.SimpleResolver(server);
      r.setTCP(true);
      r.setTimeout(Duration.ofSeconds(5));
      r.setTSIGKey(net().tsig());
      return r.send(u);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static DNSKEYRecord record(Name zone, DnsKeyData k) {
    return new DNSKEYRecord(zone, DClass.IN, TTL.getSeconds(), k.flags(), DNSKEYRecord.Protocol.DNSSEC,
        k.algorithm(), k.publicKey());
  }

  private static String tags(List<OwnedKey> keys) {
    return keys.stream().map(k -> k.key().keyTag() + " " + k.role()).collect(Collectors.joining(", ", "{", "}"));
  }

  private static List<String> tagList(Set<DnsKeyData> keys) {
    return keys.stream().map(k -> k.keyTag() + (k.isSep() ? " KSK" : " ZSK")).sorted().toList();
  }

  private static String describe(ZoneSnapshot s) {
    StringBuilder b = new StringBuilder();
    for (SignerSnapshot v : s.signers()) {
      b.append(v.id()).append(v.isAnswering() ? "" : " (not answering)")
          .append(": DNSKEY ").append(tagList(v.dnskey().value()))
          .append(" CDS ").append(v.cds().value().stream().map(DsData::keyTag).sorted().toList())
          .append(" NS ").append(v.ns().value().stream().map(Name::toString).sorted().toList())
          .append(v.csync().value() ? " CSYNC" : "").append("; ");
    }
    var ds = s.parent().agreedDs();
    var ns = s.parent().agreedNs();
    b.append("parent: DS ").append(ds == null ? "?" : ds.value().stream().map(DsData::keyTag).sorted().toList())
        .append(" NS ").append(ns == null ? "?" : ns.value().stream().map(Name::toString).sorted().toList());
    return b.toString();
  }

  private static String describe(Plan p) {
    if (p instanceof Plan.Act a) {
      return a.steps().stream().map(s -> describe(s.step())).collect(Collectors.joining("; "));
    }
    if (p instanceof Plan.WaitUntil w) {
      return "wait " + w.kind() + " " + w.reason();
    }
    if (p instanceof Plan.AwaitChange a) {
      return "await " + a.reason();
    }
    return p.toString();
  }

  private static String describe(Step step) {
    if (step instanceof Step.AddDnskeys add) {
      return step.signer() + ": add DNSKEY " + tagList(add.keys());
    }
    if (step instanceof Step.RemoveDnskeys rm) {
      return step.signer() + ": remove DNSKEY " + tagList(rm.keys());
    }
    if (step instanceof Step.SetCds cds) {
      return step.signer() + ": CDS " + cds.cds().stream().map(DsData::keyTag).sorted().toList()
          + " CDNSKEY " + tagList(cds.cdnskey());
    }
    if (step instanceof Step.SetNs ns) {
      return step.signer() + ": NS " + ns.ns().stream().map(Name::toString).sorted().toList();
    }
    if (step instanceof Step.SetCsync c) {
      return step.signer() + (c.present() ? ": publish CSYNC" : ": remove CSYNC");
    }
    return step.toString();
  }

  // ------------------------------------------------------------------ JSON and summary

  private static void write(String file, Evidence ev, MigrationProbe probe, @Nullable Plan last,
      Map<String, Object> end, @Nullable Planner planner) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("scenario", file.replace(".json", ""));
    root.put("zone", file.contains("negative") ? NEG.toString() : MS.toString());
    root.put("signers", Map.of("A", "knotd 3.2 (dnskey-management: incremental)",
        "B", "named 9.18 (dnssec-policy, update-policy)"));
    root.put("parent_path", "zonecut ScanService (CDS + CSYNC, AcceptancePolicy cds+csync) ->"
        + " TsigDelegationBackend -> named test. (every DS and NS change, the join's pre-published"
        + " DS included)");
    root.put("parent_scan_applied", ev.timeline.stream()
        .filter(e -> String.valueOf(e.get("kind")).startsWith("scan")
            && String.valueOf(e.get("detail")).startsWith("Applied")).count());
    root.put("duration_s", ev.t());
    root.put("probes", probe.probes());
    root.put("servfail", probe.total(MigrationProbe.Outcome.SERVFAIL));
    root.put("bogus", probe.total(MigrationProbe.Outcome.BOGUS));
    root.put("insecure", probe.total(MigrationProbe.Outcome.INSECURE));
    root.put("other", probe.total(MigrationProbe.Outcome.OTHER));
    Map<String, Object> per = new LinkedHashMap<>();
    probe.counts().forEach((k, c) -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("probes", c.total());
      for (MigrationProbe.Outcome o : MigrationProbe.Outcome.values()) {
        m.put(o.name().toLowerCase(java.util.Locale.ROOT), c.get(o));
      }
      m.put("failure_samples", List.copyOf(c.failures));
      per.put(k, m);
    });
    root.put("resolvers", per);
    if (last != null) {
      root.put("last_plan", describe(last));
    }
    if (planner != null) {
      root.put("planner", Map.of("safety_factor", planner.config().safetyFactor()));
    }
    root.put("end_state", end);
    root.put("timeline", ev.timeline);
    Path dir = Path.of(System.getProperty("zonecut.interop.work", "target/interop")).getParent().resolve("e2e");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(file), Json.write(root) + "\n", StandardCharsets.UTF_8);
    System.out.println(summary(file, ev, probe));
  }

  private static String summary(String file, Evidence ev, MigrationProbe probe) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("%n%s (%.1f s, %d timeline entries)%n", file, ev.t(), ev.timeline.size()));
    b.append(String.format("%-22s %7s %7s %8s %6s %8s %6s%n", "resolver", "probes", "secure",
        "insecure", "bogus", "servfail", "other"));
    probe.counts().forEach((k, c) -> b.append(String.format("%-22s %7d %7d %8d %6d %8d %6d%n", k,
        c.total(), c.get(MigrationProbe.Outcome.SECURE), c.get(MigrationProbe.Outcome.INSECURE),
        c.get(MigrationProbe.Outcome.BOGUS), c.get(MigrationProbe.Outcome.SERVFAIL),
        c.get(MigrationProbe.Outcome.OTHER))));
    return b.toString();
  }

  /** A minimal JSON writer for maps, lists, strings, numbers and booleans. */
  static final class Json {
    private Json() {}

    static String write(@Nullable Object o) {
      StringBuilder b = new StringBuilder();
      write(b, o, "");
      return b.toString();
    }

    private static void write(StringBuilder b, @Nullable Object o, String indent) {
      if (o == null) {
        b.append("null");
      } else if (o instanceof Map<?, ?> m) {
        b.append("{");
        String inner = indent + "  ";
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          b.append(first ? "\n" : ",\n").append(inner);
          string(b, String.valueOf(e.getKey()));
          b.append(": ");
          write(b, e.getValue(), inner);
          first = false;
        }
        b.append(first ? "}" : "\n" + indent + "}");
      } else if (o instanceof java.util.Collection<?> c) {
        b.append("[");
        String inner = indent + "  ";
        boolean first = true;
        for (Object e : c) {
          b.append(first ? "\n" : ",\n").append(inner);
          write(b, e, inner);
          first = false;
        }
        b.append(first ? "]" : "\n" + indent + "]");
      } else if (o instanceof Number || o instanceof Boolean) {
        b.append(o);
      } else {
        string(b, o.toString());
      }
    }

    private static void string(StringBuilder b, String s) {
      b.append('"');
      for (char c : s.toCharArray()) {
        switch (c) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          case '\r' -> b.append("\\r");
          case '\t' -> b.append("\\t");
          default -> {
            if (c < 0x20) {
              b.append(String.format("\\u%04x", (int) c));
            } else {
              b.append(c);
            }
          }
        }
      }
      b.append('"');
    }
  }
}
