package io.github.zonecut.multisigner;

import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.core.DsData;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Refusals, policies, ownership rules and restart safety of the planner. */
class PlannerTest {

  private final Planner planner = Planner.create();

  private static Simulation joinWorld(long seed, int joinerAlgorithm) {
    Simulation w = new Simulation(seed);
    Simulation.Sig a = w.addSigner("alpha", 13, false, 3600, 3600, 3600);
    w.addSigner("bravo", joinerAlgorithm, true, 3600, 3600, 3600);
    w.formGroup(List.of(a));
    return w;
  }

  private static final SignerId ALPHA = SignerId.of("alpha");
  private static final SignerId BRAVO = SignerId.of("bravo");

  private Plan planOnce(Simulation w, Intent intent) {
    return planner.plan(w.snapshot(), intent, w.policy, w.now);
  }

  @Test
  void refusesToRemoveTheLastSigner() {
    Simulation w = joinWorld(1, 13);
    Plan p = planOnce(w, new Intent(Set.of(), List.of(), GroupPolicy.AUTOMATED, false));
    assertThat(p).isEqualTo(new Plan.Refused(new Refusal.LastSignerRemoval()));
    assertThat(((Plan.Refused) p).refusal().message()).contains("last signer");
  }

  @Test
  void refusesAnUnknownSigner() {
    Simulation w = joinWorld(2, 13);
    Plan p = planOnce(w, Intent.group(ALPHA, SignerId.of("charlie")));
    assertThat(p).isEqualTo(new Plan.Refused(new Refusal.UnknownSigner(SignerId.of("charlie"))));
  }

  @Test
  void refusesMixedAlgorithmsUnlessExplicitlyAllowed() {
    Simulation w = joinWorld(3, 15);
    Plan p = planOnce(w, Intent.group(ALPHA, BRAVO));
    assertThat(p).isInstanceOf(Plan.Refused.class);
    Refusal r = ((Plan.Refused) p).refusal();
    assertThat(r).isEqualTo(new Refusal.MixedAlgorithms(Map.of(ALPHA, Set.of(13), BRAVO, Set.of(15))));
    assertThat(r.message()).contains("RFC 4035");

    Simulation.Result run = w.drive(planner, Intent.group(ALPHA, BRAVO).allowingMixedAlgorithmsAtOwnRisk(), 30, 200);
    assertThat(run.last()).isInstanceOf(Plan.Done.class);
    // draft §6: validators supporting both algorithms are fine, RFC 6840 §5.11 ...
    assertThat(GlitchChecker.check(w.timeline, ResolverModel.permissive()).glitchFree()).isTrue();
    // ... but one supporting a single algorithm, or hardened against downgrade, is not: the risk
    // the caller took
    assertThat(GlitchChecker.check(w.timeline).glitchFree()).isFalse();
  }

  @Test
  void refusesAJoinerWithoutTheDraftCapabilities() {
    Simulation w = joinWorld(4, 13);
    w.signers.get(BRAVO).caps = EnumSet.complementOf(EnumSet.of(Capability.ADD_CDS));
    Plan p = planOnce(w, Intent.group(ALPHA, BRAVO));
    assertThat(p).isInstanceOf(Plan.Refused.class);
    assertThat(((Plan.Refused) p).refusal())
        .isInstanceOfSatisfying(Refusal.MissingCapability.class, m -> {
          assertThat(m.signer()).isEqualTo(BRAVO);
          assertThat(m.capability()).isEqualTo(Capability.ADD_CDS);
        });
    assertThat(w.timeline).isEmpty(); // nothing was changed
  }

