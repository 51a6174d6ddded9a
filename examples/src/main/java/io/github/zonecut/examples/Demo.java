package io.github.zonecut.examples;

import io.github.zonecut.core.AddressPolicy;
import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.DiscoveryResult;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsRequest;
import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DelegationDelta;
import io.github.zonecut.core.DnsResponse;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.DsyncDiscovery;
import io.github.zonecut.core.DsyncRecord;
import io.github.zonecut.core.DsyncScheme;
import io.github.zonecut.core.EndpointOverrides;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.core.Verdict;
import io.github.zonecut.core.ZonecutException;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.dsync.AcceptanceChecks;
import io.github.zonecut.dsync.AgentResult;
import io.github.zonecut.dsync.DelegationAgent;
import io.github.zonecut.dsync.UpdateOutcome;
import io.github.zonecut.dsync.AcceptancePolicy;
import io.github.zonecut.dsync.NotifyOutcome;
import io.github.zonecut.dsync.NotifySender;
import io.github.zonecut.dsync.Observer;
import io.github.zonecut.dsync.ScanEvent;
import io.github.zonecut.dsync.ScanRequest;
import io.github.zonecut.dsync.ScanService;
import io.github.zonecut.keystate.BootstrapMethod;
import io.github.zonecut.keystate.Delayer;
import io.github.zonecut.keystate.InMemoryTrustStore;
import io.github.zonecut.keystate.InquiryResult;
import io.github.zonecut.keystate.KeyStateCode;
import io.github.zonecut.keystate.KeyStateInquiryClient;
import io.github.zonecut.keystate.KeyLookup;
import io.github.zonecut.keystate.RegistryPolicy;
import io.github.zonecut.keystate.TrustRegistry;
import io.github.zonecut.keystate.VerificationPolicy;
import io.github.zonecut.multisigner.Plan;
import io.github.zonecut.multisigner.PlannedStep;
import io.github.zonecut.sig0.InMemorySig0KeyStore;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0KeyState;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyLookup;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0Outcome;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0ReplayGuard;
import io.github.zonecut.sig0.Sig0Signer;
import io.github.zonecut.sig0.Sig0Verifier;
import io.github.zonecut.testkit.Endpoint;
import io.github.zonecut.testkit.ParentDs;
import io.github.zonecut.testkit.SigningAlgorithm;
import io.github.zonecut.testkit.TestHierarchy;
import io.github.zonecut.testkit.TestZone;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * The zonecut demo: a narrated walk through the protocols that cross the zone cut, run entirely
 * in-process on 127.0.0.1 against a testkit hierarchy (no network, no DNS software needed).
 *
 * <ol>
 *   <li>A signed hierarchy {@code test.} → {@code parent.test.} → {@code child.parent.test.}; the
 *       parent publishes DSYNC records at {@code _dsync.parent.test.} (RFC 9859 §3).
 *   <li>The child discovers its NOTIFY(CDS) and UPDATE endpoints (RFC 9859 §4.1) with DNSSEC
 *       required at every step.
 *   <li>It generates an Ed25519 SIG(0) key and builds the self-signed key-bootstrap UPDATE
 *       (draft-ietf-dnsop-delegation-mgmt-via-ddns §9); the bytes verify, a replay and a flipped
 *       byte do not (RFC 2931).
 *   <li>It publishes the key at its apex and sends the UPDATE to the discovered endpoint over TCP;
 *       the parent verifies it and records the key.
 *   <li>The child polls KeyState (draft-berra-dnsop-keystate) until the parent, having validated
 *       the key at-apex in the background (ddns §9.4.1), reports it trusted.
 *   <li>Its delegation agent adds a name server to the parent's NS set by signed UPDATE (ddns §6).
 *   <li>It begins a DS digest roll: from its CDS, the agent adds the SHA-384 DS by signed UPDATE.
 *   <li>It ends the roll by withdrawing the SHA-256 CDS and announcing it with NOTIFY(CDS) to the
 *       discovered target (RFC 9859 §4); the parent's NotifyReceiver schedules a scan, which sees
 *       the CDS on every server, accepts it (RFC 7344, RFC 8078) and applies the new DS set.
 *   <li>Safety: with a broken DS for the parent, discovery refuses the BOGUS answers.
 *   <li>A second DNSSEC signer joins the zone's one-signer group: the multi-signer planner's first
 *       steps (draft-ietf-dnsop-dnssec-automation §5.3), executed in its simulation glitch-free.
 *   <li>A provider migration (bravo joins, alpha leaves) planned from one intent and checked by
 *       the glitch checker.
 * </ol>
 *
 * <p>Run it with {@code ./zonecut demo} (the CLI: live step lines, a summary, {@code --json}) or
 * {@code java -jar examples/target/zonecut-demo.jar} (this narration); it exits 0 when every step
 * behaved as expected.
 */
