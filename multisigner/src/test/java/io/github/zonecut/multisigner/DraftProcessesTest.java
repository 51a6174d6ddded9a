package io.github.zonecut.multisigner;

import io.github.zonecut.core.DnsKeyData;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every step list of draft-ietf-dnsop-dnssec-automation-04 §5, run to completion in the simulated
 * world and proven glitch-free by the checker.
 */
class DraftProcessesTest {

  private final Planner planner = Planner.create();

  private static String trace(Simulation.Result run) {
    return run.plans().stream().map(Object::toString).collect(Collectors.joining("\n"));
  }

  private static void assertDoneAndClean(Simulation w, Simulation.Result run) {
    assertThat(run.last()).as(trace(run)).isInstanceOf(Plan.Done.class);
    GlitchReport report = GlitchChecker.check(w.timeline);
    assertThat(report.glitchFree()).as(report + "\n" + trace(run)).isTrue();
  }

  private static boolean mentions(Simulation.Result run, String ref) {
    return run.draftSteps().stream().anyMatch(r -> r.contains(ref));
  }

  @Test
  void joinFollowsSection53() {
    Simulation w = new Simulation(1);
    Simulation.Sig a = w.addSigner("alpha", 13, false, 3600, 3600, 3600);
    Simulation.Sig b = w.addSigner("bravo", 13, false, 7200, 600, 86400);
    w.formGroup(List.of(a));
    Simulation.Result run = w.drive(planner, Intent.group(a.id, b.id), 60, 200);
    assertDoneAndClean(w, run);
    for (String step : List.of("§5.3 step 3", "§5.3 steps 4-5", "§5.3 step 7", "§5.3 step 8",
        "§5.3 steps 9-10", "§5.3 step 11", "§5.3 step 13")) {
      assertThat(mentions(run, step)).as(step + " in " + run.draftSteps()).isTrue();
    }
    assertThat(w.parent.ns).containsAll(b.ownNs).containsAll(a.ownNs);
    assertThat(a.dnskey).contains(b.own.get(1).key()).doesNotContain(b.own.get(0).key());
    assertThat(a.cds).isEmpty();
    assertThat(a.csync).isFalse();
  }

  @Test
  void leaveFollowsSection54() {
    Simulation w = new Simulation(2);
    Simulation.Sig a = w.addSigner("alpha", 13, false, 3600, 3600, 3600);
    Simulation.Sig b = w.addSigner("bravo", 13, true, 600, 7200, 1800);
    w.formGroup(List.of(a, b));
    Simulation.Result run = w.drive(planner, Intent.group(a.id), 60, 200);
    assertDoneAndClean(w, run);
    for (String step : List.of("§5.4 step 1", "§5.4 step 2", "§5.4 step 4", "§5.4 step 5",
        "§5.4 step 6", "§5.4 steps 7-8", "§5.4 step 9", "§5.4 step 11")) {
      assertThat(mentions(run, step)).as(step + " in " + run.draftSteps()).isTrue();
    }
    assertThat(b.answering).isFalse();
    assertThat(w.parent.ns).isEqualTo(a.ownNs);
    assertThat(a.dnskey).containsExactlyInAnyOrderElementsOf(
        a.own.stream().map(OwnedKey::key).collect(Collectors.toSet()));
  }

  @Test
  void zskRolloverFollowsSection55() {
    Simulation w = new Simulation(3);
    Simulation.Sig a = w.addSigner("alpha", 13, false, 3600, 3600, 3600);
    Simulation.Sig b = w.addSigner("bravo", 13, false, 600, 7200, 1800);
    w.formGroup(List.of(a, b));
    var old = a.own.get(1).key();
    Simulation.Result run = w.drive(planner,
        Intent.group(a.id, b.id).withRollovers(new Rollover.Zsk(a.id, old)), 60, 200);
    assertDoneAndClean(w, run);
    for (String step : List.of("§5.5 step 1", "§5.5 step 2", "§5.5 step 3", "§5.5 step 4",
        "§5.5 step 6")) {
      assertThat(mentions(run, step)).as(step + " in " + run.draftSteps()).isTrue();
    }
    assertThat(b.dnskey).doesNotContain(old);
    assertThat(a.own).extracting(OwnedKey::key).doesNotContain(old).hasSize(2);
  }

