package io.github.zonecut.sig0;

import io.github.zonecut.core.MalformedDataException;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.sig0.internal.Sig0Crypto;
import io.github.zonecut.sig0.internal.SignaturePool;
import io.github.zonecut.sig0.internal.WireScan;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * Verifies SIG(0) (RFC 2931) over the bytes exactly as received, never re-rendered.
 *
 * <p>The message is walked on the wire: a SIG(0) must be alone and the last additional record
 * (owner root, class ANY), else the outcome is {@link Sig0Outcome.Malformed}. The signed data is
 * the SIG RDATA without its signature ‖ the received header with ARCOUNT − 1 ‖ the received
 * octets up to the SIG(0) (RFC 2931 §3.1). The key is looked up by (signer, algorithm, key tag)
 * and each candidate is confirmed by recomputing its tag from its bytes. The time window is
 * checked with the configured clock and skew; a {@link Sig0ReplayGuard} rejects a signature seen
 * before. Decoded public keys are cached.
 *
 * <p>No input makes {@link #verify(byte[])} throw; everything a peer can send is an outcome.
 * Thread-safe.
 */
public final class Sig0Verifier {
  private static final int KEY_CACHE_LIMIT = 4096;
  private static final byte[] NO_BYTES = new byte[0];

  private final Sig0Config config;
  private final Sig0KeyLookup keys;
  private final @Nullable Sig0ReplayGuard replayGuard;
  private final Set<Sig0ResponseForm> responseForms;
  private final ConcurrentHashMap<Sig0PublicKey, PublicKey> decoded = new ConcurrentHashMap<>();
  private final SignaturePool signatures;

  private Sig0Verifier(Builder b) {
    this.config = b.config;
    this.keys = b.keys;
    this.replayGuard = b.replayGuard;
    this.responseForms = Set.copyOf(b.responseForms);
    this.signatures = new SignaturePool(config.provider());
  }

  /** A builder verifying against {@code keys}, with defaults for everything else. */
  public static Builder builder(Sig0KeyLookup keys) {
    ZonecutTypes.register();
    return new Builder(keys);
  }

  /**
   * Verifies a request (or any message signed request-style).
   *
   * @param wire the message exactly as received (for TCP, without the two-octet length)
   */
  public Sig0Outcome verify(byte[] wire) {
    return check(wire, NO_BYTES);
  }

  /**
   * Verifies a signed response to {@code query} (RFC 2931 §3.2), accepting the forms configured
   * with {@link Builder#responseForms} (by default both).
   *
   * @param response the response exactly as received
   * @param query the query exactly as it was sent, including its SIG(0) if it had one
   */
  public Sig0Outcome verifyResponse(byte[] response, byte[] query) {
    Objects.requireNonNull(query, "query");
    if (responseForms.contains(Sig0ResponseForm.WITH_QUERY)) {
      Sig0Outcome withQuery = check(response, query);
      if (!(withQuery instanceof Sig0Outcome.BadSignature)
          || !responseForms.contains(Sig0ResponseForm.REQUEST_STYLE)) {
        return withQuery;
      }
    }
    return check(response, NO_BYTES);
  }

  private Sig0Outcome check(byte[] wire, byte[] query) {
    WireScan scan;
    try {
      scan = WireScan.scan(wire);
    } catch (MalformedDataException e) {
      return new Sig0Outcome.Malformed(String.valueOf(e.getMessage()));
    }
    if (scan.sigStart < 0) {
      return new Sig0Outcome.Unsigned();
    }
    Name signer;
    try {
      signer = new Name(scan.signerWire);
    } catch (IOException e) {
      return new Sig0Outcome.Malformed("SIG(0) signer name: " + e.getMessage());
    }
    Sig0Algorithm alg = Sig0Algorithm.of(scan.algorithm);
    long now = config.clock().instant().getEpochSecond();
    long inception = serialToEpoch(scan.inception, now);
    long expiration = serialToEpoch(scan.expiration, now);
    if (expiration < inception) {
      return new Sig0Outcome.Malformed("SIG(0) expiration " + expiration + " is before inception " + inception);
    }
    long skew = config.skew().getSeconds();
    if (now < inception - skew || now > expiration + skew) {
      long offset = now < inception ? now - inception : now - expiration;
      return new Sig0Outcome.BadTime(
          offset, Instant.ofEpochSecond(inception), Instant.ofEpochSecond(expiration));
    }
    if (!alg.isSupported()) {
      return new Sig0Outcome.UnknownKey(signer, alg, scan.keyTag, "algorithm " + alg + " is not supported");
    }
    List<Sig0PublicKey> candidates = keys.find(signer, alg, scan.keyTag);
    byte[] signature = scan.signature(wire);
    byte @Nullable [] jcaSig = Sig0Crypto.toJcaSignature(scan.algorithm, signature);
    String failure = "no key with this owner, algorithm and key tag";
    boolean anyKey = false;
    for (Sig0PublicKey key : candidates) {
      // Confirm the store's answer from the key bytes themselves.
      if (!key.owner().equals(signer) || !key.algorithm().equals(alg) || key.keyTag() != scan.keyTag) {
        continue;
      }
      PublicKey pk = decode(key);
      if (pk == null) {
        failure = "KEY " + key + " does not decode as a " + alg + " key";
        continue;
      }
      anyKey = true;
      if (jcaSig != null && verifies(pk, alg.number(), scan, wire, query, jcaSig)) {
        if (replayGuard != null
            && !replayGuard.firstSeen(scan.signerWire, signature, expiration + skew, now)) {
          return new Sig0Outcome.Replayed(key);
        }
        return new Sig0Outcome.Verified(
            key, Instant.ofEpochSecond(inception), Instant.ofEpochSecond(expiration));
      }
    }
    if (!anyKey) {
      return new Sig0Outcome.UnknownKey(signer, alg, scan.keyTag, failure);
    }
    return new Sig0Outcome.BadSignature(signer, alg, scan.keyTag,
        jcaSig == null ? "signature has the wrong length" : "signature does not verify");
  }

  private boolean verifies(
      PublicKey pk, int alg, WireScan scan, byte[] wire, byte[] query, byte[] jcaSig) {
    try {
      Signature s = signatures.borrow(alg);
      s.initVerify(pk);
      s.update(scan.rdataPrefix);
      if (query.length > 0) {
        s.update(query);
      }
      // RFC 2931 §3.1: the header as received but with ARCOUNT not counting the SIG(0).
      byte[] header = new byte[12];
      System.arraycopy(wire, 0, header, 0, 12);
      int ar = scan.arCount - 1;
      header[10] = (byte) (ar >>> 8);
      header[11] = (byte) ar;
      s.update(header);
      s.update(wire, 12, scan.sigStart - 12);
      boolean ok = s.verify(jcaSig);
      signatures.release(alg, s);
      return ok;
    } catch (GeneralSecurityException | RuntimeException e) {
      // A hostile signature can make a provider throw; that is a failed verification.
      return false;
    }
  }

  private @Nullable PublicKey decode(Sig0PublicKey key) {
    PublicKey pk = decoded.get(key);
    if (pk != null) {
      return pk;
    }
    try {
      pk = Sig0Crypto.decodePublicKey(key.algorithm().number(), key.keyDataShared(), config.provider());
    } catch (GeneralSecurityException | RuntimeException e) {
      return null;
    }
    if (decoded.size() >= KEY_CACHE_LIMIT) {
      decoded.clear();
    }
    decoded.put(key, pk);
    return pk;
  }

  // RFC 4034 §3.1.5: 32-bit serial arithmetic, taken relative to now.
  private static long serialToEpoch(long serial, long now) {
    int delta = (int) (serial - now);
    return now + delta;
  }

  @Override
  public String toString() {
    return "Sig0Verifier[" + config.provider().getName() + ", skew " + config.skew()
        + (replayGuard == null ? ", NO replay guard" : ", " + replayGuard) + "]";
  }

  /** Builds a {@link Sig0Verifier}. */
  public static final class Builder {
    private final Sig0KeyLookup keys;
    private Sig0Config config = Sig0Config.defaults();
    private @Nullable Sig0ReplayGuard replayGuard = Sig0ReplayGuard.create();
    private Set<Sig0ResponseForm> responseForms = EnumSet.allOf(Sig0ResponseForm.class);

    private Builder(Sig0KeyLookup keys) {
      this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** Provider, clock and skew (default {@link Sig0Config#defaults()}). */
    public Builder config(Sig0Config config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /** The replay guard (default: a fresh {@link Sig0ReplayGuard#create()} per verifier). */
    public Builder replayGuard(Sig0ReplayGuard guard) {
      this.replayGuard = Objects.requireNonNull(guard, "guard");
      return this;
    }

    /**
     * Turns replay protection off: the same signed message is then accepted any number of times
     * within its window. For tests and for hosts that deduplicate elsewhere.
     */
    public Builder insecureWithoutReplayGuard() {
      this.replayGuard = null;
      return this;
    }

    /** Which response forms {@link #verifyResponse} accepts (default both); not empty. */
    public Builder responseForms(Set<Sig0ResponseForm> forms) {
      if (forms.isEmpty()) {
        throw new IllegalArgumentException("at least one response form must be accepted");
      }
      this.responseForms = EnumSet.copyOf(forms);
      return this;
    }

    /** Builds the verifier. */
    public Sig0Verifier build() {
      return new Sig0Verifier(this);
    }
  }
}
