package io.github.zonecut.keystate;

import io.github.zonecut.core.DnsEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * Drives a known key through the parent's {@link VerificationPolicy}: tries the accepted
 * automatic methods in the policy's order, records every step in the {@link TrustRegistry}, waits
 * between {@code unsigned} rounds with the injected {@link Delayer}, and ends with the key
 * trusted, failed, waiting for an operator, or (when a server did not answer) still validating
 * for a later {@link #resume}.
 *
 * <p>A method that does not apply (an unsigned child for at-apex) hands over to the next; a
 * method that fails ends the attempt with VALIDATION_FAILED and leaves every other key in place.
 * When no automatic method applies and the policy accepts {@code manual}, the key waits for
 * {@link TrustRegistry#approve}.
 */
public final class BootstrapCoordinator {
  private static final Logger LOG = LoggerFactory.getLogger(BootstrapCoordinator.class);

  private final TrustRegistry registry;
  private final Map<BootstrapMethod, BootstrapVerifier> verifiers;
  private final Delayer delayer;
  private final Clock clock;

  /**
   * @param registry where keys and progress live
   * @param verifiers the automatic methods available (one per method)
   * @param delayer waits between rounds
   * @param clock tells how long until a round is due
   */
  public BootstrapCoordinator(TrustRegistry registry, List<BootstrapVerifier> verifiers,
      Delayer delayer, Clock clock) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.delayer = Objects.requireNonNull(delayer, "delayer");
    this.clock = Objects.requireNonNull(clock, "clock");
    Map<BootstrapMethod, BootstrapVerifier> m = new EnumMap<>(BootstrapMethod.class);
    for (BootstrapVerifier v : verifiers) {
      if (v.method() == BootstrapMethod.MANUAL || m.put(v.method(), v) != null) {
        throw new IllegalArgumentException("one automatic verifier per method: " + v.method());
      }
    }
    this.verifiers = m;
  }

  /**
   * The child's delegation as the parent holds it.
   *
   * @param nameservers NS names of the delegation
   * @param servers addresses of the child's authoritative servers
   */
  public record Delegation(List<Name> nameservers, List<DnsEndpoint> servers) {
    /** Copies the lists. */
    public Delegation {
      nameservers = List.copyOf(nameservers);
      servers = List.copyOf(servers);
    }
  }

  /**
   * Validates {@code key}, which must be KNOWN, VALIDATION_FAILED or (after a restart)
   * VALIDATING.
   *
   * @return the key's entry at the end; exceptionally only with a {@link StoreException}
   */
  public CompletionStage<KeyEntry> bootstrap(KeyIdentity key, Delegation delegation) {
    KeyEntry e;
    try {
      e = registry.find(key).orElseThrow(() -> new IllegalArgumentException("unknown " + key));
    } catch (StoreException ex) {
      return CompletableFuture.failedFuture(ex);
    }
    List<BootstrapMethod> methods = new ArrayList<>();
    BootstrapMethod current = e.method();
    if (e.state() == TrustState.VALIDATING && current != null && verifiers.containsKey(current)) {
      methods.add(current); // resume where the previous process stopped
    }
    for (BootstrapMethod m : registry.policy().verification().methods()) {
      if (verifiers.containsKey(m) && !methods.contains(m)) {
        methods.add(m);
      }
    }
    return next(key, delegation, methods, 0, new ArrayList<>());
  }

  /** After a restart: continues every key the store holds as VALIDATING. */
  public CompletionStage<List<KeyEntry>> resume(java.util.function.Function<Name, Delegation>
      delegations) {
    List<KeyEntry> validating;
    try {
      validating = registry.inState(TrustState.VALIDATING);
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(e);
    }
    List<CompletableFuture<KeyEntry>> all = new ArrayList<>();
    for (KeyEntry e : validating) {
      all.add(bootstrap(e.id(), delegations.apply(e.id().owner())).toCompletableFuture());
    }
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
        .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
  }

  private CompletionStage<KeyEntry> next(KeyIdentity key, Delegation d,
      List<BootstrapMethod> methods, int i, List<String> notApplicable) {
    if (i >= methods.size()) {
      String why = "no automatic method applies: " + String.join("; ", notApplicable);
      return call(() -> registry.policy().verification().accepts(BootstrapMethod.MANUAL)
          ? registry.requireManual(key, "coordinator", why)
          : registry.validationFailed(key, "coordinator", why), key);
    }
    BootstrapMethod m = methods.get(i);
    return call(() -> {
      KeyEntry e = registry.find(key).orElseThrow();
      return e.state() == TrustState.VALIDATING && e.method() == m
          ? new RegistryOutcome.Applied(e, List.of())
          : registry.startValidation(key, m, "coordinator");
    }, key).thenCompose(started -> {
      if (started.state() != TrustState.VALIDATING) {
        return CompletableFuture.completedFuture(started);
      }
      return round(key, d, m).thenCompose(r -> {
        if (r instanceof VerificationResult.NotApplicable na) {
          notApplicable.add(m + ": " + na.reason());
          return next(key, d, methods, i + 1, notApplicable);
        }
        return CompletableFuture.completedFuture(r).thenCompose(x -> settle(key, d, m, x));
      });
    });
  }

  private CompletionStage<VerificationResult> round(KeyIdentity key, Delegation d,
      BootstrapMethod m) {
    Optional<KeyEntry> e;
    try {
      e = registry.find(key);
    } catch (StoreException ex) {
      return CompletableFuture.failedFuture(ex);
    }
    VerificationProgress p = e.map(KeyEntry::progress).orElse(null);
    BootstrapVerifier v = verifiers.get(m);
    if (v == null) {
      return CompletableFuture.completedFuture(
          new VerificationResult.NotApplicable("no verifier for " + m));
    }
    return v.verify(new VerificationRequest(key, d.nameservers(), d.servers(), p));
  }

  private CompletionStage<KeyEntry> settle(KeyIdentity key, Delegation d, BootstrapMethod m,
      VerificationResult r) {
    if (r instanceof VerificationResult.Verified v) {
      return call(() -> registry.validated(key, m.token(), v.evidence()), key);
    }
    if (r instanceof VerificationResult.Failed f) {
      return call(() -> registry.validationFailed(key, m.token(), f.reason()), key);
    }
    if (r instanceof VerificationResult.Pending p) {
      return call(() -> registry.recordProgress(key, p.progress()), key).thenCompose(e -> {
        Duration wait = Duration.between(clock.instant(), p.progress().nextRoundAt());
        CompletionStage<Void> w = wait.isNegative() || wait.isZero()
            ? CompletableFuture.completedFuture(null) : delayer.delay(wait);
        return w.thenCompose(x -> round(key, d, m)).thenCompose(x -> settle(key, d, m, x));
      });
    }
    // Inconclusive (or NotApplicable after progress): stay VALIDATING for a later resume().
    LOG.info("validation of {} by {} inconclusive: {}", key, m, r);
    return call(() -> new RegistryOutcome.Applied(registry.find(key).orElseThrow(), List.of()),
        key);
  }

  /** A registry call, as a stage; a rejection ends with the key's current entry. */
  private CompletionStage<KeyEntry> call(RegistryCall c, KeyIdentity key) {
    try {
      RegistryOutcome o = c.run();
      if (o instanceof RegistryOutcome.Applied a) {
        return CompletableFuture.completedFuture(a.key());
      }
      LOG.info("registry rejected a bootstrap step for {}: {}", key,
          ((RegistryOutcome.Rejected) o).reason());
      return CompletableFuture.completedFuture(registry.find(key).orElseThrow());
    } catch (StoreException e) {
      return CompletableFuture.failedFuture(new CompletionException(e));
    }
  }

  @FunctionalInterface
  private interface RegistryCall {
    RegistryOutcome run() throws StoreException;
  }
}
