package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.MalformedDataException;
import io.github.zonecut.core.ZonecutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Update;

/**
 * BIND key files and PKCS#8 PEM of an algorithm a host registered at its own number (here
 * ML-DSA-65 at 250, in the private-use range 244–251 of the proposed experimental range): they
 * round-trip through the overloads taking the host's {@link Sig0Config}, and a number the
 * registry lacks is refused with an error naming it.
 */
class Sig0HostAlgorithmKeyFilesTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T05:00:00Z"), ZoneOffset.UTC);
  static final Name OWNER = Name.fromConstantString("child.example.");
  static final Sig0Config HOST = Sig0Config.builder().clock(CLOCK)
      .algorithms(Sig0Algorithms.iana().with(Sig0AlgorithmSpec.mlDsa65(250))).build();

  static Sig0KeyPair hostKey() throws ZonecutException {
    return Sig0KeyPair.generate(OWNER, HOST.spec(Sig0Algorithm.of(250)), Sig0PublicKey.FLAGS_ZONE,
        HOST.provider());
  }

  @Test
  void bindFilesOfAHostNumberRoundTripAndSign(@TempDir Path dir) throws Exception {
    Sig0KeyPair key = hostKey();
    Path base = Sig0KeyFiles.write(dir, key, PrivateKeyAccess.exposingPrivateKeys(), HOST);
    assertThat(base.getFileName().toString()).startsWith("Kchild.example.+250+");
    String priv = Files.readString(Sig0KeyFiles.sibling(base, ".private"));
    assertThat(priv).contains("Algorithm: 250 (ML-DSA-65)\n");
    assertThat(Files.readString(Sig0KeyFiles.sibling(base, ".key"))).contains(" KEY 256 3 250 ");

    Sig0KeyPair read = Sig0KeyFiles.read(base, HOST);
    assertThat(read.publicKey()).isEqualTo(key.publicKey());
    assertThat(Sig0KeyFiles.formatPrivate(read, PrivateKeyAccess.exposingPrivateKeys(), HOST))
        .isEqualTo(priv);
    byte[] signed = Sig0Signer.create(HOST)
        .sign(new Update(Name.fromConstantString("example.")).toWire(), read);
    Sig0Verifier verifier = Sig0Verifier.builder(Sig0KeyLookup.of(key.publicKey())).config(HOST)
        .insecureWithoutReplayGuard().build();
    assertThat(verifier.verify(signed)).isInstanceOf(Sig0Outcome.Verified.class);

    // A directory store opened with the host's configuration reads the pair as well.
    DirectorySig0KeyStore store = DirectorySig0KeyStore.open(dir, HOST);
    assertThat(store.findKeyPair(key.publicKey())).isPresent();
  }

  @Test
  void pemOfAHostNumberRoundTrips() throws Exception {
    Sig0KeyPair key = hostKey();
    String pem = Sig0KeyFiles.toPkcs8Pem(key, PrivateKeyAccess.exposingPrivateKeys());
    Sig0KeyPair read = Sig0KeyFiles.parsePkcs8Pem(pem, OWNER, Sig0PublicKey.FLAGS_ZONE,
        Sig0Algorithm.of(250), HOST);
    assertThat(read.publicKey()).isEqualTo(key.publicKey());
  }

  @Test
  void aNumberTheRegistryLacksIsRefusedByNumber(@TempDir Path dir) throws Exception {
    Sig0KeyPair key = hostKey();
    String keyText = Sig0KeyFiles.formatPublic(key.publicKey());
    String privText =
        Sig0KeyFiles.formatPrivate(key, PrivateKeyAccess.exposingPrivateKeys(), HOST);
    // Without the host's configuration: the default registry has ML-DSA-65 at 228, not 250.
    assertThatThrownBy(() -> Sig0KeyFiles.parseKeyPair(keyText, privText,
        Sig0Config.defaultProvider()))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("algorithm number 250 is not registered");
    assertThatThrownBy(() -> Sig0KeyFiles.parseKeyPair(keyText, privText,
        Sig0Config.builder().clock(CLOCK).build()))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("250 is not registered");
    assertThatThrownBy(() -> Sig0KeyFiles.write(dir, key, PrivateKeyAccess.exposingPrivateKeys()))
        .isInstanceOf(ZonecutException.class)
        .hasMessageContaining("number 250 is not registered");
    assertThat(dir).isEmptyDirectory();
    assertThatThrownBy(() -> Sig0KeyFiles.formatPrivate(key, PrivateKeyAccess.exposingPrivateKeys()))
        .hasMessageContaining("number 250 is not registered");
    String pem = Sig0KeyFiles.toPkcs8Pem(key, PrivateKeyAccess.exposingPrivateKeys());
    assertThatThrownBy(() -> Sig0KeyFiles.parsePkcs8Pem(pem, OWNER, Sig0PublicKey.FLAGS_ZONE,
        Sig0Algorithm.of(250), Sig0Config.builder().clock(CLOCK).build()))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("number 250 is not registered");
    // The IANA algorithms still read through a host configuration.
    Sig0KeyPair ed = Sig0KeyPair.generate(OWNER, Sig0Algorithm.of(15), Sig0PublicKey.FLAGS_HOST);
    Path edBase = Sig0KeyFiles.write(dir, ed, PrivateKeyAccess.exposingPrivateKeys(), HOST);
    assertThat(Sig0KeyFiles.read(edBase, HOST).publicKey()).isEqualTo(ed.publicKey());
  }
}
