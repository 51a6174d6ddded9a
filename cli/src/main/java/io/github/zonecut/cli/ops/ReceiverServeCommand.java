package io.github.zonecut.cli.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zonecut.cli.CliException;
import io.github.zonecut.cli.ExitCode;
import io.github.zonecut.cli.Inputs;
import io.github.zonecut.cli.Output;
import io.github.zonecut.cli.Session;
import io.github.zonecut.cli.ZonecutCommand;
import io.github.zonecut.cli.metrics.PrometheusEndpoint;
import io.github.zonecut.cli.metrics.ZonecutMetrics;
import io.github.zonecut.core.Delegation;
import io.github.zonecut.dsync.AcceptanceChecks;
import io.github.zonecut.dsync.AcceptancePolicy;
import io.github.zonecut.dsync.DelegationBackend;
import io.github.zonecut.dsync.DelegationChecks;
import io.github.zonecut.dsync.DsyncServer;
import io.github.zonecut.dsync.NotifyEvent;
import io.github.zonecut.dsync.NotifyReceiver;
import io.github.zonecut.dsync.Observer;
import io.github.zonecut.dsync.ScanEvent;
import io.github.zonecut.dsync.ScanQueue;
import io.github.zonecut.dsync.ScanRequest;
import io.github.zonecut.dsync.ScanService;
import io.github.zonecut.dsync.UpdateEvent;
import io.github.zonecut.dsync.UpdateReceiver;
import io.github.zonecut.keystate.AtApexVerifier;
import io.github.zonecut.keystate.BootstrapCoordinator;
import io.github.zonecut.keystate.BootstrapMethod;
import io.github.zonecut.keystate.KeyLookup;
import io.github.zonecut.keystate.KeyStateEvent;
import io.github.zonecut.keystate.KeyStateListener;
import io.github.zonecut.keystate.KeyStateResponder;
import io.github.zonecut.keystate.RegistryPolicy;
import io.github.zonecut.keystate.TrustRegistry;
import io.github.zonecut.keystate.VerificationPolicy;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0ReplayGuard;
import io.github.zonecut.sig0.Sig0Signer;
import io.github.zonecut.sig0.RrsigVerifier;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code zonecut receiver serve}: a standalone parent on one DSYNC target address (RFC 9859 §2;
 * ddns §5): the dsync {@link UpdateReceiver} (SIG(0)-signed UPDATEs: key bootstrap, delegation
 * changes, key rolls), the {@link NotifyReceiver} (NOTIFY(CDS/CSYNC), each scheduling one check of
 * the child that a {@link ScanService} worker runs) and the KeyState responder, behind one {@link
 * DsyncServer}. Uploaded keys are validated at the apex through the validating resolver (ddns
 * §9.4); changes pass the shared acceptance checks ({@link DelegationChecks}). Every request
 * becomes an audit line (JSON, {@code --audit}) and meters ({@code --metrics}). Stops cleanly on
 * SIGTERM or Ctrl-C.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Run a standalone parent: UPDATE (ddns), NOTIFY (RFC 9859) and KeyState receivers on one "
            + "UDP+TCP address, applying accepted changes to a backend.",
        "Stops cleanly on SIGTERM (or Ctrl-C)."})
public final class ReceiverServeCommand extends ZonecutCommand {

  @Option(names = "--listen", required = true, paramLabel = "ADDR:PORT",
      description = "Where to serve UPDATE, NOTIFY and KeyState (UDP and TCP; port 0: any).")
  private String listen = "";

  @Option(names = "--zone", required = true, paramLabel = "PARENT",
      description = "A parent zone served here (repeatable).")
  private List<String> zones = new ArrayList<>();

  @Option(names = "--key", required = true, paramLabel = "KBASE",
      description = "The receiver's SIG(0) key (BIND KBASE.key/.private), owned by the DSYNC "
          + "target name, whose KEY the parent publishes there (ddns §9.3).")
  private String key = "";

