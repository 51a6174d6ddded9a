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
  private static final int KEY_CACHE_LIMIT = 4096;

  private final Sig0Config config;
  private final SignaturePool signatures;
  private final ConcurrentHashMap<K, PublicKey> decoded = new ConcurrentHashMap<>();

  VerifyingKeys(Sig0Config config) {
    this.config = config;
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
    if (decoded.size() >= KEY_CACHE_LIMIT) {
      decoded.clear();
    }
    decoded.put(id, pk);
    return pk;
  }
}
