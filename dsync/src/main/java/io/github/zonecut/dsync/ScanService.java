package io.github.zonecut.dsync;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.LookupResult;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * One check of a child's signals, end to end (RFC 9859 §4.3: "the same lookups and checks it would
 * run on a timer"): the parent's delegation from the {@link DelegationBackend}, {@link
 * Observer#observe observations} of every server of the child, the {@link AcceptanceChecks}
 * decision, and on acceptance the {@link DelegationChange} applied through the same backend as
 * the UPDATE path. Every state is reported as a {@link ScanEvent}; the stage completes with the
 * final one and never exceptionally.
 *
 * <p>The RFC 8078 §3.3 accept-after-delay history is kept in a {@link HistoryStore} (in memory by
 * default; persist it for delays spanning restarts).
 */
public final class ScanService {
  private static final Logger LOG = LoggerFactory.getLogger(ScanService.class);

  private final Observer observer;
  private final AcceptanceChecks checks;
  private final DelegationBackend backend;
  private final Clock clock;
  private final Consumer<ScanEvent> listener;
  private final Supplier<String> ids;
  private final HistoryStore histories;
  private final @Nullable ErrorReporter reporter;

  private ScanService(Builder b) {
    this.observer = b.observer;
    this.checks = b.checks;
    this.backend = b.backend;
    this.clock = b.clock;
    this.listener = b.listener;
    this.ids = b.ids;
    this.histories = b.histories;
    this.reporter = b.reporter;
  }

  /** A builder over the observer, the checks and the backend. */
  public static Builder builder(Observer observer, AcceptanceChecks checks,
      DelegationBackend backend) {
    return new Builder(observer, checks, backend);
  }

  /**
   * Where the accept-after-delay state of children lives between checks (RFC 8078 §3.3): the
   * {@link Decision.Pending#history()} of one check is handed to the next.
   */
  public interface HistoryStore {
    /** The history saved for {@code child}, if any. */
    Optional<BootstrapHistory> load(Name child);

    /** Saves {@code history} for its child. */
    void save(BootstrapHistory history);

    /** Forgets {@code child}'s history (the signal was accepted, refused or withdrawn). */
    void clear(Name child);

    /** A store in memory (lost on restart). */
    static HistoryStore inMemory() {
      Map<Name, BootstrapHistory> map = new ConcurrentHashMap<>();
      return new HistoryStore() {
        @Override
        public Optional<BootstrapHistory> load(Name child) {
          return Optional.ofNullable(map.get(child));
        }

        @Override
        public void save(BootstrapHistory history) {
          map.put(history.child(), history);
        }

        @Override
        public void clear(Name child) {
          map.remove(child);
        }
      };
    }
  }

  /** Checks {@code request}'s child now. */
  public CompletionStage<ScanEvent> scan(ScanRequest request) {
    Name child = request.child();
    int type = request.type();
    Optional<Delegation> current;
    try {
      current = backend.current(child);
    } catch (BackendException | RuntimeException e) {
      return CompletableFuture.completedFuture(emit(new ScanEvent.Failed(child, type,
          clock.instant(), "backend", "reading the delegation failed: " + e.getMessage())));
    }
    CompletionStage<Observations> observed;
    try {
      observed = observer.observe(child, current);
    } catch (RuntimeException e) {
      observed = CompletableFuture.failedFuture(e);
    }
    return observed.handle((obs, failure) -> {
      if (failure != null) {
        return emit(new ScanEvent.Failed(child, type, clock.instant(), "observe",
            String.valueOf(failure)));
      }
      try {
        return decide(obs, type);
      } catch (RuntimeException e) {
        LOG.warn("check of {} failed", child, e);
        return emit(new ScanEvent.Failed(child, type, clock.instant(), "internal",
            String.valueOf(e)));
      }
    });
  }

  /** Checks {@code child}'s CDS/CDNSKEY ({@link Type#CDS}) or CSYNC now. */
  public CompletionStage<ScanEvent> scan(Name child, int type) {
    return scan(new ScanRequest(child, type));
  }

