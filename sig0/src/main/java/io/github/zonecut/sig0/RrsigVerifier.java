package io.github.zonecut.sig0;

import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.sig0.internal.SignaturePool;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * Verifies an RRSIG over an RRset with a DNSKEY (RFC 4034 §3.1.8.1, RFC 4035 §5.3) through
 * zonecut's own providers: the {@link Sig0Config}'s selection per algorithm (the Amazon Corretto
 * Crypto Provider where it loads and passes its self-test, else Bouncy Castle), the same key
 * decoding, the same refusal of non-canonical signatures (ECDSA r or s outside [1, n−1], EdDSA
 * S ≥ L, wrong lengths; RFC 8017 §8.2.2 for RSA) and the same pooled {@code Signature} objects as
 * {@link Sig0Verifier}. DNSSEC and SIG(0) share key and signature formats (RFC 2931 §3, RFC 6605
 * §4, RFC 8080 §4), so there is one implementation of both.
 *
 * <p>Why not dnsjava's {@code DNSSEC.verify}: it asks the JVM's default JCA provider, which for
 * ECDSA is the JDK's SunEC at about 1.4k P-256 verifications per second and core, against 24k
 * through ACCP here; a registry that verifies the RRSIGs of thousands of children spends its time
 * there. This class never registers a provider in {@code java.security.Security}.
 *
 * <p>The RRset's canonical form is dnsjava's ({@code DNSSEC.digestRRset}: owner lower-cased and
 * wildcard-expanded per the RRSIG's labels field, original TTL, RDATA in canonical order). Thread
 * safe; decoded keys are cached per instance, bounded by {@link #DEFAULT_KEY_CACHE_SIZE} or the
 * size given to {@link #create(Sig0Config, int)}: a scan of any number of zones keeps at most that
 * many. Instances share nothing.
 */
public final class RrsigVerifier {

  static {
    // every zonecut entry point registers zonecut's record types with dnsjava
    ZonecutTypes.register();
  }

  private static final int PROTOCOL_DNSSEC = 3;

  /**
   * Decoded keys an instance keeps unless told otherwise (1,024). A key verifies the RRsets of its
   * zone, several times while that zone is checked, so the cache needs to hold the keys of the
   * zones checked at once, not of every zone a scan meets.
   */
  public static final int DEFAULT_KEY_CACHE_SIZE = 1024;

  private final Sig0Config config;
  private final VerifyingKeys<DnsKeyData> keys;
  private final SignaturePool signatures;

  private RrsigVerifier(Sig0Config config, int keyCacheSize) {
    this.config = config;
    this.keys = new VerifyingKeys<>(config, keyCacheSize);
    this.signatures = keys.signatures();
  }

  /**
   * A verifier with {@code config}'s algorithms and providers (its clock is not used), keeping up
   * to {@link #DEFAULT_KEY_CACHE_SIZE} decoded keys.
   */
  public static RrsigVerifier create(Sig0Config config) {
    return create(config, DEFAULT_KEY_CACHE_SIZE);
  }

  /**
   * A verifier with {@code config}'s algorithms and providers keeping up to {@code keyCacheSize}
   * decoded keys (all are dropped when one more is decoded): size it to the zones checked at once.
   *
   * @throws IllegalArgumentException if {@code keyCacheSize} is not positive
   */
  public static RrsigVerifier create(Sig0Config config, int keyCacheSize) {
    return new RrsigVerifier(Objects.requireNonNull(config, "config"), keyCacheSize);
  }

  /**
   * A new verifier with {@link Sig0Config#defaults()}: the fastest self-tested provider per
   * algorithm. Each call returns a verifier of its own (its own key cache); keep and share one.
   */
  public static RrsigVerifier defaults() {
    return create(Sig0Config.defaults());
  }

  /** Decoded keys this verifier holds now, never more than its cache size. */
  public int cachedKeys() {
    return keys.cachedKeys();
  }

  /** Whether {@code sig} over {@code rrset} verifies with {@code key} at {@code at}. */
  public boolean verifies(RRset rrset, RRSIGRecord sig, DNSKEYRecord key, Instant at) {
    return problem(rrset, sig, key, at).isEmpty();
  }

  /**
   * Why {@code sig} over {@code rrset} does not verify with {@code key} at {@code at}, or empty
   * when it does. Checked first, without cryptography (RFC 4035 §5.3.1): the RRSIG covers the
   * RRset's type and class and owner, its signer is the key's owner, its algorithm and key tag
   * are the key's, the key is a DNSSEC zone key (protocol 3, Zone Key flag; RFC 4034 §2.1.1),
   * the labels field does not exceed the owner's labels, and {@code at} lies within
   * [inception, expiration].
   */
  public Optional<String> problem(RRset rrset, RRSIGRecord sig, DNSKEYRecord key, Instant at) {
    Objects.requireNonNull(at, "at");
    String structural = structural(rrset, sig, key, at);
    if (structural != null) {
      return Optional.of(structural);
    }
    Sig0AlgorithmSpec spec = config.algorithms().find(Sig0Algorithm.of(sig.getAlgorithm()))
        .orElse(null);
    if (spec == null) {
      return Optional.of("algorithm " + sig.getAlgorithm() + " is not supported");
    }
    Sig0AlgorithmCodec codec = spec.codec();
    DnsKeyData keyData = DnsKeyData.of(key);
    PublicKey pk = keys.decode(keyData, keyData.algorithm(), keyData.publicKey(), codec);
    if (pk == null) {
      return Optional.of("DNSKEY " + key.getFootprint() + " does not decode as an algorithm "
          + key.getAlgorithm() + " key");
    }
    byte[] signature = sig.getSignature();
    String refused = codec.refusal(signature, pk);
    if (refused != null) {
      return Optional.of(refused);
    }
    byte @Nullable [] jca = codec.toJcaSignature(signature);
    if (jca == null) {
      return Optional.of("signature has the wrong length");
    }
    byte[] data;
    try {
      data = DNSSEC.digestRRset(sig, rrset);
    } catch (RuntimeException e) {
      return Optional.of("RRset cannot be put in canonical form: " + e.getMessage());
    }
    try {
      if (signatures.verify(sig.getAlgorithm(), pk, jca, sink -> sink.update(data, 0, data.length))) {
        return Optional.empty();
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      // a hostile signature can make a provider throw; that is a failed verification
    }
    return Optional.of("signature does not verify");
  }

  private static @Nullable String structural(RRset rrset, RRSIGRecord sig, DNSKEYRecord key,
      Instant at) {
    if (sig.getTypeCovered() != rrset.getType() || sig.getDClass() != rrset.getDClass()
        || !sig.getName().equals(rrset.getName())) {
      return "RRSIG does not cover this RRset";
    }
    if (!sig.getSigner().equals(key.getName())) {
      return "RRSIG signer " + sig.getSigner() + " is not the key's owner " + key.getName();
    }
    if (sig.getAlgorithm() != key.getAlgorithm() || sig.getFootprint() != key.getFootprint()) {
      return "RRSIG names another key (" + sig.getAlgorithm() + "/" + sig.getFootprint() + ")";
    }
    if (key.getProtocol() != PROTOCOL_DNSSEC || (key.getFlags() & DnsKeyData.ZONE_FLAG) == 0) {
      return "DNSKEY " + key.getFootprint() + " is not a zone key";
    }
    int labels = rrset.getName().labels() - 1; // without the root label
    if (rrset.getName().isWild()) {
      labels--;
    }
    if (sig.getLabels() > labels) {
      return "RRSIG labels field " + sig.getLabels() + " exceeds the owner's " + labels;
    }
    if (at.isBefore(sig.getTimeSigned())) {
      return "RRSIG not yet valid (inception " + sig.getTimeSigned() + ")";
    }
    if (at.isAfter(sig.getExpire())) {
      return "RRSIG expired at " + sig.getExpire();
    }
    return null;
  }

  @Override
  public String toString() {
    return "RrsigVerifier[" + config.describe() + "]";
  }
}
