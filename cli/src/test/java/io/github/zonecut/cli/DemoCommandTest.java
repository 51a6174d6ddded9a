package io.github.zonecut.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code zonecut demo}: every scenario passes, live step lines, a summary, JSON lines. */
class DemoCommandTest {

  @Test
  void theWholeStoryPassesWithAStepLineEachAndASummary() {
    CliRun.Result r = CliRun.run("demo");
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("ok   [1]", "ok   [5] KeyState polled until the parent trusts",
        "KEY_TRUSTED after", "ok   [6] NS set changed by signed UPDATE",
        "the parent's NS set holds ns3.child.parent.test.", "ok   [7] DS roll begun by signed UPDATE",
        "the parent added the new SHA-384 DS", "ok   [8] CDS change announced by NOTIFY",
        "DS applied", "glitch-free", "REFUSED as BOGUS", "bravo joins, alpha leaves",
        "every step behaved as specified");
    assertThat(r.out()).doesNotContain("FAIL");
  }

  @Test
  void multisignerAloneAsJsonLines() throws Exception {
    CliRun.Result r = CliRun.run("demo", "--scenario", "multisigner", "--json");
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSizeGreaterThanOrEqualTo(2);
    for (String line : lines) {
      Output.mapper().readTree(line);
    }
    JsonNode summary = Output.mapper().readTree(lines.get(lines.size() - 1));
    assertThat(summary.get("type").asText()).isEqualTo("summary");
    assertThat(summary.get("succeeded").asBoolean()).isTrue();
    assertThat(summary.get("steps")).hasSize(2);
  }

  @Test
  void delegationAsJsonLinesHasTheNewStepsPassed() throws Exception {
    CliRun.Result r = CliRun.run("demo", "--scenario", "delegation", "--json");
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    JsonNode summary = Output.mapper().readTree(lines.get(lines.size() - 1));
    assertThat(summary.get("succeeded").asBoolean()).isTrue();
    JsonNode steps = summary.get("steps");
    assertThat(steps).hasSize(9);
    for (JsonNode step : steps) {
      assertThat(step.get("status").asText()).as(step.toString()).isEqualTo("PASSED");
    }
    assertThat(steps.get(4).get("verdict").asText()).contains("KEY_TRUSTED");
    assertThat(steps.get(5).get("verdict").asText()).contains("ns3.child.parent.test.");
    assertThat(steps.get(6).get("verdict").asText()).contains("SHA-384 DS");
    assertThat(steps.get(7).get("verdict").asText()).contains("DS applied");
  }

  @Test
  void badScenarioIsUsage() {
    CliRun.Result r = CliRun.run("demo", "--scenario", "everything");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
  }
}
