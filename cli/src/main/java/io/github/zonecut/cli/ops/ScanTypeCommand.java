package io.github.zonecut.cli.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zonecut.cli.CliException;
import io.github.zonecut.cli.ExitCode;
import io.github.zonecut.cli.Output;
import io.github.zonecut.cli.Session;
import io.github.zonecut.cli.ZonecutCommand;
import io.github.zonecut.cli.metrics.PrometheusEndpoint;
import io.github.zonecut.cli.metrics.ZonecutMetrics;
import io.github.zonecut.core.CsyncRecord;
import io.github.zonecut.dsync.AcceptanceChecks;
import io.github.zonecut.dsync.DelegationBackend;
import io.github.zonecut.dsync.Observer;
import io.github.zonecut.dsync.ScanEvent;
import io.github.zonecut.dsync.ScanService;
import io.github.zonecut.dsync.Scanner;
import io.github.zonecut.sig0.RrsigVerifier;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;
import picocli.CommandLine.Option;

/**
 * {@code zonecut scan cds} and {@code zonecut scan csync}: a registry's bulk check of its
 * children's CDS/CDNSKEY (RFC 7344, RFC 8078, RFC 9615) or CSYNC (RFC 7477) signals with the
 * dsync {@link Scanner} (bounded concurrency, a deadline per child, retries, a resumable
 * checkpoint) over a {@link ScanService} (observe every server, apply the acceptance checks,
 * apply accepted changes to the backend). A progress bar on a terminal, JSON lines otherwise.
 */
abstract class ScanTypeCommand extends ZonecutCommand {

