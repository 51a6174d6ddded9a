package io.github.zonecut.sig0;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * What a {@link Sig0Verifier} concluded about received bytes. Every outcome a peer can cause is a
 * value here, never an exception; each carries the RCODE a receiver answers with (RFC 2845/8945
 * extended RCODEs BADSIG 16, BADKEY 17, BADTIME 18; RFC 1035 FORMERR 1, SERVFAIL 2, REFUSED 5).
 *
 * <p>Only {@link Verified} means the message may be acted on. New variants may be added; a host
 * that treats every outcome other than {@code Verified} as a refusal with {@link #rcode()} stays
 * correct.
 */
public sealed interface Sig0Outcome {
  /** RCODE NOERROR. */
  int NOERROR = 0;
  /** RCODE FORMERR (RFC 1035). */
  int FORMERR = 1;
  /** RCODE SERVFAIL (RFC 1035). */
  int SERVFAIL = 2;
  /** RCODE REFUSED (RFC 1035). */
  int REFUSED = 5;
  /** Extended RCODE BADSIG (RFC 2845, RFC 8945). */
  int BADSIG = 16;
  /** Extended RCODE BADKEY (RFC 2845, RFC 8945). */
  int BADKEY = 17;
  /** Extended RCODE BADTIME (RFC 2845, RFC 8945). */
  int BADTIME = 18;

  /** The RCODE a receiver answers with. */
  int rcode();

  /**
   * The signature verified with {@code key} inside its window, and its replay guard (if any)
   * recorded what it signed for the first time.
   *
   * @param key the key that verified it
   * @param inception the signature's inception
   * @param expiration the signature's expiration
   */
  record Verified(Sig0PublicKey key, Instant inception, Instant expiration) implements Sig0Outcome {
    public Verified {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(inception, "inception");
      Objects.requireNonNull(expiration, "expiration");
    }

    @Override
    public int rcode() {
      return NOERROR;
    }
  }

  /** The message carries no SIG(0). A receiver that requires one answers REFUSED. */
  record Unsigned() implements Sig0Outcome {
    @Override
    public int rcode() {
      return REFUSED;
    }
  }

  /**
   * No usable key matches (signer, algorithm, key tag), or the algorithm is not supported:
   * BADKEY.
   *
   * @param signer the signer's name from the SIG(0)
   * @param algorithm the SIG(0) algorithm
   * @param keyTag the SIG(0) key tag
   * @param reason what was missing
   */
  record UnknownKey(Name signer, Sig0Algorithm algorithm, int keyTag, String reason)
      implements Sig0Outcome {
    public UnknownKey {
      Objects.requireNonNull(signer, "signer");
      Objects.requireNonNull(algorithm, "algorithm");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public int rcode() {
      return BADKEY;
    }
  }

  /**
   * A key was found but the signature does not verify with it: BADSIG.
   *
   * @param signer the signer's name from the SIG(0)
   * @param algorithm the SIG(0) algorithm
   * @param keyTag the SIG(0) key tag
   * @param reason why (e.g. "signature does not verify")
   */
  record BadSignature(Name signer, Sig0Algorithm algorithm, int keyTag, String reason)
      implements Sig0Outcome {
    public BadSignature {
      Objects.requireNonNull(signer, "signer");
      Objects.requireNonNull(algorithm, "algorithm");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public int rcode() {
      return BADSIG;
    }
  }

  /**
   * The verifier's clock lies outside [inception − skew, expiration + skew]: BADTIME.
   *
   * @param offsetSeconds how far the clock is outside [inception, expiration]: negative when the
   *     signature is not yet valid, positive when it has expired
   * @param inception the signature's inception
   * @param expiration the signature's expiration
   */
  record BadTime(long offsetSeconds, Instant inception, Instant expiration) implements Sig0Outcome {
    public BadTime {
      Objects.requireNonNull(inception, "inception");
      Objects.requireNonNull(expiration, "expiration");
    }

    @Override
    public int rcode() {
      return BADTIME;
    }
  }

  /**
   * A valid signature over data its replay guard has already accepted inside the window (RFC 2931
   * §3.3: the window exists to resist replay). The guard remembers what was signed, not the
   * signature octets, so a re-encoded signature over the same data (ECDSA (r, n−s)) is a replay
   * too. Answered BADTIME so an honest sender re-signs with a fresh
   * time and retries.
   *
   * @param key the key that verified it
   */
  record Replayed(Sig0PublicKey key) implements Sig0Outcome {
    public Replayed {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public int rcode() {
      return BADTIME;
    }
  }

  /**
   * The signature's validity window (expiration − inception) is longer than the verifier accepts
   * ({@link Sig0Config#maxValidity()}, default one hour): BADTIME, before any cryptography. RFC
   * 2931 §3.3 keeps the window short because it is what bounds replay; a signature valid for
   * years would be replayable for years once the replay guard has forgotten it.
   *
   * @param window the signature's window
   * @param limit the longest window the verifier accepts
   * @param inception the signature's inception
   * @param expiration the signature's expiration
   */
  record WindowTooLong(Duration window, Duration limit, Instant inception, Instant expiration)
      implements Sig0Outcome {
    public WindowTooLong {
      Objects.requireNonNull(window, "window");
      Objects.requireNonNull(limit, "limit");
      Objects.requireNonNull(inception, "inception");
      Objects.requireNonNull(expiration, "expiration");
    }

    @Override
    public int rcode() {
      return BADTIME;
    }
  }

  /**
   * The signature verified with {@code key}, but the replay guard could not record it: it is full
   * of signatures still inside their windows (it never forgets one early, which would make that
   * one replayable), or its store failed. The message must not be acted on; SERVFAIL tells an
   * honest sender to retry later. A host seeing this should raise the guard's capacity or check
   * its store.
   *
   * @param key the key that verified the signature
   * @param full {@code true} when the guard is at capacity, {@code false} when its store failed
   * @param reason what the guard reported
   */
  record ReplayGuardUnavailable(Sig0PublicKey key, boolean full, String reason)
      implements Sig0Outcome {
    public ReplayGuardUnavailable {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public int rcode() {
      return SERVFAIL;
    }
  }

  /**
   * The bytes are not a message with a well-placed SIG(0): FORMERR.
   *
   * @param what what was wrong, with the octet offset
   */
  record Malformed(String what) implements Sig0Outcome {
    public Malformed {
      Objects.requireNonNull(what, "what");
    }

    @Override
    public int rcode() {
      return FORMERR;
    }
  }
}
