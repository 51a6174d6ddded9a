package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.ZonecutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Sig0KeyStoreTest {
  static final Sig0Config AT_NOW = Sig0SignVerifyTest.CONFIG;

  static void exercise(Sig0KeyStore store) throws Exception {
    Sig0KeyPair pair = Sig0SignVerifyTest.key(15);
    Sig0PublicKey pub = pair.publicKey();
    Sig0PublicKey other = Sig0SignVerifyTest.key(13).publicKey();
    store.store(pair, Sig0KeyState.CREATED);
    store.storePublic(other, Sig0KeyState.PUBLISHED);
    assertThat(store.list()).containsExactlyInAnyOrder(
        new StoredSig0Key(pub, Sig0KeyState.CREATED, true),
        new StoredSig0Key(other, Sig0KeyState.PUBLISHED, false));
    // A created key is not trusted yet; a published one is.
    assertThat(store.find(pub.owner(), pub.algorithm(), pub.keyTag())).isEmpty();
    assertThat(store.find(other.owner(), other.algorithm(), other.keyTag())).containsExactly(other);
    store.setState(pub, Sig0KeyState.ACTIVE);
    assertThat(store.find(pub.owner(), pub.algorithm(), pub.keyTag())).containsExactly(pub);
    assertThat(store.activeKeyPairs(pub.owner())).extracting(Sig0KeyPair::publicKey).containsExactly(pub);
    assertThat(store.findKeyPair(pub)).isPresent();
    assertThat(store.findKeyPair(other)).isEmpty();
    // Sign from the store and verify against the store.
    byte[] wire = Sig0Signer.create(AT_NOW).sign(Sig0SignVerifyTest.update(), store.findKeyPair(pub).orElseThrow());
    assertThat(Sig0Verifier.builder(store).config(AT_NOW).replayGuard(Sig0ReplayGuard.create()).build().verify(wire))
        .isInstanceOf(Sig0Outcome.Verified.class);
    store.setState(pub, Sig0KeyState.RETIRED);
    assertThat(store.find(pub.owner(), pub.algorithm(), pub.keyTag())).isEmpty();
    assertThat(Sig0Verifier.builder(store).config(AT_NOW).replayGuard(Sig0ReplayGuard.create()).build().verify(wire))
        .isInstanceOf(Sig0Outcome.UnknownKey.class);
    Sig0PublicKey absent = Sig0SignVerifyTest.key(8).publicKey();
    assertThatThrownBy(() -> store.setState(absent, Sig0KeyState.ACTIVE))
        .isInstanceOf(ZonecutException.class).hasMessageContaining("no such key");
  }

  @Test
  void inMemoryStore() throws Exception {
    exercise(InMemorySig0KeyStore.create());
  }

  @Test
  void directoryStorePersistsStatesAsBindTimingAndPrivateFiles0600(@TempDir Path dir) throws Exception {
    DirectorySig0KeyStore store = DirectorySig0KeyStore.open(dir, AT_NOW);
    exercise(store);
    Sig0KeyPair pair = Sig0SignVerifyTest.key(15);
    Path priv = dir.resolve(pair.publicKey().bindBaseName() + ".private");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
    assertThat(Files.readString(priv)).contains("Inactive: 20261125180000").contains("Activate: 20261125180000");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
          pair.publicKey().bindBaseName() + ".key", pair.publicKey().bindBaseName() + ".private",
          Sig0SignVerifyTest.key(13).publicKey().bindBaseName() + ".key");
    }
    DirectorySig0KeyStore reopened = DirectorySig0KeyStore.open(dir, AT_NOW);
    assertThat(reopened.list()).containsExactlyInAnyOrderElementsOf(store.list());
    assertThat(reopened.findKeyPair(pair.publicKey())).isPresent();
  }

  @Test
  void directoryStoreReadsDnssecKeygenOutputAndSkipsJunk(@TempDir Path dir) throws Exception {
    for (Path p : Files.newDirectoryStream(Sig0KeysTest.vectorKeys())) {
      Files.copy(p, dir.resolve(p.getFileName()));
    }
    Files.writeString(dir.resolve("Kjunk.+015+00001.key"), "not a key\n");
    DirectorySig0KeyStore store = DirectorySig0KeyStore.open(dir, AT_NOW);
    assertThat(store.list()).hasSize(4).allMatch(k -> k.state() == Sig0KeyState.ACTIVE && k.hasPrivateKey());
    // Before the keys' Publish stamp (2026-11-25 17:09:47) they are only created.
    Sig0Config before = Sig0Config.builder()
        .clock(Clock.fixed(Instant.parse("2026-11-25T17:00:00Z"), ZoneOffset.UTC)).build();
    assertThat(DirectorySig0KeyStore.open(dir, before).list()).allMatch(k -> k.state() == Sig0KeyState.CREATED);
    // The store is a lookup that verifies the captured vectors.
    String vector = "sig0-nsupdate-ed25519";
    Sig0Outcome out = Sig0Verifier.builder(store)
        .config(Sig0Config.builder().clock(TestVectors.insideWindow(vector)).build()).replayGuard(Sig0ReplayGuard.create())
        .build().verify(TestVectors.wire(vector));
    assertThat(out).isInstanceOf(Sig0Outcome.Verified.class);
  }

  @Test
  void aMissingDirectoryIsAnError(@TempDir Path dir) {
    assertThatThrownBy(() -> DirectorySig0KeyStore.open(dir.resolve("absent"), AT_NOW))
        .isInstanceOf(ZonecutException.class).hasMessageContaining("cannot list");
  }
}
