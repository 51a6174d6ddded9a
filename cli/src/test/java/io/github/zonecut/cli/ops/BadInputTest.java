package io.github.zonecut.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.cli.Environment;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0PublicKey;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Name;

/**
 * Bad input to each operational command: one line on standard error naming the problem, a
 * non-zero exit, no stack trace; and {@code --help} on each.
 */
class BadInputTest {
  private static final Environment ENV = Environment.system();

  private static void oneLine(Cli.Run r, int exit, String... fragments) {
    assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
    assertThat(r.out()).as(r.toString()).isEmpty();
    assertThat(r.err().strip()).as(r.toString()).doesNotContain("\n").startsWith("zonecut: ")
        .doesNotContain("\tat ").doesNotContain("Exception");
    for (String f : fragments) {
      assertThat(r.err()).as(r.toString()).contains(f);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"update send", "notify send", "keystate inquire", "signals",
      "receiver serve", "scan cds", "scan csync"})
  void helpOnEveryCommand(String command) {
    Cli.Run r = Cli.run(ENV, (command + " --help").split(" "));
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("Usage: zonecut " + command);
  }

  @Test
  void missingKeyFile(@TempDir Path dir) {
    String missing = dir.resolve("Kchild.parent.test.+015+12345").toString();
    oneLine(Cli.run(ENV, "update", "send", "child.parent.test.", "--key", missing,
        "--bootstrap"), 2, "--key file " + missing + ".key does not exist");
    oneLine(Cli.run(ENV, "keystate", "inquire", "child.parent.test.", "--key", missing), 2,
        "--key file " + missing + ".key does not exist");
    oneLine(Cli.run(ENV, "receiver", "serve", "--listen", "127.0.0.1:0", "--zone",
        "parent.test.", "--key", missing), 2, "--key file " + missing + ".key does not exist");
    oneLine(Cli.run(ENV, "signals", "child.parent.test.", "--key", missing), 2,
        "--key file " + missing + ".key does not exist");
  }

  @Test
  void wrongKeyFile(@TempDir Path dir) throws Exception {
    String other = Cli.keyFiles(dir, Sig0KeyPair.generate(Name.fromConstantString("other.test."),
        Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_ZONE));
    oneLine(Cli.run(ENV, "update", "send", "child.parent.test.", "--key", other, "--bootstrap"),
        2, "belongs to other.test., not child.parent.test.");
    Path garbage = dir.resolve("Kbad");
    Files.writeString(dir.resolve("Kbad.key"), "not a key\n");
    Files.writeString(dir.resolve("Kbad.private"), "not a key either\n");
    oneLine(Cli.run(ENV, "keystate", "inquire", "child.parent.test.", "--key",
        garbage.toString()), 2, "bad --key " + garbage);
  }

  @Test
  void malformedRecords(@TempDir Path dir) throws Exception {
    String key = Cli.keyFiles(dir, Sig0KeyPair.generate(
        Name.fromConstantString("child.parent.test."), Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_ZONE));
    oneLine(Cli.run(ENV, "update", "send", "child.parent.test.", "--key", key, "--ds",
        "12345 13 2 nothex"), 2, "malformed --ds");
    oneLine(Cli.run(ENV, "update", "send", "child.parent.test.", "--key", key, "--ns",
        "ns1.child.parent.test."), 2, "give its glue as --ns ns1.child.parent.test.=ADDR");
    oneLine(Cli.run(ENV, "update", "send", "child.parent.test.", "--key", key, "--ns",
        "ns1.example.=not-an-address"), 2, "is not an IP address");
    oneLine(Cli.run(ENV, "update", "send", "child.parent.test.", "--key", key, "--from-child",
        "--ns", "ns.example."), 2, "either --from-child or --ns/--ds");
    oneLine(Cli.run(ENV, "update", "send", "child.parent.test.", "--key", key), 2,
        "nothing to send");
    oneLine(Cli.run(ENV, "notify", "send", "child.parent.test.", "soa"), 2,
        "bad NOTIFY type 'soa'");
    oneLine(Cli.run(ENV, "signals", "bad..name"), 2, "bad CHILD name 'bad..name'");
    Path zone = dir.resolve("delegations.zone");
    Files.writeString(zone, "child.parent.test. 3600 IN NS\n");
    oneLine(Cli.run(ENV, "scan", "cds", "--children", zone.toString(), "--delegations",
        zone.toString()), 2, "bad delegations file " + zone);
  }