  @Option(names = "--children", required = true, paramLabel = "FILE",
      description = "The children to check: one name per line ('#' comments, blank lines "
          + "skipped).")
  private Path children = Path.of("");

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "16",
      description = "Children checked at once, 1-1024 (default ${DEFAULT-VALUE}).")
  private int concurrency;

  @Option(names = "--checkpoint", paramLabel = "FILE",
      description = "Record each result here and resume from it: a rerun skips the children "
          + "already done (same input, same order).")
  private @Nullable Path checkpoint;

  @Option(names = "--backend", paramLabel = "SPEC", defaultValue = "memory",
      description = "The registry's delegations, where accepted changes go: " + Backends.SYNTAX
          + " (default ${DEFAULT-VALUE}: nothing is kept).")
  private String backendSpec = "memory";

  @Option(names = "--delegations", paramLabel = "FILE",
      description = "Seed the backend with the NS, DS and glue records of this zone file (a "
          + "child the backend does not delegate is refused NOT_DELEGATED).")
  private @Nullable Path delegations;

  @Option(names = "--policy", paramLabel = "NAME", defaultValue = "default",
      description = "Acceptance rules: " + Backends.POLICIES + " (default ${DEFAULT-VALUE}).")
  private String policyName = "default";

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "Deadline of each child's check (default ${DEFAULT-VALUE}).")
  private long timeout;

  @Option(names = "--metrics", paramLabel = "ADDR:PORT",
      description = "Serve Prometheus metrics at http://ADDR:PORT/metrics while scanning.")
  private @Nullable String metrics;

  /** For subclasses. */
  ScanTypeCommand() {}

  /** {@link Type#CDS} or {@link CsyncRecord#TYPE}. */
  abstract int type();

  @Override
  protected final ExitCode run(Session session, Output given) throws Exception {
    // a progress bar on a terminal, JSON lines otherwise (a pipe, a file, --json)
    boolean bar = System.console() != null && !given.json();
    Output out = bar ? given : new Output(spec().commandLine().getOut(), true);
    if (concurrency < 1 || concurrency > 1024) {
      throw CliException.usage("bad --concurrency " + concurrency + ": 1 to 1024");
    }
    if (timeout < 1 || timeout > 600) {
      throw CliException.usage("bad --timeout " + timeout + ": 1 to 600 s");
    }
    if (!Files.isRegularFile(children)) {
      throw CliException.usage("children file " + children + " does not exist");
    }
    Name zoneHint = Name.root;
    DelegationBackend backend = Backends.open(backendSpec, zoneHint, session);
    Path seed = delegations;
    if (seed != null) {
      Backends.seed(backend, Backends.delegations(seed));
    }
    InetSocketAddress metricsAt = null;
    String m = metrics;
    if (m != null) {
      metricsAt = Ops.bindAddress(m, "--metrics");
    }
    PrometheusMeterRegistry meters = metricsAt == null ? null
        : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ZonecutMetrics zm = meters == null ? null : new ZonecutMetrics(meters, session.clock());

    RrsigVerifier verifier = RrsigVerifier.defaults(); // one key cache for both
    Observer observer = Observer.builder(session.transport(), session.lookup())
        .overrides(session.overrides()).clock(session.clock()).timeout(Duration.ofSeconds(5))
        .rrsigVerifier(verifier).build();
    ScanService.Builder sb = ScanService.builder(observer,
        AcceptanceChecks.of(Backends.policy(policyName), verifier), backend).clock(session.clock());
    if (zm != null) {
      sb.listener(zm.scanListener());
    }
    ScanService service = sb.build();
    int t = type();
    PrintWriter err = spec().commandLine().getErr();
    ProgressBar progressBar = new ProgressBar(session.clock());
    Consumer<Scanner.Progress> progress = p -> {
      if (zm != null) {
        zm.progressListener().accept(p);
      }
      if (bar) {
        progressBar.update(p).ifPresent(line -> {
          err.print("\r" + line);
          err.flush();
        });
      }
    };
    Scanner.Builder scanner = Scanner.builder(child -> service.scan(child, t))
        .concurrency(concurrency).timeout(Duration.ofSeconds(timeout)).clock(session.clock())
        .delayer(Ops.delayer(session)).listener(progress);
    Path ckpt = checkpoint;
    if (ckpt != null) {
      scanner.checkpoint(ckpt);
    }
    Map<String, Long> outcomes = new TreeMap<>();
    AtomicLong failed = new AtomicLong();
    Consumer<Scanner.Result> sink = r -> {
      synchronized (outcomes) {
        outcomes.merge(r.outcome(), 1L, Long::sum);
      }
      if (r.outcome().startsWith("Failed")) {
        failed.incrementAndGet();
      }
      if (bar) {
        if (r.isError()) {
          // above the bar: the children that need a look
          err.print("\r\033[K");
          out.line("%s %s: %s%s", Type.string(t), r.child(), r.outcome(),
              r.detail().isEmpty() ? "" : " — " + r.detail());
        }
      } else {
        ObjectNode o = r.event().map(AuditLog::scanJson).orElse(out.object());
        o.put("index", r.index()).put("child", r.child()).put("outcome", r.outcome())
            .put("attempts", r.attempts());
        if (!o.has("detail")) {
          o.put("detail", r.detail());
        }
        out.emit(o);
      }
    };
    PrometheusEndpoint endpoint = null;
    Scanner.Progress done;
    try {
      if (meters != null && metricsAt != null) {
        endpoint = PrometheusEndpoint.start(metricsAt, meters);
        out.line("metrics at http://%s:%d/metrics", endpoint.address().getAddress()
            .getHostAddress(), endpoint.address().getPort());
      }
      done = scanner.build().run(children, sink);
    } finally {
      if (endpoint != null) {
        endpoint.close();
      }
    }
    if (bar) {
      err.println("\r" + progressBar.render(done));
      err.flush();
    }
    ObjectNode summary = out.object().put("event", "summary").put("type", Type.string(t))
        .put("done", done.done()).put("total", done.total()).put("resumed", done.resumed())
        .put("retries", done.retries());
    ObjectNode byOutcome = summary.putObject("outcomes");
    outcomes.forEach(byOutcome::put);
    out.emit(summary);
    out.line("%d of %d children checked (%d from the checkpoint), %d retries: %s", done.done(),
        done.total(), done.resumed(), done.retries(), outcomes);
    return failed.get() == 0 ? ExitCode.OK : ExitCode.NEGATIVE;
  }
}