public final class Demo {
  static final Name PARENT = Name.fromConstantString("parent.test.");
  static final Name CHILD = Name.fromConstantString("child.parent.test.");
  static final Name RECEIVER = Name.fromConstantString("ddns.parent.test.");
  /** A server that already serves the child but is not in its NS set yet: the NS change adds it. */
  static final Name NEW_NS = Name.fromConstantString("ns3.child.parent.test.");
  /** How many KeyState inquiries the child makes at most while the parent validates its key. */
  private static final int MAX_POLLS = 400;
  /** The port the DSYNC records name; the testkit endpoint's real port is mapped in by override. */
  private static final int DSYNC_PORT = 53;
  /** Generous: a loaded CI machine may be slow, and nothing here waits unless something is wrong. */
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Codepoints CODEPOINTS = Codepoints.DEFAULT;

  /** Which part of the story to play. */
  public enum Scenario {
    /**
     * The child/parent protocols: discovery, SIG(0) bootstrap, KeyState until trusted, NS change
     * and DS roll by UPDATE, NOTIFY and scan.
     */
    DELEGATION,
    /** The multi-signer planner: a second signer joins, checked glitch-free. */
    MULTISIGNER,
    /** Both. */
    ALL
  }

  /** How a step ended. */
  public enum Status {
    /** The step behaved as specified. */
    PASSED,
    /** The step did not behave as specified (the verdict says how); the demo stops there. */
    FAILED
  }

  /**
   * One step of the story and its verdict.
   *
   * @param number the step's number, from 1
   * @param title what the step shows, citing its RFC or draft
   * @param status whether it behaved as specified
   * @param verdict the step's result in a few words (or, when failed, what went wrong)
   * @param millis how long it took
   */
  public record StepReport(int number, String title, Status status, String verdict, long millis) {
    /** Validates the parts. */
    public StepReport {
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(verdict, "verdict");
    }
  }

  /**
   * The whole run: every step that ran, in order.
   *
   * @param steps the steps, the last one FAILED when the demo failed
   * @param failure what went wrong, empty when every step passed
   * @param millis how long the run took
   */
  public record Report(List<StepReport> steps, Optional<String> failure, long millis) {
    /** Validates and copies the parts. */
    public Report {
      steps = List.copyOf(steps);
      Objects.requireNonNull(failure, "failure");
    }

    /** Whether every step behaved as specified. */
    public boolean succeeded() {
      return failure.isEmpty() && steps.stream().allMatch(s -> s.status() == Status.PASSED);
    }
  }

  /** Hears the story as it is played: each step's start, its narration, and its verdict. */
  public interface Listener {
    /** Step {@code number} starts. */
    default void started(int number, String title) {}

    /** One line of narration of the current step. */
    default void narrate(String line) {}

    /** A step ended. */
    default void finished(StepReport step) {}
  }

  private final Listener listener;
  private final Consumer<TestHierarchy> sabotage;
  private final List<StepReport> steps = new ArrayList<>();
  private int section;
  private @Nullable String openTitle;
  private long openedAt;

  private Demo(Listener listener, Consumer<TestHierarchy> sabotage) {
    this.listener = listener;
    this.sabotage = sabotage;
  }

  /** Runs the demo on standard output and exits with its status (0 on success). */
  public static void main(String[] args) {
    // UTF-8 whatever the locale: the narration cites sections (§), and a container's POSIX
    // locale would print them as '?'
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    int status = run(out);
    out.flush();
    // the exit also ends any JDK-internal helper thread a library left behind
    System.exit(status);
  }

  /**
   * Runs the demo, narrating on {@code out}.
   *
   * @return 0 when every step behaved as expected, 1 when one did not (the reason is printed)
   */
  public static int run(PrintStream out) {
    return run(out, dns -> { });
  }

  /** As {@link #run(PrintStream)}, with {@code sabotage} applied to the hierarchy once started. */
  static int run(PrintStream out, Consumer<TestHierarchy> sabotage) {
    out.println("zonecut demo: the child <-> parent protocols across a zone cut, in-process on"
        + " 127.0.0.1");
    Report report = run(Scenario.ALL, new Listener() {
      @Override
      public void started(int number, String title) {
        out.printf("%n[%d] %s%n", number, title);
      }

      @Override
      public void narrate(String line) {
        out.println("    " + line);
      }
    }, sabotage);
    if (report.succeeded()) {
      out.printf("%nDemo complete in %d ms: every step behaved as specified.%n", report.millis());
      return 0;
    }
    out.printf("%nDEMO FAILED: %s%n", report.failure().orElse("a step failed"));
    return 1;
  }

  /**
   * Plays {@code scenario}, telling {@code listener} each step as it happens.
   *
   * @return every step's verdict; {@link Report#succeeded()} when every step behaved as specified
   */
  public static Report run(Scenario scenario, Listener listener) {
    return run(scenario, listener, dns -> { });
  }