  @Test
  void refusesAStepTheSignerCannotPerform() {
    Simulation w = new Simulation(5);
    Simulation.Sig a = w.addSigner("alpha", 13, false, 3600, 3600, 3600);
    Simulation.Sig b = w.addSigner("bravo", 13, false, 3600, 3600, 3600);
    w.formGroup(List.of(a, b));
    b.caps = EnumSet.complementOf(EnumSet.of(Capability.STOP_SERVING));
    Simulation.Result run = w.drive(planner, Intent.group(ALPHA), 10, 100);
    assertThat(run.last()).isInstanceOfSatisfying(Plan.Refused.class, r ->
        assertThat(r.refusal()).isEqualTo(new Refusal.MissingCapability(BRAVO, Capability.STOP_SERVING,
            ((Refusal.MissingCapability) r.refusal()).neededFor())));
    assertThat(b.answering).isTrue();
  }

  @Test
  void refusesARolloverOfALeavingSigner() {
    Simulation w = new Simulation(6);
    Simulation.Sig a = w.addSigner("alpha", 13, false, 3600, 3600, 3600);
    Simulation.Sig b = w.addSigner("bravo", 13, false, 3600, 3600, 3600);
    w.formGroup(List.of(a, b));
    Plan p = planOnce(w, Intent.group(ALPHA).withRollovers(new Rollover.Zsk(BRAVO, b.own.get(1).key())));
    assertThat(p).isEqualTo(new Plan.Refused(new Refusal.RolloverOfLeavingSigner(BRAVO)));
  }

  @Test
  void refusesAJoinerThatDoesNotServeTheZone() {
    Simulation w = joinWorld(7, 13);
    w.signers.get(BRAVO).answering = false;
    Plan p = planOnce(w, Intent.group(ALPHA, BRAVO));
    assertThat(((Plan.Refused) p).refusal()).isInstanceOf(Refusal.SignerNotReady.class);
  }

  @Test
  void refusesAKeyNoSignerClaimsRatherThanDeletingIt() {
    Simulation w = joinWorld(8, 13);
    DnsKeyData foreign = w.newKey(SignerId.of("ghost"), KeyRole.ZSK, 13);
    w.signers.get(ALPHA).dnskey.add(foreign);
    Plan p = planOnce(w, Intent.group(ALPHA, BRAVO));
    assertThat(p).isEqualTo(new Plan.Refused(new Refusal.UnattributedKey(ALPHA, foreign)));
  }

  @Test
  void keyTagModuloOwnershipRemovesKeysOfAbsentSignersAndChecksClasses() {
    Simulation w = new Simulation(9);
    KeyOwnership.KeyTagModulo m =
        new KeyOwnership.KeyTagModulo(4, Map.of(ALPHA, 0, BRAVO, 1, SignerId.of("ghost"), 3));
    w.modulo = m;
    Simulation.Sig a = w.addSigner("alpha", 13, false, 3600, 3600, 3600);
    w.addSigner("bravo", 13, false, 3600, 3600, 3600);
    w.formGroup(List.of(a));
    DnsKeyData stale = w.newKey(SignerId.of("ghost"), KeyRole.ZSK, 13);
    a.dnskey.add(stale);
    Planner modulo = Planner.create(PlannerConfig.DEFAULT.withOwnership(m));
    Simulation.Result run = w.drive(modulo, Intent.group(ALPHA, BRAVO), 30, 200);
    assertThat(run.last()).isInstanceOf(Plan.Done.class);
    assertThat(a.dnskey).doesNotContain(stale);
    assertThat(GlitchChecker.check(w.timeline).glitchFree()).isTrue();

    // a key outside its owner's class is refused
    DnsKeyData wrong;
    do {
      wrong = w.newKey(SignerId.of("nobody"), KeyRole.ZSK, 13);
    } while (wrong.keyTag() % 4 == 0);
    a.own.add(OwnedKey.of(wrong, KeyRole.ZSK));
    Plan p = modulo.plan(w.snapshot(), Intent.group(ALPHA, BRAVO), w.policy, w.now);
    assertThat(((Plan.Refused) p).refusal()).isEqualTo(new Refusal.KeyTagOwnership(ALPHA, wrong, 0, 4));
  }

