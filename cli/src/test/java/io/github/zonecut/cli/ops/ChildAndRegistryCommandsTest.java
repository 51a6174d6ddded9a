package io.github.zonecut.cli.ops;

import static io.github.zonecut.cli.ops.Cli.args;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.zonecut.cli.Environment;
import io.github.zonecut.cli.Output;
import io.github.zonecut.core.DsyncRecord;
import io.github.zonecut.core.DsyncScheme;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.testkit.TestHierarchy;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * {@code signals}, {@code scan} and the commands' answers to an unreachable parent, on a testkit
 * hierarchy whose DSYNC target has no server behind it.
 */
class ChildAndRegistryCommandsTest {
  static final Name TARGET = Name.fromConstantString("ddns.parent.test.");
  static TestHierarchy h;
  static Sig0KeyPair receiverKey;
  static Sig0KeyPair childKey;
  @TempDir static Path dir;
  static List<String> dns;
  static Environment env;
  static String childBase;

  @BeforeAll
  static void start() throws Exception {
    receiverKey = Sig0KeyPair.generate(TARGET, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    childKey = Sig0KeyPair.generate(Name.fromConstantString("child.parent.test."),
        Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_ZONE);
    Name dsync = Name.fromConstantString("_dsync.parent.test.");
    h = TestHierarchy.builder()
        .zone("test.")
        .zone("parent.test.", z -> z.records("ddns 300 IN A 127.0.0.1").records(
            receiverKey.publicKey().toKeyRecord(300),
            DsyncRecord.of(dsync, 300, Type.CDS, DsyncScheme.NOTIFY, 53, TARGET)))
        .zone("child.parent.test.", z -> z.nameservers("ns1.child.parent.test.",
            "ns.op.test."))
        .zone("op.test.", z -> z.nameservers("ns.op.test."))
        .start();
    env = Environment.system().withClock(h.clock());
    childBase = Cli.keyFiles(dir, childKey);
    dns = new ArrayList<>(Cli.pointAt(h, dir));
    // nothing listens at the DSYNC target: a port that was free a moment ago
    dns.add("--endpoint");
    dns.add("ddns.parent.test.=127.0.0.1:" + freePort());
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void signalsListWhatToPublishUntilEveryServerServesIt() throws Exception {
    String key = childBase;
    Cli.Run before = Cli.run(env, args(dns, "signals", "child.parent.test.", "--key", key));
    assertThat(before.exit()).as(before.toString()).isEqualTo(1);
    assertThat(before.out())
        .contains("child.parent.test.: signed (SECURE)")
        .contains("CDS — served by none of")
        .contains("_dsboot (RFC 9615, in the name servers' zones)")
        .contains("_dsboot.child.parent.test._signal.ns.op.test.")
        .contains("_sig0key.child.parent.test._signal.ns.op.test.")
        .contains("verdict: not yet");

    // the operator publishes what it said, in the child and in the operator's zone
    Cli.Run json = Cli.run(env, args(dns, "--json", "signals", "child.parent.test."));
    JsonNode report = Output.mapper().readTree(json.out().strip());
    StringBuilder child = new StringBuilder();
    StringBuilder op = new StringBuilder();
    for (JsonNode s : report.get("signals")) {
      String rr = s.get("record").asText();
      String type = s.get("type").asText();
      if (rr.startsWith("child.parent.test.") && (type.equals("CDS") || type.equals("CDNSKEY"))) {
        child.append(rr).append('\n');
      } else if (rr.contains("_dsboot")) {
        op.append(rr).append('\n');
      }
    }
    h.zone("child.parent.test.").add(child.toString());
    h.zone("op.test.").add(op.toString());

    Cli.Run after = Cli.run(env, args(dns, "--json", "signals", "child.parent.test."));
    assertThat(after.exit()).as(after.toString()).isZero();
    JsonNode ok = Output.mapper().readTree(after.out().strip());
    assertThat(ok.get("ok").asBoolean()).isTrue();
    assertThat(ok.get("consistent").asBoolean()).isTrue();
  }

  @Test
  void scanReportsEachChildAndResumesFromTheCheckpoint() throws Exception {
    Path children = dir.resolve("children.txt");
    Files.writeString(children, "# the registry's children\nchild.parent.test.\n"
        + "absent.parent.test.\n");
    StringBuilder zoneFile = new StringBuilder(
        "child.parent.test. 3600 IN NS ns1.child.parent.test.\n"
            + "child.parent.test. 3600 IN NS ns.op.test.\n"
            + "ns1.child.parent.test. 3600 IN A 127.0.0.1\n");
    for (DSRecord ds : h.zone("child.parent.test.").ds()) {
      zoneFile.append(ds).append('\n');
    }
    Path delegations = dir.resolve("scan-delegations.zone");
    Files.writeString(delegations, zoneFile);
    Path checkpoint = dir.resolve("scan.ckpt");

    Cli.Run first = Cli.run(env, args(dns, "scan", "cds", "--children", children.toString(),
        "--delegations", delegations.toString(), "--checkpoint", checkpoint.toString(),
        "--concurrency", "2"));
    assertThat(first.exit()).as(first.toString()).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String l : first.out().strip().split("\\R")) {
      lines.add(Output.mapper().readTree(l));
    }
    assertThat(lines).filteredOn(l -> l.has("index"))
        .extracting(l -> l.get("child").asText() + " " + l.get("outcome").asText())
        .containsExactlyInAnyOrder("child.parent.test. NoChange",
            "absent.parent.test. Refused:NOT_DELEGATED");
    JsonNode summary = lines.get(lines.size() - 1);
    assertThat(summary.get("event").asText()).isEqualTo("summary");
    assertThat(summary.get("done").asLong()).isEqualTo(2);

    Cli.Run again = Cli.run(env, args(dns, "--json", "scan", "cds", "--children",
        children.toString(), "--delegations", delegations.toString(), "--checkpoint",
        checkpoint.toString()));
    assertThat(again.exit()).as(again.toString()).isZero();
    JsonNode resumed = Output.mapper().readTree(again.out().strip());
    assertThat(resumed.get("resumed").asLong()).isEqualTo(2);
    assertThat(resumed.get("done").asLong()).isEqualTo(2);

    // a different input on the same checkpoint is refused, on one line
    Files.writeString(children, "other.parent.test.\nchild.parent.test.\n");
    Cli.Run changed = Cli.run(env, args(dns, "scan", "cds", "--children", children.toString(),
        "--checkpoint", checkpoint.toString()));
    assertThat(changed.exit()).as(changed.toString()).isEqualTo(2);
    assertThat(changed.err().strip()).startsWith("zonecut: ").doesNotContain("\n")
        .contains("input changed since the checkpoint");
  }

  @Test
  void anUnreachableParentIsANetworkFailure() throws Exception {
    Cli.Run notify = Cli.run(env, args(dns, "notify", "send", "child.parent.test.", "cds",
        "--retries", "0", "--timeout", "1"));
    assertThat(notify.exit()).as(notify.toString()).isEqualTo(3);
    assertThat(notify.out()).startsWith("no answer to NOTIFY(CDS) for child.parent.test.");
    assertThat(notify.err()).isEmpty();
  }

  @Test
  void noUpdateReceiverIsANegativeVerdict() throws Exception {
    String key = childBase;
    Cli.Run r = Cli.run(env, args(dns, "--json", "update", "send", "child.parent.test.", "--key",
        key, "--bootstrap", "--tries", "1"));
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    JsonNode o = Output.mapper().readTree(r.out().strip());
    assertThat(o.get("result").asText()).isEqualTo("NoReceiver");
    Cli.Run k = Cli.run(env, args(dns, "keystate", "inquire", "child.parent.test.", "--key",
        key));
    assertThat(k.exit()).as(k.toString()).isEqualTo(1);
    assertThat(k.out()).startsWith("no UPDATE receiver: ");
  }
}
