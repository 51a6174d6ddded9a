package io.github.zonecut.examples;

import io.github.zonecut.multisigner.Capability;
import io.github.zonecut.multisigner.DnsKey;
import io.github.zonecut.multisigner.DsRecord;
import io.github.zonecut.multisigner.GlitchChecker;
import io.github.zonecut.multisigner.GlitchReport;
import io.github.zonecut.multisigner.Intent;
import io.github.zonecut.multisigner.KeyRole;
import io.github.zonecut.multisigner.Observed;
import io.github.zonecut.multisigner.OwnedKey;
import io.github.zonecut.multisigner.ParentPolicy;
import io.github.zonecut.multisigner.ParentServerView;
import io.github.zonecut.multisigner.ParentSnapshot;
import io.github.zonecut.multisigner.Plan;
import io.github.zonecut.multisigner.PlannedStep;
import io.github.zonecut.multisigner.Planner;
import io.github.zonecut.multisigner.SignerId;
import io.github.zonecut.multisigner.SignerSnapshot;
import io.github.zonecut.multisigner.Signing;
import io.github.zonecut.multisigner.Step;
import io.github.zonecut.multisigner.TimedState;
import io.github.zonecut.multisigner.ZoneSnapshot;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * A second DNSSEC signer joins a one-signer group (RFC 8901 model 2), planned step by step by the
 * multi-signer {@link Planner} and executed in a small simulated world: two signers that apply
 * steps at once, and a parent that acts on consistent CDS and CSYNC an hour after they appear
 * (RFC 7344, RFC 7477). The recorded timeline is then handed to the {@link GlitchChecker}, which
 * proves that no resolver cache combination could have failed validation during the join.
 *
 * <p>Run it alone with {@code java -cp examples/target/zonecut-demo.jar
 * io.github.zonecut.examples.MultiSignerJoin}.
 */
public final class MultiSignerJoin {
  /** The simulated clock's start (fixed, so every run prints the same timeline). */
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static final Duration PARENT_DELAY = Duration.ofHours(1);
  private static final long TTL = 3600;
  private static final int MAX_ROUNDS = 100;

  private final Name zone;
  private final ParentPolicy policy;
  private final Map<SignerId, Signer> signers = new LinkedHashMap<>();
  private final List<TimedState> timeline = new ArrayList<>();
  private Instant now = T0;
  private Set<DsRecord> parentDs = new TreeSet<>();
  private Instant parentDsSince = T0.minus(Duration.ofDays(30));
  private Set<Name> parentNs = new TreeSet<>();
  private Instant parentNsSince = parentDsSince;
  private @Nullable Set<DsRecord> pendingDs;
  private Instant pendingDsAt = Instant.MAX;
  private @Nullable Set<Name> pendingNs;
  private Instant pendingNsAt = Instant.MAX;

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

  /** The signer state the world keeps: what it owns and serves, and since when. */
  private static final class Signer {
    final SignerId id;
    final List<OwnedKey> own = new ArrayList<>();
    final Set<Name> ownNs = new TreeSet<>();
    boolean answering = true;
    Set<DnsKey> dnskey = new TreeSet<>();
    Signing signing = Signing.of(Set.of(), Set.of());
    Set<DsRecord> cds = new TreeSet<>();
    Set<DnsKey> cdnskey = new TreeSet<>();
    Set<Name> ns = new TreeSet<>();
    boolean csync;
    Instant answeringSince = T0.minus(Duration.ofDays(30));
    Instant dnskeySince = answeringSince;
    Instant signingSince = answeringSince;
    Instant cdsSince = answeringSince;
    Instant nsSince = answeringSince;
    Instant csyncSince = answeringSince;

    Signer(SignerId id) {
      this.id = id;
    }

    SignerSnapshot snapshot() {
      return new SignerSnapshot(id, EnumSet.allOf(Capability.class), own, ownNs,
          new Observed<>(answering, Duration.ZERO, answeringSince),
          Observed.of(Set.copyOf(dnskey), TTL, dnskeySince),
          new Observed<>(signing, Duration.ofSeconds(TTL), signingSince),
          Observed.of(Set.copyOf(cds), TTL, cdsSince),
          Observed.of(Set.copyOf(cdnskey), TTL, cdsSince),
          Observed.of(Set.copyOf(ns), TTL, nsSince),
          Observed.of(csync, TTL, csyncSince),
          Duration.ofSeconds(TTL));
    }
  }

