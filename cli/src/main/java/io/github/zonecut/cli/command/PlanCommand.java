package io.github.zonecut.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.zonecut.cli.CliException;
import io.github.zonecut.cli.ExitCode;
import io.github.zonecut.cli.Output;
import io.github.zonecut.cli.Session;
import io.github.zonecut.cli.ZonecutCommand;
import io.github.zonecut.examples.MultiSignerJoin;
import io.github.zonecut.multisigner.GlitchReport;
import io.github.zonecut.multisigner.Mermaid;
import io.github.zonecut.multisigner.Plan;
import io.github.zonecut.multisigner.PlannedStep;
import io.github.zonecut.multisigner.Planner;
import io.github.zonecut.multisigner.Simulation;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code zonecut plan}: an RFC 8901 multi-signer change (a signer joins, leaves, or the group is
 * replaced) planned step by step by the multisigner {@link Planner} in its {@link Simulation} of
 * the zone, its signers and its parent; {@code plan check}: the glitch checker's verdict over
 * every state of that run. The JSON file formats are in {@link PlanFiles}.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = {"Plan an RFC 8901 multi-signer change (draft-ietf-dnsop-dnssec-automation): "
        + "the planner runs in a simulation of the zone's signers and parent built from "
        + "--snapshot, towards the signer group of --intent, and prints every step and wait.",
        "Exit 0 when the plan reaches the intent, 1 when the planner refuses or stalls."},
    subcommands = PlanCommand.Check.class)
public final class PlanCommand extends ZonecutCommand {

  /** The two input files. */
  public static final class Files {
    // not "required": picocli would then demand them of "plan" before "plan check" too
    @Option(names = "--snapshot", paramLabel = "FILE.json",
        description = "Required: the zone, its signers, signer group and parent (JSON).")
    @Nullable Path snapshot;

    @Option(names = "--intent", paramLabel = "FILE.json",
        description = "Required: the signer group wanted (JSON).")
    @Nullable Path intent;

    PlanFiles.Input read() throws CliException {
      Path s = snapshot;
      Path i = intent;
      if (s == null || i == null) {
        throw CliException.usage("missing " + (s == null ? "--snapshot FILE.json" : "")
            + (s == null && i == null ? " and " : "") + (i == null ? "--intent FILE.json" : ""));
      }
      return PlanFiles.read(s, i);
    }

    /** For picocli. */
    public Files() {}
  }

  /** The output formats. */
  enum Format { text, json, mermaid }

  @Mixin private Files files = new Files();

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "text (default), json, or mermaid (a sequence diagram of the plans).")
  private Format format = Format.text;

  /** For picocli. */
  public PlanCommand() {}

  @Override
  protected ExitCode run(Session session, Output out) throws Exception {
    PlanFiles.Input input = files.read();
    Simulation.Result result =
        input.world().run(Planner.create(), input.intent(), input.maxRounds());
    boolean done = result.ending() == Simulation.Ending.DONE;
    if (format == Format.mermaid && !out.json()) {
      spec().commandLine().getOut().print(Mermaid.history(result.plans()));
      spec().commandLine().getOut().flush();
      return done ? ExitCode.OK : ExitCode.NEGATIVE;
    }
    Output o = format == Format.json && !out.json()
        ? new Output(spec().commandLine().getOut(), true) : out;
    ObjectNode json = o.object().put("zone", input.zone());
    ArrayNode rounds = json.putArray("rounds");
    for (Simulation.Round round : result.rounds()) {
      String at = "+" + human(Duration.between(Simulation.T0, round.at()));
      ObjectNode r = rounds.addObject().put("at", round.at().toString())
          .put("elapsed", at.substring(1));
      Plan plan = round.plan();
      if (plan instanceof Plan.Act act) {
        r.put("kind", "act");
        ArrayNode steps = r.putArray("steps");
        for (PlannedStep s : act.steps()) {
          String ref = s.draftStep().isEmpty() ? "(zonecut)" : s.draftStep();
          String what = MultiSignerJoin.describe(s.step());
          o.line("%-8s %-16s %s", at, ref, what);
          steps.addObject().put("draftStep", s.draftStep()).put("step", what)
              .put("reason", s.reason());
        }
      } else if (plan instanceof Plan.WaitUntil wait) {
        String until = human(Duration.between(Simulation.T0, wait.until()));
        o.line("%-8s %-16s %s until +%s", at, "wait", wait.kind(), until);
        r.put("kind", "wait").put("waitKind", wait.kind().toString())
            .put("until", wait.until().toString()).put("reason", wait.reason());
      } else if (plan instanceof Plan.AwaitChange await) {
        o.line("%-8s %-16s the parent: %s", at, "await", await.reason());
        r.put("kind", "await").put("reason", await.reason())
            .put("deadline", await.deadline().toString());
      } else if (plan instanceof Plan.Done d) {
        o.line("%-8s %-16s %s", at, "done", d.summary());
        r.put("kind", "done").put("summary", d.summary());
      } else if (plan instanceof Plan.Refused refused) {
        o.line("%-8s %-16s %s", at, "refused", refused.refusal().message());
        r.put("kind", "refused").put("reason", refused.refusal().message());
      }
    }
    o.line("ending: %s after %d plans", result.ending(), result.rounds().size());
    json.put("ending", result.ending().name()).put("plans", result.rounds().size());
    o.emit(json);
    return done ? ExitCode.OK : ExitCode.NEGATIVE;
  }

  static String human(Duration d) {
    long minutes = d.toMinutes();
    return minutes % 60 == 0 ? minutes / 60 + "h" : minutes / 60 + "h" + minutes % 60 + "m";
  }

  /** {@code zonecut plan check}: the glitch checker's verdict over the planned run. */
  @Command(name = "check", mixinStandardHelpOptions = true,
      description = {"Run the plan in the simulation and check every state it passes through "
          + "with the glitch checker: can any TTL-consistent resolver cache combination of DS, "
          + "DNSKEY and signatures fail to validate?",
          "Prints GLITCH-FREE or GLITCH (where and why). Exit 0 only when the plan reaches the "
          + "intent glitch-free."})
  public static final class Check extends ZonecutCommand {
    @Mixin private Files files = new Files();

    /** For picocli. */
    public Check() {}

    @Override
    protected ExitCode run(Session session, Output out) throws Exception {
      PlanFiles.Input input = files.read();
      Simulation.Result result =
          input.world().run(Planner.create(), input.intent(), input.maxRounds());
      GlitchReport report = result.report();
      boolean done = result.ending() == Simulation.Ending.DONE;
      ObjectNode json = out.object().put("zone", input.zone())
          .put("ending", result.ending().name())
          .put("plans", result.rounds().size())
          .put("states", result.timeline().size())
          .put("glitchFree", report.glitchFree());
      String line;
      if (report instanceof GlitchReport.Clean c) {
        line = "GLITCH-FREE: " + c.states() + " states, " + c.combinations()
            + " cache combinations validate";
        json.put("combinations", c.combinations());
      } else {
        GlitchReport.Glitch g = (GlitchReport.Glitch) report;
        line = "GLITCH at " + g.at() + ": " + g.problem() + " (DS " + g.ds() + ", DNSKEY "
            + g.dnskey() + ", data " + g.data() + ")";
        json.put("at", g.at().toString()).put("problem", g.problem()).put("ds", g.ds())
            .put("dnskey", g.dnskey()).put("data", g.data());
      }
      if (!done) {
        line += "; but the plan did not reach the intent (" + result.ending() + ")";
      }
      out.result(line, json);
      return report.glitchFree() && done ? ExitCode.OK : ExitCode.NEGATIVE;
    }
  }
}
