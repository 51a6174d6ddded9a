package io.github.zonecut.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zonecut sig0 keygen|sign|verify}: happy paths, every verdict line, bad input. */
class Sig0CommandTest {
  private static final String AT = "2026-12-01T00:00:00Z";
  private static final long AT_EPOCH = Instant.parse(AT).getEpochSecond();

  @TempDir Path dir;
  private String base;

  @BeforeEach
  void keygen() {
    CliRun.Result r = CliRun.run("sig0", "keygen", "--alg", "ED25519", "child.example",
        "--dir", dir.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    base = r.out().strip().replaceAll(" \\(key tag.*", "");
    assertThat(r.out()).startsWith(dir.resolve("Kchild.example.+015+").toString());
  }

  private String sign(String... extra) {
    String[] args = new String[6 + extra.length];
    System.arraycopy(new String[] {"sig0", "sign", "--key", base, "--zone", "example"}, 0, args,
        0, 6);
    System.arraycopy(extra, 0, args, 6, extra.length);
    CliRun.Result r = CliRun.run(args);
    assertThat(r.exitCode()).as(r.err()).isZero();
    return r.out().strip();
  }

  @Test
  void keygenWritesBindFilesWithAPrivateFileOfMode0600() throws Exception {
    assertThat(Path.of(base + ".key")).exists();
    Path priv = Path.of(base + ".private");
    assertThat(Files.getPosixFilePermissions(priv))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
  }

  @Test
  void signedMessageVerifiesAtTheSameTime() {
    String hex = sign("--add", "child.example. 3600 IN NS ns1.child.example.",
        "--delete", "child.example. NS", "--at", AT);
    assertThat(hex).matches("[0-9a-f]+");
    // whitespace inside the hex is ignored
    String spaced = hex.substring(0, 10) + " \n " + hex.substring(10);
    CliRun.Result r = CliRun.run("sig0", "verify", "--key", base + ".key", "--at",
        Long.toString(AT_EPOCH + 10), spaced);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).matches("VERIFIED \\d+\\R");
  }

  @Test
  void verifyReadsHexFromAFileAndSpeaksJson() throws Exception {
    String hex = sign("--add", "child.example. 3600 IN A 192.0.2.1", "--at", AT);
    Path f = dir.resolve("msg.hex");
    Files.writeString(f, hex + "\n");
    CliRun.Result r = CliRun.run("sig0", "verify", "--json", "--key", base, "--at", AT,
        "@" + f);
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode json = Output.mapper().readTree(r.out());
    assertThat(json.get("verdict").asText()).isEqualTo("VERIFIED");
    assertThat(json.get("signer").asText()).isEqualTo("child.example.");
  }

  @Test
  void aFlippedByteIsBadsig() {
    String hex = sign("--add", "child.example. 3600 IN A 192.0.2.1", "--at", AT);
    char c = hex.charAt(3);
    String flipped = hex.substring(0, 3) + (c == '0' ? '1' : '0') + hex.substring(4);
    CliRun.Result r = CliRun.run("sig0", "verify", "--key", base, "--at", AT, flipped);
    assertThat(r.out()).isEqualTo("BADSIG" + System.lineSeparator());
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void anHourLaterIsBadtimeWithItsOffset() {
    String hex = sign("--add", "child.example. 3600 IN A 192.0.2.1", "--at", AT);
    CliRun.Result r = CliRun.run("sig0", "verify", "--key", base, "--at",
        Long.toString(AT_EPOCH + 3600), hex);
    assertThat(r.out()).startsWith("BADTIME ");
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void anotherKeyIsBadkey() {
    CliRun.Result other = CliRun.run("sig0", "keygen", "other.example", "--dir", dir.toString());
    String otherBase = other.out().strip().replaceAll(" \\(key tag.*", "");
    String hex = sign("--add", "child.example. 3600 IN A 192.0.2.1", "--at", AT);
    CliRun.Result r = CliRun.run("sig0", "verify", "--key", otherBase, "--at", AT, hex);
    assertThat(r.out()).isEqualTo("BADKEY" + System.lineSeparator());
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  void anUnsignedMessageIsUnsignedAndGarbageIsMalformed() {
    // a bare query header + question for example. A
    String unsigned = "1234 0100 0001 0000 0000 0000 07 6578616d706c65 00 0001 0001";
    CliRun.Result r = CliRun.run("sig0", "verify", "--key", base, unsigned);
    assertThat(r.out()).isEqualTo("UNSIGNED" + System.lineSeparator());
    assertThat(r.exitCode()).isEqualTo(1);
    CliRun.Result m = CliRun.run("sig0", "verify", "--key", base, "0102");
    assertThat(m.out()).startsWith("MALFORMED ");
    assertThat(m.exitCode()).isEqualTo(2);
  }

  @Test
  void missingKeyFileIsOneLineNamingIt() {
    CliRun.Result r = CliRun.run("sig0", "sign", "--key", dir.resolve("Knope").toString(),
        "--zone", "example", "--add", "a.example. 1 IN A 192.0.2.1");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("zonecut: ").contains("Knope").doesNotContain("Exception");
  }

  @Test
  void wrongKeyFileIsOneLine() throws Exception {
    Path bad = dir.resolve("Kbad.key");
    Files.writeString(bad, "this is not a key\n");
    CliRun.Result r = CliRun.run("sig0", "verify", "--key", bad.toString(), "00");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("zonecut: ").contains("Kbad.key");
  }

  @Test
  void malformedRrIsOneLineAndDebugAddsTheTrace() {
    CliRun.Result r = CliRun.run("sig0", "sign", "--key", base, "--zone", "example",
        "--add", "child.example. 3600 IN A not-an-address");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("zonecut: malformed --add RR");
    CliRun.Result d = CliRun.run("--debug", "sig0", "sign", "--key", base, "--zone", "example",
        "--add", "child.example. 3600 IN A not-an-address");
    assertThat(d.err().lines().count()).isGreaterThan(1);
    assertThat(d.err()).contains("\tat ");
  }

  @Test
  void badAlgorithmAndBadTimeAreUsage() {
    CliRun.Result r = CliRun.run("sig0", "keygen", "--alg", "MD5", "x.example", "--dir",
        dir.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("zonecut: ").contains("--alg");
    CliRun.Result t = CliRun.run("sig0", "verify", "--key", base, "--at", "yesterday", "00");
    assertThat(t.exitCode()).isEqualTo(2);
    assertThat(t.err()).contains("--at");
  }
}
