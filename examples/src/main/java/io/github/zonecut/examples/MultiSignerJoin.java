package io.github.zonecut.examples;

import io.github.zonecut.multisigner.DnsKey;
import io.github.zonecut.multisigner.GlitchChecker;
import io.github.zonecut.multisigner.GlitchReport;
import io.github.zonecut.multisigner.Intent;
import io.github.zonecut.multisigner.ParentPolicy;
import io.github.zonecut.multisigner.Plan;
import io.github.zonecut.multisigner.PlannedStep;
import io.github.zonecut.multisigner.Planner;
import io.github.zonecut.multisigner.SignerId;
import io.github.zonecut.multisigner.Simulation;
import io.github.zonecut.multisigner.Step;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.xbill.DNS.Name;

/**
 * A second DNSSEC signer joins a one-signer group (RFC 8901 model 2), planned step by step by the
 * multi-signer {@link Planner} and dry-run in a {@link Simulation}: two signers that apply steps
 * at once, and a parent that acts on consistent CDS and CSYNC an hour after they appear
 * (RFC 7344, RFC 7477). The recorded timeline is then handed to the {@link GlitchChecker}, which
 * proves that no resolver cache combination could have failed validation during the join.
 *
 * <p>Run it alone with {@code java -cp examples/target/zonecut-demo.jar
 * io.github.zonecut.examples.MultiSignerJoin}.
 */
public final class MultiSignerJoin {
  private static final int MAX_ROUNDS = 100;

  /**
   * The result of a run.
   *
   * @param first the first plan (the steps a host would execute first)
   * @param last the final plan: {@link Plan.Done} when the join completed
   * @param log the timeline of steps and waits, one line each, with simulated elapsed time
   * @param plans how many times the planner was asked
   * @param elapsed simulated time from the first plan to the last
   * @param report the glitch checker's verdict over every recorded state
   */
  public record Outcome(Plan first, Plan last, List<String> log, int plans, Duration elapsed,
      GlitchReport report) {
    /** Copies the log. */
    public Outcome {
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(last, "last");
      log = List.copyOf(log);
      Objects.requireNonNull(elapsed, "elapsed");
      Objects.requireNonNull(report, "report");
    }

    /** Whether the join completed and no cache combination failed. */
    public boolean succeeded() {
      return last instanceof Plan.Done && report.glitchFree();
    }
  }

  private MultiSignerJoin() {}

  /**
   * Runs the join of signer {@code bravo} to the group {@code {alpha}} for {@code zone}, under a
   * parent with {@link ParentPolicy#DEFAULT} (CDS, CDNSKEY and CSYNC processed).
   */
  public static Outcome run(Name zone) {
    return run(zone, ParentPolicy.DEFAULT);
  }

  /**
   * As {@link #run(Name)} under a parent that acts on the signals {@code policy} names; a parent
   * that never acts leaves the planner awaiting it, and the outcome's last plan says so.
   */
  public static Outcome run(Name zone, ParentPolicy policy) {
    return run(zone, policy, Intent.group(SignerId.of("alpha"), SignerId.of("bravo")));
  }

  /**
   * A provider migration of {@code zone}: signer {@code bravo} joins the group {@code {alpha}}
   * and {@code alpha} leaves (RFC 8901; draft-ietf-dnsop-dnssec-automation §5.3 then §5.4), under
   * a parent with {@link ParentPolicy#DEFAULT}; one intent, the planner finds the order.
   */
  public static Outcome migrate(Name zone) {
    return run(zone, ParentPolicy.DEFAULT, Intent.group(SignerId.of("bravo")));
  }

