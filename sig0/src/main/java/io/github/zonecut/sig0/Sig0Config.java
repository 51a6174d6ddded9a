package io.github.zonecut.sig0;

import java.security.Provider;
import java.time.Clock;
import java.time.Duration;
import io.github.zonecut.sig0.internal.Sig0Providers;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings shared by {@link Sig0Signer} and {@link Sig0Verifier}: the JCA providers, the
 * clock, the signing validity window, the verification skew and the longest validity window a
 * verifier accepts.
 *
 * <p><b>Providers.</b> Providers are held, never registered: zonecut does not call {@code
 * Security.insertProviderAt}, and the host's JCA configuration is untouched. Keys are decoded,
 * parsed and generated with {@link #provider()} (one shared Bouncy Castle instance by default).
 * Signatures use one provider per algorithm ({@link #signatureProviders()}). The default picks,
 * for each of 8, 10, 13, 14, 15 and 16, the fastest provider that is present, loads, offers the
 * algorithm and passes a known-answer self-test (a fixed key decoded through zonecut's own KEY
 * path; a known-good signature verifies, the same with one bit flipped does not, and its own
 * signature verifies under Bouncy Castle, byte-identical for the deterministic algorithms): the
 * Amazon Corretto Crypto Provider (AWS-LC; an optional dependency) where it is on the class or
 * module path, Bouncy Castle otherwise. Ed448 always stays on Bouncy Castle. JDK 17's SunEC is
 * 8–18× slower than Bouncy Castle for Ed25519 and P-256 and is never chosen by default. {@link
 * #describe()} shows the choice; {@link Builder#signatureProvider} overrides one algorithm and
 * {@link Builder#pinBouncyCastleOnly()} pins them all to Bouncy Castle.
 *
 * <p>Every provider gives the same verdicts: the verifier refuses, before any provider sees
 * them, the signatures providers are known to judge differently (Ed25519/Ed448 S ≥ L, ECDSA r
 * or s outside [1, n−1], wrong lengths).
 *
 * <p><b>Algorithms.</b> The algorithms signed and verified with are a value in the configuration
 * ({@link #algorithms()}, a {@link Sig0Algorithms} registry), not global state: by default the
 * six IANA ones and, experimentally, ML-DSA-44 and ML-DSA-65 (FIPS 204) at 199 and 228 (the
 * {@link io.github.zonecut.core.Codepoints} profile's numbers; TCP only, see {@link
 * Sig0Signer#sign(byte[], Sig0KeyPair, io.github.zonecut.core.TransportProtocol)}). A host
 * registers more with {@link Builder#register} or replaces the set with {@link
 * Builder#algorithms}; each registered algorithm gets its provider by the same rule (ACCP when it
 * offers the algorithm and passes the algorithm's self-test, else Bouncy Castle).
 *
 * @param provider the JCA provider for key decoding, parsing and generation
 * @param clock the time source for signing and for the validity check
 * @param signBefore how far before now a signature's inception is set (BIND: 300 s)
 * @param signAfter how far after now a signature's expiration is set (BIND: 300 s)
 * @param skew how far outside [inception, expiration] a verifier still accepts (default 300 s)
 * @param maxValidity the longest window (expiration − inception) a verifier accepts (default
 *     {@link #DEFAULT_MAX_VALIDITY}); a longer one is {@link Sig0Outcome.WindowTooLong}
 * @param signatureProviders the {@code Signature} provider per registered algorithm; algorithms
 *     missing from the map use {@code provider}
 * @param algorithms the algorithms signed and verified with (default {@link
 *     Sig0Algorithms#defaults()}: the six IANA ones and, experimentally, ML-DSA-44 and -65); a
 *     SIG(0) or key of any other algorithm is refused as unsupported
 */
public record Sig0Config(
    Provider provider,
    Clock clock,
    Duration signBefore,
    Duration signAfter,
    Duration skew,
    Duration maxValidity,
    Map<Sig0Algorithm, Provider> signatureProviders,
    Sig0Algorithms algorithms) {

  /** RFC 2931 §3.3: the window "should not normally extend further than 5 minutes". */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(300);

  /**
   * The default longest accepted validity window: one hour. RFC 2931 §3.3 expects about five
   * minutes on each side of the signing time (BIND, miekg/dns and Net::DNS::SEC sign 600 s
   * windows); a signature valid for decades would stay replayable for as long as the replay
   * guard's memory, so a verifier refuses windows longer than this.
   */
  public static final Duration DEFAULT_MAX_VALIDITY = Duration.ofHours(1);

  /**
   * Validates: durations non-negative and whole seconds below 2^31; {@code signatureProviders}
   * only for registered algorithms, completed with {@code provider} for the others.
   */
  public Sig0Config {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(signatureProviders, "signatureProviders");
    Objects.requireNonNull(algorithms, "algorithms");
    Map<Sig0Algorithm, Provider> complete = new LinkedHashMap<>();
    for (Sig0Algorithm alg : algorithms.algorithms()) {
      Provider p = signatureProviders.get(alg);
      complete.put(alg, p != null ? p : provider);
    }
    for (Sig0Algorithm alg : signatureProviders.keySet()) {
      if (!algorithms.contains(alg)) {
        throw new IllegalArgumentException("no SIG(0) support for algorithm " + alg);
      }
    }
    signatureProviders = Collections.unmodifiableMap(complete);
    Objects.requireNonNull(clock, "clock");
    seconds("signBefore", signBefore);
    seconds("signAfter", signAfter);
    seconds("skew", skew);
    seconds("maxValidity", maxValidity);
    if (maxValidity.isZero()) {
      throw new IllegalArgumentException("maxValidity must be positive");
    }
    if (signBefore.isZero() && signAfter.isZero()) {
      throw new IllegalArgumentException("the signing window is empty");
    }
  }

  /**
   * The configuration before the algorithm registry existed: {@link Sig0Algorithms#defaults()}.
   */
  public Sig0Config(Provider provider, Clock clock, Duration signBefore, Duration signAfter,
      Duration skew, Duration maxValidity, Map<Sig0Algorithm, Provider> signatureProviders) {
    this(provider, clock, signBefore, signAfter, skew, maxValidity, signatureProviders,
        Sig0Algorithms.defaults());
  }

  /** One provider for keys and for every algorithm's signatures. */
  public Sig0Config(Provider provider, Clock clock, Duration signBefore, Duration signAfter,
      Duration skew, Duration maxValidity) {
    this(provider, clock, signBefore, signAfter, skew, maxValidity, Map.of());
  }

  /**
   * The configuration before {@code maxValidity} existed: {@link #DEFAULT_MAX_VALIDITY} applies,
   * and {@code provider} serves every algorithm.
   */
  public Sig0Config(
      Provider provider, Clock clock, Duration signBefore, Duration signAfter, Duration skew) {
    this(provider, clock, signBefore, signAfter, skew, DEFAULT_MAX_VALIDITY);
  }

  /**
   * Runs zonecut's known-answer self-test (the one the default selection uses) for one algorithm
   * on a provider: for a host that pins a provider and wants the same check.
   */
  public static boolean selfTest(Sig0Algorithm algorithm, Provider provider) {
    return Sig0Algorithms.defaults().find(algorithm)
        .map(s -> s.codec().selfTest(provider))
        .orElse(false);
  }

  /** Runs {@code spec}'s known-answer self-test on {@code provider}. */
  public static boolean selfTest(Sig0AlgorithmSpec spec, Provider provider) {
    return spec.codec().selfTest(provider);
  }

  /**
   * The registry entry for {@code algorithm} in this configuration.
   *
   * @throws IllegalArgumentException when it is not registered
   */
  public Sig0AlgorithmSpec spec(Sig0Algorithm algorithm) {
    return algorithms.spec(algorithm);
  }

  private static void seconds(String field, Duration d) {
    Objects.requireNonNull(d, field);
    if (d.isNegative() || d.getSeconds() > Integer.MAX_VALUE || d.getNano() != 0) {
      throw new IllegalArgumentException(field + " must be whole seconds in 0..2^31-1: " + d);
    }
  }

  /** The {@code Signature} provider for a supported algorithm. */
  public Provider signatureProvider(Sig0Algorithm algorithm) {
    Provider p = signatureProviders.get(algorithm);
    if (p == null) {
      throw new IllegalArgumentException("no SIG(0) support for algorithm " + algorithm);
    }
    return p;
  }

  /**
   * The provider per algorithm, e.g. {@code "RSASHA256(8)=ACCP 2.5.0, ..., ED25519(15)=ACCP
   * 2.5.0, ED448(16)=BC 1.87; keys: BC 1.87"}. For logs, {@code --version} output and support.
   */
  public String describe() {
    StringBuilder b = new StringBuilder();
    for (Sig0AlgorithmSpec s : algorithms.list()) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append(s).append('=').append(Sig0Providers.label(signatureProvider(s.algorithm())));
      if (s.experimental()) {
        b.append(" (experimental)");
      }
    }
    return b + "; keys: " + Sig0Providers.label(provider);
  }

  /**
   * Whether the Amazon Corretto Crypto Provider is usable in this JVM and why not, e.g. {@code
   * "loaded ACCP 2.5.0"} or {@code "not on the class or module path"}.
   */
  public static String nativeProviderStatus() {
    return Sig0Providers.accpStatus();
  }

  /**
   * The default providers (see the class comment), the system UTC clock, BIND's −300 s … +300 s
   * window, ±300 s skew, windows of at most one hour accepted.
   */
  public static Sig0Config defaults() {
    return builder().build();
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The shared key provider: one Bouncy Castle instance, not registered with the JVM. Also the
   * signature provider of every algorithm under {@link Builder#pinBouncyCastleOnly()}.
   */
  public static Provider defaultProvider() {
    return Sig0Providers.bouncyCastle();
  }

  /**
   * The default {@code Signature} provider per algorithm of {@link Sig0Algorithms#defaults()}:
   * the fastest present, loaded, self-tested one (computed once per JVM; see the class comment).
   */
  public static Map<Sig0Algorithm, Provider> defaultSignatureProviders() {
    return DefaultChoice.SELECTION;
  }

  private static final class DefaultChoice {
    static final Map<Sig0Algorithm, Provider> SELECTION = compute();

    private static Map<Sig0Algorithm, Provider> compute() {
      Map<Sig0Algorithm, Provider> out = new LinkedHashMap<>();
      Map<Integer, Provider> classic = Sig0Providers.defaultSelection();
      for (Sig0AlgorithmSpec s : Sig0Algorithms.defaults().list()) {
        Provider p = classic.get(s.algorithm().number());
        out.put(s.algorithm(), p != null ? p : Sig0Providers.choose(s.codec()));
      }
      return Collections.unmodifiableMap(out);
    }
  }

  /** The default choice for one registry entry (cached for the default registry's entries). */
  static Provider defaultSignatureProvider(Sig0AlgorithmSpec spec) {
    Provider cached = DefaultChoice.SELECTION.get(spec.algorithm());
    if (cached != null
        && Sig0Algorithms.defaults().find(spec.algorithm()).filter(spec::equals).isPresent()) {
      return cached;
    }
    if (!spec.experimental()) {
      Provider p = Sig0Providers.defaultSelection().get(spec.algorithm().number());
      if (p != null) {
        return p;
      }
    }
    return Sig0Providers.choose(spec.codec());
  }

  /** Builds a {@link Sig0Config}. */
  public static final class Builder {
    private Provider provider;
    private @Nullable Provider allSignatures;
    private final Map<Sig0Algorithm, Provider> perAlgorithm = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();
    private Duration signBefore = DEFAULT_WINDOW;
    private Duration signAfter = DEFAULT_WINDOW;
    private Duration skew = DEFAULT_WINDOW;
    private Duration maxValidity = DEFAULT_MAX_VALIDITY;
    private Sig0Algorithms algorithms = Sig0Algorithms.defaults();

    private Builder() {
      provider = defaultProvider();
    }

    /**
     * One JCA provider for every key and signature operation, replacing the per-algorithm
     * default selection ({@link #signatureProvider} still overrides single algorithms).
     */
    public Builder provider(Provider provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      this.allSignatures = provider;
      return this;
    }

    /**
     * Pins every algorithm to Bouncy Castle: no native code, whatever is on the class path.
     * {@link Sig0Config#describe()} then shows BC everywhere.
     */
    public Builder pinBouncyCastleOnly() {
      return provider(defaultProvider());
    }

    /**
     * The {@code Signature} provider for one algorithm, overriding the default selection. The
     * provider is used as given: no self-test runs (see {@link
     * Sig0Config#selfTest(Sig0Algorithm, Provider)}).
     *
     * @throws IllegalArgumentException when the registry ({@link #algorithms}, set it first) does
     *     not hold the algorithm
     */
    public Builder signatureProvider(Sig0Algorithm algorithm, Provider provider) {
      if (!algorithms.contains(algorithm)) {
        throw new IllegalArgumentException("no SIG(0) support for algorithm " + algorithm);
      }
      perAlgorithm.put(algorithm, Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * The algorithms signed and verified with (default {@link Sig0Algorithms#defaults()}). A
     * SIG(0) of any other algorithm is {@link Sig0Outcome.UnknownKey}; signing with one fails.
     */
    public Builder algorithms(Sig0Algorithms algorithms) {
      this.algorithms = Objects.requireNonNull(algorithms, "algorithms");
      perAlgorithm.keySet().removeIf(a -> !algorithms.contains(a));
      return this;
    }

    /**
     * Adds one algorithm to the registry ({@link Sig0Algorithms#with}); its provider is chosen
     * as for the built-in ones (ACCP when it offers it and passes the codec's self-test, else
     * Bouncy Castle) unless {@link #signatureProvider} overrides it.
     */
    public Builder register(Sig0AlgorithmSpec spec) {
      this.algorithms = algorithms.with(spec);
      return this;
    }

    /** The clock (default {@link Clock#systemUTC()}). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The signing window: inception = now − before, expiration = now + after (default 300 s
     * each). Verifiers refuse a window longer than their {@link #maxValidity} (one hour by
     * default), so keep before + after within the receiver's limit.
     */
    public Builder signingWindow(Duration before, Duration after) {
      this.signBefore = before;
      this.signAfter = after;
      return this;
    }

    /** The verification skew tolerance on either side of the window (default 300 s). */
    public Builder skew(Duration skew) {
      this.skew = skew;
      return this;
    }

    /**
     * The longest validity window (expiration − inception) a verifier accepts (default {@link
     * #DEFAULT_MAX_VALIDITY}, one hour). A signature whose window is longer is refused as {@link
     * Sig0Outcome.WindowTooLong} (BADTIME) before any cryptography, whatever the clock says.
     */
    public Builder maxValidity(Duration maxValidity) {
      this.maxValidity = maxValidity;
      return this;
    }

    /** Builds the configuration; invalid durations raise {@link IllegalArgumentException}. */
    public Sig0Config build() {
      Map<Sig0Algorithm, Provider> sig = new LinkedHashMap<>();
      Provider all = allSignatures;
      for (Sig0AlgorithmSpec s : algorithms.list()) {
        sig.put(s.algorithm(), all != null ? all : defaultSignatureProvider(s));
      }
      sig.putAll(perAlgorithm);
      return new Sig0Config(provider, clock, signBefore, signAfter, skew, maxValidity, sig,
          algorithms);
    }
  }
}
