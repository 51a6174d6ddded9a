package io.github.zonecut.sig0;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/** A {@link Sig0KeyStore} in memory: for tests, and for hosts that persist keys themselves. Thread-safe. */
public final class InMemorySig0KeyStore implements Sig0KeyStore {
  private record Entry(Sig0KeyState state, @Nullable Sig0KeyPair pair) {}

  private final Map<Sig0PublicKey, Entry> keys = new ConcurrentHashMap<>();

  private InMemorySig0KeyStore() {}

  /** An empty store. */
  public static InMemorySig0KeyStore create() {
    return new InMemorySig0KeyStore();
  }

  @Override
  public List<StoredSig0Key> list() {
    List<StoredSig0Key> out = new ArrayList<>();
    keys.forEach((k, e) -> out.add(new StoredSig0Key(k, e.state(), e.pair() != null)));
    return List.copyOf(out);
  }

  @Override
  public void storePublic(Sig0PublicKey key, Sig0KeyState state) {
    keys.compute(key, (k, old) -> new Entry(state, old == null ? null : old.pair()));
  }

  @Override
  public void store(Sig0KeyPair pair, Sig0KeyState state) {
    keys.put(pair.publicKey(), new Entry(state, pair));
  }

  @Override
  public void setState(Sig0PublicKey key, Sig0KeyState state) throws io.github.zonecut.core.ZonecutException {
    if (keys.computeIfPresent(key, (k, old) -> new Entry(state, old.pair())) == null) {
      throw new io.github.zonecut.core.ZonecutException("no such key in the store: " + key);
    }
  }

  @Override
  public Optional<Sig0KeyPair> findKeyPair(Sig0PublicKey key) {
    Entry e = keys.get(key);
    return e == null ? Optional.empty() : Optional.ofNullable(e.pair());
  }

  @Override
  public List<Sig0PublicKey> find(Name signer, Sig0Algorithm algorithm, int keyTag) {
    return Sig0KeyStore.super.find(signer, algorithm, keyTag);
  }

  @Override
  public String toString() {
    return "InMemorySig0KeyStore[" + keys.size() + " keys]";
  }
}
