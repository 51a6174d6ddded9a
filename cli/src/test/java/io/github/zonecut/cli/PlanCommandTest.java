package io.github.zonecut.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code zonecut plan} and {@code plan check} on the sample files of the test resources. */
class PlanCommandTest {
  @TempDir Path dir;

  private static String res(String name) {
    try {
      return Path.of(PlanCommandTest.class.getResource("/plan/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aJoinIsPlannedToTheEnd() {
    CliRun.Result r = CliRun.run("plan", "--snapshot", res("snapshot.json"), "--intent",
        res("intent-join.json"));
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("bravo: add DNSKEY", "ending: DONE");
  }

  @Test
  void aMigrationIsGlitchFree() throws Exception {
    CliRun.Result r = CliRun.run("plan", "check", "--snapshot", res("snapshot.json"), "--intent",
        res("intent-migrate.json"));
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).startsWith("GLITCH-FREE: ");
    CliRun.Result j = CliRun.run("plan", "check", "--json", "--snapshot", res("snapshot.json"),
        "--intent", res("intent-migrate.json"));
    JsonNode json = Output.mapper().readTree(j.out());
    assertThat(json.get("glitchFree").asBoolean()).isTrue();
    assertThat(json.get("ending").asText()).isEqualTo("DONE");
  }

  @Test
  void jsonAndMermaidFormats() throws Exception {
    CliRun.Result j = CliRun.run("plan", "--format", "json", "--snapshot", res("snapshot.json"),
        "--intent", res("intent-migrate.json"));
    assertThat(j.exitCode()).as(j.err()).isZero();
    JsonNode json = Output.mapper().readTree(j.out());
    assertThat(json.get("rounds").size()).isPositive();
    assertThat(json.get("ending").asText()).isEqualTo("DONE");
    CliRun.Result m = CliRun.run("plan", "--format", "mermaid", "--snapshot",
        res("snapshot.json"), "--intent", res("intent-migrate.json"));
    assertThat(m.exitCode()).isZero();
    assertThat(m.out()).contains("flowchart");
  }

  @Test
  void badJsonIsOneLineWithItsPosition() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"zone\": \"x.\",\n \"signers\": [\n");
    CliRun.Result r = CliRun.run("plan", "--snapshot", bad.toString(), "--intent",
        res("intent-join.json"));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("zonecut: bad JSON in snapshot").contains("line");
  }

  @Test
  void anUnknownSignerOrFieldIsOneLine() throws Exception {
    Path intent = dir.resolve("intent.json");
    Files.writeString(intent, "{\"group\": [\"charlie\"]}");
    CliRun.Result r = CliRun.run("plan", "--snapshot", res("snapshot.json"), "--intent",
        intent.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).startsWith("zonecut: ").contains("charlie");
    Files.writeString(intent, "{\"group\": [\"bravo\"], \"colour\": 1}");
    CliRun.Result f = CliRun.run("plan", "--snapshot", res("snapshot.json"), "--intent",
        intent.toString());
    assertThat(f.exitCode()).isEqualTo(2);
    assertThat(f.err()).contains("unknown field \"colour\"");
    CliRun.Result missing = CliRun.run("plan", "--snapshot", dir.resolve("nope.json").toString(),
        "--intent", intent.toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.json").contains("does not exist");
    CliRun.Result none = CliRun.run("plan", "check", "--intent", intent.toString());
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).isEqualTo("zonecut: missing --snapshot FILE.json"
        + System.lineSeparator());
  }
}
