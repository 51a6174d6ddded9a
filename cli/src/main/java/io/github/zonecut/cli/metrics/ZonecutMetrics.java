package io.github.zonecut.cli.metrics;

import io.github.zonecut.dsync.DelegationBackend;
import io.github.zonecut.dsync.DsyncServer;
import io.github.zonecut.dsync.NotifyEvent;
import io.github.zonecut.dsync.ScanEvent;
import io.github.zonecut.dsync.Scanner;
import io.github.zonecut.dsync.UpdateEvent;
import io.github.zonecut.dsync.UpdateListener;
import io.github.zonecut.keystate.KeyStateEvent;
import io.github.zonecut.keystate.KeyStateListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Micrometer meters fed by zonecut's event listeners, for a parent running the dsync UPDATE and
 * NOTIFY receivers and the KeyState responder (draft-ietf-dnsop-delegation-mgmt-via-ddns §11 asks
 * operators to see why a parent refused; RFC 9859 §5 asks for rate limits on NOTIFY) and for a
 * registry's bulk CDS/CSYNC scan. Nothing here touches the network: the receivers' and the scanner's own listeners are the
 * only source, so a host embedding the library binds the same meters by handing these listeners
 * to its own receivers:
 *
 * <pre>{@code
 * ZonecutMetrics metrics = new ZonecutMetrics(registry, clock);
 * UpdateReceiver receiver = UpdateReceiver.builder(...).clock(clock)
 *     .listener(metrics.updateListener()).build();
 * NotifyReceiver notifies = NotifyReceiver.builder(queue).clock(clock)
 *     .listener(metrics.notifyListener()).build();
 * KeyStateResponder keyState = KeyStateResponder.builder(trust, receiverKey).clock(clock)
 *     .listener(metrics.keyStateListener()).build();
 * }</pre>
 *
 * <p>Meters (Prometheus names in brackets):
 *
 * <ul>
 *   <li>{@code zonecut.requests} [{@code zonecut_requests_total}] tags {@code kind}
 *       ({@code update}, {@code notify}, {@code keystate}) and {@code outcome} (the event's
 *       outcome, lower case);
 *   <li>{@code zonecut.responses} [{@code zonecut_responses_total}] tags {@code kind} and
 *       {@code rcode} ({@code NOERROR}, {@code REFUSED}, {@code BADKEY}…, {@code none} when
 *       nothing was answered);
 *   <li>{@code zonecut.request.latency} [{@code zonecut_request_latency_seconds}] tag {@code
 *       kind}: from the receiver's clock reading when it started handling a request to its event;
 *   <li>{@code zonecut.rate.limited} [{@code zonecut_rate_limited_total}] tag {@code kind}:
 *       requests refused (or, for KeyState over a source's rate, dropped) for a per-source or
 *       per-child rate (or a full scan queue);
 *   <li>{@code zonecut.backend.results} [{@code zonecut_backend_results_total}] tags {@code
 *       source} ({@code update}, {@code scan}) and {@code result} ({@code applied}, {@code
 *       queued}, {@code already_applied}, {@code conflict}, {@code rejected});
 *   <li>{@code zonecut.server.dropped} [{@code zonecut_server_dropped_total}]: requests a {@link
 *       DsyncServer} dropped because its workers and queue were full ({@link #watch});
 *   <li>{@code zonecut.scan.results} [{@code zonecut_scan_results_total}] tags {@code type}
 *       ({@code CDS}, {@code CSYNC}) and {@code outcome} (the final {@link ScanEvent}'s kind);
 *   <li>{@code zonecut.scan.done}, {@code zonecut.scan.children}, {@code zonecut.scan.resumed},
 *       {@code zonecut.scan.errors}, {@code zonecut.scan.retries} and {@code zonecut.scan.rate}
 *       (children per second) gauges from the {@link Scanner}'s progress.
 * </ul>
 *
 * <p>Tags hold no secret and no child name (a name per child would grow without bound).
 */
public final class ZonecutMetrics {
  private static final String NONE = "none";

  private final MeterRegistry registry;
  private final Clock clock;
  private final AtomicReference<Scanner.Progress> progress = new AtomicReference<>(
      new Scanner.Progress(0, -1, 0, 0, java.util.Map.of(), 0));

  /**
   * Meters in {@code registry}; {@code clock} must be the clock the receivers are built with (the
   * latency is measured against the instant their events carry).
   */
  public ZonecutMetrics(MeterRegistry registry, Clock clock) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The registry the meters live in. */
  public MeterRegistry registry() {
    return registry;
  }

  /** A listener for {@link io.github.zonecut.dsync.UpdateReceiver.Builder#listener}. */
  public UpdateListener updateListener() {
    return this::onUpdate;
  }

  /** A listener for {@link io.github.zonecut.dsync.NotifyReceiver.Builder#listener}. */
  public Consumer<NotifyEvent> notifyListener() {
    return this::onNotify;
  }

  /** A listener for {@link io.github.zonecut.keystate.KeyStateResponder.Builder#listener}. */
  public KeyStateListener keyStateListener() {
    return this::onKeyState;
  }

  /** A listener for {@link io.github.zonecut.dsync.ScanService.Builder#listener}. */
  public Consumer<ScanEvent> scanListener() {
    return this::onScan;
  }

  /**
   * A listener for {@link Scanner.Builder#listener}: the scan's progress as gauges. Registers the
   * gauges on first use.
   */
  public Consumer<Scanner.Progress> progressListener() {
    registerProgressGauges();
    return progress::set;
  }

  /** Counts the requests {@code server} drops when its workers are saturated. */
  public void watch(DsyncServer server) {
    FunctionCounter.builder("zonecut.server.dropped", server, DsyncServer::dropped)
        .description("requests dropped because every worker was busy and the queue full")
        .register(registry);
  }

  private void onUpdate(UpdateEvent e) {
    String outcome = e.outcome().name().toLowerCase(Locale.ROOT);
    request("update", outcome, e.rcode());
    latency("update", Duration.between(e.time(), clock.instant()));
    if (e.outcome() == UpdateEvent.Outcome.RATE_LIMITED) {
      rateLimited("update");
    }
    DelegationBackend.ApplyResult r = e.backendResult();
    if (r != null) {
      backend("update", r);
    }
  }

  private void onNotify(NotifyEvent e) {
    String outcome = e.outcome().name().toLowerCase(Locale.ROOT);
    request("notify", outcome, e.rcode());
    latency("notify", Duration.between(e.at(), clock.instant()));
    if (e.outcome() == NotifyEvent.Outcome.RATE_LIMITED
        || e.outcome() == NotifyEvent.Outcome.QUEUE_FULL) {
      rateLimited("notify");
    }
  }

  private void onKeyState(KeyStateEvent e) {
    String outcome = e.outcome().name().toLowerCase(Locale.ROOT);
    request("keystate", outcome, e.rcode());
    latency("keystate", Duration.between(e.time(), clock.instant()));
    if (e.outcome() == KeyStateEvent.Outcome.CHILD_RATE_LIMITED
        || e.outcome() == KeyStateEvent.Outcome.SOURCE_RATE_LIMITED) {
      rateLimited("keystate");
    }
  }

  private void onScan(ScanEvent e) {
    if (e instanceof ScanEvent.SignalSeen || e instanceof ScanEvent.Accepted) {
      return; // intermediate: each check ends in exactly one final event
    }
    Counter.builder("zonecut.scan.results")
        .description("final results of CDS/CDNSKEY/CSYNC checks")
        .tag("type", Type.string(e.type()))
        .tag("outcome", e.getClass().getSimpleName().toLowerCase(Locale.ROOT))
        .register(registry).increment();
    if (e instanceof ScanEvent.Applied a) {
      backend("scan", a.result());
    }
  }

  private void request(String kind, String outcome, int rcode) {
    Counter.builder("zonecut.requests").description("requests handled, by kind and outcome")
        .tag("kind", kind).tag("outcome", outcome).register(registry).increment();
    Counter.builder("zonecut.responses").description("answers sent, by kind and RCODE")
        .tag("kind", kind).tag("rcode", rcode < 0 ? NONE : rcodeName(rcode))
        .register(registry).increment();
  }

  private void latency(String kind, Duration d) {
    Timer.builder("zonecut.request.latency")
        .description("time from the start of handling a request to its audit event")
        .tag("kind", kind).register(registry).record(d.isNegative() ? Duration.ZERO : d);
  }

  private void rateLimited(String kind) {
    Counter.builder("zonecut.rate.limited")
        .description("requests refused for a rate limit or a full queue")
        .tag("kind", kind).register(registry).increment();
  }

  private void backend(String source, DelegationBackend.ApplyResult r) {
    String result;
    if (r instanceof DelegationBackend.ApplyResult.Applied) {
      result = "applied";
    } else if (r instanceof DelegationBackend.ApplyResult.Queued) {
      result = "queued";
    } else if (r instanceof DelegationBackend.ApplyResult.AlreadyApplied) {
      result = "already_applied";
    } else if (r instanceof DelegationBackend.ApplyResult.Conflict) {
      result = "conflict";
    } else {
      result = "rejected";
    }
    Counter.builder("zonecut.backend.results").description("what the delegation backend reported")
        .tag("source", source).tag("result", result).register(registry).increment();
  }

  private static String rcodeName(int rcode) {
    // dnsjava names the SIG(0)/TSIG extended codes (16 BADSIG/BADVERS, 17 BADKEY, 18 BADTIME)
    return rcode == 16 ? "BADSIG" : Rcode.string(rcode);
  }

  private void registerProgressGauges() {
    gauge("zonecut.scan.done", "children with a result (including resumed ones)",
        p -> p.done());
    gauge("zonecut.scan.children", "children in the input (-1 when unknown)", p -> p.total());
    gauge("zonecut.scan.resumed", "children whose result came from the checkpoint",
        p -> p.resumed());
    gauge("zonecut.scan.rate", "children checked per second in this run", p -> p.perSecond());
    gauge("zonecut.scan.errors", "children whose outcome is an error",
        p -> p.errorsByKind().values().stream().mapToLong(Long::longValue).sum());
    gauge("zonecut.scan.retries", "retries made in this run", p -> p.retries());
  }

  private void gauge(String name, String description,
      java.util.function.ToDoubleFunction<Scanner.Progress> f) {
    Gauge.builder(name, progress, ref -> f.applyAsDouble(ref.get())).description(description)
        .strongReference(true).register(registry);
  }
}