  @Option(names = "--backend", paramLabel = "SPEC", defaultValue = "memory",
      description = "Where delegations live: " + Backends.SYNTAX + " (default ${DEFAULT-VALUE}).")
  private String backendSpec = "memory";

  @Option(names = "--trust", paramLabel = "SPEC", defaultValue = "memory",
      description = "Where the children's SIG(0) keys and their verification state live: "
          + Backends.TRUST_SYNTAX + " (default ${DEFAULT-VALUE}: lost on exit; a database keeps "
          + "trusted keys across restarts).")
  private String trustSpec = "memory";

  @Option(names = "--delegations", paramLabel = "FILE",
      description = "Seed the backend with the NS, DS and glue records of this zone file.")
  private @Nullable Path delegations;

  @Option(names = "--policy", paramLabel = "NAME", defaultValue = "default",
      description = "Acceptance rules for changes: " + Backends.POLICIES
          + " (default ${DEFAULT-VALUE}).")
  private String policyName = "default";

  @Option(names = "--allow-key-roll",
      description = "Accept a key roll signed by the child's trusted key (ddns §9.6); by "
          + "default a new key must be bootstrapped like the first.")
  private boolean allowKeyRoll;

  @Option(names = "--audit", paramLabel = "FILE",
      description = "Append one JSON line per request and scan result to FILE.")
  private @Nullable Path audit;

  @Option(names = "--metrics", paramLabel = "ADDR:PORT",
      description = "Serve Prometheus metrics at http://ADDR:PORT/metrics (keep it on loopback).")
  private @Nullable String metrics;

  private final CountDownLatch stopping = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CompletableFuture<Started> started = new CompletableFuture<>();

  /** For picocli. */
  public ReceiverServeCommand() {}

  /**
   * Where the parent serves, once it does.
   *
   * @param dsync the UPDATE/NOTIFY/KeyState address
   * @param metrics the metrics address, when serving metrics
   */
  public record Started(InetSocketAddress dsync, Optional<InetSocketAddress> metrics) {}

  /** Completes when the parent serves (or fails if it could not start). */
  public CompletionStage<Started> started() {
    return started;
  }

