package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.AddressPolicy;
import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.DsyncDiscovery;
import io.github.zonecut.core.DsyncRecord;
import io.github.zonecut.core.DsyncScheme;
import io.github.zonecut.core.EndpointOverrides;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.dsync.AcceptanceChecks;
import io.github.zonecut.dsync.AcceptancePolicy;
import io.github.zonecut.dsync.AgentResult;
import io.github.zonecut.dsync.BackendException;
import io.github.zonecut.dsync.DelegationAgent;
import io.github.zonecut.dsync.DelegationChecks;
import io.github.zonecut.dsync.DsyncServer;
import io.github.zonecut.dsync.NotifyOutcome;
import io.github.zonecut.dsync.NotifyReceiver;
import io.github.zonecut.dsync.NotifySender;
import io.github.zonecut.dsync.Observer;
import io.github.zonecut.dsync.ScanEvent;
import io.github.zonecut.dsync.ScanQueue;
import io.github.zonecut.dsync.ScanRequest;
import io.github.zonecut.dsync.ScanService;
import io.github.zonecut.dsync.TsigDelegationBackend;
import io.github.zonecut.dsync.TsigKey;
import io.github.zonecut.dsync.UpdateEvent;
import io.github.zonecut.dsync.UpdateOutcome;
import io.github.zonecut.dsync.UpdateReceiver;
import io.github.zonecut.dsync.UpdateTarget;
import io.github.zonecut.keystate.AtApexVerifier;
import io.github.zonecut.keystate.AtNsVerifier;
import io.github.zonecut.keystate.BootstrapCoordinator;
import io.github.zonecut.keystate.BootstrapMethod;
import io.github.zonecut.keystate.BootstrapParameter;
import io.github.zonecut.keystate.Delayer;
import io.github.zonecut.keystate.InMemoryTrustStore;
import io.github.zonecut.keystate.InquiryResult;
import io.github.zonecut.keystate.KeyIdentity;
import io.github.zonecut.keystate.KeyLookup;
import io.github.zonecut.keystate.KeyStateCode;
import io.github.zonecut.keystate.KeyStateInquiryClient;
import io.github.zonecut.keystate.KeyStateResponder;
import io.github.zonecut.keystate.RegistryPolicy;
import io.github.zonecut.keystate.TrustRegistry;
import io.github.zonecut.keystate.VerificationPolicy;
import io.github.zonecut.sig0.InMemorySig0KeyStore;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0KeyFiles;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0KeyState;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0ReplayGuard;
import java.io.IOException;
import java.net.InetAddress;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CDNSKEYRecord;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Issue 16, scenario A ({@code interop/target/e2e/registry-parent.json}): a registry parent run
 * end to end on real software. Knot serves {@code parent.test.} and is the registry's database
 * ({@link TsigDelegationBackend}); BIND serves the children; Unbound validates; zonecut is the
 * child's agent ({@link DelegationAgent}, {@link NotifySender}) and the parent's DSYNC target
 * ({@link DsyncServer} with an {@link UpdateReceiver}, a {@link KeyStateResponder} and a {@link
 * NotifyReceiver} feeding a {@link ScanService}).
 *
 * <ol>
 *   <li>The parent points its {@code _dsync} records (UPDATE and NOTIFY) at the zonecut server's
 *       port on {@code updater.parent.test.}, which carries the receiver's KEY and an SVCB {@code
 *       bootstrap="at-apex,at-ns"} (ddns §9.5), all signed by Knot.
 *   <li>at-apex: the agent of the signed child {@code child.parent.test.} discovers the target
 *       through Unbound, reads the SVCB, bootstraps its apex KEY, polls KeyState until
 *       KEY_TRUSTED, and syncs a delegation change made in the BIND child (NS added, CDS moved
 *       from SHA-256 to SHA-384: a DS digest rollover). The receiver checks it against the child
 *       ({@link DelegationChecks}) and writes it into Knot. Unbound then serves the new NS and DS
 *       with AD and no SHA-256 DS.
 *   <li>at-ns: bootstrap and KeyState polling for the unsigned child {@code new.parent.test.},
 *       whose KEY is vouched for by {@code _sig0key.new.parent.test._signal.ns1.operator.test.} in
 *       the signed operator zone.
 *   <li>NOTIFY: BIND rolls the KSK of {@code roll.parent.test.} (dnssec-policy, double-KSK;
 *       started with {@code rndc dnssec -rollover}); once its CDS names only the new KSK and both
 *       KSKs sign the DNSKEY RRset, zonecut sends NOTIFY(CDS) to the DSYNC NOTIFY target, the
 *       parent scans ({@link AcceptancePolicy#cdsWithDsboot()}), accepts and writes the new DS
 *       (old one gone) into Knot; BIND is then told the DS moved ({@code rndc dnssec -checkds},
 *       what its parental-agents check would report) and drops the old KSK.
 * </ol>
 *
 * <p>Two probes ask Unbound every 200 ms for the SOA of {@code child.parent.test.} (whole run) and
 * of {@code roll.parent.test.} (whole roll) and count secure, insecure, bogus (SERVFAIL, but
 * answered with CD), servfail and other answers. The JSON holds the counts and the timeline; the
 * test asserts on the same numbers. Everything changed in the shared testnet is put back, except
 * {@code roll.parent.test.}, whose roll only moves forward.
 */
@ExtendWith(TestnetExtension.class)
class RegistryParentScenarioTest {
  static final Name PARENT = Name.fromConstantString("parent.test.");
  static final Name CHILD = Name.fromConstantString("child.parent.test.");
  static final Name NEW = Name.fromConstantString("new.parent.test.");
  static final Name ROLL = Name.fromConstantString("roll.parent.test.");
  static final Name DSYNC_OWNER = Name.fromConstantString("_dsync.parent.test.");
  static final Name TARGET = Name.fromConstantString("updater.parent.test.");
  static final Name PARENT_NS = Name.fromConstantString("ns1.parent.test.");
  static final Name OPERATOR_NS = Name.fromConstantString("ns1.operator.test.");
  static final Name OPERATOR_NS2 = Name.fromConstantString("ns2.operator.test.");
  static final Codepoints CP = Codepoints.DEFAULT;
  /** The receiver listens on loopback, at the port its DSYNC records name. */
  static final AddressPolicy LAB = AddressPolicy.allowLoopbackAndPrivateForTesting();
  static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void registryParentEndToEnd(Testnet net) throws Exception {
    Report report = new Report();
    ExecutorService executor = Executors.newFixedThreadPool(3);
    Probe probe = new Probe(net.resolver(), CHILD);
    Probe rollProbe = new Probe(net.resolver(), ROLL);
    List<Runnable> undo = new ArrayList<>();
    try (NioDnsTransport transport = NioDnsTransport.create(executor)) {
      TsigDelegationBackend backend = TsigDelegationBackend.builder(transport,
              DnsEndpoint.of(net.parent()), PARENT,
              TsigKey.of(net.tsigName(), net.tsigAlgorithm(), net.tsigSecret()))
          .timeout(Duration.ofSeconds(5)).build();
      ValidatingLookup validated = ValidatingLookup.builder(transport,
              DnsEndpoint.of(net.resolver()), executor)
          .trustAnchors(List.of(net.trustAnchorRecord())).build();
      EndpointOverrides overrides = EndpointOverrides.builder()
          .name(PARENT_NS, DnsEndpoint.of(net.parent()))
          .name(OPERATOR_NS, DnsEndpoint.of(net.child()))
          .name(OPERATOR_NS2, DnsEndpoint.of(net.child()))
          .build();
      net.awaitBindCdsPublished(CHILD.toString());

      // ---- the parent: receiver, KeyState responder, NOTIFY receiver and scanner ----
      Sig0KeyPair receiverKey = Sig0KeyPair.generate(TARGET, Sig0Algorithm.ED25519,
          Sig0PublicKey.FLAGS_HOST);
      TrustRegistry registry = new TrustRegistry(new InMemoryTrustStore(), new RegistryPolicy(
          VerificationPolicy.of(BootstrapMethod.AT_APEX, BootstrapMethod.AT_NS),
          RegistryPolicy.DEFAULT_ALGORITHMS, true), Clock.systemUTC());
      KeyLookup keyLookup = KeyLookup.of(validated);
      BootstrapCoordinator coordinator = new BootstrapCoordinator(registry,
          List.of(new AtApexVerifier(keyLookup), new AtNsVerifier(keyLookup)),
          Delayer.using(executor), Clock.systemUTC());
      Observer observer = Observer.builder(transport, validated).overrides(overrides)
          .timeout(Duration.ofSeconds(5)).build();
      DelegationChecks checks = DelegationChecks.of(AcceptancePolicy.cdsWithDsboot());
      List<UpdateEvent> updateEvents = new CopyOnWriteArrayList<>();
      UpdateReceiver receiver = UpdateReceiver.builder(Set.of(PARENT), receiverKey, registry,
              backend, Sig0ReplayGuard.create())
          .check(checks.asChangeCheck(observer, Duration.ofSeconds(30)))
          .bootstrap(coordinator, child -> new BootstrapCoordinator.Delegation(
              nameservers(backend, child), List.of()))
          .listener(updateEvents::add)
          .build();
      KeyStateResponder keyState = KeyStateResponder.builder(registry, receiverKey).build();
      ScanQueue queue = ScanQueue.withCapacity(16);
      NotifyReceiver notifyReceiver = NotifyReceiver.builder(queue).parentZones(PARENT).build();
      List<ScanEvent> scanEvents = new CopyOnWriteArrayList<>();
      ScanService scanner = ScanService.builder(observer, AcceptanceChecks.of(
              AcceptancePolicy.cdsWithDsboot()), backend)
          .listener(scanEvents::add).build();

      try (DsyncServer server = DsyncServer.builder(receiver).keyState(keyState)
          .notify(notifyReceiver::handle)
          .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).start()) {
        int port = server.address().getPort();
        report.put("receiver_port", port);
        Delegation childBefore = backend.current(CHILD).orElseThrow();
        Delegation newBefore = backend.current(NEW).orElseThrow();
        undo.add(() -> restoreDelegation(net, childBefore));
        undo.add(() -> restoreDelegation(net, newBefore));
        advertise(net, receiverKey, port, undo);
        report.step("parent advertises DSYNC UPDATE+NOTIFY on " + TARGET + " port " + port);

        probe.start();
        awaitSecure(net, CHILD.toString());

        // ---- the child agents ----
        InMemorySig0KeyStore keys = InMemorySig0KeyStore.create();
        Sig0KeyPair childKey = Sig0KeyFiles.read(net.sig0Child().base());
        Sig0KeyPair newKey = Sig0KeyFiles.read(net.sig0New().base());
        keys.store(childKey, Sig0KeyState.ACTIVE);
        keys.store(newKey, Sig0KeyState.ACTIVE);
        DelegationAgent agent = DelegationAgent.builder(transport, validated, keys,
                Delayer.using(executor))
            .endpointOverrides(overrides).addressPolicy(LAB).build();
        KeyStateInquiryClient inquiries = KeyStateInquiryClient.builder(transport,
            Delayer.using(executor)).build();
        List<UpdateOutcome> outcomes = new ArrayList<>();

        // ---- at-apex: discover, bootstrap, KeyState, delegation UPDATE ----
        DelegationAgent.Located located = await(agent.locate(CHILD));
        UpdateTarget target = located.target();
        assertThat(target).as("DSYNC UPDATE target discovered through Unbound: "
            + located.failure()).isNotNull();
        report.put("discovered_target", target.receiver() + " " + target.endpoints());
        report.put("discovered_receiver_keys", target.receiverKeys().size());
        Optional<BootstrapParameter> svcb = await(BootstrapParameter.lookup(validated,
            target.receiver(), CP));
        report.put("svcb_bootstrap", svcb.map(BootstrapParameter::value).orElse("none"));
        report.put("at_apex_method", svcb.flatMap(p -> p.choose(Set.of(BootstrapMethod.AT_APEX)))
            .map(BootstrapMethod::toString).orElse("none"));
        AgentResult boot = await(agent.bootstrap(CHILD));
        outcomes.add(outcome(boot));
        report.step("at-apex bootstrap of " + CHILD + ": " + summary(boot));
        Map<String, Object> apexPolls = pollTrusted(inquiries, childKey, target);
        report.put("at_apex_keystate", apexPolls);
        report.step("at-apex KeyState: " + apexPolls.get("final") + " after "
            + apexPolls.get("polls") + " inquiries");

        DNSKEYRecord csk = sepKeys(net, CHILD).get(0);
        DSRecord sha256 = new DSRecord(CHILD, DClass.IN, 60, DNSSEC.Digest.SHA256, csk);
        DSRecord sha384 = new DSRecord(CHILD, DClass.IN, 60, DNSSEC.Digest.SHA384, csk);
        List<Record> cdsBefore = rrset(net.child(), CHILD, Type.CDS);
        List<Record> cdnskeyBefore = rrset(net.child(), CHILD, Type.CDNSKEY);
        undo.add(0, () -> restoreChild(net, cdsBefore, cdnskeyBefore, List.of(
            new NSRecord(CHILD, DClass.IN, 5, OPERATOR_NS2))));
        Update change = new Update(CHILD);
        change.delete(CHILD, Type.CDS);
        change.add(cds(sha384, 5));
        change.add(new NSRecord(CHILD, DClass.IN, 5, OPERATOR_NS2));
        assertThat(net.update(net.child(), change).getRcode()).isEqualTo(Rcode.NOERROR);
        report.step("child zone: NS " + OPERATOR_NS2 + " added, CDS SHA-256 -> SHA-384 (BIND)");

        AgentResult sync = await(agent.sync(CHILD));
        outcomes.add(outcome(sync));
        report.step("delegation UPDATE for " + CHILD + ": " + summary(sync));
        Delegation childAfter = backend.current(CHILD).orElseThrow();
        net.flush(CHILD.toString());
        Message ds = net.query(CHILD.toString(), Type.DS);
        Message ns = net.query(CHILD.toString(), Type.NS);
        Map<String, Object> apex = new LinkedHashMap<>();
        apex.put("knot_ds", childAfter.ds().stream().map(DsData::toString).toList());
        apex.put("knot_ns", childAfter.nameservers().stream().map(Name::toString).toList());
        apex.put("unbound_ds_ad", ds.getHeader().getFlag(Flags.AD));
        apex.put("unbound_ds_digests", digests(ds));
        apex.put("unbound_ns_ad", ns.getHeader().getFlag(Flags.AD));
        apex.put("unbound_ns", ns.getSection(Section.ANSWER).stream()
            .filter(r -> r instanceof NSRecord).map(r -> ((NSRecord) r).getTarget().toString())
            .sorted().toList());
        report.put("at_apex_update", apex);
        AgentResult again = await(agent.sync(CHILD));
        report.put("at_apex_resync", again.getClass().getSimpleName());

        // ---- at-ns: the unsigned child, vouched for by the signed operator zone ----
        DelegationAgent.Located newLocated = await(agent.locate(NEW));
        UpdateTarget newTarget = newLocated.target();
        assertThat(newTarget).as("target for " + NEW + ": " + newLocated.failure()).isNotNull();
        report.put("at_ns_method", svcb.flatMap(p -> p.choose(Set.of(BootstrapMethod.AT_NS)))
            .map(BootstrapMethod::toString).orElse("none"));
        AgentResult bootNew = await(agent.bootstrap(NEW));
        outcomes.add(outcome(bootNew));
        report.step("at-ns bootstrap of " + NEW + ": " + summary(bootNew));
        Map<String, Object> nsPolls = pollTrusted(inquiries, newKey, newTarget);
        report.put("at_ns_keystate", nsPolls);
        report.put("at_ns_trusted_by", registry.find(KeyIdentity.of(newKey.publicKey()))
            .map(e -> e.toString()).orElse("none"));
        report.step("at-ns KeyState: " + nsPolls.get("final") + " after " + nsPolls.get("polls")
            + " inquiries");

        // ---- NOTIFY: a real KSK roll in BIND, NOTIFY(CDS), scan, DS into Knot ----
        awaitSecure(net, ROLL.toString());
        rollProbe.start();
        int oldTag = net.rollKsk().keyTag();
        net.rndc("dnssec", "-checkds", "-key", Integer.toString(oldTag), "published",
            ROLL.toString());
        net.rndc("dnssec", "-rollover", "-key", Integer.toString(oldTag), ROLL.toString());
        report.step("BIND: KSK rollover of " + ROLL + " from " + oldTag + " (rndc)");
        int newTag = awaitCdsSwitch(net, oldTag);
        report.step("BIND: CDS now for KSK " + newTag + ", both KSKs sign the DNSKEY RRset");
        NotifySender notifier = NotifySender.builder(transport,
            DsyncDiscovery.builder(validated).addressPolicy(LAB).build()).build();
        NotifyOutcome notified = await(notifier.notifyCds(ROLL));
        report.step("NOTIFY(CDS) sent by zonecut: " + notified.getClass().getSimpleName());
        List<ScanRequest> requests = queue.drain();
        report.put("notify_outcome", notified.getClass().getSimpleName());
        report.put("scan_requests", requests.stream().map(ScanRequest::toString).toList());
        ScanEvent scanned = requests.isEmpty()
            ? new ScanEvent.Failed(ROLL, Type.CDS, Instant.now(), "no-request", "queue empty")
            : await(scanner.scan(requests.get(0)));
        report.step("parent scan: " + scanned.getClass().getSimpleName());
        Delegation rolled = backend.current(ROLL).orElseThrow();
        report.put("notify_scan", scanned.getClass().getSimpleName());
        report.put("notify_ksk_old", oldTag);
        report.put("notify_ksk_new", newTag);
        report.put("notify_knot_ds", rolled.ds().stream().map(DsData::toString).toList());
        net.flush(ROLL.toString());
        Message dsRolled = net.query(ROLL.toString(), Type.DS);
        report.put("notify_unbound_ds_ad", dsRolled.getHeader().getFlag(Flags.AD));
        report.put("notify_unbound_ds_tags", dsRolled.getSection(Section.ANSWER).stream()
            .filter(r -> r instanceof DSRecord).map(r -> ((DSRecord) r).getFootprint()).sorted()
            .toList());
        // BIND learns that the parent moved (what parental-agents' checkds would see) and ends
        // the roll: the old KSK leaves the DNSKEY RRset
        net.rndc("dnssec", "-checkds", "-key", Integer.toString(newTag), "published",
            ROLL.toString());
        net.rndc("dnssec", "-checkds", "-key", Integer.toString(oldTag), "withdrawn",
            ROLL.toString());
        List<Integer> finalKsks = awaitSingleKsk(net);
        report.put("notify_final_ksks", finalKsks);
        report.step("BIND: roll complete, KSKs " + finalKsks);
        // the probes keep going past Unbound's capped cache TTL (5 s) with the new key only
        probe.runFor(Duration.ofSeconds(6));

        Probe.Counts counts = probe.stop();
        Probe.Counts rollCounts = rollProbe.stop();
        report.put("probe", counts.toMap());
        report.put("probe_roll", rollCounts.toMap());
        report.put("receiver_events", updateEvents.stream()
            .map(e -> e.getClass().getSimpleName() + (e.signed() ? "(signed)" : "(unsigned)"))
            .toList());
        long verified = outcomes.stream().filter(o -> o != null
            && !(o instanceof UpdateOutcome.UnsignedAnswer)
            && !(o instanceof UpdateOutcome.ForgedAnswer)
            && !(o instanceof UpdateOutcome.NoAnswer)).count();
        report.put("receiver_answers", outcomes.size());
        report.put("receiver_answers_verified", verified);
        report.put("receiver_answers_accepted",
            outcomes.stream().filter(o -> o != null && o.isAccepted()).count());
        report.write("registry-parent.json");

        // ---- the assertions, on the numbers written ----
        assertThat(target.receiverKeys()).as("receiver KEY SECURE at the target").isNotEmpty();
        assertThat(svcb).map(BootstrapParameter::value).contains("at-apex,at-ns");
        assertThat(outcomes).as("every receiver answer").allMatch(o -> o != null && o.isAccepted());
        assertThat(verified).as("answers verified by the child").isEqualTo(outcomes.size());
        assertThat(apexPolls.get("final")).isEqualTo(KeyStateCode.KEY_TRUSTED.toString());
        assertThat(nsPolls.get("final")).isEqualTo(KeyStateCode.KEY_TRUSTED.toString());
        assertThat(childAfter.ds()).containsExactly(DsData.of(sha384));
        assertThat(childAfter.nameservers()).containsExactlyInAnyOrder(OPERATOR_NS, OPERATOR_NS2);
        assertThat(apex.get("unbound_ds_ad")).isEqualTo(true);
        assertThat(apex.get("unbound_ds_digests")).isEqualTo(List.of(DNSSEC.Digest.SHA384));
        assertThat(apex.get("unbound_ns_ad")).isEqualTo(true);
        assertThat(apex.get("unbound_ns")).isEqualTo(List.of(OPERATOR_NS.toString(),
            OPERATOR_NS2.toString()));
        assertThat(report.get("at_apex_resync")).isEqualTo("InSync");
        assertThat(notified).isInstanceOf(NotifyOutcome.Acknowledged.class);
        assertThat(scanned).as("scan events " + scanEvents).isInstanceOf(ScanEvent.Applied.class);
        assertThat(rolled.ds()).extracting(DsData::keyTag).containsExactly(newTag);
        assertThat(report.get("notify_unbound_ds_ad")).isEqualTo(true);
        assertThat(report.get("notify_unbound_ds_tags")).isEqualTo(List.of(newTag));
        assertThat(finalKsks).containsExactly(newTag);
        for (Probe.Counts c : List.of(counts, rollCounts)) {
          assertThat(c.probes()).as("probes").isGreaterThan(20);
          assertThat(c.secure()).as("secure probes").isEqualTo(c.probes());
          assertThat(c.insecure() + c.bogus() + c.servfail() + c.other())
              .as("insecure, bogus, servfail, other").isZero();
        }
      }
    } finally {
      probe.stop();
      rollProbe.stop();
      for (Runnable r : undo) {
        try {
          r.run();
        } catch (RuntimeException | AssertionError e) {
          report.step("restore failed: " + e);
        }
      }
      executor.shutdownNow();
      executor.awaitTermination(5, TimeUnit.SECONDS);
      report.print();
    }
  }

  // ---------- set-up and restore of the shared testnet ----------

  /**
   * Points the parent's {@code _dsync} RRset (CDS NOTIFY, CSYNC NOTIFY, ANY UPDATE) at {@code
   * updater.parent.test.} on {@code port}, with the receiver's KEY, an A record and the SVCB
   * bootstrap announcement there; registers the undo.
   */
  private static void advertise(Testnet net, Sig0KeyPair receiverKey, int port,
      List<Runnable> undo) throws Exception {
    List<Record> dsyncBefore = rrset(net.parent(), DSYNC_OWNER, DsyncRecord.TYPE);
    assertThat(dsyncBefore).as("the testnet's _dsync records").hasSize(3);
    Update u = new Update(PARENT);
    u.delete(DSYNC_OWNER, DsyncRecord.TYPE);
    u.add(DsyncRecord.of(DSYNC_OWNER, 5, Type.CDS, DsyncScheme.NOTIFY, port, TARGET));
    u.add(DsyncRecord.of(DSYNC_OWNER, 5, Type.CSYNC, DsyncScheme.NOTIFY, port, TARGET));
    u.add(DsyncRecord.of(DSYNC_OWNER, 5, Type.ANY, DsyncScheme.update(CP), port, TARGET));
    u.add(new ARecord(TARGET, DClass.IN, 5, InetAddress.getLoopbackAddress()));
    u.add(receiverKey.publicKey().toKeyRecord(5));
    u.add(BootstrapParameter.of(BootstrapMethod.AT_APEX, BootstrapMethod.AT_NS)
        .toSvcb(TARGET, 5, 1, Name.root, CP));
    undo.add(() -> {
      Update back = new Update(PARENT);
      back.delete(DSYNC_OWNER, DsyncRecord.TYPE);
      dsyncBefore.forEach(back::add);
      back.delete(TARGET);
      assertThat(net.update(net.parent(), back).getRcode()).as("restore _dsync")
          .isEqualTo(Rcode.NOERROR);
      net.flush(PARENT.toString());
    });
    assertThat(net.update(net.parent(), u).getRcode()).as("advertise the zonecut target")
        .isEqualTo(Rcode.NOERROR);
    net.flush(PARENT.toString());
  }

  /** Knot's delegation of a child as it was: NS and DS (TSIG UPDATE), then flushes Unbound. */
  private static void restoreDelegation(Testnet net, Delegation before) {
    Update u = new Update(PARENT);
    u.delete(before.child(), Type.DS);
    u.delete(before.child(), Type.NS);
    for (Record r : before.toRecords()) {
      if (r.getType() == Type.NS || r.getType() == Type.DS) {
        u.add(r);
      }
    }
    assertThat(net.update(net.parent(), u).getRcode()).as("restore Knot delegation")
        .isEqualTo(Rcode.NOERROR);
    net.flush(before.child().toString());
  }

  /**
   * The BIND child's CDS and CDNSKEY RRsets as they were (whole-RRset replacement: BIND 9.18
   * ignores deleting single CDS/CDNSKEY records of a key in use), minus the {@code added}
   * records.
   */
  private static void restoreChild(Testnet net, List<Record> cds, List<Record> cdnskey,
      List<Record> added) {
    Update u = new Update(CHILD);
    added.forEach(u::delete);
    u.delete(CHILD, Type.CDS);
    cds.forEach(u::add);
    u.delete(CHILD, Type.CDNSKEY);
    cdnskey.forEach(u::add);
    assertThat(net.update(net.child(), u).getRcode()).as("restore the child's signals")
        .isEqualTo(Rcode.NOERROR);
    net.flush(CHILD.toString());
  }

  private static void awaitSecure(Testnet net, String name) throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      Message m = net.query(name, Type.SOA);
      if (m.getRcode() == Rcode.NOERROR && m.getHeader().getFlag(Flags.AD)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(name + " not SECURE through Unbound");
  }

  /** Waits until BIND's CDS names one KSK other than {@code oldTag}; returns its tag. */
  private static int awaitCdsSwitch(Testnet net, int oldTag) throws InterruptedException {
    List<Integer> tags = List.of();
    for (int i = 0; i < 150; i++) {
      tags = rrset(net.child(), ROLL, Type.CDS).stream().map(r -> ((CDSRecord) r).getFootprint())
          .distinct().toList();
      if (tags.size() == 1 && tags.get(0) != oldTag) {
        return tags.get(0);
      }
      Thread.sleep(200);
    }
    throw new AssertionError("BIND's CDS of " + ROLL + " did not move off " + oldTag + ": " + tags);
  }

  /** Waits until the roll zone has one KSK left; returns the KSK tags. */
  private static List<Integer> awaitSingleKsk(Testnet net) throws InterruptedException {
    List<Integer> tags = List.of();
    for (int i = 0; i < 150; i++) {
      tags = sepKeys(net, ROLL).stream().map(DNSKEYRecord::getFootprint).sorted().toList();
      if (tags.size() == 1) {
        return tags;
      }
      Thread.sleep(200);
    }
    return tags;
  }

  // ---------- small helpers ----------

  private static List<Name> nameservers(TsigDelegationBackend backend, Name child) {
    try {
      return backend.current(child).map(d -> List.copyOf(d.nameservers())).orElse(List.of());
    } catch (BackendException e) {
      return List.of();
    }
  }

  private static List<Record> rrset(InetSocketAddress server, Name owner, int type) {
    return Testnet.query(server, owner.toString(), type, false).getSection(Section.ANSWER)
        .stream().filter(r -> r.getType() == type && r.getName().equals(owner)).toList();
  }

  private static List<DNSKEYRecord> sepKeys(Testnet net, Name zone) {
    return rrset(net.child(), zone, Type.DNSKEY).stream().map(r -> (DNSKEYRecord) r)
        .filter(k -> (k.getFlags() & DNSKEYRecord.Flags.SEP_KEY) != 0).toList();
  }

  private static CDSRecord cds(DSRecord d, long ttl) {
    return new CDSRecord(d.getName(), DClass.IN, ttl, d.getFootprint(), d.getAlgorithm(),
        d.getDigestID(), d.getDigest());
  }

  private static CDNSKEYRecord cdnskey(DNSKEYRecord k, long ttl) {
    return new CDNSKEYRecord(k.getName(), DClass.IN, ttl, k.getFlags(), k.getProtocol(),
        k.getAlgorithm(), k.getKey());
  }

  private static List<Integer> digests(Message m) {
    return m.getSection(Section.ANSWER).stream().filter(r -> r instanceof DSRecord)
        .map(r -> ((DSRecord) r).getDigestID()).sorted().toList();
  }

  private static UpdateOutcome outcome(AgentResult r) {
    return r instanceof AgentResult.Sent s ? s.outcome() : null;
  }

  private static String summary(AgentResult r) {
    if (r instanceof AgentResult.Sent s) {
      return s.operation() + " -> " + s.outcome().getClass().getSimpleName();
    }
    return r.toString();
  }

  /** Polls KeyState (signed inquiries, signed answers) until KEY_TRUSTED or 100 tries. */
  private static Map<String, Object> pollTrusted(KeyStateInquiryClient client, Sig0KeyPair key,
      UpdateTarget target) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    List<String> seen = new ArrayList<>();
    String last = "none";
    int polls = 0;
    for (; polls < 100; polls++) {
      InquiryResult r = await(client.inquire(key, target.inquiryTarget()));
      if (r instanceof InquiryResult.Answered a) {
        last = a.option().code(CP.keyStateTable()).map(KeyStateCode::toString)
            .orElse("code " + a.option().keyState());
      } else {
        last = r.getClass().getSimpleName();
      }
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(last)) {
        seen.add(last);
      }
      if (last.equals(KeyStateCode.KEY_TRUSTED.toString())) {
        polls++;
        break;
      }
      Thread.sleep(100);
    }
    out.put("polls", polls);
    out.put("states", seen);
    out.put("final", last);
    return out;
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  // ---------- the resolver probe ----------

  /**
   * Asks Unbound (RD, DO) for a zone's SOA every 200 ms on its own thread. SERVFAIL is counted
   * as bogus when the same question with CD set is answered (validation failed), else as
   * servfail.
   */
  static final class Probe {
    private final SimpleResolver resolver;
    private final SimpleResolver unchecked;
    private final Name zone;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger probes = new AtomicInteger();
    private final AtomicInteger secure = new AtomicInteger();
    private final AtomicInteger insecure = new AtomicInteger();
    private final AtomicInteger bogus = new AtomicInteger();
    private final AtomicInteger servfail = new AtomicInteger();
    private final AtomicInteger other = new AtomicInteger();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private Thread thread;
    private Instant started = Instant.EPOCH;
    private Instant ended = Instant.EPOCH;

    Probe(InetSocketAddress unbound, Name zone) {
      this.zone = zone;
      this.resolver = resolver(unbound);
      this.unchecked = resolver(unbound);
    }

    private static SimpleResolver resolver(InetSocketAddress at) {
      SimpleResolver r = new SimpleResolver(at);
      r.setTimeout(Duration.ofSeconds(2));
      r.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
      return r;
    }

    synchronized void start() {
      running.set(true);
      started = Instant.now();
      thread = new Thread(this::loop, "registry-probe");
      thread.setDaemon(true);
      thread.start();
    }

    void runFor(Duration d) throws InterruptedException {
      Thread.sleep(d.toMillis());
    }

    private void loop() {
      while (running.get()) {
        once();
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    private void once() {
      probes.incrementAndGet();
      try {
        Message q = Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN));
        Message a = resolver.send(q);
        if (a.getRcode() == Rcode.NOERROR && a.getHeader().getFlag(Flags.AD)) {
          secure.incrementAndGet();
        } else if (a.getRcode() == Rcode.NOERROR) {
          insecure.incrementAndGet();
          failures.add(Instant.now() + " insecure");
        } else if (a.getRcode() == Rcode.SERVFAIL) {
          Message cd = Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN));
          cd.getHeader().setFlag(Flags.CD);
          if (unchecked.send(cd).getRcode() == Rcode.NOERROR) {
            bogus.incrementAndGet();
            failures.add(Instant.now() + " bogus");
          } else {
            servfail.incrementAndGet();
            failures.add(Instant.now() + " servfail");
          }
        } else {
          other.incrementAndGet();
          failures.add(Instant.now() + " " + Rcode.string(a.getRcode()));
        }
      } catch (IOException e) {
        other.incrementAndGet();
        failures.add(Instant.now() + " " + e);
      }
    }

    synchronized Counts stop() throws InterruptedException {
      if (running.getAndSet(false) && thread != null) {
        // no interrupt: a query in flight finishes and is counted (at most 200 ms + 2 s)
        thread.join(10_000);
        ended = Instant.now();
      }
      return new Counts(zone.toString(), probes.get(), secure.get(), insecure.get(), bogus.get(),
          servfail.get(),
          other.get(), Duration.between(started, ended).toMillis(), List.copyOf(failures));
    }

    record Counts(String zone, int probes, int secure, int insecure, int bogus, int servfail,
        int other,
        long millis, List<String> failures) {
      Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zone", zone);
        m.put("interval_ms", 200);
        m.put("duration_ms", millis);
        m.put("probes", probes);
        m.put("secure", secure);
        m.put("insecure", insecure);
        m.put("bogus", bogus);
        m.put("servfail", servfail);
        m.put("other", other);
        m.put("failures", failures);
        return m;
      }
    }
  }

  // ---------- the evidence ----------

  /** The scenario's JSON evidence and its summary table. */
  static final class Report {
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final List<Map<String, Object>> timeline = new ArrayList<>();
    private final Instant t0 = Instant.now();
    private Path written;

    void put(String key, Object value) {
      values.put(key, value);
    }

    Object get(String key) {
      return values.get(key);
    }

    void step(String what) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("t_ms", Duration.between(t0, Instant.now()).toMillis());
      s.put("step", what);
      timeline.add(s);
    }

    void write(String file) throws IOException {
      Map<String, Object> root = new LinkedHashMap<>();
      root.put("scenario", "registry-parent");
      root.put("started", t0.toString());
      root.putAll(values);
      root.put("timeline", timeline);
      Path dir = Peers.workDir().getParent().resolve("e2e");
      Files.createDirectories(dir);
      written = dir.resolve(file);
      Files.writeString(written, json(root, "") + "\n", StandardCharsets.UTF_8);
    }

    /** The summary table on standard output (test code; the library never prints). */
    void print() {
      StringBuilder b = new StringBuilder("\n== scenario A: registry parent ("
          + (written == null ? "not written" : written) + ") ==\n");
      for (Map.Entry<String, Object> e : values.entrySet()) {
        b.append(String.format("%-28s %s%n", e.getKey(), e.getValue()));
      }
      for (Map<String, Object> s : timeline) {
        b.append(String.format("%8s ms  %s%n", s.get("t_ms"), s.get("step")));
      }
      System.out.print(b);
    }

    static String json(Object v, String indent) {
      if (v == null) {
        return "null";
      }
      if (v instanceof Map<?, ?> m) {
        StringBuilder b = new StringBuilder("{");
        String in = indent + "  ";
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          b.append(first ? "\n" : ",\n").append(in).append(quote(String.valueOf(e.getKey())))
              .append(": ").append(json(e.getValue(), in));
          first = false;
        }
        return b.append(first ? "}" : "\n" + indent + "}").toString();
      }
      if (v instanceof List<?> l) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < l.size(); i++) {
          b.append(i == 0 ? "" : ", ").append(json(l.get(i), indent));
        }
        return b.append(']').toString();
      }
      if (v instanceof Number || v instanceof Boolean) {
        return v.toString();
      }
      return quote(v.toString());
    }

    static String quote(String s) {
      StringBuilder b = new StringBuilder("\"");
      for (char c : s.toCharArray()) {
        switch (c) {
          case '"' -> b.append("\\\"");
          case '\\' -> b.append("\\\\");
          case '\n' -> b.append("\\n");
          default -> {
            if (c < 0x20) {
              b.append(String.format("\\u%04x", (int) c));
            } else {
              b.append(c);
            }
          }
        }
      }
      return b.append('"').toString();
    }
  }
}