  static Report run(Scenario scenario, Listener listener, Consumer<TestHierarchy> sabotage) {
    long started = System.nanoTime();
    Demo demo = new Demo(listener, sabotage);
    String failure = null;
    try {
      if (scenario != Scenario.MULTISIGNER) {
        demo.delegation();
      }
      if (scenario != Scenario.DELEGATION) {
        demo.multiSigner();
        demo.migration();
      }
      demo.close("");
    } catch (DemoFailure e) {
      failure = e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "interrupted";
    } catch (Exception | LinkageError e) {
      failure = "unexpected " + e;
    }
    if (failure != null) {
      demo.fail(failure);
    }
    return new Report(demo.steps, Optional.ofNullable(failure),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private void delegation() throws Exception {
    ZonecutTypes.register();
    // The parent's UPDATE receiver key exists before the zone is signed: its KEY is published at
    // the DSYNC target name (ddns §9.3), where the child finds it SECURE.
    Sig0KeyPair receiverKey =
        Sig0KeyPair.generate(RECEIVER, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "zonecut-demo");
      t.setDaemon(true);
      return t;
    });
    try (TestHierarchy dns = startHierarchy(receiverKey);
        NioDnsTransport transport = NioDnsTransport.create(executor)) {
      Clock clock = dns.clock();
      Sig0Config sig0 = Sig0Config.builder().clock(clock).build();
      TrustRegistry registry = new TrustRegistry(new InMemoryTrustStore(),
          RegistryPolicy.of(VerificationPolicy.of(BootstrapMethod.AT_APEX, BootstrapMethod.MANUAL)),
          clock);
      // the registry parent: zonecut-dsync's UPDATE receiver and the KeyState responder
      DemoParent parent = new DemoParent(PARENT, List.of(childDelegation(dns)), registry,
          receiverKey, KeyLookup.of(validatingLookup(dns, transport, executor)), executor, sig0,
          CODEPOINTS);
      Endpoint receiverEndpoint = dns.nameserver(RECEIVER.toString());
      receiverEndpoint.install(parent.service());
      sabotage.accept(dns);

      // every glue and DSYNC address in the hierarchy is 127.0.0.1: send 127.0.0.1 traffic to
      // the receiver's endpoint (its real ephemeral port)
      EndpointOverrides overrides = EndpointOverrides.builder()
          .address(InetAddress.getLoopbackAddress(), receiverEndpoint.dnsEndpoint())
          .build();
      ValidatingLookup lookup = validatingLookup(dns, transport, executor);

      DiscoveryResult.Found update = discover(lookup, overrides);
      Sig0KeyPair childKey = bootstrapUpdate(sig0);
      Sig0PublicKey receiverPublic = receiverKeyFromDns(lookup);
      sendBootstrap(dns, transport, sig0, childKey, update, receiverPublic, parent);
      keyState(transport, executor, sig0, childKey, update, receiverPublic, parent);
      DelegationAgent agent = agent(dns, transport, executor, sig0, childKey);
      nsChange(dns, agent, parent);
      DsData sha384 = dsRoll(dns, agent, parent);
      notifyAndScan(dns, transport, executor, parent, sha384);
      bogusParent(dns, transport, executor, overrides);
    } finally {
      executor.shutdownNow();
    }
  }

  // ------------------------------------------------------------------ 1. the hierarchy

  private TestHierarchy startHierarchy(Sig0KeyPair receiverKey) throws Exception {
    section("An in-process signed DNS hierarchy (zonecut-testkit)");
    Name dsyncOwner = Name.fromConstantString("_dsync.parent.test.");
    // RFC 9859 §3: one parent-wide RRset serves every delegation of parent.test.
    List<Record> dsync = List.of(
        DsyncRecord.of(dsyncOwner, 300, Type.CDS, DsyncScheme.NOTIFY, DSYNC_PORT, RECEIVER),
        DsyncRecord.of(dsyncOwner, 300, Type.ANY, DsyncScheme.update(CODEPOINTS), DSYNC_PORT,
            RECEIVER));
    List<Record> parentRecords = new ArrayList<>(dsync);
    parentRecords.add(receiverKey.publicKey().toKeyRecord(300));
    TestHierarchy dns = TestHierarchy.builder()
        .zone("test.") // the private trust anchor
        .zone("parent.test.", z -> z
            .nameservers("ns1.parent.test.", RECEIVER.toString())
            .records(parentRecords.toArray(new Record[0])))
        .zone("child.parent.test.", z -> z.algorithm(SigningAlgorithm.ED25519)
            .nameservers("ns1.child.parent.test.", "ns2.child.parent.test.", NEW_NS.toString()))
        .start();
    // ns3 serves the child already, but the child's NS set (and so the parent's) names two
    dns.zone(CHILD.toString())
        .replace("@ 3600 IN NS ns1.child.parent.test.\n@ 3600 IN NS ns2.child.parent.test.");
    say("zones       test. (trust anchor) -> parent.test. -> child.parent.test. (all signed)");
    for (Record r : dsync) {
      say("published   %s", r.toString().replace('\t', ' '));
    }
    say("receiver    %s (A 127.0.0.1) answers at %s", RECEIVER,
        dns.nameserver(RECEIVER.toString()).dnsEndpoint());
    say("resolver    recursive endpoint %s, trust anchor %s", dns.recursive().dnsEndpoint(),
        dns.trustAnchorsText().strip().replaceAll("\\s+", " "));
    close("3 signed zones, DSYNC published at _dsync.parent.test.");
    return dns;
  }

