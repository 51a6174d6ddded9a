package io.github.zonecut.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} works on every command of the tree and names the global options. */
class HelpTest {

  private static void collect(CommandLine cl, List<String> prefix, List<List<String>> out) {
    out.add(prefix);
    cl.getSubcommands().forEach((name, sub) -> {
      if (!sub.getCommandName().equals(name)) {
        return; // an alias
      }
      List<String> p = new ArrayList<>(prefix);
      p.add(name);
      collect(sub, p, out);
    });
  }

  @Test
  void everyCommandHasHelpWithTheGlobalOptions() {
    List<List<String>> paths = new ArrayList<>();
    collect(Zonecut.commandLine(Environment.system()), List.of(), paths);
    assertThat(paths).hasSizeGreaterThan(10);
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      CliRun.Result r = CliRun.run(args.toArray(new String[0]));
      assertThat(r.exitCode()).as(String.join(" ", args)).isZero();
      assertThat(r.out()).as(String.join(" ", args))
          .contains("Usage: zonecut", "--json", "--debug", "--endpoint", "Exit codes");
      assertThat(r.err()).isEmpty();
    }
  }

  @Test
  void globalOptionsWorkBeforeTheSubcommandToo() throws Exception {
    CliRun.Result r = CliRun.run("--json", "demo", "--scenario", "multisigner");
    assertThat(r.exitCode()).as(r.err()).isZero();
    for (String line : r.out().lines().toList()) {
      Output.mapper().readTree(line);
    }
  }
}
