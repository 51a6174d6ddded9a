package io.github.zonecut.sig0;

import io.github.zonecut.sig0.internal.Sig0Providers;
import io.github.zonecut.sig0.internal.SignaturePool;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What a verifier built on a {@link Sig0Config} shares, for SIG(0) ({@link Sig0Verifier}) and
 * RRSIG ({@link RrsigVerifier}) alike: one pooled {@code Signature} provider per algorithm from the
 * configuration's selection, and public keys decoded once (by the key provider, handed to the
 * signature provider in its native form) in a bounded cache.
 *
 * @param <K> the key identity the cache is keyed by (an immutable value)
 */
final class VerifyingKeys<K> {
  private final Sig0Config config;
  private final int cacheLimit;
  private final SignaturePool signatures;
  private final ConcurrentHashMap<K, PublicKey> decoded = new ConcurrentHashMap<>();

  /**
   * @param cacheLimit decoded keys kept at most; the cache is emptied when a key beyond it is
   *     decoded (what a verifier keeps stays bounded, whatever the number of keys it meets)
   */
  VerifyingKeys(Sig0Config config, int cacheLimit) {
    if (cacheLimit < 1) {
      throw new IllegalArgumentException("key cache limit must be positive: " + cacheLimit);
    }
    this.config = config;
    this.cacheLimit = cacheLimit;
    this.signatures = new SignaturePool(
        alg -> config.signatureProviders().getOrDefault(Sig0Algorithm.of(alg), config.provider()),
        alg -> config.algorithms().find(Sig0Algorithm.of(alg))
            .map(spec -> spec.codec().signatureName()).orElse(null),
        true);
  }

  /** The pooled signature objects. */
  SignaturePool signatures() {
    return signatures;
  }

  /**
   * The decoded public key of {@code id} (public-key field {@code keyData}, algorithm {@code
   * alg}), or {@code null} when it does not decode as a key of that algorithm.
   */
  @Nullable PublicKey decode(K id, int alg, byte[] keyData, Sig0AlgorithmCodec codec) {
    PublicKey pk = decoded.get(id);
    if (pk != null) {
      return pk;
    }
    try {
      pk = Sig0Providers.forVerify(codec, codec.decodePublicKey(keyData, config.provider()),
          signatures.provider(alg));
    } catch (GeneralSecurityException | RuntimeException e) {
      return null;
    }
    if (decoded.size() >= cacheLimit) {
      decoded.clear();
    }
    decoded.put(id, pk);
    return pk;
  }

  /** Decoded keys held now (at most the limit). */
  int cachedKeys() {
    return decoded.size();
  }
}
