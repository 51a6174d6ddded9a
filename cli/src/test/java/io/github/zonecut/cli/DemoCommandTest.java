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
    assertThat(r.out()).contains("ok   [1]", "KEY_BOOTSTRAP_AUTO", "DS applied",
        "glitch-free", "REFUSED as BOGUS", "bravo joins, alpha leaves",
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
  void badScenarioIsUsage() {
    CliRun.Result r = CliRun.run("demo", "--scenario", "everything");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().lines()).hasSize(1);
  }
}
