package io.github.zonecut.sig0;

import java.security.Provider;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The settings shared by {@link Sig0Signer} and {@link Sig0Verifier}: the JCA provider, the
 * clock, the signing validity window, the verification skew and the longest validity window a
 * verifier accepts.
 *
 * <p>The provider is held, never registered: zonecut does not call {@code
 * Security.insertProviderAt}. The default is one shared Bouncy Castle instance, because JDK 17's
 * SunEC is 8–18× slower for Ed25519 and P-256.
 *
 * @param provider the JCA provider for signatures and key factories
 * @param clock the time source for signing and for the validity check
 * @param signBefore how far before now a signature's inception is set (BIND: 300 s)
 * @param signAfter how far after now a signature's expiration is set (BIND: 300 s)
 * @param skew how far outside [inception, expiration] a verifier still accepts (default 300 s)
 * @param maxValidity the longest window (expiration − inception) a verifier accepts (default
 *     {@link #DEFAULT_MAX_VALIDITY}); a longer one is {@link Sig0Outcome.WindowTooLong}
 */
public record Sig0Config(
    Provider provider,
    Clock clock,
    Duration signBefore,
    Duration signAfter,
    Duration skew,
    Duration maxValidity) {

  /** RFC 2931 §3.3: the window "should not normally extend further than 5 minutes". */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(300);

  /**
   * The default longest accepted validity window: one hour. RFC 2931 §3.3 expects about five
   * minutes on each side of the signing time (BIND, miekg/dns and Net::DNS::SEC sign 600 s
   * windows); a signature valid for decades would stay replayable for as long as the replay
   * guard's memory, so a verifier refuses windows longer than this.
   */
  public static final Duration DEFAULT_MAX_VALIDITY = Duration.ofHours(1);

  /** Validates: durations non-negative and whole seconds below 2^31. */
  public Sig0Config {
    Objects.requireNonNull(provider, "provider");
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
   * The configuration before {@code maxValidity} existed: {@link #DEFAULT_MAX_VALIDITY} applies.
   */
  public Sig0Config(
      Provider provider, Clock clock, Duration signBefore, Duration signAfter, Duration skew) {
    this(provider, clock, signBefore, signAfter, skew, DEFAULT_MAX_VALIDITY);
  }

  private static void seconds(String field, Duration d) {
    Objects.requireNonNull(d, field);
    if (d.isNegative() || d.getSeconds() > Integer.MAX_VALUE || d.getNano() != 0) {
      throw new IllegalArgumentException(field + " must be whole seconds in 0..2^31-1: " + d);
    }
  }

  /**
   * Bouncy Castle, the system UTC clock, BIND's −300 s … +300 s window, ±300 s skew, windows of
   * at most one hour accepted.
   */
  public static Sig0Config defaults() {
    return builder().build();
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The shared default provider: one Bouncy Castle instance, not registered with the JVM. */
  public static Provider defaultProvider() {
    return DefaultProvider.BC;
  }

  private static final class DefaultProvider {
    static final Provider BC = new BouncyCastleProvider();
  }

  /** Builds a {@link Sig0Config}. */
  public static final class Builder {
    private Provider provider;
    private Clock clock = Clock.systemUTC();
    private Duration signBefore = DEFAULT_WINDOW;
    private Duration signAfter = DEFAULT_WINDOW;
    private Duration skew = DEFAULT_WINDOW;
    private Duration maxValidity = DEFAULT_MAX_VALIDITY;

    private Builder() {
      provider = defaultProvider();
    }

    /** The JCA provider used for every signature and key operation (default Bouncy Castle). */
    public Builder provider(Provider provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
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
      return new Sig0Config(provider, clock, signBefore, signAfter, skew, maxValidity);
    }
  }
}