  @Test
  void badBackends(@TempDir Path dir) throws Exception {
    String key = Cli.keyFiles(dir, Sig0KeyPair.generate(
        Name.fromConstantString("ddns.parent.test."), Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_HOST));
    oneLine(Cli.run(ENV, "receiver", "serve", "--listen", "127.0.0.1:0", "--zone",
        "parent.test.", "--key", key, "--backend", "jdbc:nope:x;password=hunter2"), 2,
        "no JDBC driver for jdbc:nope:x;password=***");
    Cli.Run r = Cli.run(ENV, "receiver", "serve", "--listen", "127.0.0.1:0", "--zone",
        "parent.test.", "--key", key, "--backend", "jdbc:nope:x;password=hunter2");
    assertThat(r.err()).doesNotContain("hunter2");
    oneLine(Cli.run(ENV, "receiver", "serve", "--listen", "127.0.0.1:0", "--zone",
        "parent.test.", "--key", key, "--backend", "postgres"), 2, "bad --backend 'postgres'");
    Path tsig = dir.resolve("tsig.key");
    Files.writeString(tsig, "key \"upd\" { algorithm hmac-sha256; secret \"!!notbase64\"; };\n");
    oneLine(Cli.run(ENV, "receiver", "serve", "--listen", "127.0.0.1:0", "--zone",
        "parent.test.", "--key", key, "--backend", "tsig:" + tsig + "@127.0.0.1:5399"), 2,
        "bad TSIG key file " + tsig, "is not base64");
    oneLine(Cli.run(ENV, "receiver", "serve", "--listen", "127.0.0.1:0", "--zone",
        "parent.test.", "--key", key, "--policy", "lenient"), 2, "bad --policy 'lenient'");
    oneLine(Cli.run(ENV, "receiver", "serve", "--listen", "127.0.0.1:0", "--zone",
        "parent.test.", "--zone", "other.test.", "--key", key, "--backend",
        "tsig:" + tsig + "@127.0.0.1:5399"), 2, "writes one zone");
    oneLine(Cli.run(ENV, "receiver", "serve", "--listen", "nowhere", "--zone",
        "parent.test.", "--key", key), 2, "bad --listen 'nowhere'");
    oneLine(Cli.run(ENV, "receiver", "serve", "--listen", "127.0.0.1:0", "--zone",
        "parent.test.", "--key", key, "--trust", "redis:x;password=hunter2"), 2,
        "bad --trust 'redis:x;password=***'", "memory | jdbc:URL");
    oneLine(Cli.run(ENV, "receiver", "serve", "--listen", "127.0.0.1:0", "--zone",
        "parent.test.", "--key", key, "--trust", "jdbc:nope:x"), 2,
        "bad --trust: no JDBC driver for jdbc:nope:x");
    Path notADatabase = dir.resolve("trust.db");
    Files.writeString(notADatabase, "this is not an SQLite database, it is a text file\n");
    oneLine(Cli.run(ENV, "receiver", "serve", "--listen", "127.0.0.1:0", "--zone",
        "parent.test.", "--key", key, "--trust", "jdbc:sqlite:" + notADatabase), 2,
        "bad --trust: cannot open jdbc:sqlite:" + notADatabase);
  }

  @Test
  void badChildrenFile(@TempDir Path dir) {
    Path missing = dir.resolve("children.txt");
    oneLine(Cli.run(ENV, "scan", "cds", "--children", missing.toString()), 2,
        "children file " + missing + " does not exist");
    oneLine(Cli.run(ENV, "scan", "csync", "--children", missing.toString(), "--concurrency",
        "0"), 2, "bad --concurrency 0");
  }
}