  /** What the registry holds for the child: its NS set, glue, and the DS of its KSK. */
  private static Delegation childDelegation(TestHierarchy dns) throws ZonecutException {
    Name ns1 = Name.fromConstantString("ns1.child.parent.test.");
    Name ns2 = Name.fromConstantString("ns2.child.parent.test.");
    Delegation.Builder b = Delegation.builder(CHILD).nameservers(ns1, ns2)
        .glue(ns1, InetAddress.getLoopbackAddress()).glue(ns2, InetAddress.getLoopbackAddress());
    for (DSRecord ds : dns.zone(CHILD.toString()).ds()) {
      b.ds(DsData.of(ds));
    }
    return b.build();
  }

  private static ValidatingLookup validatingLookup(TestHierarchy dns, NioDnsTransport transport,
      ExecutorService executor) throws ZonecutException {
    return ValidatingLookup.builder(transport, dns.recursive().dnsEndpoint(), executor)
        .trustAnchors(dns.trustAnchors())
        .clock(dns.clock())
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  // ------------------------------------------------------------------ 2. discovery

  private DiscoveryResult.Found discover(ValidatingLookup lookup, EndpointOverrides overrides)
      throws Exception {
    section("DSYNC endpoint discovery (RFC 9859 §4.1), policy REQUIRE_SECURE");
    DsyncDiscovery discovery = DsyncDiscovery.builder(lookup)
        .codepoints(CODEPOINTS)
        .policy(DsyncDiscovery.Policy.REQUIRE_SECURE)
        .overrides(overrides)
        // the demo's hierarchy runs on 127.0.0.x, which the default policy refuses
        .addressPolicy(AddressPolicy.allowLoopbackAndPrivateForTesting())
        .build();
    found("NOTIFY(CDS)", await(discovery.discoverNotify(CHILD, Type.CDS)));
    DiscoveryResult.Found update = found("UPDATE", await(discovery.discoverUpdate(CHILD)));
    close("NOTIFY(CDS) and UPDATE targets FOUND, every step SECURE");
    return update;
  }

  private DiscoveryResult.Found found(String what, DiscoveryResult result) {
    say("%s endpoint of %s:", what, CHILD);
    printSteps(result);
    if (result instanceof DiscoveryResult.Found f) {
      say("  => FOUND %s  ->  %s", f.record().rdataToString(), f.endpoints());
      return f;
    }
    if (result instanceof DiscoveryResult.Refused r) {
      throw new DemoFailure("discovery of the " + what + " endpoint was refused: " + r.reason()
          + ": " + r.detail());
    }
    throw new DemoFailure("discovery of the " + what + " endpoint found no DSYNC target");
  }

  private void printSteps(DiscoveryResult result) {
    int i = 1;
    for (DiscoveryResult.Step s : result.steps()) {
      say("  %d. %-34s %-30s %s", i++, s.name() + "/" + Type.string(s.result().type()),
          describe(s.result()), s.verdict().map(Verdict::toString).orElse("-"));
    }
  }

  private static String describe(LookupResult r) {
    if (r instanceof LookupResult.Answer a) {
      List<Record> rrs = a.rrset().rrs();
      if (rrs.size() == 1 && rrs.get(0) instanceof ARecord address) {
        return address.getAddress().getHostAddress();
      }
      return rrs.size() + " " + Type.string(a.type()) + " record" + (rrs.size() == 1 ? "" : "s");
    }
    if (r instanceof LookupResult.NxDomain n) {
      return "NXDOMAIN" + (n.soa() == null ? "" : " (SOA " + n.soa().getName() + ")");
    }
    if (r instanceof LookupResult.NoData n) {
      return "NODATA" + (n.soa() == null ? "" : " (SOA " + n.soa().getName() + ")");
    }
    if (r instanceof LookupResult.Bogus b) {
      return "BOGUS";
    }
    return r.getClass().getSimpleName();
  }

  // ------------------------------------------------------------------ 3. SIG(0)

  private Sig0KeyPair bootstrapUpdate(Sig0Config sig0) throws Exception {
    section("SIG(0) key bootstrap UPDATE (RFC 2931, RFC 3007; ddns §9)");
    Sig0KeyPair childKey =
        Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    say("child key   %s KEY %s", CHILD, childKey.publicKey().rdataText());
    say("            algorithm %s, key tag %d", childKey.publicKey().algorithm(),
        childKey.publicKey().keyTag());
    byte[] wire = Sig0Signer.create(sig0).sign(bootstrapMessage(childKey), childKey);
    say("UPDATE      zone %s: DEL %s ANY KEY; ADD %s KEY (self-signed), %d octets", PARENT, CHILD,
        CHILD, wire.length);

    // One guard for the receiver's life, shared by every verifier it builds.
    Sig0Verifier verifier = Sig0Verifier.builder(Sig0KeyLookup.of(childKey.publicKey()))
        .config(sig0).replayGuard(Sig0ReplayGuard.create()).build();
    Sig0Outcome first = verifier.verify(wire);
    say("verify      the bytes as signed           -> %s", outcome(first));
    expect(first instanceof Sig0Outcome.Verified, "the signed UPDATE did not verify: " + first);

    Sig0Outcome again = verifier.verify(wire);
    say("verify      the same bytes a second time  -> %s", outcome(again));
    expect(again instanceof Sig0Outcome.Replayed, "a replayed UPDATE was not caught: " + again);

    byte[] tampered = wire.clone();
    tampered[1] ^= 0x01; // the message ID is covered too (RFC 2931 §3.1: the header is signed)
    Sig0Outcome flipped = verifier.verify(tampered);
    say("verify      one bit of octet 1 flipped    -> %s", outcome(flipped));
    expect(flipped instanceof Sig0Outcome.BadSignature && flipped.rcode() == Sig0Outcome.BADSIG,
        "a tampered UPDATE was not BADSIG: " + flipped);
    close("VERIFIED; the replay caught; one flipped bit BADSIG");
    return childKey;
  }

  /** DEL child ANY KEY + ADD child KEY, zone = the parent (ddns §9.1). */
  static Message bootstrapMessage(Sig0KeyPair childKey) {
    Update update = new Update(PARENT);
    update.delete(CHILD, Type.KEY);
    update.add(childKey.publicKey().toKeyRecord(3600));
    return update;
  }

  private static String outcome(Sig0Outcome o) {
    String rcode = o.rcode() == Sig0Outcome.BADSIG ? "BADSIG"
        : o.rcode() == Sig0Outcome.BADKEY ? "BADKEY"
        : o.rcode() == Sig0Outcome.BADTIME ? "BADTIME"
        : Rcode.string(o.rcode());
    if (o instanceof Sig0Outcome.Verified v) {
      return "Verified by key tag " + v.key().keyTag() + " (" + rcode + ")";
    }
    return o.getClass().getSimpleName() + " (" + rcode + ")";
  }

  // ------------------------------------------------------------------ 4. UPDATE and KeyState

  private Sig0PublicKey receiverKeyFromDns(ValidatingLookup lookup) throws Exception {
    LookupResult r = await(lookup.lookup(RECEIVER, Type.KEY));
    if (r instanceof LookupResult.Answer a && a.verdict() == Verdict.SECURE) {
      for (Record rr : a.rrset().rrs()) {
        if (rr instanceof KEYRecord k) {
          return Sig0PublicKey.fromKeyRecord(k);
        }
      }
    }
    throw new DemoFailure("the receiver's KEY at " + RECEIVER + " is not SECURE: " + r);
  }

  private void sendBootstrap(TestHierarchy dns, NioDnsTransport transport, Sig0Config sig0,
      Sig0KeyPair childKey, DiscoveryResult.Found update, Sig0PublicKey receiverPublic,
      DemoParent parent) throws Exception {
    section("The UPDATE, sent over TCP to the discovered endpoint");
    // at-apex bootstrap (ddns §9.4.1): the child's KEY is in its signed zone before the upload
    dns.zone(CHILD.toString()).edit(e -> e.add(childKey.publicKey().toKeyRecord(3600)));
    say("child       publishes its KEY at %s, signed with the zone (at-apex, ddns §9.4.1)", CHILD);
    say("parent key  %s KEY, key tag %d, found SECURE in the DNS", RECEIVER,
        receiverPublic.keyTag());
    byte[] wire = Sig0Signer.create(sig0).sign(bootstrapMessage(childKey), childKey);
    DnsEndpoint to = update.endpoints().get(0);
    DnsResponse response = await(
        transport.exchange(to, DnsRequest.ofWire(wire), TransportProtocol.TCP, WAIT));
    for (String line : parent.drainJournal()) {
      say("parent      %s", line);
    }
    // The answer is signed over this fresh query (RFC 2931 §3.2), so it cannot be replayed to
    // another one: no replay guard needed for one check.
    Sig0Outcome signed = Sig0Verifier.builder(Sig0KeyLookup.of(receiverPublic)).config(sig0)
        .insecureWithoutReplayGuard().build().verifyResponse(response.wire(), wire);
    int rcode = response.message().getRcode();
    say("child       answer %s from %s over %s, SIG(0) -> %s", Rcode.string(rcode),
        response.from(), response.protocol(), outcome(signed));
    expect(signed instanceof Sig0Outcome.Verified, "the parent's answer is not signed by its key: "
        + signed);
    expect(rcode == Rcode.NOERROR, "the parent answered " + Rcode.string(rcode));
    close("NOERROR, the answer SIG(0)-signed by the parent's key");
  }

  private void keyState(NioDnsTransport transport, ExecutorService executor, Sig0Config sig0,
      Sig0KeyPair childKey, DiscoveryResult.Found update, Sig0PublicKey receiverPublic,
      DemoParent parent) throws Exception {
    section("KeyState polled until the parent trusts the key (draft-berra-dnsop-keystate-03)");
    KeyStateInquiryClient client = KeyStateInquiryClient.builder(transport, Delayer.using(executor))
        .codepoints(CODEPOINTS)
        .verifierConfig(sig0)
        .signer(Sig0Signer.create(sig0))
        .build();
    KeyStateInquiryClient.Target target =
        new KeyStateInquiryClient.Target(RECEIVER, update.endpoints(), List.of(receiverPublic));
    List<KeyStateCode> seen = new ArrayList<>();
    int polls = 0;
    // the parent validates the key at-apex in the background; poll (bounded) until it trusts it
    while (!seen.contains(KeyStateCode.KEY_TRUSTED) && polls < MAX_POLLS) {
      if (polls++ > 0) {
        Thread.sleep(25);
      }
      InquiryResult result = await(client.inquire(childKey, target));
      if (!(result instanceof InquiryResult.Answered answered)) {
        throw new DemoFailure("the KeyState inquiry was not answered: " + result);
      }
      KeyStateCode code = answered.code(CODEPOINTS.keyStateTable()).orElse(null);
      if (code == null) {
        throw new DemoFailure("the KeyState answer carries an unknown code: " + answered.option());
      }
      if (seen.isEmpty() || seen.get(seen.size() - 1) != code) {
        seen.add(code); // each new state once
        say("child       inquiry %d, signed answer from %s: key %d is %s", polls,
            answered.from(), answered.option().keyId(), code);
      }
    }
    for (String line : parent.drainJournal()) {
      if (!line.startsWith("KeyState inquiry")) {
        say("parent      %s", line);
      }
    }
    say("parent      validated the key at the child's apex (SECURE) and trusts it (ddns §9.4.1)");
    expect(seen.contains(KeyStateCode.KEY_TRUSTED),
        "the parent did not come to trust the key after " + polls + " inquiries: " + seen);
    close("key " + childKey.publicKey().keyTag() + " " + seen.stream().map(Enum::name)
        .collect(Collectors.joining(" -> ")) + " after " + polls
        + " inquiries");
  }

  // ------------------------------------------------------------------ NS change and DS roll

  /** The child's delegation agent: its trusted key signs, the testkit's servers by name. */
  private static DelegationAgent agent(TestHierarchy dns, NioDnsTransport transport,
      ExecutorService executor, Sig0Config sig0, Sig0KeyPair childKey) throws Exception {
    InMemorySig0KeyStore keys = InMemorySig0KeyStore.create();
    keys.store(childKey, Sig0KeyState.ACTIVE);
    return DelegationAgent.builder(transport, validatingLookup(dns, transport, executor), keys,
            Delayer.using(executor))
        .endpointOverrides(dns.endpointOverrides())
        .sig0Config(sig0)
        .build();
  }

  private void nsChange(TestHierarchy dns, DelegationAgent agent, DemoParent parent)
      throws Exception {
    section("NS set changed by signed UPDATE (ddns §6; DelegationAgent.sync)");
    TestZone child = dns.zone(CHILD.toString());
    Delegation after = sync(dns, agent, parent, () -> {
      child.add("@ 3600 IN NS " + NEW_NS);
      say("child       adds %s (it already serves the zone) to its NS set", NEW_NS);
    });
    expect(after.nameservers().contains(NEW_NS),
        "the parent's NS set lacks " + NEW_NS + ": " + after.nameservers());
    say("parent      NS set of %s now: %s", CHILD, after.nameservers());
    close("UPDATE accepted; the parent's NS set holds " + NEW_NS);
  }

  private DsData dsRoll(TestHierarchy dns, DelegationAgent agent, DemoParent parent)
      throws Exception {
    section("DS roll begun by signed UPDATE, from the child's CDS (RFC 7344 §4; ddns §6)");
    TestZone child = dns.zone(CHILD.toString());
    DNSKEYRecord ksk = ksk(child);
    DsData sha256 = DsData.compute(CHILD, ksk, DsData.SHA256);
    DsData sha384 = DsData.compute(CHILD, ksk, DsData.SHA384);
    Delegation after = sync(dns, agent, parent, () -> {
      child.edit(e -> e.add(cds(sha256)).add(cds(sha384)));
      say("child       rolls its DS digest to SHA-384: publishes CDS %d %d %d beside CDS %d %d %d",
          sha384.keyTag(), sha384.algorithm(), sha384.digestType(), sha256.keyTag(),
          sha256.algorithm(), sha256.digestType());
    });
    expect(after.ds().equals(Set.of(sha256, sha384)),
        "the parent's DS set is not the old SHA-256 and the new SHA-384 DS: " + after.ds());
    say("parent      DS set of %s now: SHA-256 and the new SHA-384", CHILD);
    close("UPDATE accepted; the parent added the new SHA-384 DS");
    return sha384;
  }

  /**
   * Changes the child with {@code edit} and runs the agent. The parent's servers keep publishing
   * today's zone meanwhile (the testkit parent would otherwise mirror the child at once): the
   * registry publishes what it applied.
   */
  private Delegation sync(TestHierarchy dns, DelegationAgent agent, DemoParent parent,
      Runnable edit) throws Exception {
    List<Endpoint> parentServers = dns.nameservers().values().stream()
        .filter(e -> e.zones().contains(PARENT)).toList();
    parentServers.forEach(Endpoint::freeze);
    AgentResult result;
    try {
      edit.run();
      result = await(agent.sync(CHILD));
    } finally {
      parentServers.forEach(Endpoint::thaw);
    }
    for (String line : parent.drainJournal()) {
      say("parent      %s", line);
    }
    if (!(result instanceof AgentResult.Sent sent)) {
      throw new DemoFailure("the agent sent no UPDATE: " + result);
    }
    sent.delta().ifPresent(d -> say("child       the agent's UPDATE: %s", describe(d)));
    say("child       signed answer from the parent: %s",
        sent.outcome().getClass().getSimpleName());
    expect(sent.outcome() instanceof UpdateOutcome.Accepted,
        "the parent did not accept the UPDATE: " + sent.outcome());
    return parent.backend().current(CHILD)
        .orElseThrow(() -> new DemoFailure("the parent lost the delegation of " + CHILD));
  }

  private static String describe(DelegationDelta d) {
    List<String> parts = new ArrayList<>();
    d.nsToAdd().forEach(n -> parts.add("ADD NS " + n));
    d.nsToRemove().forEach(n -> parts.add("DEL NS " + n));
    d.glueToReplace().forEach((n, a) -> parts.add("glue " + n + " " + a.size() + " address(es)"));
    d.dsToAdd().forEach(x -> parts.add("ADD DS " + x.keyTag() + " " + x.algorithm() + " "
        + x.digestType()));
    d.dsToRemove().forEach(x -> parts.add("DEL DS " + x.keyTag() + " " + x.algorithm() + " "
        + x.digestType()));
    return parts.isEmpty() ? "(nothing)" : String.join("; ", parts);
  }

  private static DNSKEYRecord ksk(TestZone child) {
    return child.dnskeys().stream().filter(k -> k.getFlags() == 257).findFirst()
        .orElseThrow(() -> new DemoFailure("the child has no key-signing key"));
  }

  private static CDSRecord cds(DsData d) {
    return new CDSRecord(CHILD, DClass.IN, 300, d.keyTag(), d.algorithm(), d.digestType(),
        d.digest());
  }

  // ------------------------------------------------------------------ 5. NOTIFY and scan

  private void notifyAndScan(TestHierarchy dns, NioDnsTransport transport,
      ExecutorService executor, DemoParent parent, DsData sha384) throws Exception {
    section("CDS change announced by NOTIFY (RFC 9859 §4), scanned and accepted (RFC 7344, RFC 8078)");
    TestZone child = dns.zone(CHILD.toString());
    DsData sha256 = DsData.compute(CHILD, ksk(child), DsData.SHA256);
    child.edit(e -> e.remove(cds(sha256)));
    say("child       ends the roll: withdraws CDS %d %d %d (SHA-256), keeps the SHA-384 CDS, on"
        + " every server", sha256.keyTag(), sha256.algorithm(), sha256.digestType());
    ValidatingLookup lookup = validatingLookup(dns, transport, executor);
    NotifySender sender = NotifySender.builder(transport, DsyncDiscovery.builder(lookup)
            .codepoints(CODEPOINTS)
            .overrides(dns.endpointOverrides())
            .addressPolicy(AddressPolicy.allowLoopbackAndPrivateForTesting())
            .build())
        .delayer(Delayer.using(executor))
        .timeout(Duration.ofSeconds(5))
        .build();
    NotifyOutcome sent = await(sender.notifyCds(CHILD));
    say("child       NOTIFY(CDS) for %s -> %s", CHILD, sent);
    expect(sent instanceof NotifyOutcome.Acknowledged, "the NOTIFY was not acknowledged: " + sent);
    for (String line : parent.drainJournal()) {
      say("parent      %s", line);
    }
    Observer observer = Observer.builder(transport, lookup).overrides(dns.endpointOverrides())
        .clock(dns.clock()).timeout(Duration.ofSeconds(5)).build();
    ScanService scan = ScanService.builder(observer,
            AcceptanceChecks.of(AcceptancePolicy.cdsWithDsboot()), parent.backend())
        .clock(dns.clock())
        .listener(e -> say("parent      scan: %s", e.getClass().getSimpleName()))
        .build();
    List<ScanRequest> pending = parent.queue().drain();
    expect(pending.size() == 1, "expected one scheduled scan, got " + pending.size());
    ScanEvent last = await(scan.scan(pending.get(0)));
    expect(last instanceof ScanEvent.Applied, "the CDS scan did not apply: " + last);
    Delegation now = parent.backend().current(CHILD)
        .orElseThrow(() -> new DemoFailure("the parent lost the delegation of " + CHILD));
    expect(now.ds().equals(Set.of(sha384)),
        "the parent's DS set is not the new SHA-384 DS alone: " + now.ds());
    expect(now.nameservers().contains(NEW_NS), "the parent lost " + NEW_NS + ": " + now);
    say("parent      delegation of %s now: NS %s, DS the SHA-384 one alone", CHILD,
        now.nameservers());
    close("NOTIFY acknowledged; CDS seen on every server, accepted, DS applied (SHA-384 alone)");
  }

  // ------------------------------------------------------------------ 6. multi-signer

  private void multiSigner() {
    section("Multi-signer: a second signer joins (draft-ietf-dnsop-dnssec-automation §5.3)");
    say("group       {alpha} signs %s (KSK + ZSK, ECDSA P-256); bravo is to join", CHILD);
    MultiSignerJoin.Outcome join = MultiSignerJoin.run(CHILD);
    if (!(join.first() instanceof Plan.Act act)) {
      throw new DemoFailure("the planner did not start the join: " + join.first());
    }
    say("first plan  %d step(s), each safe in the observed state:", act.steps().size());
    for (PlannedStep s : act.steps()) {
      say("  %-14s %s", s.draftStep(), MultiSignerJoin.describe(s.step()));
      say("  %-14s why: %s", "", s.reason());
    }
    say("executed in a simulated world (signers act at once, the parent an hour after a signal):");
    for (String line : join.log()) {
      say("  %s", line);
    }
    say("result      %s", MultiSignerJoin.summary(join));
    expect(join.succeeded(), "the join did not complete glitch-free: " + MultiSignerJoin.summary(join));
    close("the join planned and completed glitch-free");
  }

  private void migration() {
    section("Provider migration: bravo joins, alpha leaves (RFC 8901; dnssec-automation §5.3, §5.4)");
    say("group       {alpha} signs %s; intent: {bravo} alone, planned from one intent", CHILD);
    MultiSignerJoin.Outcome move = MultiSignerJoin.migrate(CHILD);
    for (String line : move.log()) {
      say("  %s", line);
    }
    say("result      %s", MultiSignerJoin.summary(move));
    expect(move.succeeded(),
        "the migration did not complete glitch-free: " + MultiSignerJoin.summary(move));
    close("join then leave planned by the planner, " + move.plans()
        + " plans, glitch checker: no cache combination fails");
  }

  // ------------------------------------------------------------------ 8. safety

  private void bogusParent(TestHierarchy dns, NioDnsTransport transport, ExecutorService executor,
      EndpointOverrides overrides) throws Exception {
    section("Safety: the parent's DS no longer matches its key");
    dns.zone("parent.test.").setParentDs(ParentDs.WRONG);
    say("test.       now publishes a DS for parent.test. that matches no DNSKEY");
    // a fresh lookup: nothing validated earlier is cached
    DsyncDiscovery discovery = DsyncDiscovery.builder(validatingLookup(dns, transport, executor))
        .codepoints(CODEPOINTS)
        .overrides(overrides)
        .addressPolicy(AddressPolicy.allowLoopbackAndPrivateForTesting())
        .build();
    DiscoveryResult result = await(discovery.discoverUpdate(CHILD));
    printSteps(result);
    if (!(result instanceof DiscoveryResult.Refused refused)
        || refused.reason() != DiscoveryResult.Reason.BOGUS) {
      throw new DemoFailure("discovery under a broken DS was not refused as BOGUS: " + result);
    }
    say("  => REFUSED %s: no endpoint is trusted (RFC 4035 §5.5)", refused.reason());
    close("discovery REFUSED as BOGUS");
  }

  // ------------------------------------------------------------------ helpers

  private void section(String title) {
    close("done");
    openTitle = title;
    openedAt = System.nanoTime();
    listener.started(++section, title);
  }

  /** Ends the open step as passed with {@code verdict} (nothing when no step is open). */
  private void close(String verdict) {
    String title = openTitle;
    if (title != null) {
      openTitle = null;
      finish(new StepReport(section, title, Status.PASSED, verdict, elapsed()));
    }
  }

  private void fail(String failure) {
    String title = openTitle;
    openTitle = null;
    finish(new StepReport(section, title == null ? "(setup)" : title, Status.FAILED, failure,
        elapsed()));
  }

  private void finish(StepReport report) {
    steps.add(report);
    listener.finished(report);
  }

  private long elapsed() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - openedAt);
  }

  private void say(String format, Object... args) {
    listener.narrate(String.format(format, args));
  }

  private static void expect(boolean condition, String failure) {
    if (!condition) {
      throw new DemoFailure(failure);
    }
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new DemoFailure("no result within " + WAIT.toSeconds() + " s");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new DemoFailure("failed: " + cause);
    }
  }

  /** A step did not behave as the demo expects; the message says which. */
  static final class DemoFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DemoFailure(String message) {
      super(message);
    }
  }
}