  private static Outcome run(Name zone, ParentPolicy policy, Intent intent) {
    Simulation world = Simulation.builder(zone)
        .seed(8901) // deterministic key material: the run is reproducible
        .signer("alpha", 13, false)
        .signer("bravo", 13, false)
        .group("alpha") // alpha alone is the group: its KSK's DS and its NS are at the parent
        .parentPolicy(policy)
        .parentDelay(Duration.ofHours(1), Duration.ZERO)
        .build();
    Simulation.Result result = world.run(Planner.create(), intent, MAX_ROUNDS);
    List<String> log = new ArrayList<>();
    for (Simulation.Round round : result.rounds()) {
      Plan plan = round.plan();
      if (plan instanceof Plan.Act act) {
        for (PlannedStep step : act.steps()) {
          log.add(line(round.at(), step.draftStep().isEmpty() ? "(zonecut)" : step.draftStep(),
              describe(step.step())));
        }
      } else if (plan instanceof Plan.WaitUntil wait) {
        log.add(line(round.at(), "wait", wait.kind() + " until +"
            + human(Duration.between(Simulation.T0, wait.until()))));
      } else if (plan instanceof Plan.AwaitChange await) {
        log.add(line(round.at(), "await", "the parent: " + await.reason()));
      }
    }
    return new Outcome(result.plans().get(0), result.last(), log, result.rounds().size(),
        Duration.between(Simulation.T0, result.end()), result.report());
  }

  /** Runs the join and prints its timeline. */
  public static void main(String[] args) {
    Outcome outcome = run(Name.fromConstantString("child.parent.test."));
    PrintStream out = System.out;
    outcome.log().forEach(out::println);
    out.println(summary(outcome));
    System.exit(outcome.succeeded() ? 0 : 1);
  }

  /** One line: how the run ended and what the glitch checker found. */
  public static String summary(Outcome o) {
    String end = o.last() instanceof Plan.Done done ? "done (" + done.summary() + ")"
        : "stopped: " + o.last();
    return end + " after " + o.plans() + " plans and " + human(o.elapsed()) + " simulated; "
        + "glitch checker: " + (o.report().glitchFree() ? "no cache combination fails ("
        + o.report() + ")" : o.report());
  }

  private static String line(Instant at, String ref, String text) {
    return String.format("+%-7s %-16s %s", human(Duration.between(Simulation.T0, at)), ref, text);
  }

  private static String human(Duration d) {
    long minutes = d.toMinutes();
    return minutes % 60 == 0 ? minutes / 60 + "h" : minutes / 60 + "h" + minutes % 60 + "m";
  }

  /** A step in a few words, keys by tag and role (the demo's and the CLI's wording). */
  public static String describe(Step step) {
    if (step instanceof Step.AddDnskeys add) {
      return step.signer() + ": add DNSKEY " + tags(add.keys());
    }
    if (step instanceof Step.RemoveDnskeys remove) {
      return step.signer() + ": remove DNSKEY " + tags(remove.keys());
    }
    if (step instanceof Step.SetCds cds) {
      return step.signer() + ": CDS " + cds.cds().stream().map(d -> Integer.toString(d.keyTag()))
          .sorted().collect(Collectors.joining(", ", "{", "}")) + ", CDNSKEY "
          + tags(cds.cdnskey());
    }
    if (step instanceof Step.SetNs ns) {
      return step.signer() + ": NS " + ns.ns().stream().map(Name::toString)
          .collect(Collectors.joining(", ", "{", "}"));
    }
    if (step instanceof Step.SetCsync csync) {
      return step.signer() + (csync.present() ? ": publish CSYNC" : ": remove CSYNC");
    }
    if (step instanceof Step.SetSigning signing) {
      return step.signer() + ": sign zone with " + tags(signing.signing().zoneKeys())
          + ", DNSKEY with " + tags(signing.signing().dnskeyKeys());
    }
    if (step instanceof Step.StopServing) {
      return step.signer() + ": stop serving the zone";
    }
    if (step instanceof Step.DeleteKey delete) {
      return step.signer() + ": delete key " + tags(Set.of(delete.key()));
    }
    return step.toString();
  }

  private static String tags(Set<DnsKey> keys) {
    return keys.stream().map(k -> k.keyTag() + (k.isSep() ? " KSK" : " ZSK")).sorted()
        .collect(Collectors.joining(", ", "{", "}"));
  }
}
