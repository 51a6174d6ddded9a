package io.github.zonecut.examples;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.dsync.DsyncServer;
import io.github.zonecut.dsync.JdbcDelegationBackend;
import io.github.zonecut.dsync.NotifyOutcome;
import io.github.zonecut.dsync.NotifySender;
import io.github.zonecut.dsync.NotifyReceiver;
import io.github.zonecut.dsync.ScanQueue;
import io.github.zonecut.dsync.UpdateBuilder;
import io.github.zonecut.dsync.UpdateOutcome;
import io.github.zonecut.dsync.UpdateReceiver;
import io.github.zonecut.dsync.UpdateSender;
import io.github.zonecut.dsync.UpdateTarget;
import io.github.zonecut.keystate.AtApexVerifier;
import io.github.zonecut.keystate.BootstrapCoordinator;
import io.github.zonecut.keystate.BootstrapMethod;
import io.github.zonecut.keystate.Delayer;
import io.github.zonecut.keystate.JdbcTrustStore;
import io.github.zonecut.keystate.KeyIdentity;
import io.github.zonecut.keystate.KeyLookup;
import io.github.zonecut.keystate.KeyStateResponder;
import io.github.zonecut.keystate.RegistryPolicy;
import io.github.zonecut.keystate.TrustRegistry;
import io.github.zonecut.keystate.VerificationPolicy;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0ReplayGuard;
import io.github.zonecut.sig0.Sig0Signer;
import io.github.zonecut.testkit.TestHierarchy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.sqlite.SQLiteDataSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Example 1, the registry: a parent zone's DSYNC target (RFC 9859 §3) serving the delegation
 * UPDATE receiver (draft-ietf-dnsop-delegation-mgmt-via-ddns), the generalized NOTIFY receiver
 * (RFC 9859 §4.3) and KeyState (draft-berra-dnsop-keystate) on one loopback port. Delegations and
 * trusted child keys live in SQL (SQLite here, any JDBC {@link DataSource} in production); every
 * request leaves one JSON line in an audit file. Fresh keys uploaded by a child are validated
 * at-apex (ddns §9.4.1) through a DNSSEC-validating lookup.
 *
 * <p>{@link #run(Path)} shows it alone: a child's self-signed key upload becomes trusted, and a
 * NOTIFY(CDS) queues a scan. {@link ChildOperatorAgent} runs a whole child against it.
 *
 * <p>Run it with {@code java -cp examples/target/zonecut-demo.jar
 * io.github.zonecut.examples.RegistryParent} (after {@code ./mvnw -B -q -pl examples -am package
 * -DskipTests}); {@code ExamplesTest} runs it and checks the outcome.
 */
public final class RegistryParent implements AutoCloseable {
  private final DsyncServer server;
  private final JdbcDelegationBackend backend;
  private final TrustRegistry registry;
  private final ScanQueue scans;
  private final JsonLinesAudit audit;

  static final Name PARENT = Name.fromConstantString("parent.test.");
  static final Name CHILD = Name.fromConstantString("child.parent.test.");
  static final Name TARGET = Name.fromConstantString("ddns.parent.test.");

  /**
   * What {@link #run(Path)} saw.
   *
   * @param bootstrap the child's view of its key upload
   * @param trusted whether the parent came to trust the key
   * @param notified the child's view of its NOTIFY(CDS)
   * @param scansQueued scans the NOTIFY queued
   * @param audit the audit file's lines
   */
  public record Result(UpdateOutcome bootstrap, boolean trusted, NotifyOutcome notified,
      int scansQueued, List<String> audit) {}

  /** Runs {@link #run(Path)} in a temporary directory and prints the audit log. */
  public static void main(String[] args) throws Exception {
    Result r = run(Files.createTempDirectory("registry-parent"));
    System.out.println("bootstrap: " + r.bootstrap() + "\ntrusted: " + r.trusted()
        + "\nnotify: " + r.notified() + "\naudit:");
    r.audit().forEach(System.out::println);
    System.exit(r.trusted() ? 0 : 1);
  }

  /**
   * Starts a signed hierarchy and the parent (database and audit file in {@code dir}), then plays
   * a child: a self-signed KEY upload (ddns §9) and a NOTIFY(CDS) (RFC 9859 §4.3).
   */
  public static Result run(Path dir) throws Exception {
    ZonecutTypes.register();
    Sig0KeyPair receiverKey = Sig0KeyPair.generate(TARGET, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_HOST);
    Sig0KeyPair childKey = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_ZONE);
    ExecutorService executor = Executors.newFixedThreadPool(2);
    SQLiteDataSource database = new SQLiteDataSource();
    database.setUrl("jdbc:sqlite:" + dir.resolve("registry.db"));
    Path auditFile = dir.resolve("audit.jsonl");
    try (TestHierarchy dns = TestHierarchy.builder().zone("test.").zone("parent.test.")
            // at-apex bootstrap: the child publishes its KEY, signed, at its apex (ddns §9.4)
            .zone("child.parent.test.", z -> z.records(childKey.publicKey().toKeyRecord(300)))
            .start();
        NioDnsTransport transport = NioDnsTransport.create(executor);
        RegistryParent parent = start(PARENT, receiverKey, database, auditFile,
            KeyLookup.of(dns.validatingLookup(transport, executor).build()), executor,
            dns.clock())) {
      Name ns1 = Name.fromConstantString("ns1.child.parent.test.");
      parent.seed(List.of(Delegation.builder(CHILD).nameservers(ns1)
          .glue(ns1, InetAddress.getLoopbackAddress()).build()));
      // the child knows the target and its key here; ChildOperatorAgent discovers them
      UpdateTarget target = new UpdateTarget(PARENT, TARGET, List.of(parent.endpoint()),
          List.of(receiverKey.publicKey()));
      UpdateSender updates = UpdateSender.builder(transport, Delayer.using(executor))
          .sig0Config(Sig0Config.builder().clock(dns.clock()).build()).build();
      UpdateOutcome boot = updates.send(target,
          UpdateBuilder.of(PARENT).keyBootstrap(childKey.publicKey()), childKey)
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      boolean trusted = parent.trusts(childKey.publicKey());
      for (int i = 0; i < 1200 && !trusted; i++) { // at-apex validation runs in the background
        Thread.sleep(25);
        trusted = parent.trusts(childKey.publicKey());
      }
      NotifySender notifier = NotifySender.builder(transport,
          dns.dsyncDiscovery(dns.validatingLookup(transport, executor).build()).build()).build();
      NotifyOutcome notify = notifier.sendTo(CHILD, Type.CDS, List.of(parent.endpoint()))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      return new Result(boot, trusted, notify, parent.scansQueued(),
          Files.readAllLines(auditFile, StandardCharsets.UTF_8));
    } finally {
      executor.shutdownNow();
    }
  }

  private RegistryParent(DsyncServer server, JdbcDelegationBackend backend,
      TrustRegistry registry, ScanQueue scans, JsonLinesAudit audit) {
    this.server = server;
    this.backend = backend;
    this.registry = registry;
    this.scans = scans;
    this.audit = audit;
  }

  /**
   * Starts the parent of {@code zone} on 127.0.0.1 (an ephemeral port), answering with
   * {@code receiverKey} (its KEY is published at the DSYNC target name, ddns §9.3).
   *
   * @param validated DNSSEC-validated lookups, for the at-apex check of uploaded keys
   */
  public static RegistryParent start(Name zone, Sig0KeyPair receiverKey, DataSource database,
      Path auditFile, KeyLookup validated, Executor executor, Clock clock) throws Exception {
    JdbcDelegationBackend backend = JdbcDelegationBackend.open(database, clock); // makes tables
    TrustRegistry registry = new TrustRegistry(JdbcTrustStore.open(database),
        RegistryPolicy.of(VerificationPolicy.of(BootstrapMethod.AT_APEX)), clock);
    BootstrapCoordinator coordinator = atApex(registry, validated, executor, clock);
    JsonLinesAudit audit = new JsonLinesAudit(auditFile);
    Sig0Config sig0 = Sig0Config.builder().clock(clock).build();
    // one replay guard for UPDATEs and inquiries: neither can be replayed as the other
    Sig0ReplayGuard guard = Sig0ReplayGuard.create();
    UpdateReceiver updates = UpdateReceiver.builder(Set.of(zone), receiverKey, registry, backend,
            guard)
        .clock(clock)
        .verifierConfig(sig0)
        // at-apex needs no server list: the KEY is read through the validating lookup
        .bootstrap(coordinator, RegistryParent::noServerList)
        .listener(audit)
        .build();
    ScanQueue scans = ScanQueue.withCapacity(10_000); // a scanner drains it (RegistryCdsScan)
    NotifyReceiver notifies = NotifyReceiver.builder(scans).parentZones(zone).clock(clock)
        .listener(audit::onNotify)
        .build();
    KeyStateResponder keyState = KeyStateResponder.builder(registry, receiverKey)
        .signer(Sig0Signer.create(sig0)).clock(clock).replayGuard(guard)
        .listener(audit::onKeyState)
        .build();
    DsyncServer server = DsyncServer.builder(updates).notify(notifies::handle).keyState(keyState)
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .start();
    return new RegistryParent(server, backend, registry, scans, audit);
  }

  /**
   * The bootstrap coordinator both example parents use: a freshly uploaded key is validated
   * at-apex (ddns §9.4.1), its KEY read SECURE through {@code validated}, and then trusted.
   */
  static BootstrapCoordinator atApex(TrustRegistry registry, KeyLookup validated,
      Executor executor, Clock clock) {
    return new BootstrapCoordinator(registry, List.of(new AtApexVerifier(validated)),
        Delayer.using(executor), clock);
  }

  /** At-apex validation needs no server list: the KEY is read through the validating lookup. */
  static BootstrapCoordinator.Delegation noServerList(Name child) {
    return new BootstrapCoordinator.Delegation(List.of(), List.of());
  }

  /** Where the DSYNC target answers (UDP and TCP). */
  public DnsEndpoint endpoint() {
    return DnsEndpoint.of(server.address());
  }

  /** Loads the registry's current delegations (what it publishes today), once. */
  public void seed(List<Delegation> delegations) throws Exception {
    backend.seed(delegations);
  }

  /** The delegation the registry holds for {@code child}, if any. */
  public Delegation delegation(Name child) throws Exception {
    return backend.current(child).orElseThrow();
  }

  /** Whether the parent trusts {@code key} for UPDATEs (ddns §9.4). */
  public boolean trusts(Sig0PublicKey key) throws Exception {
    return registry.isTrusted(KeyIdentity.of(key));
  }

  /** How many children NOTIFYs have queued for a scan. */
  public int scansQueued() {
    return scans.size();
  }

  @Override
  public void close() throws IOException {
    server.close();
    audit.close();
  }
}