  private ScanEvent decide(Observations obs, int type) {
    Name child = obs.child();
    if (signalSeen(obs, type)) {
      emit(new ScanEvent.SignalSeen(child, type, clock.instant()));
    }
    Decision decision = type == Type.CDS ? checks.cds(obs, histories.load(child))
        : checks.csync(obs);
    Instant at = clock.instant();
    if (decision instanceof Decision.NoChange) {
      histories.clear(child);
      return emit(new ScanEvent.NoChange(child, type, at,
          ((Decision.NoChange) decision).detail()));
    }
    if (decision instanceof Decision.Pending) {
      Decision.Pending p = (Decision.Pending) decision;
      p.history().ifPresent(histories::save);
      return emit(new ScanEvent.Pending(child, type, at, p.reason(), p.detail(), p.proposed()));
    }
    if (decision instanceof Decision.Refused) {
      Decision.Refused r = (Decision.Refused) decision;
      histories.clear(child);
      ScanEvent refused = emit(new ScanEvent.Refused(child, type, at, r.reason(), r.detail()));
      if (reporter != null) {
        // RFC 9567 §6.1.1, when the NOTIFY named an agent domain; never delays the scan
        reporter.refused(child, type, r.reason(), obs.current());
      }
      return refused;
    }
    Decision.Accept accept = (Decision.Accept) decision;
    DelegationChange change = accept.toChange(ids.get(), DelegationChange.Source.SCAN, at);
    emit(new ScanEvent.Accepted(child, type, at, change, accept.summary()));
    histories.clear(child);
    DelegationBackend.ApplyResult result;
    try {
      result = backend.apply(change);
    } catch (BackendException | RuntimeException e) {
      return emit(new ScanEvent.Failed(child, type, clock.instant(), "backend",
          "applying " + change.id() + " failed: " + e.getMessage()));
    }
    if (result instanceof DelegationBackend.ApplyResult.Conflict) {
      return emit(new ScanEvent.Failed(child, type, clock.instant(), "conflict",
          ((DelegationBackend.ApplyResult.Conflict) result).reason()));
    }
    if (result instanceof DelegationBackend.ApplyResult.Rejected) {
      return emit(new ScanEvent.Failed(child, type, clock.instant(), "rejected",
          ((DelegationBackend.ApplyResult.Rejected) result).reason()));
    }
    return emit(new ScanEvent.Applied(child, type, clock.instant(), change, result));
  }

  /** Whether a server publishes the signal (CDS or CDNSKEY for a CDS check). */
  private static boolean signalSeen(Observations obs, int type) {
    int[] types = type == Type.CDS ? new int[] {Type.CDS, Type.CDNSKEY} : new int[] {type};
    for (ServerObservation s : obs.servers()) {
      if (s instanceof ServerObservation.Reached) {
        for (int t : types) {
          if (((ServerObservation.Reached) s).result(obs.child(), t).orElse(null)
              instanceof LookupResult.Answer) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private ScanEvent emit(ScanEvent event) {
    if (event instanceof ScanEvent.Refused || event instanceof ScanEvent.Failed) {
      LOG.info("scan {} {}: {}", event.child(), Type.string(event.type()), event);
    } else {
      LOG.debug("scan {} {}: {}", event.child(), Type.string(event.type()),
          event.getClass().getSimpleName());
    }
    try {
      listener.accept(event);
    } catch (RuntimeException e) {
      LOG.warn("scan event listener failed", e);
    }
    return event;
  }

  /** Settings of a {@link ScanService}. */
  public static final class Builder {
    private final Observer observer;
    private final AcceptanceChecks checks;
    private final DelegationBackend backend;
    private Clock clock = Clock.systemUTC();
    private Consumer<ScanEvent> listener = e -> { };
    private Supplier<String> ids = () -> "scan-" + UUID.randomUUID();
    private HistoryStore histories = HistoryStore.inMemory();
    private @Nullable ErrorReporter reporter;

    private Builder(Observer observer, AcceptanceChecks checks, DelegationBackend backend) {
      this.observer = Objects.requireNonNull(observer, "observer");
      this.checks = Objects.requireNonNull(checks, "checks");
      this.backend = Objects.requireNonNull(backend, "backend");
    }

    /** The clock stamping events and changes. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Hears every {@link ScanEvent}. */
    public Builder listener(Consumer<ScanEvent> listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Mints change ids (default {@code scan-<uuid>}). */
    public Builder changeIds(Supplier<String> ids) {
      this.ids = Objects.requireNonNull(ids, "ids");
      return this;
    }

    /** Where accept-after-delay histories live (default in memory). */
    public Builder histories(HistoryStore histories) {
      this.histories = Objects.requireNonNull(histories, "histories");
      return this;
    }

    /**
     * Sends RFC 9567 error reports for refused signals to the agent domain the child's NOTIFY
     * named (give the same reporter to {@link NotifyReceiver.Builder#errorReporter}); default
     * none: no reports.
     */
    public Builder errorReporter(ErrorReporter reporter) {
      this.reporter = Objects.requireNonNull(reporter, "reporter");
      return this;
    }

    /** The service. */
    public ScanService build() {
      return new ScanService(this);
    }
  }
}
