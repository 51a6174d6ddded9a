package io.github.zonecut.keystate;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * A parent's bootstrap verification policy: which methods it accepts, in its order of
 * preference, and how the {@code unsigned} method samples the child's servers. The same value
 * produces the SVCB {@code bootstrap} parameter the parent announces ({@link #announce()}), so
 * what is announced and what is enforced cannot drift apart (ddns §9.5).
 *
 * @param methods accepted methods, preferred first, at least one, no duplicates
 * @param unsignedRounds how many times {@code unsigned} asks every server (at least 2, so that
 *     "consistent over time" means something; ddns §9.4.1)
 * @param unsignedInterval time between those rounds, positive
 */
public record VerificationPolicy(List<BootstrapMethod> methods, int unsignedRounds,
    Duration unsignedInterval) {

  /** The default number of {@code unsigned} rounds. */
  public static final int DEFAULT_UNSIGNED_ROUNDS = 3;

  /** The default interval between {@code unsigned} rounds. */
  public static final Duration DEFAULT_UNSIGNED_INTERVAL = Duration.ofSeconds(60);

  /** Validates and copies the method list. */
  public VerificationPolicy {
    Objects.requireNonNull(unsignedInterval, "unsignedInterval");
    if (new LinkedHashSet<>(methods).size() != methods.size()) {
      throw new IllegalArgumentException("duplicate bootstrap method in " + methods);
    }
    methods = List.copyOf(methods);
    if (methods.isEmpty()) {
      throw new IllegalArgumentException("a verification policy needs at least one method");
    }
    if (unsignedRounds < 2) {
      throw new IllegalArgumentException("unsignedRounds must be at least 2: " + unsignedRounds);
    }
    if (unsignedInterval.isNegative() || unsignedInterval.isZero()) {
      throw new IllegalArgumentException("unsignedInterval must be positive: " + unsignedInterval);
    }
  }

  /** A policy accepting {@code methods} (preferred first) with the default unsigned sampling. */
  public static VerificationPolicy of(BootstrapMethod... methods) {
    return new VerificationPolicy(List.of(methods), DEFAULT_UNSIGNED_ROUNDS,
        DEFAULT_UNSIGNED_INTERVAL);
  }

  /** Whether {@code method} is accepted. */
  public boolean accepts(BootstrapMethod method) {
    return methods.contains(method);
  }

  /** The SVCB {@code bootstrap} parameter announcing exactly this policy's methods. */
  public BootstrapParameter announce() {
    return BootstrapParameter.of(methods);
  }
}
