package io.github.zonecut.sig0;

import io.github.zonecut.core.ZonecutException;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * Storage for SIG(0) keys and their states: the SPI a host implements over its database or
 * secret store. zonecut ships {@link InMemorySig0KeyStore} and {@link DirectorySig0KeyStore}
 * (BIND key files).
 *
 * <p>As a {@link Sig0KeyLookup}, a store answers with the keys a verifier should trust: those in
 * a state where {@link Sig0KeyState#trustedForVerification()} holds. Private keys leave a store
 * only inside a {@link Sig0KeyPair} from {@link #findKeyPair}, whose material in turn needs
 * {@link PrivateKeyAccess}.
 */
public interface Sig0KeyStore extends Sig0KeyLookup {

  /** Every key the store holds, with its state. */
  List<StoredSig0Key> list();

  /**
   * Stores a public key alone (e.g. a child's key a receiver trusts), or updates its state.
   *
   * @throws ZonecutException when the backing storage fails
   */
  void storePublic(Sig0PublicKey key, Sig0KeyState state) throws ZonecutException;

  /**
   * Stores a key pair (a key this host signs with), or updates its state.
   *
   * @throws ZonecutException when the backing storage fails
   */
  void store(Sig0KeyPair pair, Sig0KeyState state) throws ZonecutException;

  /**
   * Moves a stored key to another state.
   *
   * @throws ZonecutException when the key is not stored or the backing storage fails
   */
  void setState(Sig0PublicKey key, Sig0KeyState state) throws ZonecutException;

  /** The pair to sign with, when the store holds the private half of this exact key. */
  Optional<Sig0KeyPair> findKeyPair(Sig0PublicKey key);

  /** The keys in state {@link Sig0KeyState#ACTIVE} with a private half, for a signer name. */
  default List<Sig0KeyPair> activeKeyPairs(Name owner) {
    return list().stream()
        .filter(k -> k.state() == Sig0KeyState.ACTIVE && k.hasPrivateKey()
            && k.publicKey().owner().equals(owner))
        .map(k -> findKeyPair(k.publicKey()))
        .flatMap(Optional::stream)
        .toList();
  }

  /** Trusted keys (published or active) matching signer, algorithm and key tag. */
  @Override
  default List<Sig0PublicKey> find(Name signer, Sig0Algorithm algorithm, int keyTag) {
    return list().stream()
        .filter(k -> k.state().trustedForVerification())
        .map(StoredSig0Key::publicKey)
        .filter(k -> k.owner().equals(signer) && k.algorithm().equals(algorithm)
            && k.keyTag() == keyTag)
        .toList();
  }
}