  @Test
  void theSameSnapshotGivesTheSamePlan() {
    Simulation w = joinWorld(10, 13);
    Intent intent = Intent.group(ALPHA, BRAVO);
    for (int i = 0; i < 12; i++) {
      ZoneSnapshot snap = w.snapshot();
      Plan first = planner.plan(snap, intent, w.policy, w.now);
      Plan again = Planner.create().plan(snap, intent, w.policy, w.now);
      assertThat(again).isEqualTo(first);
      if (first instanceof Plan.Act act) {
        for (PlannedStep s : act.steps()) {
          w.apply(s.step());
          w.apply(s.step()); // steps are idempotent
        }
        ZoneSnapshot after = w.snapshot();
        for (PlannedStep s : act.steps()) {
          assertThat(s.postcondition().holds(after, w.now)).as(s.postcondition().describe()).isTrue();
        }
      } else if (first instanceof Plan.WaitUntil wait) {
        w.advanceTo(wait.until());
      } else if (first instanceof Plan.AwaitChange) {
        w.advanceTo(w.nextParentEvent());
      }
    }
  }

  @Test
  void aSilentParentEndsInATimeoutRefusal() {
    Simulation w = joinWorld(11, 13);
    w.policy = new ParentPolicy(List.of(DsData.SHA256), true, true, true, Duration.ofDays(2));
    w.parentSilent = true;
    Simulation.Result run = w.drive(planner, Intent.group(ALPHA, BRAVO), 10, 100);
    assertThat(run.last()).isInstanceOfSatisfying(Plan.AwaitChange.class, a -> {
      assertThat(a.awaited()).isInstanceOf(Condition.ParentDsCovers.class);
      w.advanceTo(a.deadline()); // at the deadline: still waiting
      assertThat(planOnce(w, Intent.group(ALPHA, BRAVO))).isInstanceOf(Plan.AwaitChange.class);
      w.advanceTo(a.deadline().plusSeconds(1));
    });
    Plan p = planOnce(w, Intent.group(ALPHA, BRAVO));
    assertThat(p).isInstanceOfSatisfying(Plan.Refused.class, r ->
        assertThat(r.refusal()).isInstanceOf(Refusal.ParentTimeout.class));
    assertThat(((Plan.Refused) p).refusal().message()).contains("parent has not acted");
  }

  @Test
  void ownerManagedNsAndParentSyncAreAwaitedNotPerformed() {
    Simulation w = joinWorld(12, 13);
    Intent intent = Intent.group(ALPHA, BRAVO)
        .withPolicy(new GroupPolicy(GroupPolicy.Actor.OWNER, GroupPolicy.Actor.OWNER));
    Simulation.Result run = w.drive(planner, intent, 10, 100);
    assertThat(run.last()).isInstanceOfSatisfying(Plan.AwaitChange.class, a -> {
      assertThat(a.awaited()).isInstanceOf(Condition.ParentDsCovers.class);
      assertThat(a.reason()).contains("zone owner");
    });
    assertThat(run.plans()).noneMatch(p -> p instanceof Plan.Act act
        && act.steps().stream().anyMatch(s -> s.step() instanceof Step.SetCds));
  }

  @Test
  void aParentPublishingOnlySomeDigestTypesCountsAsSynced() {
    // MUSIC demanded every CDS digest type at the parent (anchors §4.1 item 12)
    Simulation w = new Simulation(13);
    Simulation.Sig a = w.addSigner("alpha", 13, false, 3600, 3600, 3600);
    w.formGroup(List.of(a));
    w.parent.ds.add(DsData.compute(Simulation.ZONE, a.own.get(0).key(), DsData.SHA384));
    Plan p = planOnce(w, Intent.group(ALPHA));
    assertThat(p).isInstanceOf(Plan.Done.class);
    w.parent.ds.add(DsData.compute(Simulation.ZONE, w.newKey(ALPHA, KeyRole.KSK, 13), DsData.SHA256));
    Plan unknownDs = planOnce(w, Intent.group(ALPHA));
    assertThat(unknownDs).isInstanceOf(Plan.Act.class); // a DS for an unknown key is not "synced"
  }
}
