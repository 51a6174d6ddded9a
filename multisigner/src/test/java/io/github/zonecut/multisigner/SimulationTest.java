package io.github.zonecut.multisigner;

import io.github.zonecut.core.DsData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class SimulationTest {
  private static final Name ZONE = Name.fromConstantString("child.parent.test.");
  private static final SignerId ALPHA = SignerId.of("alpha");
  private static final SignerId BRAVO = SignerId.of("bravo");
  private static final Intent JOIN = Intent.group(ALPHA, BRAVO);

  private static Simulation.Builder join() {
    return Simulation.builder(ZONE).signer("alpha", 13, false).signer("bravo", 13, true)
        .group("alpha");
  }

  @Test
  void aJoinRunsToDoneGlitchFreeThroughTheDraftSteps() {
    Simulation sim = join().build();

    Simulation.Result r = sim.run(Planner.create(), JOIN, 100);

    assertThat(r.done()).as(r.toString()).isTrue();
    assertThat(r.ending()).isEqualTo(Simulation.Ending.DONE);
    assertThat(r.last()).isInstanceOf(Plan.Done.class);
    assertThat(r.why()).isEqualTo(((Plan.Done) r.last()).summary());
    assertThat(r.report().glitchFree()).as(r.report().toString()).isTrue();
    assertThat(r.draftSteps()).contains("§5.3 step 3", "§5.3 steps 4-5");
    assertThat(r.timeline()).hasSizeGreaterThan(r.plans().size());
    assertThat(r.end()).isEqualTo(sim.now()).isAfter(Simulation.T0);
    // the world now matches the intent: the parent delegates to both signers
    ZoneSnapshot end = sim.snapshot();
    assertThat(end.zone()).isEqualTo(ZONE);
    assertThat(end.parent().agreedNs().value()).containsAll(end.signer(ALPHA).ownNs())
        .containsAll(end.signer(BRAVO).ownNs());
    // RFC 8901 model 2: each signer serves the others' zone-signing keys, not their KSKs
    for (OwnedKey k : end.signer(ALPHA).ownKeys()) {
      assertThat(end.signer(BRAVO).dnskey().value().contains(k.key()))
          .as(k.toString()).isEqualTo(k.role().signsZone());
    }
    assertThat(r.rounds()).extracting(Simulation.Round::at).isSorted();
  }

  @Test
  void theSameSettingsGiveTheSameRunAndTheSeedMatters() {
    Simulation.Builder b = join().execution(Duration.ofMinutes(5), true)
        .parentDelay(Duration.ofMinutes(1), Duration.ofHours(2));

    Simulation.Result one = b.seed(7).build().run(Planner.create(), JOIN, 100);
    Simulation.Result two = b.seed(7).build().run(Planner.create(), JOIN, 100);
    Simulation.Result other = b.seed(8).build().run(Planner.create(), JOIN, 100);

    assertThat(one.rounds()).isEqualTo(two.rounds());
    assertThat(one.timeline()).isEqualTo(two.timeline());
    assertThat(other.timeline()).isNotEqualTo(one.timeline());
    assertThat(List.of(one, two, other)).allMatch(Simulation.Result::done);
  }

  @Test
  void aParentThatNeverActsStallsAndSaysWhy() {
    Simulation sim = join().parentActs(false).build();

    Simulation.Result r = sim.run(Planner.create(), JOIN, 100);

    assertThat(r.done()).isFalse();
    assertThat(r.ending()).isEqualTo(Simulation.Ending.STALLED);
    assertThat(r.last()).isInstanceOf(Plan.AwaitChange.class);
    assertThat(r.why()).startsWith("the parent has nothing pending")
        .endsWith(((Plan.AwaitChange) r.last()).reason());
    // what was executed so far is still safe, and the parent still delegates to alpha alone
    assertThat(r.report().glitchFree()).isTrue();
    ZoneSnapshot now = sim.snapshot();
    assertThat(now.parent().agreedNs().value()).isEqualTo(now.signer(ALPHA).ownNs());
  }

  @Test
  void aParentThatIgnoresCdsAndCdnskeyAlsoStalls() {
    ParentPolicy csyncOnly = new ParentPolicy(List.of(DsData.SHA256), false, false, true,
        Duration.ofDays(7));

    Simulation.Result r = join().parentPolicy(csyncOnly).build().run(Planner.create(), JOIN, 100);

    assertThat(r.ending()).isEqualTo(Simulation.Ending.STALLED);
  }

  @Test
  void theRoundLimitIsReportedAndARunContinuesWhereTheLastStopped() {
    Simulation sim = join().build();

    Simulation.Result first = sim.run(Planner.create(), JOIN, 1);
    assertThat(first.ending()).isEqualTo(Simulation.Ending.ROUND_LIMIT);
    assertThat(first.why()).contains("1 plans");
    assertThat(first.plans()).hasSize(1);

    Simulation.Result rest = sim.run(Planner.create(), JOIN, 100);
    assertThat(rest.done()).isTrue();
    assertThat(rest.timeline()).startsWith(first.timeline().toArray(TimedState[]::new));
  }

  @Test
  void anIntentNamingAnUnknownSignerIsRefused() {
    Simulation.Result r = join().build()
        .run(Planner.create(), Intent.group(ALPHA, SignerId.of("charlie")), 10);

    assertThat(r.ending()).isEqualTo(Simulation.Ending.REFUSED);
    assertThat(r.last()).isInstanceOf(Plan.Refused.class);
    assertThat(r.why()).isEqualTo(r.last().toString());
  }

  @Test
  void theBuilderRejectsInconsistentWorlds() {
    assertThatThrownBy(() -> Simulation.builder(ZONE).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one signer");
    assertThatThrownBy(() -> Simulation.builder(ZONE).signer("alpha", 13, false).group("zulu").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zulu");
    assertThatThrownBy(() -> Simulation.builder(ZONE).signer("alpha", 13, false).signer("alpha", 13, true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    assertThatThrownBy(() -> join().parentDelay(Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one second");
    assertThatThrownBy(() -> join().execution(Duration.ofSeconds(-1), false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelay");
    assertThatThrownBy(() -> join().build().run(Planner.create(), JOIN, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRounds");
  }
  @Test
  void theBuilderCoversAlgorithmSubsetsTtlChangesFloorsResigningAndPartialSteps() {
    Duration floor = Duration.ofMinutes(5);
    Simulation sim = Simulation.builder(ZONE)
        .signer("alpha", 13, false).signer("bravo", 13, false).group("alpha", "bravo")
        // validators for 13 only, 15 only, both, hardened or not, with a 5-minute cache floor
        .resolvers(ResolverModel.forAlgorithms(Set.of(13, 15)).withMinimumTtl(floor))
        .resigning(Duration.ofHours(2), true)
        .partialSteps(true)
        .parentServerLags(Duration.ofMinutes(20))
        // the DNSKEY TTL was lowered from one hour to one minute just before the rollover
        .ttlChange("alpha", Simulation.TtlKind.DNSKEY, Duration.ofMinutes(1))
        .ttlChange(null, Simulation.TtlKind.PARENT_DS, Duration.ofHours(2))
        .build();
    Intent roll = Intent.group(ALPHA, SignerId.of("bravo")).withRollovers(new Rollover.Algorithm(13, 15));

    Simulation.Result r = sim.run(Planner.create(PlannerConfig.DEFAULT.withTtlFloor(floor)), roll, 400);

    assertThat(r.done()).as(r.toString()).isTrue();
    assertThat(r.report().glitchFree()).as(r.report().toString()).isTrue();
    assertThat(sim.snapshot().signer(ALPHA).dnskey().value()).allMatch(k -> k.algorithm() == 15);
    assertThatThrownBy(() -> join().ttlChange(null, Simulation.TtlKind.DNSKEY, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
