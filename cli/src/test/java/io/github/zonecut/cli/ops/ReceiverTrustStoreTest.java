package io.github.zonecut.cli.ops;

import static io.github.zonecut.cli.ops.Cli.args;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.cli.Environment;
import io.github.zonecut.cli.Zonecut;
import io.github.zonecut.core.Codepoints;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;
import picocli.CommandLine;

/**
 * {@code receiver serve --trust jdbc:sqlite:FILE}: a child's key trusted by one run of the parent
 * (bootstrap UPDATE, at-apex validation) is still trusted by the next run over the same database,
 * while with {@code --trust memory} (the default) the next run knows no key.
 */
class ReceiverTrustStoreTest {
  static final Name CHILD = Name.fromConstantString("child.parent.test.");
  static final Name TARGET = Name.fromConstantString("ddns.parent.test.");

  /** A running {@code receiver serve}; {@link #close()} is its SIGTERM. */
  private record Serving(ReceiverServeCommand command, CompletableFuture<Integer> exit, int port)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      command.stop();
      assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
    }
  }

  private static Serving serve(Environment env, List<String> dns, String receiverBase,
      Path delegations, String trust) throws Exception {
    CommandLine server = Zonecut.commandLine(env);
    server.setOut(new PrintWriter(new StringWriter(), true));
    server.setErr(new PrintWriter(new StringWriter(), true));
    ReceiverServeCommand serve = server.getSubcommands().get("receiver").getSubcommands()
        .get("serve").getCommand();
    String[] serveArgs = args(dns, "receiver", "serve", "--listen", "127.0.0.1:0",
        "--zone", "parent.test.", "--key", receiverBase, "--delegations", delegations.toString(),
        "--trust", trust);
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
        () -> server.execute(serveArgs));
    int port = serve.started().toCompletableFuture().get(60, TimeUnit.SECONDS).dsync().getPort();
    return new Serving(serve, exit, port);
  }

  private static List<String> child(List<String> dns, Serving parent) {
    List<String> child = new ArrayList<>(dns);
    child.add("--endpoint");
    child.add("ddns.parent.test.=127.0.0.1:" + parent.port());
    return child;
  }

  @Test
  void aKeyTrustedByOneRunIsTrustedByTheNextOverTheSameDatabase(@TempDir Path dir)
      throws Exception {
    Sig0KeyPair receiverKey = Sig0KeyPair.generate(TARGET, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_HOST);
    Sig0KeyPair childKey = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_ZONE);
    Name dsync = Name.fromConstantString("_dsync.parent.test.");
    try (TestHierarchy h = TestHierarchy.builder()
        .zone("test.")
        .zone("parent.test.", z -> z.records("ddns 300 IN A 127.0.0.1").records(
            receiverKey.publicKey().toKeyRecord(300),
            DsyncRecord.of(dsync, 300, Type.ANY, DsyncScheme.update(Codepoints.DEFAULT), 53,
                TARGET)))
        .zone("child.parent.test.", z -> z.nameservers("ns1.child.parent.test.")
            .records(childKey.publicKey().toKeyRecord(300)))
        .start()) {
      Environment env = Environment.system().withClock(h.clock());
      List<String> dns = Cli.pointAt(h, dir);
      String receiverBase = Cli.keyFiles(dir, receiverKey);
      String childBase = Cli.keyFiles(dir, childKey);
      String trust = "jdbc:sqlite:" + dir.resolve("trust.db");
      // the registry's data: the child is delegated here
      Path delegations = dir.resolve("delegations.zone");
      Files.writeString(delegations, "child.parent.test. 3600 IN NS ns1.child.parent.test.\n"
          + "ns1.child.parent.test. 3600 IN A 127.0.0.1\n");

      try (Serving first = serve(env, dns, receiverBase, delegations, trust)) {
        Cli.Run boot = Cli.run(env, args(child(dns, first), "update", "send",
            "child.parent.test.", "--key", childBase, "--bootstrap"));
        assertThat(boot.exit()).as(boot.toString()).isZero();
        Cli.Run inquiry = null;
        for (int i = 0; i < 120; i++) { // at-apex validation runs in the background (bounded)
          inquiry = Cli.run(env, args(child(dns, first), "keystate", "inquire",
              "child.parent.test.", "--key", childBase));
          if (inquiry.out().contains("KEY_TRUSTED")) {
            break;
          }
          Thread.sleep(250);
        }
        assertThat(inquiry.out()).as(inquiry.toString()).contains(": KEY_TRUSTED");
      }

      try (Serving second = serve(env, dns, receiverBase, delegations, trust)) {
        Cli.Run again = Cli.run(env, args(child(dns, second), "keystate", "inquire",
            "child.parent.test.", "--key", childBase));
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).as("trusted after the restart, at once").contains(": KEY_TRUSTED");
      }

      try (Serving forgetful = serve(env, dns, receiverBase, delegations, "memory")) {
        Cli.Run unknown = Cli.run(env, args(child(dns, forgetful), "keystate", "inquire",
            "child.parent.test.", "--key", childBase));
        assertThat(unknown.out()).as(unknown.toString()).doesNotContain("KEY_TRUSTED");
      }
    }
  }
}