  @Test
  void kskRolloverFollowsSection56() {
    Simulation w = new Simulation(4);
    Simulation.Sig a = w.addSigner("alpha", 13, false, 3600, 3600, 3600);
    Simulation.Sig b = w.addSigner("bravo", 13, false, 600, 7200, 1800);
    w.formGroup(List.of(a, b));
    var old = a.own.get(0).key();
    Simulation.Result run = w.drive(planner,
        Intent.group(a.id, b.id).withRollovers(new Rollover.Sep(a.id, old)), 60, 200);
    assertDoneAndClean(w, run);
    for (String step : List.of("§5.6 step 1", "§5.6 step 3", "§5.6 step 4", "§5.6 step 6",
        "§5.6 steps 7-8", "§5.6 step 9", "§5.6 step 11")) {
      assertThat(mentions(run, step)).as(step + " in " + run.draftSteps()).isTrue();
    }
    assertThat(b.dnskey).noneMatch(k -> k.isSep() && a.own.stream().anyMatch(o -> o.key().equals(k)));
    assertThat(w.parent.ds).hasSize(2).noneMatch(d -> d.matches(Simulation.ZONE, old));
  }

  @Test
  void cskRolloverFollowsSection56() {
    Simulation w = new Simulation(5);
    Simulation.Sig a = w.addSigner("alpha", 13, true, 3600, 3600, 3600);
    Simulation.Sig b = w.addSigner("bravo", 13, false, 600, 7200, 1800);
    w.formGroup(List.of(a, b));
    var old = a.own.get(0).key();
    Simulation.Result run = w.drive(planner,
        Intent.group(a.id, b.id).withRollovers(new Rollover.Sep(a.id, old)), 60, 200);
    assertDoneAndClean(w, run);
    for (String step : List.of("§5.6 step 1", "§5.6 step 2", "§5.6 step 3", "§5.6 step 4",
        "§5.6 steps 7-8", "§5.6 step 9", "§5.6 step 11")) {
      assertThat(mentions(run, step)).as(step + " in " + run.draftSteps()).isTrue();
    }
    assertThat(b.dnskey).doesNotContain(old);
  }

  @Test
  void algorithmRolloverFollowsSection57() {
    Simulation w = new Simulation(6);
    Simulation.Sig a = w.addSigner("alpha", 13, true, 3600, 3600, 3600);
    Simulation.Sig b = w.addSigner("bravo", 13, false, 600, 7200, 1800);
    w.formGroup(List.of(a, b));
    Simulation.Result run = w.drive(planner,
        Intent.group(a.id, b.id).withRollovers(new Rollover.Algorithm(13, 15)), 60, 300);
    assertDoneAndClean(w, run);
    for (String step : List.of("§5.7 step 1", "§5.7 step 2", "§5.7 step 4", "§5.7 step 5",
        "§5.7 step 8", "§5.7 step 9", "§5.7 step 11")) {
      assertThat(mentions(run, step)).as(step + " in " + run.draftSteps()).isTrue();
    }
    // issue 12 item 7: no step or wait of the algorithm rollover is labelled as a KSK/CSK rollover
    assertThat(run.draftSteps()).as(run.draftSteps().toString()).noneMatch(r -> r.contains("§5.6"));
    Set<Integer> algs = a.dnskey.stream().map(DnsKeyData::algorithm).collect(Collectors.toSet());
    assertThat(algs).containsExactly(15);
    assertThat(w.parent.ds).allMatch(d -> d.algorithm() == 15);
  }

  @Test
  void aZskRolloverRequestedMidJoinCompletesBoth() {
    Simulation w = new Simulation(7);
    Simulation.Sig a = w.addSigner("alpha", 13, false, 3600, 3600, 3600);
    Simulation.Sig b = w.addSigner("bravo", 13, false, 600, 600, 600);
    w.formGroup(List.of(a));
    Intent join = Intent.group(a.id, b.id);
    Simulation.Result first = w.drive(planner, join, 30, 2); // DNSKEY sync and CDS published
    assertThat(first.last()).isNotInstanceOf(Plan.Refused.class);
    var old = a.own.get(1).key();
    Simulation.Result rest = w.drive(planner, join.withRollovers(new Rollover.Zsk(a.id, old)), 30, 200);
    assertDoneAndClean(w, rest);
    // the joiner received alpha's new ZSK before it was admitted, and never the old one again
    assertThat(b.dnskey).doesNotContain(old).contains(a.own.get(a.own.size() - 1).key());
    assertThat(w.parent.ns).containsAll(b.ownNs);
  }
}
