package io.github.zonecut.keystate;

import java.util.Objects;
import java.util.Set;

/**
 * The parent's rules for child keys beyond those the drafts make mandatory.
 *
 * @param verification the accepted bootstrap methods (and what the parent announces)
 * @param algorithms DNSSEC algorithms accepted for child SIG(0) keys; others are REFUSED
 * @param allowRolloverByTrustedKey whether a KEY UPDATE signed by the child's trusted key may add
 *     (trusted at once) or delete keys without a new bootstrap (ddns §9.6 leaves it to policy;
 *     off by default)
 */
public record RegistryPolicy(VerificationPolicy verification, Set<Integer> algorithms,
    boolean allowRolloverByTrustedKey) {

  /** The IANA algorithms zonecut ships: RSASHA256, RSASHA512, ECDSA P-256/P-384, Ed25519/448. */
  public static final Set<Integer> IANA_ALGORITHMS = Set.of(8, 10, 13, 14, 15, 16);

  /**
   * The algorithms accepted by default: every algorithm of the default SIG(0) registry ({@link
   * io.github.zonecut.sig0.Sig0Algorithms#defaults()}), i.e. {@link #IANA_ALGORITHMS} and the
   * experimental ML-DSA-44 (199) and ML-DSA-65 (228), so that a child's post-quantum key is
   * bootstrapped like any other (ddns §9.1 encourages them). A parent that wants the IANA ones
   * only passes {@link #IANA_ALGORITHMS}.
   */
  public static final Set<Integer> DEFAULT_ALGORITHMS = defaultAlgorithms();

  private static Set<Integer> defaultAlgorithms() {
    java.util.Set<Integer> out = new java.util.TreeSet<>();
    io.github.zonecut.sig0.Sig0Algorithm.supported().forEach(a -> out.add(a.number()));
    return Set.copyOf(out);
  }

  /** Validates and copies the fields. */
  public RegistryPolicy {
    Objects.requireNonNull(verification, "verification");
    algorithms = Set.copyOf(algorithms);
    if (algorithms.isEmpty()) {
      throw new IllegalArgumentException("a registry policy needs at least one algorithm");
    }
  }

  /** A policy with {@code verification}, the default algorithms and no rollover by UPDATE. */
  public static RegistryPolicy of(VerificationPolicy verification) {
    return new RegistryPolicy(verification, DEFAULT_ALGORITHMS, false);
  }

  /** Whether the parent bootstraps by operator approval only. */
  public boolean manualOnly() {
    return verification.methods().equals(java.util.List.of(BootstrapMethod.MANUAL));
  }
}
