package io.github.zonecut.sig0;

import java.util.Objects;

/**
 * A key as a {@link Sig0KeyStore} lists it: the public key, its state, and whether the store
 * holds the private half. Carries no private material.
 *
 * @param publicKey the public key
 * @param state its life-cycle state
 * @param hasPrivateKey whether {@link Sig0KeyStore#findKeyPair} can return a pair for it
 */
public record StoredSig0Key(Sig0PublicKey publicKey, Sig0KeyState state, boolean hasPrivateKey) {
  public StoredSig0Key {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(state, "state");
  }
}