  private MultiSignerJoin(Name zone, ParentPolicy policy) {
    this.zone = Objects.requireNonNull(zone, "zone");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

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
    MultiSignerJoin world = new MultiSignerJoin(zone, policy);
    Random random = new Random(8901); // deterministic key material: the run is reproducible
    Signer alpha = world.addSigner("alpha", random);
    world.addSigner("bravo", random);
    // alpha alone is the group: its KSK's DS and its NS are at the parent
    for (OwnedKey k : alpha.own) {
      if (k.role().isSep()) {
        world.parentDs.add(DsRecord.of(zone, k.key(), DsRecord.SHA256));
      }
    }
    world.parentNs.addAll(alpha.ownNs);
    return world.drive(Planner.create(), Intent.group(SignerId.of("alpha"), SignerId.of("bravo")));
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
  static String summary(Outcome o) {
    String end = o.last() instanceof Plan.Done done ? "done (" + done.summary() + ")"
        : "stopped: " + o.last();
    return end + " after " + o.plans() + " plans and " + human(o.elapsed()) + " simulated; "
        + "glitch checker: " + (o.report().glitchFree() ? "no cache combination fails ("
        + o.report() + ")" : o.report());
  }

  private Signer addSigner(String label, Random random) {
    Signer s = new Signer(SignerId.of(label));
    DnsKey ksk = DnsKey.of(KeyRole.KSK, 13, randomKey(random));
    DnsKey zsk = DnsKey.of(KeyRole.ZSK, 13, randomKey(random));
    s.own.add(OwnedKey.of(ksk, KeyRole.KSK));
    s.own.add(OwnedKey.of(zsk, KeyRole.ZSK));
    s.signing = Signing.of(Set.of(zsk), Set.of(ksk));
    s.dnskey.add(ksk);
    s.dnskey.add(zsk);
    s.ownNs.add(Name.fromConstantString("ns1." + label + ".example."));
    s.ownNs.add(Name.fromConstantString("ns2." + label + ".example."));
    s.ns.addAll(s.ownNs);
    signers.put(s.id, s);
    return s;
  }

  private static byte[] randomKey(Random random) {
    byte[] key = new byte[64]; // the size of an ECDSA P-256 public key
    random.nextBytes(key);
    return key;
  }

  private ZoneSnapshot snapshot() {
    List<SignerSnapshot> views = new ArrayList<>();
    for (Signer s : signers.values()) {
      views.add(s.snapshot());
    }
    ParentServerView parent = new ParentServerView("parent",
        Observed.of(Set.copyOf(parentDs), TTL, parentDsSince),
        Observed.of(Set.copyOf(parentNs), TTL, parentNsSince));
    return new ZoneSnapshot(zone, views, ParentSnapshot.of(parent), Duration.ofSeconds(5));
  }

  private void record() {
    // the initial state has been served for long: any of its versions may be cached
    Instant at = timeline.isEmpty() ? now.minus(Duration.ofDays(30)) : now;
    timeline.add(new TimedState(at, snapshot()));
  }

  private Outcome drive(Planner planner, Intent intent) {
    record();
    List<String> log = new ArrayList<>();
    Plan first = null;
    Plan plan = null;
    int rounds = 0;
    while (rounds < MAX_ROUNDS) {
      plan = planner.plan(snapshot(), intent, policy, now);
      rounds++;
      if (first == null) {
        first = plan;
      }
      if (plan instanceof Plan.Act act) {
        for (PlannedStep step : act.steps()) {
          log.add(line(step.draftStep().isEmpty() ? "(zonecut)" : step.draftStep(),
              describe(step.step())));
          apply(step.step());
        }
      } else if (plan instanceof Plan.WaitUntil wait) {
        log.add(line("wait", wait.kind() + " until +" + human(Duration.between(T0, wait.until()))));
        advanceTo(wait.until());
      } else if (plan instanceof Plan.AwaitChange await) {
        Instant next = pendingDsAt.isBefore(pendingNsAt) ? pendingDsAt : pendingNsAt;
        log.add(line("await", "the parent: " + await.reason()));
        if (next.equals(Instant.MAX)) {
          break; // nothing pending at the parent: the world cannot make progress
        }
        advanceTo(next);
      } else {
        break;
      }
    }
    Objects.requireNonNull(plan, "at least one plan");
    return new Outcome(Objects.requireNonNull(first), plan, log, rounds,
        Duration.between(T0, now), GlitchChecker.check(timeline));
  }

  private String line(String ref, String text) {
    return String.format("+%-7s %-16s %s", human(Duration.between(T0, now)), ref, text);
  }

  private static String human(Duration d) {
    long minutes = d.toMinutes();
    return minutes % 60 == 0 ? minutes / 60 + "h" : minutes / 60 + "h" + minutes % 60 + "m";
  }

  /** Executes one step at once on the signer it names. */
  private void apply(Step step) {
    Signer s = signers.get(step.signer());
    if (s == null) {
      throw new IllegalStateException("the plan names an unknown signer " + step.signer());
    }
    if (step instanceof Step.AddDnskeys add) {
      if (s.dnskey.addAll(add.keys())) {
        s.dnskeySince = now;
      }
    } else if (step instanceof Step.RemoveDnskeys remove) {
      if (s.dnskey.removeAll(remove.keys())) {
        s.dnskeySince = now;
      }
    } else if (step instanceof Step.SetSigning set) {
      if (!s.signing.equals(set.signing())) {
        s.signing = set.signing();
        s.signingSince = now;
      }
    } else if (step instanceof Step.SetCds set) {
      if (!s.cds.equals(set.cds()) || !s.cdnskey.equals(set.cdnskey())) {
        s.cds = new TreeSet<>(set.cds());
        s.cdnskey = new TreeSet<>(set.cdnskey());
        s.cdsSince = now;
      }
    } else if (step instanceof Step.SetNs set) {
      if (!s.ns.equals(set.ns())) {
        s.ns = new TreeSet<>(set.ns());
        s.nsSince = now;
      }
    } else if (step instanceof Step.SetCsync set) {
      if (s.csync != set.present()) {
        s.csync = set.present();
        s.csyncSince = now;
      }
    } else if (step instanceof Step.StopServing) {
      if (s.answering) {
        s.answering = false;
        s.answeringSince = now;
      }
    } else {
      // a join generates and deletes no keys; a host would call its signer's key management
      throw new IllegalStateException("this example does not execute " + step);
    }
    record();
    parentScan();
  }

  /**
   * The parent's scanner: acts on CDS/CDNSKEY (RFC 7344, RFC 8078) and CSYNC (RFC 7477) only when
   * every delegated signer serves the same signal, {@link #PARENT_DELAY} after it appeared.
   */
  private void parentScan() {
    List<Signer> delegated = signers.values().stream()
        .filter(s -> s.answering && s.ownNs.stream().anyMatch(parentNs::contains))
        .collect(Collectors.toList());
    if (delegated.isEmpty()) {
      return;
    }
    Signer first = delegated.get(0);
    boolean sameCds = delegated.stream()
        .allMatch(s -> s.cds.equals(first.cds) && s.cdnskey.equals(first.cdnskey));
    Set<DsRecord> ds = new TreeSet<>();
    if (sameCds && policy.consumesCds() && !first.cds.isEmpty()) {
      first.cds.stream().filter(d -> policy.acceptedDigestTypes().contains(d.digestType()))
          .forEach(ds::add);
    } else if (sameCds && policy.consumesCdnskey()) {
      first.cdnskey.forEach(k -> ds.add(DsRecord.of(zone, k, policy.publishedDigestType())));
    }
    Set<DsRecord> nextDs = ds.isEmpty() || ds.equals(parentDs) ? null : ds;
    if (!Objects.equals(nextDs, pendingDs)) {
      pendingDs = nextDs;
      pendingDsAt = nextDs == null ? Instant.MAX : now.plus(PARENT_DELAY);
    }
    boolean csyncEverywhere = policy.processesCsync()
        && delegated.stream().allMatch(s -> s.csync && s.ns.equals(first.ns));
    Set<Name> nextNs = csyncEverywhere && !first.ns.equals(parentNs) ? new TreeSet<>(first.ns)
        : null;
    if (!Objects.equals(nextNs, pendingNs)) {
      pendingNs = nextNs;
      pendingNsAt = nextNs == null ? Instant.MAX : now.plus(PARENT_DELAY);
    }
  }

  /** Advances the clock to {@code t}, publishing the parent changes that fall due on the way. */
  private void advanceTo(Instant t) {
    while (true) {
      Instant next = pendingDsAt.isBefore(pendingNsAt) ? pendingDsAt : pendingNsAt;
      if (next.isAfter(t)) {
        break;
      }
      now = next.isAfter(now) ? next : now;
      if (pendingDs != null && !pendingDsAt.isAfter(now)) {
        parentDs = pendingDs;
        parentDsSince = now;
        pendingDs = null;
        pendingDsAt = Instant.MAX;
      }
      if (pendingNs != null && !pendingNsAt.isAfter(now)) {
        parentNs = pendingNs;
        parentNsSince = now;
        pendingNs = null;
        pendingNsAt = Instant.MAX;
      }
      record();
      parentScan();
    }
    now = t.isAfter(now) ? t : now;
  }

  /** A step in a few words, keys by tag and role. */
  static String describe(Step step) {
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
    return step.toString();
  }

  private static String tags(Set<DnsKey> keys) {
    return keys.stream().map(k -> k.keyTag() + (k.isSep() ? " KSK" : " ZSK")).sorted()
        .collect(Collectors.joining(", ", "{", "}"));
  }
}
