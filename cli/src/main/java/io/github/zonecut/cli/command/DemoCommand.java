package io.github.zonecut.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zonecut.cli.ExitCode;
import io.github.zonecut.cli.Output;
import io.github.zonecut.cli.Session;
import io.github.zonecut.cli.ZonecutCommand;
import io.github.zonecut.examples.Demo;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code zonecut demo}: plays the examples module's {@link Demo} story on an in-process testkit
 * hierarchy, one line per step with its verdict as it happens, then a summary table ({@code
 * --json}: one object per step, then a summary object). Exit 0 only when every step behaved as
 * specified, 1 otherwise.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Play the whole zonecut story on an in-process signed DNS hierarchy "
        + "(127.0.0.1 only; no network, no DNS software needed): DSYNC discovery, SIG(0) key "
        + "bootstrap by UPDATE (validated at-apex), KeyState polled until trusted, an NS change "
        + "and a DS roll by signed UPDATE, a CDS change by NOTIFY scanned and accepted by the "
        + "parent, a BOGUS parent refused, a multi-signer join and a provider migration "
        + "planned glitch-free.",
        "Exit 0 only when every step behaved as specified."})
public final class DemoCommand extends ZonecutCommand {

  /** The scenarios, as typed. */
  enum ScenarioOption {
    delegation, multisigner, all;

    Demo.Scenario scenario() {
      return Demo.Scenario.valueOf(name().toUpperCase(Locale.ROOT));
    }
  }

  @Option(names = "--scenario", paramLabel = "SCENARIO", defaultValue = "all",
      description = "delegation, multisigner or all (default: ${DEFAULT-VALUE}).")
  private ScenarioOption scenario = ScenarioOption.all;

  @Option(names = {"-v", "--verbose"},
      description = "Also print each step's narration (what was sent, what answered).")
  private boolean verbose;

  /** For picocli. */
  public DemoCommand() {}

  @Override
  protected ExitCode run(Session session, Output out) {
    out.line("zonecut demo (%s): the protocols across a zone cut, in-process on 127.0.0.1",
        scenario);
    Demo.Report report = Demo.run(scenario.scenario(), new Demo.Listener() {
      @Override
      public void started(int number, String title) {
        if (verbose) {
          out.line("[%d] %s", number, title);
        }
      }

      @Override
      public void narrate(String line) {
        if (verbose) {
          out.line("      %s", line);
        }
      }

      @Override
      public void finished(Demo.StepReport step) {
        out.line("%s [%d] %s", mark(step), step.number(), step.title());
        out.line("      => %s", step.verdict());
        out.emit(stepJson(out, step).put("type", "step"));
      }
    });
    summary(out, report);
    return report.succeeded() ? ExitCode.OK : ExitCode.NEGATIVE;
  }

  private static String mark(Demo.StepReport step) {
    return step.status() == Demo.Status.PASSED ? "ok  " : "FAIL";
  }

  private static ObjectNode stepJson(Output out, Demo.StepReport step) {
    return out.object()
        .put("step", step.number())
        .put("title", step.title())
        .put("status", step.status().name())
        .put("verdict", step.verdict())
        .put("millis", step.millis());
  }

  private void summary(Output out, Demo.Report report) {
    out.line("");
    out.line("%-4s  %-6s  %7s  %s", "step", "status", "ms", "verdict");
    for (Demo.StepReport s : report.steps()) {
      out.line("%-4d  %-6s  %7d  %s", s.number(), s.status(), s.millis(), s.verdict());
    }
    out.line("");
    if (report.succeeded()) {
      out.line("Demo complete in %d ms: every step behaved as specified.", report.millis());
    } else {
      out.line("DEMO FAILED: %s", report.failure().orElse("a step failed"));
    }
    ObjectNode json = out.object().put("type", "summary")
        .put("scenario", scenario.name())
        .put("succeeded", report.succeeded())
        .put("millis", report.millis());
    report.failure().ifPresent(f -> json.put("failure", f));
    ArrayNode steps = json.putArray("steps");
    for (Demo.StepReport s : report.steps()) {
      steps.add(stepJson(out, s));
    }
    out.emit(json);
  }
}
