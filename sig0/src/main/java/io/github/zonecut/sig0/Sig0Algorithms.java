package io.github.zonecut.sig0;

import io.github.zonecut.core.Codepoints;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The SIG(0) algorithms a {@link Sig0Config} signs and verifies with: an immutable registry from
 * algorithm number to {@link Sig0AlgorithmSpec} (JCA names, KEY-RDATA codec, signature codec).
 * A value in the configuration, not global state: a host adds algorithms with {@link
 * #with(Sig0AlgorithmSpec)} and hands the result to {@link Sig0Config.Builder#algorithms}.
 *
 * <p>{@link #defaults()} holds the six IANA algorithms and, experimentally, ML-DSA-44 and
 * ML-DSA-65 at the numbers of {@link Codepoints#DEFAULT} (199, 228). {@link #iana()} holds the
 * six alone, for a host that wants no experimental algorithm.
 */
public final class Sig0Algorithms {
  private final Map<Integer, Sig0AlgorithmSpec> byNumber;

  private Sig0Algorithms(Map<Integer, Sig0AlgorithmSpec> byNumber) {
    this.byNumber = Collections.unmodifiableMap(new TreeMap<>(byNumber));
  }

  private static final class Iana {
    static final Sig0Algorithms INSTANCE;

    static {
      Map<Integer, Sig0AlgorithmSpec> m = new TreeMap<>();
      for (int n : new int[] {8, 10, 13, 14, 15, 16}) {
        m.put(n, Sig0AlgorithmSpec.iana(Sig0Algorithm.of(n)));
      }
      INSTANCE = new Sig0Algorithms(m);
    }
  }

  private static final class Defaults {
    static final Sig0Algorithms INSTANCE = defaults(Codepoints.DEFAULT);
  }

  /** RSASHA256, RSASHA512, ECDSAP256SHA256, ECDSAP384SHA384, ED25519, ED448. */
  public static Sig0Algorithms iana() {
    return Iana.INSTANCE;
  }

  /** {@link #iana()} plus ML-DSA-44 at 199 and ML-DSA-65 at 228 (experimental). */
  public static Sig0Algorithms defaults() {
    return Defaults.INSTANCE;
  }

  /**
   * {@link #iana()} plus ML-DSA-44 and ML-DSA-65 at the profile's {@link
   * Codepoints#sig0MlDsa44()} and {@link Codepoints#sig0MlDsa65()}.
   */
  public static Sig0Algorithms defaults(Codepoints codepoints) {
    return iana()
        .with(Sig0AlgorithmSpec.mlDsa44(codepoints.sig0MlDsa44()))
        .with(Sig0AlgorithmSpec.mlDsa65(codepoints.sig0MlDsa65()));
  }

  /**
   * This registry plus {@code spec}.
   *
   * @throws IllegalArgumentException when its number or mnemonic is taken (use {@link #without}
   *     first to replace one)
   */
  public Sig0Algorithms with(Sig0AlgorithmSpec spec) {
    Objects.requireNonNull(spec, "spec");
    Sig0AlgorithmSpec old = byNumber.get(spec.algorithm().number());
    if (old != null) {
      throw new IllegalArgumentException(
          "SIG(0) algorithm number " + spec.algorithm().number() + " is taken by " + old);
    }
    for (Sig0AlgorithmSpec s : byNumber.values()) {
      if (s.mnemonic().equalsIgnoreCase(spec.mnemonic())) {
        throw new IllegalArgumentException("mnemonic " + spec.mnemonic() + " is taken by " + s);
      }
    }
    Map<Integer, Sig0AlgorithmSpec> m = new TreeMap<>(byNumber);
    m.put(spec.algorithm().number(), spec);
    return new Sig0Algorithms(m);
  }

  /** This registry without {@code algorithm} (unchanged when absent). */
  public Sig0Algorithms without(Sig0Algorithm algorithm) {
    Map<Integer, Sig0AlgorithmSpec> m = new TreeMap<>(byNumber);
    m.remove(algorithm.number());
    return new Sig0Algorithms(m);
  }

  /** The entry for {@code algorithm}, if registered. */
  public Optional<Sig0AlgorithmSpec> find(Sig0Algorithm algorithm) {
    return Optional.ofNullable(byNumber.get(algorithm.number()));
  }

  /** The entry for a number, or {@code null}. */
  @Nullable Sig0AlgorithmSpec get(int number) {
    return byNumber.get(number);
  }

  /**
   * The entry for {@code algorithm}.
   *
   * @throws IllegalArgumentException when it is not registered
   */
  public Sig0AlgorithmSpec spec(Sig0Algorithm algorithm) {
    Sig0AlgorithmSpec s = byNumber.get(algorithm.number());
    if (s == null) {
      throw new IllegalArgumentException("no SIG(0) support for algorithm " + algorithm);
    }
    return s;
  }

  /** Whether {@code algorithm} is registered. */
  public boolean contains(Sig0Algorithm algorithm) {
    return byNumber.containsKey(algorithm.number());
  }

  /** The entry whose mnemonic is {@code mnemonic} (case-insensitive), if any. */
  public Optional<Sig0AlgorithmSpec> byMnemonic(String mnemonic) {
    String m = mnemonic.trim().toUpperCase(Locale.ROOT);
    return byNumber.values().stream()
        .filter(s -> s.mnemonic().toUpperCase(Locale.ROOT).equals(m))
        .findFirst();
  }

  /** The entries in number order. */
  public List<Sig0AlgorithmSpec> list() {
    return List.copyOf(byNumber.values());
  }

  /** The registered algorithms in number order. */
  public List<Sig0Algorithm> algorithms() {
    List<Sig0Algorithm> out = new ArrayList<>();
    byNumber.values().forEach(s -> out.add(s.algorithm()));
    return Collections.unmodifiableList(out);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Sig0Algorithms && ((Sig0Algorithms) o).byNumber.equals(byNumber);
  }

  @Override
  public int hashCode() {
    return byNumber.hashCode();
  }

  /** E.g. {@code [RSASHA256(8), ..., ML-DSA-44(199), ML-DSA-65(228)]}. */
  @Override
  public String toString() {
    return byNumber.values().toString();
  }
}
