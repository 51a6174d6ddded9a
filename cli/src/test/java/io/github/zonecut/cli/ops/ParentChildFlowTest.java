package io.github.zonecut.cli.ops;

import static io.github.zonecut.cli.ops.Cli.args;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.zonecut.cli.Environment;
import io.github.zonecut.cli.Http;
import io.github.zonecut.cli.Output;
import io.github.zonecut.cli.Zonecut;
import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.DsyncRecord;
import io.github.zonecut.core.DsyncScheme;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.testkit.TestHierarchy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;
import picocli.CommandLine;

/**
 * The child's and the parent's commands against each other on a testkit hierarchy (loopback):
 * {@code receiver serve} runs in-process as the parent's DSYNC target; the child runs {@code
 * update send --bootstrap}, {@code keystate inquire} until its key is trusted (at-apex
 * validation), {@code update send --from-child} for a DS rollover announced by CDS, and {@code
 * notify send cds}; the parent's audit file, its output and its Prometheus endpoint show each
 * request; the receiver stops cleanly.
 */
class ParentChildFlowTest {
  static final Name CHILD = Name.fromConstantString("child.parent.test.");
  static final Name TARGET = Name.fromConstantString("ddns.parent.test.");

  @Test
  void bootstrapTrustRollNotifyAndStop(@TempDir Path dir) throws Exception {
    Sig0KeyPair receiverKey = Sig0KeyPair.generate(TARGET, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_HOST);
    Sig0KeyPair childKey = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_ZONE);
    Sig0KeyPair nextKey = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_ZONE);
    Name dsync = Name.fromConstantString("_dsync.parent.test.");
    try (TestHierarchy h = TestHierarchy.builder()
        .zone("test.")
        .zone("parent.test.", z -> z.records("ddns 300 IN A 127.0.0.1").records(
            receiverKey.publicKey().toKeyRecord(300),
            DsyncRecord.of(dsync, 300, Type.ANY, DsyncScheme.update(Codepoints.DEFAULT), 53,
                TARGET),
            DsyncRecord.of(dsync, 300, Type.CDS, DsyncScheme.NOTIFY, 53, TARGET)))
        .zone("child.parent.test.", z -> z.nameservers("ns1.child.parent.test.")
            .records(childKey.publicKey().toKeyRecord(300),
                nextKey.publicKey().toKeyRecord(300)))
        .start()) {
      Environment env = Environment.system().withClock(h.clock());
      List<String> dns = Cli.pointAt(h, dir);
      String receiverBase = Cli.keyFiles(dir, receiverKey);
      String childBase = Cli.keyFiles(dir, childKey);
      String nextBase = Cli.keyFiles(dir, nextKey);
      int nextKeyTag = nextKey.publicKey().keyTag();
      // the registry's data: what the testkit parent publishes for the child
      StringBuilder zoneFile = new StringBuilder(
          "child.parent.test. 3600 IN NS ns1.child.parent.test.\n"
              + "ns1.child.parent.test. 3600 IN A 127.0.0.1\n");
      for (DSRecord ds : h.zone("child.parent.test.").ds()) {
        zoneFile.append(ds.toString()).append('\n');
      }
      Path delegations = dir.resolve("delegations.zone");
      Files.writeString(delegations, zoneFile);
      Path audit = dir.resolve("audit.jsonl");

      // the parent, in-process, as main() would run it
      StringWriter serverOut = new StringWriter();
      CommandLine server = Zonecut.commandLine(env);
      server.setOut(new PrintWriter(serverOut, true));
      server.setErr(new PrintWriter(new StringWriter(), true));
      ReceiverServeCommand serve = server.getSubcommands().get("receiver").getSubcommands()
          .get("serve").getCommand();
      String[] serveArgs = args(dns, "receiver", "serve", "--listen", "127.0.0.1:0",
          "--zone", "parent.test.", "--key", receiverBase, "--backend", "memory",
          "--delegations", delegations.toString(), "--policy", "cds-dsboot", "--allow-key-roll",
          "--audit", audit.toString(), "--metrics", "127.0.0.1:0");
      CompletableFuture<Integer> serving = CompletableFuture.supplyAsync(
          () -> server.execute(serveArgs));
      ReceiverServeCommand.Started started = serve.started().toCompletableFuture()
          .get(60, TimeUnit.SECONDS);
      List<String> child = new ArrayList<>(dns);
      child.add("--endpoint");
      child.add("ddns.parent.test.=127.0.0.1:" + started.dsync().getPort());

      // 1. the key bootstrap, self-signed: the parent records the key (KNOWN, not trusted)
      Cli.Run boot = Cli.run(env, args(child, "update", "send", "child.parent.test.",
          "--key", childBase, "--bootstrap"));
      assertThat(boot.exit()).as(boot.toString()).isZero();
      assertThat(boot.out()).contains("bootstrap: KEY_BOOTSTRAP UPDATE accepted (NOERROR");

      // 2. KeyState until the at-apex validation trusts it (bounded)
      Cli.Run inquiry = null;
      for (int i = 0; i < 120; i++) {
        inquiry = Cli.run(env, args(child, "--json", "keystate", "inquire",
            "child.parent.test.", "--key", childBase));
        if (inquiry.out().contains("KEY_TRUSTED")) {
          break;
        }
        Thread.sleep(250);
      }
      assertThat(inquiry.exit()).as(inquiry.toString()).isZero();
      JsonNode state = Output.mapper().readTree(inquiry.out().strip());
      assertThat(state.get("state").asText()).isEqualTo("KEY_TRUSTED");
      assertThat(state.get("keyTag").asInt()).isEqualTo(childKey.publicKey().keyTag());

      // 3. a DS rollover to SHA-384 announced by the child's CDS, read from the child
      DsData sha384 = DsData.of(new DSRecord(CHILD, DClass.IN, 3600, 4,
          h.zone("child.parent.test.").dnskeys().get(0)));
      h.zone("child.parent.test.").add("@ 300 IN CDS " + sha384.keyTag() + " "
          + sha384.algorithm() + " 4 " + HexFormat.of().formatHex(sha384.digest()));
      Cli.Run sync = Cli.run(env, args(child, "update", "send", "child.parent.test.",
          "--key", childBase, "--from-child"));
      assertThat(sync.exit()).as(sync.toString()).isZero();
      assertThat(sync.out()).contains("delegation: DELEGATION UPDATE accepted (NOERROR");

      // 4. NOTIFY(CDS) to the endpoint the parent advertises; the parent schedules a check
      Cli.Run notify = Cli.run(env, args(child, "notify", "send", "child.parent.test.", "cds"));
      assertThat(notify.exit()).as(notify.toString()).isZero();
      assertThat(notify.out()).contains("NOTIFY(CDS) for child.parent.test. acknowledged by "
          + "127.0.0.1:" + started.dsync().getPort());

      // 5. the key roll: the new KEY signed by the old, then the old deleted signed by the new
      Cli.Run roll = Cli.run(env, args(child, "update", "send", "child.parent.test.",
          "--key", childBase, "--roll-to", nextBase));
      assertThat(roll.exit()).as(roll.toString()).isZero();
      assertThat(roll.out()).contains("roll-add: KEY_ROLL_ADD UPDATE accepted (NOERROR")
          .contains("roll-delete: KEY_ROLL_DELETE UPDATE accepted (NOERROR")
          .contains("key roll complete: sign with " + nextBase);
      // the new key is trusted; the old one is gone (its inquiry is not answered as trusted)
      Cli.Run now = Cli.run(env, args(child, "keystate", "inquire", "child.parent.test.",
          "--key", nextBase));
      assertThat(now.out()).as(now.toString()).contains(": KEY_TRUSTED");
      Cli.Run old = Cli.run(env, args(child, "keystate", "inquire", "child.parent.test.",
          "--key", childBase));
      assertThat(old.exit()).as(old.toString()).isNotZero();
      assertThat(old.out()).doesNotContain("KEY_TRUSTED");
      // NS and DS given on the command line: the DS the parent has now, so nothing changes
      // except what the testkit parent still publishes (the SHA-256 DS): the UPDATE is sent
      Cli.Run explicit = Cli.run(env, args(child, "update", "send", "child.parent.test.",
          "--key", nextBase, "--ns", "ns1.child.parent.test.=127.0.0.1", "--ds",
          sha384.keyTag() + " " + sha384.algorithm() + " 4 "
              + HexFormat.of().formatHex(sha384.digest())));
      assertThat(explicit.exit()).as(explicit.toString()).isZero();
      assertThat(explicit.out()).startsWith("delegation: ");

      // 6. the meters, scraped as Prometheus would
      String metrics = Http.get("http://127.0.0.1:"
          + started.metrics().orElseThrow().getPort() + "/metrics")[1];
      assertThat(metrics)
          .contains("zonecut_requests_total{kind=\"update\",outcome=\"key_uploaded\"} 1.0")
          .contains("zonecut_requests_total{kind=\"update\",outcome=\"applied\"} 2.0")
          .contains("zonecut_requests_total{kind=\"update\",outcome=\"key_rolled\"} 2.0")
          .contains("zonecut_requests_total{kind=\"notify\",outcome=\"scheduled\"} 1.0")
          .contains("zonecut_responses_total{kind=\"update\",rcode=\"NOERROR\"} 5.0")
          .contains("zonecut_backend_results_total{result=\"applied\",source=\"update\"} 2.0")
          .contains("zonecut_request_latency_seconds_count{kind=\"update\"} 5")
          .contains("zonecut_server_dropped_total 0.0")
          // the KeyState inquiries: answered ones, and the retired key's BADKEY
          .contains("zonecut_requests_total{kind=\"keystate\",outcome=\"answered\"}")
          .contains("zonecut_requests_total{kind=\"keystate\",outcome=\"unknown_key\"} 1.0")
          .contains("zonecut_responses_total{kind=\"keystate\",rcode=\"BADKEY\"} 1.0")
          .contains("zonecut_responses_total{kind=\"keystate\",rcode=\"NOERROR\"}")
          .contains("zonecut_request_latency_seconds_count{kind=\"keystate\"}");

      // 7. SIGTERM's path: stop, and the command returns 0
      serve.stop();
      assertThat(serving.get(30, TimeUnit.SECONDS)).isZero();
      Cli.record(serveArgs, new Cli.Run(0, serverOut.toString(), ""));
      assertThat(serverOut.toString())
          .contains("serving [parent.test.] on 127.0.0.1:" + started.dsync().getPort())
          .contains("UPDATE child.parent.test. from 127.0.0.1, key tag "
              + childKey.publicKey().keyTag() + ": KEY_UPLOADED, answered NOERROR")
          .contains("NOTIFY(CDS) child.parent.test. from 127.0.0.1: SCHEDULED")
          .contains("KeyState child.parent.test. from 127.0.0.1 about key tag "
              + nextKeyTag + ", signed by key tag " + nextKeyTag
              + ": ANSWERED, answered NOERROR KEY_TRUSTED")
          .contains("KeyState child.parent.test. from 127.0.0.1 about key tag "
              + childKey.publicKey().keyTag() + ", no verified key: UNKNOWN_KEY, answered BADKEY")
          .endsWith("stopped" + System.lineSeparator());
      List<JsonNode> lines = new ArrayList<>();
      for (String line : Files.readAllLines(audit)) {
        lines.add(Output.mapper().readTree(line));
      }
      assertThat(lines).extracting(l -> l.get("kind").asText() + " " + l.path("outcome").asText())
          .contains("update KEY_UPLOADED", "update APPLIED", "notify SCHEDULED",
              "keystate ANSWERED", "keystate UNKNOWN_KEY");
      assertThat(lines).filteredOn(l -> l.get("kind").asText().equals("keystate")
          && l.get("outcome").asText().equals("ANSWERED")).last().satisfies(l -> {
            assertThat(l.get("child").asText()).isEqualTo("child.parent.test.");
            assertThat(l.get("state").asText()).isEqualTo("KEY_TRUSTED");
            assertThat(l.get("askedKeyTag").asInt()).isEqualTo(nextKeyTag);
            assertThat(l.get("keyTag").asInt()).isEqualTo(nextKeyTag);
            assertThat(l.get("signed").asBoolean()).isTrue();
          });
      assertThat(Files.readString(audit)).doesNotContain(HexFormat.of().formatHex(
          childKey.publicKey().keyData()));
    }
  }
}
