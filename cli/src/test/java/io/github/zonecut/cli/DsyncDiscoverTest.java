package io.github.zonecut.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.testkit.TestHierarchy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zonecut dsync discover} against a testkit hierarchy on loopback. */
class DsyncDiscoverTest {
  static TestHierarchy h;
  @TempDir static Path dir;
  static Path anchors;

  @BeforeAll
  static void start() throws Exception {
    ZonecutTypes.register();
    h = TestHierarchy.builder()
        .zone("test.", z -> z.nameservers("ns1.test.")
            .records("_dsync DSYNC CDS 1 5359 ns1.test.\n_dsync DSYNC ANY 2 5300 ns1.test.\n"))
        .zone("child.test.", z -> z.nameservers("ns1.child.test."))
        .start();
    anchors = dir.resolve("anchors.txt");
    Files.writeString(anchors, h.trustAnchorsText());
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  private static String[] args(String... extra) {
    String[] base = {"dsync", "discover", "--resolver", h.recursive().dnsEndpoint().toString(),
        "--trust-anchor", anchors.toString(), "--allow-private",
        "--endpoint", "ns1.test.=" + h.nameserver("ns1.test.").dnsEndpoint()};
    String[] all = new String[base.length + extra.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(extra, 0, all, base.length, extra.length);
    return all;
  }

  @Test
  void findsTheNotifyEndpointSecurelyStepByStep() {
    CliRun.Result r = CliRun.run(args("child.test", "--require-secure"));
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("_dsync.test./DSYNC", "SECURE", "FOUND CDS NOTIFY 5359 ns1.test.");
  }

  @Test
  void findsTheUpdateEndpointAsJson() throws Exception {
    CliRun.Result r = CliRun.run(args("child.test", "--scheme", "UPDATE", "--json"));
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    JsonNode json = Output.mapper().readTree(r.out());
    assertThat(json.get("verdict").asText()).isEqualTo("FOUND");
    assertThat(json.get("type").asText()).isEqualTo("ANY");
    assertThat(json.get("steps").size()).isPositive();
  }

  @Test
  void noCsyncRecordIsNotFound() {
    CliRun.Result r = CliRun.run(args("child.test", "--type", "CSYNC"));
    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out()).contains("NOT FOUND");
  }

  @Test
  void aWrongTrustAnchorIsAValidationFailureOnOneLine() throws Exception {
    Path wrong = dir.resolve("wrong.txt");
    Files.writeString(wrong, "test. 3600 IN DS 12345 15 2 "
        + "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n");
    CliRun.Result r = CliRun.run("dsync", "discover", "--resolver",
        h.recursive().dnsEndpoint().toString(), "--trust-anchor", wrong.toString(),
        "child.test");
    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(4);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("zonecut: ").contains("BOGUS").doesNotContain("\tat ");
  }

  @Test
  void anUnreachableResolverIsANetworkFailureOnOneLine() {
    // nothing listens on 127.0.0.1 port 9 (discard) in the test environment
    CliRun.Result r = CliRun.run("dsync", "discover", "--resolver", "127.0.0.1:9",
        "--trust-anchor", anchors.toString(), "child.test");
    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(3);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("zonecut: ");
  }

  @Test
  void badTrustAnchorFileAndBadEndpointAreUsage() throws Exception {
    Path notAnchor = dir.resolve("a.txt");
    Files.writeString(notAnchor, "test. 3600 IN A 192.0.2.1\n");
    CliRun.Result r = CliRun.run("dsync", "discover", "--resolver",
        h.recursive().dnsEndpoint().toString(), "--trust-anchor", notAnchor.toString(),
        "child.test");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("zonecut: bad trust anchor file").contains("only IN DS");
    CliRun.Result e = CliRun.run(args("child.test", "--endpoint", "ns1.test.=nowhere"));
    assertThat(e.exitCode()).isEqualTo(2);
    assertThat(e.err()).startsWith("zonecut: bad --endpoint");
  }
}
