package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.MalformedDataException;
import io.github.zonecut.core.ZonecutException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Name;

class Sig0KeysTest {
  static final PrivateKeyAccess ACCESS = PrivateKeyAccess.exposingPrivateKeys();

  static Path vectorKeys() throws URISyntaxException {
    return Path.of(Objects.requireNonNull(Sig0KeysTest.class.getResource("/vectors/keys")).toURI());
  }

  /** dnssec-keygen keys with leading zero octets (kept apart from the key store's directory). */
  static Path edgeKeys() throws URISyntaxException {
    return Path.of(Objects.requireNonNull(Sig0KeysTest.class.getResource("/vectors/edge-keys")).toURI());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Kchild.parent.test.+015+49340", "Kchild.parent.test.+015+59079",
      "Kchild.parent.test.+013+59419", "Kchild.parent.test.+008+08279",
      // edge-keys: +013+52114's public X starts with a zero octet; +013+55549's PrivateKey is
      // 30 octets (BIND 9.18 drops the scalar's leading zero octets).
      "edge:Kchild.parent.test.+013+52114", "edge:Kchild.parent.test.+013+55549"})
  void readsDnssecKeygenFilesAndTheKeyTagMatchesTheFileName(String name) throws Exception {
    String base = name.replaceFirst("^edge:", "");
    Path dir = name.startsWith("edge:") ? edgeKeys() : vectorKeys();
    Sig0KeyPair pair = Sig0KeyFiles.read(dir.resolve(base + ".private"));
    assertThat(pair.publicKey().bindBaseName()).isEqualTo(base);
    assertThat(pair.publicKey().owner()).isEqualTo(Name.fromString("child.parent.test."));
    assertThat(pair.publicKey().flags()).isEqualTo(Sig0PublicKey.FLAGS_HOST);
    assertThat(Sig0KeyFiles.readPublic(dir.resolve(base))).isEqualTo(pair.publicKey());
    // The pair signs what the captured peers' key verifies.
    byte[] wire = Sig0Signer.create(Sig0SignVerifyTest.CONFIG).sign(Sig0SignVerifyTest.update(), pair);
    assertThat(Sig0SignVerifyTest.verifier(pair).verify(wire)).isInstanceOf(Sig0Outcome.Verified.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 10, 13, 14, 15, 16})
  void bindFilesRoundTripWithAPrivateFile0600(int alg, @TempDir Path dir) throws Exception {
    Sig0KeyPair pair = Sig0SignVerifyTest.key(alg);
    Path base = Sig0KeyFiles.write(dir, pair, ACCESS);
    Path priv = dir.resolve(pair.publicKey().bindBaseName() + ".private");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
    assertThat(Files.readString(priv)).startsWith("Private-key-format: v1.3\nAlgorithm: " + alg + " (");
    Sig0KeyPair back = Sig0KeyFiles.read(base);
    assertThat(back.publicKey()).isEqualTo(pair.publicKey());
    assertThat(back.privateKey(ACCESS).getEncoded()).isNotNull();
    byte[] wire = Sig0Signer.create(Sig0SignVerifyTest.CONFIG).sign(Sig0SignVerifyTest.update(), back);
    assertThat(Sig0SignVerifyTest.verifier(pair).verify(wire)).isInstanceOf(Sig0Outcome.Verified.class);
    assertThatThrownBy(() -> Sig0KeyFiles.write(dir, pair, ACCESS))
        .isInstanceOf(ZonecutException.class).hasMessageContaining("exist already");
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 10, 13, 14, 15, 16})
  void pkcs8PemRoundTrips(int alg) throws Exception {
    Sig0KeyPair pair = Sig0SignVerifyTest.key(alg);
    String pem = Sig0KeyFiles.toPkcs8Pem(pair, ACCESS);
    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
    Sig0KeyPair back = Sig0KeyFiles.parsePkcs8Pem(pem, pair.publicKey().owner(),
        pair.publicKey().flags(), pair.publicKey().algorithm(), Sig0Config.defaultProvider());
    assertThat(back.publicKey()).isEqualTo(pair.publicKey());
  }

  @Test
  void pemOfAnotherKeyTypeIsRefused() throws Exception {
    String ed = Sig0KeyFiles.toPkcs8Pem(Sig0SignVerifyTest.key(15), ACCESS);
    Name owner = Name.fromString("x.test.");
    assertThatThrownBy(() -> Sig0KeyFiles.parsePkcs8Pem(ed, owner, 512, Sig0Algorithm.ECDSAP256SHA256,
        Sig0Config.defaultProvider())).isInstanceOf(MalformedDataException.class);
    String p384 = Sig0KeyFiles.toPkcs8Pem(Sig0SignVerifyTest.key(14), ACCESS);
    assertThatThrownBy(() -> Sig0KeyFiles.parsePkcs8Pem(p384, owner, 512, Sig0Algorithm.ECDSAP256SHA256,
        Sig0Config.defaultProvider())).isInstanceOf(MalformedDataException.class);
    assertThatThrownBy(() -> Sig0KeyFiles.parsePkcs8Pem("hello", owner, 512, Sig0Algorithm.ED25519,
        Sig0Config.defaultProvider())).isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("BEGIN");
  }

  @Test
  void aPrivateKeyThatDoesNotBelongToThePublicKeyIsRefused() throws Exception {
    Path keys = vectorKeys();
    String pub = Files.readString(keys.resolve("Kchild.parent.test.+015+49340.key"));
    String otherPriv = Files.readString(keys.resolve("Kchild.parent.test.+015+59079.private"));
    assertThatThrownBy(() -> Sig0KeyFiles.parseKeyPair(pub, otherPriv, Sig0Config.defaultProvider()))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("does not belong");
    String p256Priv = Files.readString(keys.resolve("Kchild.parent.test.+013+59419.private"));
    assertThatThrownBy(() -> Sig0KeyFiles.parseKeyPair(pub, p256Priv, Sig0Config.defaultProvider()))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("algorithm 13");
  }

  @Test
  void anEcdsaScalarWithLeadingZeroOctetsIsReadAsAnIntegerAndWrittenAtFullWidth(@TempDir Path dir)
      throws Exception {
    Path base = edgeKeys().resolve("Kchild.parent.test.+013+55549");
    byte[] bindField = privateKeyField(Files.readString(Path.of(base + ".private")));
    assertThat(bindField).hasSize(30);
    Sig0KeyPair pair = Sig0KeyFiles.read(base);
    // Written left-padded to 32 octets: Net::DNS::SEC 1.20 right-pads a short field (another key).
    Path written = Sig0KeyFiles.write(dir, pair, ACCESS);
    byte[] ours = privateKeyField(Files.readString(Path.of(written + ".private")));
    byte[] expected = new byte[32];
    System.arraycopy(bindField, 0, expected, 2, 30);
    assertThat(ours).isEqualTo(expected);
    assertThat(Sig0KeyFiles.read(written).publicKey()).isEqualTo(pair.publicKey());
    // The right-padded reading is a different key: it does not belong to the public key.
    String rightPadded = Files.readString(Path.of(base + ".private")).replaceFirst(
        "PrivateKey: \\S+", "PrivateKey: " + java.util.Base64.getEncoder()
            .encodeToString(java.util.Arrays.copyOf(bindField, 32)));
    assertThatThrownBy(() -> Sig0KeyFiles.parseKeyPair(Files.readString(Path.of(base + ".key")),
        rightPadded, Sig0Config.defaultProvider()))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("does not belong");
  }

  @Test
  void anEcdsaScalarWiderThanTheCurveOrZeroIsMalformed() throws Exception {
    Path base = vectorKeys().resolve("Kchild.parent.test.+013+59419");
    String pub = Files.readString(Path.of(base + ".key"));
    String priv = Files.readString(Path.of(base + ".private"));
    byte[] wide = new byte[33];
    wide[0] = 1;
    byte[] zeroPadded = new byte[33];
    System.arraycopy(privateKeyField(priv), 0, zeroPadded, 1, 32);
    java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
    for (byte[] bad : new byte[][] {wide, new byte[32]}) {
      String text = priv.replaceFirst("PrivateKey: \\S+", "PrivateKey: " + b64.encodeToString(bad));
      assertThatThrownBy(() -> Sig0KeyFiles.parseKeyPair(pub, text, Sig0Config.defaultProvider()))
          .isInstanceOf(MalformedDataException.class)
          .hasMessageContaining("PrivateKey").hasMessageContaining("at most 32 octets");
    }
    // A leading zero octet more than the field width is still the same integer.
    String padded = priv.replaceFirst("PrivateKey: \\S+", "PrivateKey: " + b64.encodeToString(zeroPadded));
    assertThat(Sig0KeyFiles.parseKeyPair(pub, padded, Sig0Config.defaultProvider()).publicKey())
        .isEqualTo(Sig0KeyFiles.parsePublic(pub));
  }

  private static byte[] privateKeyField(String privateFile) {
    return java.util.Base64.getDecoder().decode(privateFile.lines()
        .filter(l -> l.startsWith("PrivateKey: ")).findFirst().orElseThrow().substring(12).trim());
  }

  @Test
  void malformedKeyFilesNameTheProblem() {
    assertThatThrownBy(() -> Sig0KeyFiles.parsePublic("; only a comment\n"))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("no KEY record");
    assertThatThrownBy(() -> Sig0KeyFiles.parsePublic("a.test. IN KEY 512 2 15 AAAA"))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("not 3");
    assertThatThrownBy(() -> Sig0KeyFiles.parsePublic("a.test. IN KEY 512 3 15 !!!!"))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("line 1");
    assertThatThrownBy(() -> Sig0KeyFiles.parsePublic("a.test. IN A 192.0.2.1"))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("not a KEY record");
    assertThatThrownBy(() -> Sig0KeyFiles.parseKeyPair("a.test. IN KEY 512 3 15 AAAA", "Algorithm: 15\n",
        Sig0Config.defaultProvider()))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("Private-key-format");
    assertThatThrownBy(() -> Sig0KeyFiles.parseKeyPair("a.test. IN KEY 512 3 15 AAAA",
        "Private-key-format: v1.3\nAlgorithm: 15 (ED25519)\n", Sig0Config.defaultProvider()))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("PrivateKey");
  }

  @net.jqwik.api.Property(tries = 200)
  void keyTagAgreesWithDnsjavasIndependentRfc4034AppendixBCode(
      @net.jqwik.api.ForAll @net.jqwik.api.constraints.Size(min = 1, max = 300) byte[] key,
      @net.jqwik.api.ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 65535) int flags,
      @net.jqwik.api.ForAll @net.jqwik.api.constraints.IntRange(min = 2, max = 255) int alg) {
    Sig0PublicKey k = Sig0PublicKey.of(Name.root, flags, Sig0Algorithm.of(alg), key);
    assertThat(k.keyTag()).isEqualTo(k.toKeyRecord(0).getFootprint());
  }

  @Test
  void algorithmsKeepUnknownNumbers() {
    assertThat(Sig0Algorithm.of(15)).isEqualTo(Sig0Algorithm.ED25519);
    assertThat(Sig0Algorithm.of(250).mnemonic()).isEqualTo("250");
    assertThat(Sig0Algorithm.of(250).isSupported()).isFalse();
    assertThat(Sig0Algorithm.parse("ed25519")).isEqualTo(Sig0Algorithm.ED25519);
    assertThat(Sig0Algorithm.parse("13")).isEqualTo(Sig0Algorithm.ECDSAP256SHA256);
    assertThat(Sig0Algorithm.ED448.toString()).isEqualTo("ED448(16)");
    for (int refused : new int[] {1, 3, 5, 6, 7, 12}) {
      assertThat(Sig0Algorithm.of(refused).isSupported()).isFalse();
    }
    assertThatThrownBy(() -> Sig0Algorithm.of(256)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Sig0Algorithm.parse("ROT13")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Sig0KeyPair.generate(Name.root, Sig0Algorithm.of(5), 512))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keyRecordRoundTrip() throws Exception {
    Sig0PublicKey k = Sig0SignVerifyTest.key(15).publicKey();
    assertThat(Sig0PublicKey.fromKeyRecord(k.toKeyRecord(3600))).isEqualTo(k);
    assertThat(k.toKeyRecord(3600).rdataToString()).isEqualTo(k.rdataText());
    byte[] copy = k.keyData();
    copy[0] ^= 1;
    assertThat(k.keyData()).isNotEqualTo(copy);
  }
}
