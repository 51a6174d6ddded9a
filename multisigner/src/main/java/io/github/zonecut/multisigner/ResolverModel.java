package io.github.zonecut.multisigner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The resolvers the {@link GlitchChecker} proves a timeline against: which validators exist and
 * how long caches keep what they fetched.
 *
 * <p>What is modelled: validators that support only some DNSSEC algorithms (RFC 6840 §5.11: a
 * validator uses the DS and DNSKEY algorithms it supports and treats the zone as insecure when it
 * supports none of the DS algorithms, RFC 4035 §5.2); validators that harden against algorithm
 * downgrade (Unbound {@code harden-algo-downgrade: yes}: every supported algorithm signalled in
 * the DS RRset must validate the DNSKEY RRset and the data); and a cache floor (Unbound {@code
 * cache-min-ttl}, PowerDNS Recursor {@code minimum-ttl-override}) that keeps every RRset at least
 * that long.
 *
 * <p>What is not modelled: serve-stale (RFC 8767, a resolver answering from expired data after a
 * failed refresh: out of scope, since no planner can bound how long stale data is served);
 * validators insisting on a signature of every algorithm in the DNSKEY RRset (RFC 6840 §5.11
 * forbids it); cache-max-ttl caps (they only shorten caching); negative-answer and glue caching
 * beyond the data TTL the snapshot states; trust-anchor (RFC 5011) behaviour; clock skew and
 * signature validity periods.
 *
 * @param validators the validators; at least one
 * @param minimumTtl the cache floor every RRset's TTL is raised to (zero: none)
 */
public record ResolverModel(List<Validator> validators, Duration minimumTtl) {

  /**
   * One kind of validating resolver.
   *
   * @param name a short name for reports
   * @param algorithms the DNSSEC algorithms it supports; empty means every algorithm
   * @param hardenAlgorithmDowngrade whether every supported algorithm in the DS RRset must
   *     validate (Unbound {@code harden-algo-downgrade}); otherwise any one valid path suffices
   */
  public record Validator(String name, Set<Integer> algorithms, boolean hardenAlgorithmDowngrade) {
    /** Copies the set. */
    public Validator {
      Objects.requireNonNull(name, "name");
      algorithms = Set.copyOf(algorithms);
    }

    /** A validator supporting every algorithm and accepting any valid path (RFC 6840 §5.11). */
    public static Validator lenient() {
      return new Validator("any", Set.of(), false);
    }

    /** A validator supporting every algorithm, hardened against algorithm downgrade. */
    public static Validator strict() {
      return new Validator("strict", Set.of(), true);
    }

    /** A validator supporting only these algorithms. */
    public static Validator supporting(Set<Integer> algorithms) {
      return new Validator("alg" + new TreeSet<>(algorithms), algorithms, false);
    }

    /** Whether it supports DNSSEC algorithm {@code alg}. */
    public boolean supports(int alg) {
      return algorithms.isEmpty() || algorithms.contains(alg);
    }
  }

  /** Copies the list and checks it. */
  public ResolverModel {
    validators = List.copyOf(validators);
    if (validators.isEmpty()) {
      throw new IllegalArgumentException("a resolver model needs at least one validator");
    }
    Objects.requireNonNull(minimumTtl, "minimumTtl");
    if (minimumTtl.isNegative()) {
      throw new IllegalArgumentException("negative minimum TTL");
    }
  }

  /** Validators supporting every algorithm, accepting any valid path; no cache floor. */
  public static ResolverModel permissive() {
    return new ResolverModel(List.of(Validator.lenient()), Duration.ZERO);
  }

  /**
   * The default model for a timeline using {@code algorithms}: a lenient and a strict validator
   * supporting all of them, and a validator for every non-empty proper subset (up to four
   * algorithms); no cache floor.
   */
  public static ResolverModel forAlgorithms(Set<Integer> algorithms) {
    List<Validator> vs = new ArrayList<>();
    vs.add(Validator.lenient());
    vs.add(Validator.strict());
    List<Integer> algs = new ArrayList<>(new TreeSet<>(algorithms));
    if (algs.size() > 1 && algs.size() <= 4) {
      for (int mask = 1; mask < (1 << algs.size()) - 1; mask++) {
        Set<Integer> subset = new TreeSet<>();
        for (int i = 0; i < algs.size(); i++) {
          if ((mask & (1 << i)) != 0) {
            subset.add(algs.get(i));
          }
        }
        vs.add(Validator.supporting(subset));
      }
    }
    return new ResolverModel(vs, Duration.ZERO);
  }

  /** This model with a cache floor. */
  public ResolverModel withMinimumTtl(Duration floor) {
    return new ResolverModel(validators, floor);
  }
}