  /** Stops serving (what SIGTERM does) and waits, at most 15 s, until everything is closed. */
  public void stop() {
    stopping.countDown();
    try {
      stopped.await(15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  protected ExitCode run(Session session, Output out) throws Exception {
    try {
      return serve(session, out);
    } catch (Exception | Error e) {
      started.completeExceptionally(e);
      throw e;
    } finally {
      stopped.countDown();
    }
  }

  private ExitCode serve(Session session, Output out) throws Exception {
    InetSocketAddress at = Ops.bindAddress(listen, "--listen");
    Set<Name> served = new LinkedHashSet<>();
    for (String z : zones) {
      served.add(Inputs.name(z, "--zone"));
    }
    Sig0KeyPair receiverKey = Ops.keyPair(key, "--key");
    AcceptancePolicy policy = Backends.policy(policyName);
    InetSocketAddress metricsAt = null;
    String m = metrics;
    if (m != null) {
      metricsAt = Ops.bindAddress(m, "--metrics");
    }
    Name first = served.iterator().next();
    if (backendSpec.startsWith("tsig:") && served.size() > 1) {
      throw CliException.usage("--backend tsig: writes one zone: give one --zone");
    }
    DelegationBackend backend = Backends.open(backendSpec, first, session);
    Path seed = delegations;
    if (seed != null) {
      List<Delegation> ds = Backends.delegations(seed);
      for (Delegation d : ds) {
        if (served.stream().noneMatch(z -> d.child().subdomain(z) && !d.child().equals(z))) {
          throw CliException.usage("--delegations: " + d.child() + " is not below "
              + served);
        }
      }
      Backends.seed(backend, ds);
    }

    Sig0Config sig0 = Ops.sig0(session);
    // one guard for UPDATEs and inquiries: neither can be replayed as the other
    Sig0ReplayGuard guard = Sig0ReplayGuard.create();
    TrustRegistry registry = new TrustRegistry(Backends.trustStore(trustSpec),
        new RegistryPolicy(VerificationPolicy.of(BootstrapMethod.AT_APEX, BootstrapMethod.MANUAL),
            RegistryPolicy.DEFAULT_ALGORITHMS, allowKeyRoll),
        session.clock());
    BootstrapCoordinator coordinator = new BootstrapCoordinator(registry,
        List.of(new AtApexVerifier(KeyLookup.of(session.lookup()))), Ops.delayer(session),
        session.clock());
    RrsigVerifier verifier = RrsigVerifier.defaults(); // one key cache for every check
    Observer observer = Observer.builder(session.transport(), session.lookup())
        .overrides(session.overrides()).clock(session.clock()).timeout(Duration.ofSeconds(5))
        .rrsigVerifier(verifier).build();

    PrometheusMeterRegistry meters = metricsAt == null ? null
        : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ZonecutMetrics zm = meters == null ? null : new ZonecutMetrics(meters, session.clock());
    AuditLog log = audit == null ? null : openAudit(audit);
    Consumer<UpdateEvent> onUpdate = e -> {
      if (zm != null) {
        zm.updateListener().onEvent(e);
      }
      if (log != null) {
        log.update(e);
      }
      narrate(out, e);
    };
    Consumer<NotifyEvent> onNotify = e -> {
      if (zm != null) {
        zm.notifyListener().accept(e);
      }
      if (log != null) {
        log.notify(e);
      }
      out.emit(AuditLog.notifyJson(e));
      out.line("NOTIFY(%s) %s from %s: %s", e.type() < 0 ? "?" : Type.string(e.type()),
          e.child().map(Name::toString).orElse("?"), e.source().getHostAddress(), e.outcome());
    };
    KeyStateListener onKeyState = e -> {
      if (zm != null) {
        zm.keyStateListener().onEvent(e);
      }
      if (log != null) {
        log.keyState(e);
      }
      narrate(out, e);
    };
    Consumer<ScanEvent> onScan = e -> {
      if (zm != null) {
        zm.scanListener().accept(e);
      }
      if (log != null) {
        log.scan(e);
      }
      ObjectNode j = AuditLog.scanJson(e).put("kind", "scan");
      out.emit(j);
      out.line("scan %s %s: %s%s", Type.string(e.type()), e.child(), e.getClass().getSimpleName(),
          j.has("detail") ? " — " + j.get("detail").asText() : "");
    };

    UpdateReceiver receiver = UpdateReceiver.builder(served, receiverKey, registry, backend, guard)
        .clock(session.clock())
        .verifierConfig(sig0)
        .signer(Sig0Signer.create(sig0))
        .listener(onUpdate::accept)
        .check(DelegationChecks.of(policy, verifier).asChangeCheck(observer, Duration.ofSeconds(30)))
        .bootstrap(coordinator, c -> new BootstrapCoordinator.Delegation(List.of(), List.of()))
        .build();
    KeyStateResponder keyState = KeyStateResponder.builder(registry, receiverKey)
        .signer(Sig0Signer.create(sig0)).verifierConfig(sig0).clock(session.clock())
        .replayGuard(guard).listener(onKeyState).build();
    ScanQueue queue = ScanQueue.withCapacity(10_000);
    NotifyReceiver notifies = NotifyReceiver.builder(queue)
        .parentZones(served.toArray(new Name[0])).clock(session.clock())
        .listener(onNotify).build();
    ScanService scans = ScanService.builder(observer, AcceptanceChecks.of(policy, verifier), backend)
        .clock(session.clock()).listener(onScan).build();

    Thread hook = new Thread(this::stop, "zonecut-receiver-shutdown");
    PrometheusEndpoint endpoint = null;
    Thread worker = null;
    try (DsyncServer server = DsyncServer.builder(receiver).keyState(keyState)
        .notify(notifies::handle).bind(at)
        .start()) {
      if (zm != null && meters != null && metricsAt != null) {
        zm.watch(server);
        endpoint = PrometheusEndpoint.start(metricsAt, meters);
      }
      worker = new Thread(() -> scanLoop(queue, scans), "zonecut-receiver-scans");
      worker.setDaemon(true);
      worker.start();
      Runtime.getRuntime().addShutdownHook(hook);
      InetSocketAddress bound = server.address();
      Optional<InetSocketAddress> metricsBound = endpoint == null ? Optional.empty()
          : Optional.of(endpoint.address());
      out.line("serving %s on %s (UDP+TCP: UPDATE, NOTIFY, KeyState), receiver key %s tag %d,"
              + " backend %s, policy %s%s", served, format(bound), receiverKey.publicKey().owner(),
          receiverKey.publicKey().keyTag(), Backends.redact(backendSpec), policy.name(),
          metricsBound.map(a -> ", metrics http://" + format(a) + "/metrics").orElse(""));
      ObjectNode s = out.object().put("event", "serving").put("listen", format(bound))
          .put("receiverKeyTag", receiverKey.publicKey().keyTag())
          .put("backend", Backends.redact(backendSpec)).put("policy", policy.name());
      metricsBound.ifPresent(a -> s.put("metrics", "http://" + format(a) + "/metrics"));
      out.emit(s);
      started.complete(new Started(bound, metricsBound));
      stopping.await();
    } finally {
      if (worker != null) {
        worker.interrupt();
      }
      if (endpoint != null) {
        endpoint.close();
      }
      if (log != null) {
        log.close();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException | IllegalArgumentException e) {
        // the JVM is shutting down (the hook is running), or the hook was never added
      }
    }
    out.line("stopped");
    out.emit(out.object().put("event", "stopped"));
    return ExitCode.OK;
  }

  private static AuditLog openAudit(Path file) throws CliException {
    try {
      return AuditLog.append(file);
    } catch (IOException e) {
      throw CliException.usage("cannot open --audit file " + file + ": "
          + Inputs.oneLine(e.getMessage()));
    }
  }

  /** Runs the checks NOTIFYs scheduled, one at a time, until interrupted. */
  private static void scanLoop(ScanQueue queue, ScanService scans) {
    while (!Thread.currentThread().isInterrupted()) {
      Optional<ScanRequest> next = queue.poll();
      try {
        if (next.isEmpty()) {
          Thread.sleep(100);
          continue;
        }
        scans.scan(next.get()).toCompletableFuture().get(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // ScanService reports failures as events; a timeout leaves the child to the next NOTIFY
      }
    }
  }

  private static void narrate(Output out, UpdateEvent e) {
    out.emit(AuditLog.updateJson(e));
    out.line("UPDATE %s from %s%s: %s, answered %s%s", e.child() == null ? "?" : e.child(),
        e.source().getHostAddress(),
        e.signerKey() == null ? ", unsigned" : ", key tag " + e.signerKey().keyTag(),
        e.outcome(), e.rcode() < 0 ? "nothing" : Ops.rcode(e.rcode()),
        e.detail().isEmpty() ? "" : " — " + e.detail());
  }

  private static void narrate(Output out, KeyStateEvent e) {
    out.emit(AuditLog.keyStateJson(e));
    KeyStateEvent.KeyRef key = e.key();
    out.line("KeyState %s from %s%s%s: %s, answered %s%s%s", e.child() == null ? "?" : e.child(),
        e.source().getHostAddress(),
        key == null ? "" : " about key tag " + key.keyTag(),
        e.signerKey() == null ? ", no verified key" : ", signed by key tag " + e.signerKey().keyTag(),
        e.outcome(), e.rcode() < 0 ? "nothing" : Ops.rcode(e.rcode()),
        e.keyState() == null ? "" : " " + e.keyState(),
        e.detail().isEmpty() ? "" : " — " + e.detail());
  }

  private static String format(InetSocketAddress a) {
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }
}
