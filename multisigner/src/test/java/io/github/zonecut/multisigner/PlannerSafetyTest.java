package io.github.zonecut.multisigner;

import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.core.DsData;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The safety defects of issue 12, each caught by the {@link GlitchChecker}'s grown resolver
 * model or by a refusal: algorithm rollover order, TTL history, resolver TTL floors, negative
 * answers.
 */
class PlannerSafetyTest {

  private static String trace(Simulation.Result run) {
    return run.plans().stream().map(Object::toString).collect(Collectors.joining("\n"));
  }

  private static Simulation group(long seed, int alg, long dnskeyTtl, long dataTtl, long nsTtl) {
    Simulation w = new Simulation(seed);
    Simulation.Sig a = w.addSigner("alpha", alg, false, dnskeyTtl, dataTtl, nsTtl);
    Simulation.Sig b = w.addSigner("bravo", alg, true, dnskeyTtl, dataTtl, nsTtl);
    w.formGroup(List.of(a, b));
    return w;
  }

  // ---------------------------------------------------------------- defect 1

  private static void assertAlgorithmRollIsSafe(int from, int to, long seed) {
    Simulation w = group(seed, from, 3600, 3600, 3600);
    w.parent.dsTtl = 86_400; // a one-day DS TTL, as at many TLDs
    Simulation.Sig a = w.signers.get(SignerId.of("alpha"));
    Simulation.Sig b = w.signers.get(SignerId.of("bravo"));
    Simulation.Result run = w.drive(Planner.create(),
        Intent.group(a.id, b.id).withRollovers(new Rollover.Algorithm(from, to)), 60, 300);
    assertThat(run.last()).as(trace(run)).isInstanceOf(Plan.Done.class);
    for (ResolverModel.Validator v : List.of(ResolverModel.Validator.supporting(Set.of(from)),
        ResolverModel.Validator.supporting(Set.of(to)), ResolverModel.Validator.strict(),
        ResolverModel.Validator.lenient())) {
      GlitchReport r = GlitchChecker.check(w.timeline, new ResolverModel(List.of(v), Duration.ZERO));
      assertThat(r.glitchFree()).as(v + ": " + r + "\n" + trace(run)).isTrue();
    }
    assertThat(a.dnskey).allMatch(k -> k.algorithm() == to);
    assertThat(w.parent.ds).allMatch(d -> d.algorithm() == to);
  }

  @Test
  void algorithmRollover13To15IsSafeForSingleAlgorithmAndStrictValidators() {
    assertAlgorithmRollIsSafe(13, 15, 11);
  }

  @Test
  void algorithmRollover15To13IsSafeForSingleAlgorithmAndStrictValidators() {
    assertAlgorithmRollIsSafe(15, 13, 12);
  }

  @Test
  void algorithmRolloverFollowsRfc6781ConservativeOrder() {
    Simulation w = group(13, 13, 3600, 7200, 3600);
    Simulation.Sig a = w.signers.get(SignerId.of("alpha"));
    Simulation.Sig b = w.signers.get(SignerId.of("bravo"));
    w.drive(Planner.create(),
        Intent.group(a.id, b.id).withRollovers(new Rollover.Algorithm(13, 15)), 0, 300);
    // first instant of each event in the recorded timeline
    java.time.Instant sigs = null;
    java.time.Instant keys = null;
    java.time.Instant ds = null;
    java.time.Instant oldKeysGone = null;
    java.time.Instant oldSigsGone = null;
    for (TimedState ts : w.timeline) {
      ZoneSnapshot st = ts.state();
      boolean allSign15 = st.signers().stream().allMatch(v -> v.signing().value().zoneKeys()
          .stream().anyMatch(k -> k.algorithm() == 15));
      boolean any15Key = st.signers().stream().anyMatch(v -> v.dnskey().value().stream()
          .anyMatch(k -> k.algorithm() == 15));
      boolean ds15 = st.parent().servers().get(0).ds().value().stream().anyMatch(d -> d.algorithm() == 15);
      boolean no13Key = st.signers().stream().allMatch(v -> v.dnskey().value().stream()
          .noneMatch(k -> k.algorithm() == 13));
      boolean no13Sig = st.signers().stream().allMatch(v -> v.signing().value().zoneKeys()
          .stream().noneMatch(k -> k.algorithm() == 13));
      if (sigs == null && allSign15) {
        sigs = ts.at();
      }
      if (keys == null && any15Key) {
        keys = ts.at();
      }
      if (ds == null && ds15) {
        ds = ts.at();
      }
      if (oldKeysGone == null && no13Key) {
        oldKeysGone = ts.at();
      }
      if (oldSigsGone == null && no13Sig) {
        oldSigsGone = ts.at();
      }
    }
    assertThat(List.of(sigs, keys, ds, oldKeysGone, oldSigsGone)).doesNotContainNull();
    // new signatures, a data TTL, new DNSKEYs, DNSKEY-Wait-Time, DS, DS-Wait-Time, old DNSKEYs,
    // DNSKEY TTL, old signatures
    assertThat(keys).isAfterOrEqualTo(sigs.plusSeconds(7200));
    assertThat(ds).isAfterOrEqualTo(keys.plusSeconds(3600));
    assertThat(oldKeysGone).isAfterOrEqualTo(ds.plusSeconds(3600));
    assertThat(oldSigsGone).isAfterOrEqualTo(oldKeysGone.plusSeconds(3600));
  }

