package io.github.zonecut.sig0;

import io.github.zonecut.core.MalformedDataException;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.sig0.internal.SignaturePool;
import io.github.zonecut.sig0.internal.WireScan;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * Verifies SIG(0) (RFC 2931) over the bytes exactly as received, never re-rendered.
 *
 * <p>The message is walked on the wire: a SIG(0) must be alone and the last additional record
 * (owner root, class ANY, TTL 0), else the outcome is {@link Sig0Outcome.Malformed}. The signed
 * data is the SIG RDATA without its signature ‖ the received header with ARCOUNT − 1 ‖ the
 * received octets up to the SIG(0) (RFC 2931 §3.1). A window longer than {@link
 * Sig0Config#maxValidity()} is refused before any cryptography. The key is looked up by (signer,
 * algorithm, key tag) and each candidate is confirmed by recomputing its tag from its bytes. An
 * RSA signature must be exactly as long as the modulus (RFC 8017 §8.2.2). The time window is
 * checked with the configured clock and skew; the {@link Sig0ReplayGuard} given to the builder
 * rejects signed data it has seen before, whatever the signature octets. Decoded public keys are
 * cached.
 *
 * <p>The replay guard is what makes a verifier safe to build per request: the builder insists on
 * one ({@link Builder#replayGuard}) or on an explicit {@link Builder#insecureWithoutReplayGuard}.
 *
 * <p>No octets a peer can send make {@link #verify(byte[])} throw; everything is an outcome. A
 * {@code null} array is not input but a programming error: it raises {@link
 * NullPointerException}. Thread-safe.
 */
public final class Sig0Verifier {

  static {
    // every zonecut entry point registers zonecut's record types with dnsjava, so that
    // text and wire parsing yield DSYNC/CSYNC/HSYNC records, not "invalid unknown RR encoding"
    ZonecutTypes.register();
  }

  private static final Logger LOG = LoggerFactory.getLogger(Sig0Verifier.class);
  /** Domain separation of the replay identifier, so a format change cannot collide. */
  private static final byte[] REPLAY_ID_V1 =
      "zonecut sig0 replay v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final byte[] NO_BYTES = new byte[0];
  /** Decoded requester keys kept: a receiver meets the same children's keys again and again. */
  private static final int KEY_CACHE_LIMIT = 4096;

  private final Sig0Config config;
  private final Sig0KeyLookup keys;
  private final @Nullable Sig0ReplayGuard replayGuard;
  private final Set<Sig0ResponseForm> responseForms;
  private final VerifyingKeys<Sig0PublicKey> verifyingKeys;
  private final SignaturePool signatures;
  /**
   * What the verifier derives from a trusted key, found by the identity of the key value a
   * lookup returns (stores hand back the same instance), so that a message costs neither the
   * key's hash and equality over its octets nor recomputing its tag.
   */
  private final AtomicReferenceArray<@Nullable Derived> derived =
      new AtomicReferenceArray<>(DERIVED_SLOTS);
  private static final int DERIVED_SLOTS = 32;
  /** The last signer name seen, so a repeated signer is not parsed again per message. */
  private final AtomicReference<@Nullable SignerName> lastSigner = new AtomicReference<>();
  private final AtomicReference<@Nullable MessageDigest> replayDigest = new AtomicReference<>();

  private Sig0Verifier(Builder b) {
    this.config = b.config;
    this.keys = b.keys;
    this.replayGuard = b.replayGuard;
    this.responseForms = Set.copyOf(b.responseForms);
    this.verifyingKeys = new VerifyingKeys<>(config, KEY_CACHE_LIMIT);
    this.signatures = verifyingKeys.signatures();
  }

  /**
   * A builder verifying against {@code keys}. The caller must choose the replay protection: the
   * host's shared {@link Builder#replayGuard guard}, or {@link Builder#insecureWithoutReplayGuard}.
   */
  public static Builder builder(Sig0KeyLookup keys) {
    return new Builder(keys);
  }

  /**
   * Verifies a request (or any message signed request-style).
   *
   * @param wire the message exactly as received (for TCP, without the two-octet length)
   * @throws NullPointerException if {@code wire} is null (never for any octets received)
   */
  public Sig0Outcome verify(byte[] wire) {
    Objects.requireNonNull(wire, "wire");
    return check(wire, NO_BYTES);
  }

  /**
   * Verifies a signed response to {@code query} (RFC 2931 §3.2), accepting the forms configured
   * with {@link Builder#responseForms} (by default both).
   *
   * @param response the response exactly as received
   * @param query the query exactly as it was sent, including its SIG(0) if it had one
   * @throws NullPointerException if either array is null (never for any octets received)
   */
  public Sig0Outcome verifyResponse(byte[] response, byte[] query) {
    Objects.requireNonNull(response, "response");
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
    SignerName seen = lastSigner.get();
    if (seen != null && Arrays.equals(seen.wire, scan.signerWire)) {
      signer = seen.name;
    } else {
      try {
        signer = new Name(scan.signerWire);
      } catch (IOException e) {
        return new Sig0Outcome.Malformed("SIG(0) signer name: " + e.getMessage());
      }
      lastSigner.set(new SignerName(scan.signerWire, signer));
    }
    Sig0Algorithm alg = Sig0Algorithm.of(scan.algorithm);
    long now = config.clock().instant().getEpochSecond();
    long inception = serialToEpoch(scan.inception, now);
    long expiration = serialToEpoch(scan.expiration, now);
    if (expiration < inception) {
      return new Sig0Outcome.Malformed("SIG(0) expiration " + expiration + " is before inception " + inception);
    }
    if (expiration - inception > config.maxValidity().getSeconds()) {
      return new Sig0Outcome.WindowTooLong(Duration.ofSeconds(expiration - inception),
          config.maxValidity(), Instant.ofEpochSecond(inception),
          Instant.ofEpochSecond(expiration));
    }
    long skew = config.skew().getSeconds();
    if (now < inception - skew || now > expiration + skew) {
      long offset = now < inception ? now - inception : now - expiration;
      return new Sig0Outcome.BadTime(
          offset, Instant.ofEpochSecond(inception), Instant.ofEpochSecond(expiration));
    }
    Sig0AlgorithmSpec spec = config.algorithms().get(alg.number());
    if (spec == null) {
      return new Sig0Outcome.UnknownKey(signer, alg, scan.keyTag, "algorithm " + alg + " is not supported");
    }
    Sig0AlgorithmCodec codec = spec.codec();
    List<Sig0PublicKey> candidates = keys.find(signer, alg, scan.keyTag);
    byte[] signature = scan.signature(wire);
    byte @Nullable [] jcaSig = codec.toJcaSignature(signature);
    String failure = "no key with this owner, algorithm and key tag";
    String badSignature = jcaSig == null ? "signature has the wrong length" : "signature does not verify";
    boolean anyKey = false;
    for (Sig0PublicKey key : candidates) {
      Derived d = derive(key, codec);
      // Confirm the store's answer from the key bytes themselves.
      if (!key.owner().equals(signer) || !key.algorithm().equals(alg) || d.keyTag != scan.keyTag) {
        continue;
      }
      PublicKey pk = d.publicKey;
      if (pk == null) {
        failure = "KEY " + key + " does not decode as a " + alg + " key";
        continue;
      }
      anyKey = true;
      // Refused for every provider alike: the forms providers judge differently, and RSA
      // signatures not exactly as long as the modulus (RFC 8017 §8.2.2 step 1).
      String refused = codec.refusal(signature, pk);
      if (refused != null) {
        badSignature = refused;
        continue;
      }
      if (jcaSig != null && verifies(pk, alg.number(), scan, wire, query, jcaSig)) {
        if (signer != key.owner() && Arrays.equals(d.ownerWire, scan.signerWire)) {
          // The same name octet for octet: later messages reuse the key's own instance, which
          // equals itself without a label walk.
          lastSigner.set(new SignerName(scan.signerWire, key.owner()));
        }
        return remember(d, scan, wire, query, inception, expiration, expiration + skew, now);
      }
    }
    if (!anyKey) {
      return new Sig0Outcome.UnknownKey(signer, alg, scan.keyTag, failure);
    }
    return new Sig0Outcome.BadSignature(signer, alg, scan.keyTag, badSignature);
  }

  /** Verified, unless the replay guard has seen the signed data or cannot record it. */
  private Sig0Outcome remember(Derived d, WireScan scan, byte[] wire, byte[] query,
      long inception, long expiration, long forgetAfter, long now) {
    Sig0PublicKey key = d.key;
    Sig0ReplayGuard guard = replayGuard;
    if (guard != null) {
      Sig0ReplayStore.Insert insert;
      try {
        insert = guard.record(replayId(d, scan, wire, query), forgetAfter, now);
      } catch (Sig0ReplayStoreException | RuntimeException e) {
        LOG.warn("SIG(0) replay store failed; refusing a verified signature of {}: {}",
            key.owner(), e.toString());
        return new Sig0Outcome.ReplayGuardUnavailable(key, false, String.valueOf(e.getMessage()));
      }
      switch (insert) {
        case PRESENT:
          return new Sig0Outcome.Replayed(key);
        case FULL:
          LOG.warn("SIG(0) replay guard is full of unexpired signatures; refusing one of {}",
              key.owner());
          return new Sig0Outcome.ReplayGuardUnavailable(
              key, true, "replay guard full of signatures inside their windows");
        case RECORDED:
          break;
      }
    }
    return new Sig0Outcome.Verified(
        key, Instant.ofEpochSecond(inception), Instant.ofEpochSecond(expiration));
  }

  /**
   * The replay identifier: SHA-256 over a version tag, the verifying key (owner in canonical
   * lower-case wire form, algorithm, public key octets, each length-prefixed) and the signed data
   * exactly as it was verified, without the signature field. Any re-encoding of the signature
   * (ECDSA (r, n−s), a dropped RSA zero octet, a different SIG(0) TTL or owner encoding) leaves
   * it unchanged.
   */
  private byte[] replayId(Derived d, WireScan scan, byte[] wire, byte[] query) {
    MessageDigest md = replayDigest.getAndSet(null);
    if (md == null) {
      try {
        md = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        // Every Java platform must provide SHA-256 (MessageDigest javadoc).
        throw new IllegalStateException(e);
      }
    }
    Sig0PublicKey key = d.key;
    md.update(REPLAY_ID_V1);
    byte[] owner = d.ownerCanonical;
    byte[] keyData = key.keyDataShared();
    md.update((byte) owner.length);
    md.update(owner);
    md.update((byte) key.algorithm().number());
    md.update((byte) (keyData.length >>> 8));
    md.update((byte) keyData.length);
    md.update(keyData);
    md.update(scan.rdataPrefix);
    md.update(query);
    md.update(signedHeader(wire, scan));
    md.update(wire, 12, scan.sigStart - 12);
    byte[] id = md.digest(); // digest() resets it for the next message
    replayDigest.set(md);
    return id;
  }

  // RFC 2931 §3.1: the header as received but with ARCOUNT not counting the SIG(0).
  private static byte[] signedHeader(byte[] wire, WireScan scan) {
    byte[] header = new byte[12];
    System.arraycopy(wire, 0, header, 0, 12);
    int ar = scan.arCount - 1;
    header[10] = (byte) (ar >>> 8);
    header[11] = (byte) ar;
    return header;
  }

  private boolean verifies(
      PublicKey pk, int alg, WireScan scan, byte[] wire, byte[] query, byte[] jcaSig) {
    try {
      // RFC 2931 §3.1 signed data, in one contiguous array: a provider that buffers the whole
      // message (EdDSA, ML-DSA) or crosses into native code per update (ACCP) does that once.
      int p = scan.rdataPrefix.length;
      byte[] tbs = Arrays.copyOf(scan.rdataPrefix, p + query.length + scan.sigStart);
      System.arraycopy(query, 0, tbs, p, query.length);
      System.arraycopy(wire, 0, tbs, p + query.length, scan.sigStart);
      // the header as received but with ARCOUNT not counting the SIG(0)
      int ar = scan.arCount - 1;
      tbs[p + query.length + 10] = (byte) (ar >>> 8);
      tbs[p + query.length + 11] = (byte) ar;
      return signatures.verify(alg, pk, jcaSig, sink -> sink.update(tbs, 0, tbs.length));
    } catch (GeneralSecurityException | RuntimeException e) {
      // A hostile signature can make a provider throw; that is a failed verification.
      return false;
    }
  }

  /** The derived values of {@code key}: from its identity slot, else computed and slotted. */
  private Derived derive(Sig0PublicKey key, Sig0AlgorithmCodec codec) {
    int slot = System.identityHashCode(key) & (DERIVED_SLOTS - 1);
    Derived d = derived.get(slot);
    if (d != null && d.key == key && d.codec == codec) {
      return d;
    }
    d = new Derived(key, codec, decode(key, codec));
    derived.set(slot, d);
    return d;
  }

  private @Nullable PublicKey decode(Sig0PublicKey key, Sig0AlgorithmCodec codec) {
    return verifyingKeys.decode(key, key.algorithm().number(), key.keyDataShared(), codec);
  }

  /** A trusted key with what each message would otherwise derive from it again. */
  private static final class Derived {
    final Sig0PublicKey key;
    final Sig0AlgorithmCodec codec;
    final @Nullable PublicKey publicKey;
    final int keyTag;
    final byte[] ownerWire;
    final byte[] ownerCanonical;

    Derived(Sig0PublicKey key, Sig0AlgorithmCodec codec, @Nullable PublicKey publicKey) {
      this.key = key;
      this.codec = codec;
      this.publicKey = publicKey;
      this.keyTag = key.keyTag();
      this.ownerWire = key.owner().toWire();
      this.ownerCanonical = key.owner().toWireCanonical();
    }
  }

  /** A signer name as it came on the wire, and the parsed name. */
  private static final class SignerName {
    final byte[] wire;
    final Name name;

    SignerName(byte[] wire, Name name) {
      this.wire = wire;
      this.name = name;
    }
  }

  // RFC 4034 §3.1.5: 32-bit serial arithmetic, taken relative to now.
  private static long serialToEpoch(long serial, long now) {
    int delta = (int) (serial - now);
    return now + delta;
  }

  @Override
  public String toString() {
    return "Sig0Verifier[" + config.describe() + ", skew " + config.skew()
        + (replayGuard == null ? ", NO replay guard" : ", " + replayGuard) + "]";
  }

  /** Builds a {@link Sig0Verifier}. */
  public static final class Builder {
    private final Sig0KeyLookup keys;
    private Sig0Config config = Sig0Config.defaults();
    private @Nullable Sig0ReplayGuard replayGuard;
    private boolean replayChosen;
    private Set<Sig0ResponseForm> responseForms = EnumSet.allOf(Sig0ResponseForm.class);

    private Builder(Sig0KeyLookup keys) {
      this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** Provider, clock and skew (default {@link Sig0Config#defaults()}). */
    public Builder config(Sig0Config config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * The replay guard: the host's long-lived one, shared by every verifier of the same keys (a
     * guard created per verifier protects nothing when verifiers are built per request). This or
     * {@link #insecureWithoutReplayGuard()} is required.
     */
    public Builder replayGuard(Sig0ReplayGuard guard) {
      this.replayGuard = Objects.requireNonNull(guard, "guard");
      this.replayChosen = true;
      return this;
    }

    /**
     * Turns replay protection off: the same signed message is then accepted any number of times
     * within its window. For tests, benchmarks, clients whose answers are bound to a fresh query,
     * and hosts that deduplicate elsewhere.
     */
    public Builder insecureWithoutReplayGuard() {
      this.replayGuard = null;
      this.replayChosen = true;
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

    /**
     * Builds the verifier.
     *
     * @throws IllegalStateException when neither {@link #replayGuard} nor {@link
     *     #insecureWithoutReplayGuard} was called
     */
    public Sig0Verifier build() {
      if (!replayChosen) {
        throw new IllegalStateException("a Sig0Verifier needs replay protection: pass the host's"
            + " shared, long-lived guard with replayGuard(guard) (create it once, e.g."
            + " Sig0ReplayGuard.create()), or call insecureWithoutReplayGuard() to accept replays");
      }
      return new Sig0Verifier(this);
    }
  }
}
