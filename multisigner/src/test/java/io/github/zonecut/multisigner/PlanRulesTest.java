package io.github.zonecut.multisigner;

import io.github.zonecut.core.DnsKeyData;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Each planner rule on its own: facts in, decisions (steps, waits, refusals) out. */
class PlanRulesTest {

  private static final SignerId ALPHA = SignerId.of("alpha");
  private static final SignerId BRAVO = SignerId.of("bravo");
  private static final Instant LONG_AGO = Simulation.T0.minus(Duration.ofDays(30));

  private static PlanFacts facts(Simulation w, Intent intent) {
    return PlanFacts.of(w.snapshot(), intent, w.policy, w.now, PlannerConfig.DEFAULT);
  }

  private static Plan plan(Decisions d, Simulation w, PlanFacts f) {
    return Decisions.merge(List.of(d), w.snapshot(), f.waits, w.now, "done");
  }

  private static List<PlannedStep> steps(Decisions d, Simulation w, PlanFacts f) {
    Plan p = plan(d, w, f);
    return p instanceof Plan.Act a ? a.steps() : List.of();
  }

  private static Simulation join() {
    Simulation w = new Simulation(21);
    Simulation.Sig a = w.addSigner("alpha", 13, false, 3600, 3600, 3600);
    w.addSigner("bravo", 13, false, 3600, 3600, 3600);
    w.formGroup(List.of(a));
    return w;
  }

  private static Simulation pair() {
    Simulation w = new Simulation(22);
    Simulation.Sig a = w.addSigner("alpha", 13, false, 3600, 3600, 3600);
    Simulation.Sig b = w.addSigner("bravo", 13, false, 3600, 3600, 3600);
    w.formGroup(List.of(a, b));
    return w;
  }

  @Test
  void refusalsAreValuesOfTheFacts() {
    PlanFacts f = facts(join(), new Intent(Set.of(), List.of(), GroupPolicy.AUTOMATED, false));
    assertThat(f.refusal()).isEqualTo(new Refusal.LastSignerRemoval());
    assertThat(facts(join(), Intent.group(ALPHA, BRAVO)).refusal()).isNull();
  }

  @Test
  void dnskeyRuleSynchronisesZoneSigningKeysOnAJoin() {
    Simulation w = join();
    PlanFacts f = facts(w, Intent.group(ALPHA, BRAVO));
    List<PlannedStep> steps = steps(DnskeyRule.decide(f), w, f);
    assertThat(steps).hasSize(2).allSatisfy(p -> {
      assertThat(p.step()).isInstanceOf(Step.AddDnskeys.class);
      assertThat(p.draftStep()).isEqualTo("§5.3 step 3");
    });
    // KSKs are not copied: each receives the other's ZSK only
    Step.AddDnskeys toAlpha = (Step.AddDnskeys) steps.get(0).step();
    assertThat(toAlpha.keys()).containsExactly(w.signers.get(BRAVO).own.get(1).key());
    assertThat(f.pendingAdditions()).isTrue();
  }

  @Test
  void dsRuleWaitsForDnskeySynchronisationThenPublishesCdsEverywhere() {
    Simulation w = join();
    PlanFacts before = facts(w, Intent.group(ALPHA, BRAVO));
    assertThat(steps(DsRule.decide(before), w, before)).isEmpty(); // §5.3 step 3 before 4
    Simulation.Sig a = w.signers.get(ALPHA);
    Simulation.Sig b = w.signers.get(BRAVO);
    a.dnskey.add(b.own.get(1).key());
    b.dnskey.add(a.own.get(1).key());
    PlanFacts f = facts(w, Intent.group(ALPHA, BRAVO));
    List<PlannedStep> steps = steps(DsRule.decide(f), w, f);
    assertThat(steps).hasSize(2).allSatisfy(p -> {
      assertThat(p.step()).isInstanceOf(Step.SetCds.class);
      assertThat(p.draftStep()).isEqualTo("§5.3 steps 4-5");
    });
    assertThat(f.desiredDs().value()).containsExactlyInAnyOrder(a.own.get(0).key(), b.own.get(0).key());
    // the joiner's NS waits for its DS at the parent (§5.3 step 8)
    assertThat(steps(NsRule.decide(f), w, f)).isEmpty();
  }

  @Test
  void retirementRuleGeneratesASuccessorFirst() {
    Simulation w = pair();
    DnsKeyData zsk = w.signers.get(ALPHA).own.get(1).key();
    PlanFacts f = facts(w, Intent.group(ALPHA, BRAVO).withRollovers(new Rollover.Zsk(ALPHA, zsk)));
    assertThat(steps(RetirementRule.successors(f), w, f)).singleElement().satisfies(p -> {
      assertThat(p.step()).isEqualTo(new Step.GenerateKey(ALPHA, KeyRole.ZSK, 13, Set.of(zsk)));
      assertThat(p.draftStep()).isEqualTo("§5.5 step 1");
    });
    assertThat(f.phase(zsk)).isEqualTo(PlanFacts.KeyPhase.ACTIVE);
    assertThat(steps(RetirementRule.deletions(f), w, f)).isEmpty();
  }