  @Test
  void theCheckerCatchesAMixedDsForAValidatorWithoutTheNewAlgorithmsKeys() {
    Simulation w = group(14, 13, 3600, 3600, 3600);
    w.record();
    Simulation.Sig a = w.signers.get(SignerId.of("alpha"));
    DnsKeyData k15 = w.newKey(a.id, KeyRole.KSK, 15);
    a.own.add(OwnedKey.of(k15, KeyRole.KSK));
    w.apply(new Step.AddDnskeys(a.id, Set.of(k15)));
    w.advanceTo(w.now.plusSeconds(60));
    // wrong: the DS gains algorithm 15 while DNSKEY RRsets without it are cached
    w.parent.ds.add(DsData.compute(Simulation.ZONE, k15, DsData.SHA256));
    w.parent.dsSince = w.now;
    w.record();
    w.advanceTo(w.now.plus(Duration.ofDays(1)));
    w.record();
    assertThat(GlitchChecker.check(w.timeline, ResolverModel.permissive()).glitchFree()).isTrue();
    GlitchReport r = GlitchChecker.check(w.timeline);
    assertThat(r).isInstanceOf(GlitchReport.Glitch.class);
    assertThat(((GlitchReport.Glitch) r).problem()).contains("validator");
  }

  // ---------------------------------------------------------------- defect 2

  @Test
  void aZskRolloverAfterLoweringTheDnskeyTtlWaitsForTheOldTtl() {
    Simulation w = group(21, 13, 172_800, 3600, 3600);
    Simulation.Sig a = w.signers.get(SignerId.of("alpha"));
    for (Simulation.Sig s : w.signers.values()) {
      w.changeTtl(s.id, Simulation.TtlKind.DNSKEY, 60);
    }
    w.advanceTo(w.now.plus(Duration.ofMinutes(10)));
    DnsKeyData old = a.own.get(1).key();
    java.time.Instant start = w.now;
    Simulation.Result run = w.drive(Planner.create(),
        Intent.group(a.id, SignerId.of("bravo")).withRollovers(new Rollover.Zsk(a.id, old)), 30, 200);
    assertThat(run.last()).as(trace(run)).isInstanceOf(Plan.Done.class);
    GlitchReport r = GlitchChecker.check(w.timeline);
    assertThat(r.glitchFree()).as(r + "\n" + trace(run)).isTrue();
    assertThat(run.end()).isAfter(start.plus(Duration.ofDays(2)));
  }

  // ---------------------------------------------------------------- defect 3

  @Test
  void aZskRolloverWaitsForAGraduallyResigningSigner() {
    Simulation w = group(31, 13, 3600, 3600, 3600);
    Simulation.Sig a = w.signers.get(SignerId.of("alpha"));
    a.resignSeconds = 86_400; // re-signs its zone over a day, like BIND's sig-signing defaults
    DnsKeyData old = a.own.get(1).key();
    Simulation.Result run = w.drive(Planner.create(),
        Intent.group(a.id, SignerId.of("bravo")).withRollovers(new Rollover.Zsk(a.id, old)), 30, 200);
    assertThat(run.last()).as(trace(run)).isInstanceOf(Plan.Done.class);
    GlitchReport r = GlitchChecker.check(w.timeline);
    assertThat(r.glitchFree()).as(r + "\n" + trace(run)).isTrue();
    assertThat(a.dnskey).doesNotContain(old);
  }

  // ---------------------------------------------------------------- defect 4

  @Test
  void plansHonourAResolverTtlFloor() {
    ResolverModel floored = ResolverModel.forAlgorithms(Set.of(13)).withMinimumTtl(Duration.ofSeconds(300));
    for (boolean floor : new boolean[] {false, true}) {
      PlannerConfig cfg = floor ? PlannerConfig.DEFAULT.withTtlFloor(Duration.ofSeconds(300))
          : PlannerConfig.DEFAULT;
      // a ZSK rollover in a 60 s zone
      Simulation w = group(41, 13, 60, 60, 60);
      w.parent.dsTtl = 60;
      w.parent.nsTtl = 60;
      Simulation.Sig a = w.signers.get(SignerId.of("alpha"));
      Simulation.Result run = w.drive(Planner.create(cfg), Intent.group(a.id, SignerId.of("bravo"))
          .withRollovers(new Rollover.Zsk(a.id, a.own.get(1).key())), 0, 200);
      assertThat(run.last()).as(trace(run)).isInstanceOf(Plan.Done.class);
      // a join in a 60 s zone
      Simulation j = new Simulation(42);
      Simulation.Sig ja = j.addSigner("alpha", 13, false, 60, 60, 60);
      Simulation.Sig jb = j.addSigner("bravo", 13, false, 60, 60, 60);
      j.formGroup(List.of(ja));
      j.parent.dsTtl = 60;
      j.parent.nsTtl = 60;
      j.parentDelayMaxSeconds = 1;
      Simulation.Result join = j.drive(Planner.create(cfg), Intent.group(ja.id, jb.id), 0, 200);
      assertThat(join.last()).as(trace(join)).isInstanceOf(Plan.Done.class);
      assertThat(GlitchChecker.check(w.timeline).glitchFree()).isTrue();
      assertThat(GlitchChecker.check(j.timeline).glitchFree()).isTrue();
      assertThat(GlitchChecker.check(w.timeline, floored).glitchFree()).as("rollover, floor " + floor)
          .isEqualTo(floor);
      assertThat(GlitchChecker.check(j.timeline, floored).glitchFree()).as("join, floor " + floor)
          .isEqualTo(floor);
    }
  }

