package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/**
 * SIG(0) with keys inside a SoftHSM2 token through SunPKCS11. SoftHSM reads {@code
 * SOFTHSM2_CONF} at {@code C_Initialize}, which a JVM cannot set for itself; the sig0 pom sets it
 * for the forked test JVM ({@code target/softhsm2/softhsm2.conf}), and this class writes that file,
 * pointing at a fresh token directory, before the library is first loaded. It is the only class
 * in the module that loads SoftHSM. Without softhsm2 the tests are skipped, except under
 * {@code CI=true}, where they fail.
 */
class Pkcs11TokenTest {
  static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  static final Sig0Config CONFIG = Sig0Config.builder().pinBouncyCastleOnly()
      .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
  static final char[] PIN = "5678".toCharArray();

  static Pkcs11Token token;
  static long slot;

  @BeforeAll
  static void freshToken() throws Exception {
    String conf = System.getenv("SOFTHSM2_CONF");
    boolean present = Files.isRegularFile(LIBRARY) && softhsmUtil() != null && conf != null;
    if ("true".equals(System.getenv("CI"))) {
      assertThat(present)
          .as("CI=true: softhsm2 (%s, softhsm2-util) and SOFTHSM2_CONF from the pom are required",
              LIBRARY)
          .isTrue();
    }
    Assumptions.assumeTrue(present,
        "softhsm2 not installed (apt-get install softhsm2): PKCS#11 tests skipped");
    Path confFile = Path.of(conf);
    Path tokens = Files.createDirectories(confFile.getParent())
        .resolve("tokens-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    Files.createDirectories(tokens);
    Files.writeString(confFile, "directories.tokendir = " + tokens + "\n"
        + "objectstore.backend = file\nlog.level = ERROR\n");
    ProcessBuilder pb = new ProcessBuilder(softhsmUtil().toString(), "--init-token", "--free",
        "--label", "zonecut-test", "--so-pin", "1234", "--pin", new String(PIN))
        .redirectErrorStream(true);
    pb.environment().put("SOFTHSM2_CONF", confFile.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Matcher m = Pattern.compile("reassigned to slot (\\d+)").matcher(out);
    assertThat(m.find()).as("softhsm2-util output: %s", out).isTrue();
    slot = Long.parseLong(m.group(1));
    // A wrong PIN, before any login (PKCS#11 login state is shared by the whole process).
    assertThatThrownBy(() -> Pkcs11Token.open(LIBRARY, slot, "9999".toCharArray()))
        .isInstanceOf(io.github.zonecut.core.ZonecutException.class)
        .hasMessageNotContaining("9999");
    token = Pkcs11Token.open(LIBRARY, slot, PIN);
  }

  @AfterAll
  static void logout() throws Exception {
    if (token != null) {
      token.close();
    }
  }

  static Path softhsmUtil() {
    for (String dir : List.of("/usr/bin", "/usr/local/bin")) {
      Path p = Path.of(dir, "softhsm2-util");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 13})
  void signsInTheTokenAndBouncyCastleVerifies(int alg) throws Exception {
    Name owner = Name.fromString("child.parent.test.");
    Sig0KeyPair key = token.generate(owner, Sig0Algorithm.of(alg), Sig0PublicKey.FLAGS_HOST);
    assertThat(key.keyProvider()).contains(token.provider());
    // The private key stays in the token: no encoding leaves it.
    assertThat(key.privateKey(PrivateKeyAccess.exposingPrivateKeys()).getEncoded()).isNull();
    assertThat(key.toString()).doesNotContain("5678");

    // KEY record export: the public key decodes with Bouncy Castle to the token's public key.
    Sig0PublicKey pub = key.publicKey();
    assertThat(pub.owner()).isEqualTo(owner);
    assertThat(pub.toKeyRecord(0).rdataToString()).isNotEmpty();
    var decoded = io.github.zonecut.sig0.internal.Sig0Crypto.decodePublicKey(
        alg, pub.keyData(), new BouncyCastleProvider());
    assertThat(decoded).isInstanceOf(alg == 8 ? RSAPublicKey.class : ECPublicKey.class);
    assertThat(io.github.zonecut.sig0.internal.Sig0Crypto.encodePublicKey(alg, decoded))
        .isEqualTo(pub.keyData());

    byte[] wire = Sig0Signer.create(CONFIG).sign(Sig0SignVerifyTest.update(), key);
    Sig0Outcome out = Sig0Verifier.builder(Sig0KeyLookup.of(pub)).config(CONFIG)
        .replayGuard(Sig0ReplayGuard.create()).build().verify(wire);
    assertThat(out).isInstanceOf(Sig0Outcome.Verified.class);

    byte[] flipped = wire.clone();
    flipped[flipped.length - 1] ^= 1;
    assertThat(Sig0Verifier.builder(Sig0KeyLookup.of(pub)).config(CONFIG)
        .replayGuard(Sig0ReplayGuard.create()).build().verify(flipped))
        .isInstanceOf(Sig0Outcome.BadSignature.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 13})
  void aTokenKeyCannotBeExportedToFiles(int alg) throws Exception {
    Sig0KeyPair key = token.generate(
        Name.fromString("child.parent.test."), Sig0Algorithm.of(alg), Sig0PublicKey.FLAGS_HOST);
    PrivateKeyAccess access = PrivateKeyAccess.exposingPrivateKeys();
    assertThatThrownBy(() -> Sig0KeyFiles.formatPrivate(key, access))
        .isInstanceOf(io.github.zonecut.core.ZonecutException.class);
    assertThatThrownBy(() -> Sig0KeyFiles.toPkcs8Pem(key, access))
        .isInstanceOf(io.github.zonecut.core.ZonecutException.class);
    // The public half exports as usual.
    assertThat(Sig0KeyFiles.formatPublic(key.publicKey())).contains("KEY");
  }

  @Test
  void edDsaIsRefusedBecauseSunPkcs11HasNone() {
    assertThatThrownBy(() -> token.generate(Name.root, Sig0Algorithm.of(15), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SunPKCS11");
  }

  @Test
  void theHostJcaIsUntouched() {
    assertThat(Security.getProviders()).doesNotContain(token.provider());
  }

  @Test
  void aMissingLibraryIsNamed() {
    assertThatThrownBy(() -> Pkcs11Token.open(Path.of("/nonexistent/libp11.so"), slot, PIN))
        .isInstanceOf(io.github.zonecut.core.ZonecutException.class)
        .hasMessageContaining("/nonexistent/libp11.so");
  }
}
