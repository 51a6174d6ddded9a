package io.github.zonecut.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The command tree, the help footer, the global options and the one-line errors. */
class SkeletonTest {

  @Test
  void helpListsEveryGroupAndTheExitCodes() {
    CliRun.Result r = CliRun.run("--help");
    assertThat(r.exitCode()).isZero();
    for (String group : new String[] {"demo", "dsync", "sig0", "update", "notify", "keystate",
        "signals", "receiver", "scan", "plan"}) {
      assertThat(r.out()).contains(group);
    }
    assertThat(r.out()).contains("Exit codes:", "  0  ok", "  5  internal error");
  }

  @Test
  void unknownOptionIsOneUsageLine() {
    CliRun.Result r = CliRun.run("--no-such-option");
    assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("zonecut: ").contains("--no-such-option");
  }

  @Test
  void groupWithoutSubcommandIsUsage() {
    CliRun.Result r = CliRun.run("sig0");
    assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
    assertThat(r.err().lines()).hasSize(1);
  }

  @Test
  void versionNamesTheLibraries() {
    CliRun.Result r = CliRun.run("--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("zonecut 0.", "dnsjava 3.7.1", "bouncycastle", "sig0 crypto");
  }
}