  // ---------------------------------------------------------------- defect 5

  @Test
  void aRestartMidRetirementContinuesAndNeverAddsAKeyBack() {
    for (long seed = 1; seed <= 12; seed++) {
      Simulation w = new Simulation(seed);
      Simulation.Sig a = w.addSigner("alpha", 13, true, 60, 60, 60);
      Simulation.Sig b = w.addSigner("bravo", 13, true, 60, 60, 60);
      w.formGroup(List.of(a, b));
      w.parent.dsTtl = 60;
      w.parentDelayMaxSeconds = 1;
      w.partialSteps = true; // the host executes a random prefix of each step list, then re-plans
      Simulation.Result run = w.drive(Planner.create(),
          Intent.group(a.id, b.id).withRollovers(new Rollover.Sep(a.id, a.own.get(0).key())), 0, 300);
      assertThat(run.last()).as(trace(run)).isInstanceOf(Plan.Done.class);
      assertThat(w.regressions).as("seed " + seed + "\n" + trace(run)).isEmpty();
      assertThat(GlitchChecker.check(w.timeline).glitchFree()).isTrue();
    }
  }

  // ---------------------------------------------------------------- defect 6

  @Test
  void refusesADataTtlShorterThanTheZonesNegativeOrDataTtls() {
    Simulation w = group(61, 13, 3600, 300, 3600);
    Simulation.Sig a = w.signers.get(SignerId.of("alpha"));
    a.zoneTtls = ZoneTtls.ofSeconds(3600, 86_400, 300); // negative answers cached an hour
    Intent roll = Intent.group(a.id, SignerId.of("bravo"))
        .withRollovers(new Rollover.Zsk(a.id, a.own.get(1).key()));
    Plan p = Planner.create().plan(w.snapshot(), roll, w.policy, w.now);
    assertThat(p).isEqualTo(new Plan.Refused(new Refusal.DataTtlTooShort(a.id,
        Duration.ofSeconds(300), ZoneTtls.ofSeconds(3600, 86_400, 300))));
    assertThat(((Plan.Refused) p).refusal().message()).contains("PT1H");

    // the checker sees the cached negative answers: planning with the short data TTL glitches
    a.zoneTtls = null;
    Simulation.Result run = w.drive(Planner.create(), roll, 0, 200);
    assertThat(run.last()).isInstanceOf(Plan.Done.class);
    List<TimedState> withNegative = w.timeline.stream().map(ts -> new TimedState(ts.at(),
        withZoneTtls(ts.state(), a.id, ZoneTtls.ofSeconds(3600, 86_400, 300)))).toList();
    assertThat(GlitchChecker.check(w.timeline).glitchFree()).isTrue();
    assertThat(GlitchChecker.check(withNegative).glitchFree()).isFalse();

    // stating a data TTL that covers them plans a clean rollover
    Simulation ok = group(61, 13, 3600, 3600, 3600);
    Simulation.Sig oa = ok.signers.get(SignerId.of("alpha"));
    oa.zoneTtls = ZoneTtls.ofSeconds(3600, 86_400, 300);
    Simulation.Result good = ok.drive(Planner.create(), Intent.group(oa.id, SignerId.of("bravo"))
        .withRollovers(new Rollover.Zsk(oa.id, oa.own.get(1).key())), 0, 200);
    assertThat(good.last()).as(trace(good)).isInstanceOf(Plan.Done.class);
    assertThat(GlitchChecker.check(ok.timeline).glitchFree()).isTrue();
  }

  private static ZoneSnapshot withZoneTtls(ZoneSnapshot s, SignerId id, ZoneTtls z) {
    List<SignerSnapshot> vs = s.signers().stream().map(v -> !v.id().equals(id) ? v
        : new SignerSnapshot(v.id(), v.capabilities(), v.ownKeys(), v.ownNs(), v.answering(),
            v.dnskey(), v.signing(), v.cds(), v.cdnskey(), v.ns(), v.csync(), v.dataTtl(), z, v.resignInterval()))
        .toList();
    return new ZoneSnapshot(s.zone(), vs, s.parent(), s.publicationLatency());
  }
}