  @Test
  void signingRuleWaitsDnskeyWaitTimeBeforeANewZskSigns() {
    Simulation w = pair();
    Simulation.Sig a = w.signers.get(ALPHA);
    DnsKeyData old = a.own.get(1).key();
    DnsKeyData next = w.newKey(ALPHA, KeyRole.ZSK, 13);
    a.own.add(OwnedKey.of(next, KeyRole.ZSK));
    a.dnskey.add(next);
    w.signers.get(BRAVO).dnskey.add(next);
    a.dnskeySince = w.now;
    w.signers.get(BRAVO).dnskeySince = w.now;
    PlanFacts f = facts(w, Intent.group(ALPHA, BRAVO).withRollovers(new Rollover.Zsk(ALPHA, old)));
    assertThat(f.phase(next)).isEqualTo(PlanFacts.KeyPhase.PUBLISHED);
    Plan p = plan(SigningRule.decide(f), w, f);
    assertThat(p).isInstanceOfSatisfying(Plan.WaitUntil.class, wait -> {
      assertThat(wait.kind()).isEqualTo(WaitKind.DNSKEY_WAIT);
      assertThat(wait.until()).isEqualTo(f.waits.dnskey());
      assertThat(wait.reason()).contains("§5.5 step 3");
    });
    // after DNSKEY-Wait-Time the new key signs and the old one stops
    w.now = f.waits.dnskey();
    PlanFacts later = facts(w, Intent.group(ALPHA, BRAVO).withRollovers(new Rollover.Zsk(ALPHA, old)));
    assertThat(steps(SigningRule.decide(later), w, later)).singleElement().satisfies(s -> {
      assertThat(s.draftStep()).isEqualTo("§5.5 step 4");
      assertThat(((Step.SetSigning) s.step()).signing().zoneKeys()).containsExactly(next);
    });
  }

  @Test
  void dnskeyRuleRemovesARetiredZskOnlyAfterTheSignatureWait() {
    Simulation w = pair();
    Simulation.Sig a = w.signers.get(ALPHA);
    DnsKeyData old = a.own.get(1).key();
    DnsKeyData next = w.newKey(ALPHA, KeyRole.ZSK, 13);
    a.own.add(OwnedKey.of(next, KeyRole.ZSK));
    a.dnskey.add(next);
    w.signers.get(BRAVO).dnskey.add(next);
    a.signing = Signing.of(Set.of(next), Set.of(a.own.get(0).key()));
    a.signingSince = w.now;
    Intent intent = Intent.group(ALPHA, BRAVO).withRollovers(new Rollover.Zsk(ALPHA, old));
    PlanFacts f = facts(w, intent);
    assertThat(f.phase(old)).isEqualTo(PlanFacts.KeyPhase.RETIRED);
    assertThat(plan(DnskeyRule.decide(f), w, f)).isInstanceOfSatisfying(Plan.WaitUntil.class,
        wait -> assertThat(wait.kind()).isEqualTo(WaitKind.SIGNATURE_WAIT));
    w.now = w.now.plus(Duration.ofDays(1));
    PlanFacts later = facts(w, intent);
    List<PlannedStep> steps = steps(DnskeyRule.decide(later), w, later);
    assertThat(steps).hasSize(2).allSatisfy(p -> {
      assertThat(p.step()).isInstanceOf(Step.RemoveDnskeys.class);
      assertThat(p.draftStep()).isEqualTo("§5.5 step 6");
    });
  }

  @Test
  void servingRuleStopsALeaverOnceNoNsPointsAtItForNsWaitTime() {
    Simulation w = pair();
    Simulation.Sig a = w.signers.get(ALPHA);
    Simulation.Sig b = w.signers.get(BRAVO);
    Set<org.xbill.DNS.Name> alphaOnly = new TreeSet<>(a.ownNs);
    a.ns = new TreeSet<>(alphaOnly);
    b.ns = new TreeSet<>(alphaOnly);
    w.parent.ns = new TreeSet<>(alphaOnly);
    a.nsSince = w.now;
    PlanFacts f = facts(w, Intent.group(ALPHA));
    assertThat(plan(ServingRule.decide(f), w, f)).isInstanceOfSatisfying(Plan.WaitUntil.class, wait -> {
      assertThat(wait.kind()).isEqualTo(WaitKind.NS_WAIT);
      assertThat(wait.reason()).contains("§5.4 step 5");
    });
    a.nsSince = LONG_AGO;
    PlanFacts later = facts(w, Intent.group(ALPHA));
    assertThat(steps(ServingRule.decide(later), w, later)).singleElement().satisfies(p -> {
      assertThat(p.step()).isEqualTo(new Step.StopServing(BRAVO));
      assertThat(p.draftStep()).isEqualTo("§5.4 step 6");
    });
  }

  @Test
  void theEarliestWaitOfAllRulesWinsAndStepsBeatWaits() {
    Simulation w = pair();
    PlanFacts f = facts(w, Intent.group(ALPHA, BRAVO));
    Decisions early = new Decisions();
    Decisions late = new Decisions();
    early.waitFor(new Decisions.Wait(w.now.plusSeconds(10), WaitKind.DS_WAIT, "§5.6 step 6", () -> "a"), w.now);
    late.waitFor(new Decisions.Wait(w.now.plusSeconds(20), WaitKind.NS_WAIT, "", () -> "b"), w.now);
    late.waitFor(new Decisions.Wait(w.now, WaitKind.NS_WAIT, "", () -> "past"), w.now); // ignored
    Plan p = Decisions.merge(List.of(late, early), w.snapshot(), f.waits, w.now, "done");
    assertThat(p).isEqualTo(new Plan.WaitUntil(w.now.plusSeconds(10), WaitKind.DS_WAIT, "a (§5.6 step 6)"));
    early.step(new Step.SetCsync(ALPHA, false), List.of(), "x", "");
    assertThat(Decisions.merge(List.of(late, early), w.snapshot(), f.waits, w.now, "done"))
        .isInstanceOf(Plan.Act.class);
  }
}
