package io.github.zonecut.multisigner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The propagation waits on their own: TTLs, history, floors, the safety factor and latency. */
class WaitsTest {

  private static final Instant T = Simulation.T0;

  private static Simulation group() {
    Simulation w = new Simulation(11);
    Simulation.Sig a = w.addSigner("alpha", 13, false, 3600, 7200, 1800);
    Simulation.Sig b = w.addSigner("bravo", 13, false, 600, 600, 900);
    w.formGroup(List.of(a, b));
    w.latency = Duration.ofSeconds(5);
    return w;
  }

  @Test
  void dnskeyWaitIsTheLargestTtlAfterTheLastChangeTimesTheFactorPlusLatency() {
    Simulation w = group();
    w.signers.get(SignerId.of("bravo")).dnskeySince = T;
    Waits waits = Waits.of(w.snapshot(), PlannerConfig.DEFAULT, T);
    // alpha's 3600 s TTL counts even though bravo changed: §2 "largest DNSKEY TTL of all signers"
    assertThat(waits.dnskey()).isEqualTo(T.plusSeconds(2 * 3600 + 5));
    assertThat(Waits.of(w.snapshot(), PlannerConfig.DEFAULT.withSafetyFactor(1.0), T).dnskey())
        .isEqualTo(T.plusSeconds(3600 + 5));
  }

  @Test
  void aResolverFloorRaisesEveryTtlOfItsKindOnly() {
    Simulation w = group();
    w.signers.values().forEach(s -> s.dnskeySince = T);
    PlannerConfig floored = PlannerConfig.DEFAULT.withSafetyFactor(1.0)
        .withTtlFloor(WaitKind.DNSKEY_WAIT, Duration.ofHours(3));
    Waits waits = Waits.of(w.snapshot(), floored, T);
    assertThat(waits.dnskey()).isEqualTo(T.plusSeconds(3 * 3600 + 5));
    assertThat(waits.scale(Duration.ofSeconds(60), WaitKind.NS_WAIT)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void aLoweredTtlStillWaitsForCopiesServedWithTheEarlierOne() {
    Simulation w = group();
    Simulation.Sig a = w.signers.get(SignerId.of("alpha"));
    // alpha served its DNSKEY RRset with 2 days until T, then 60 s; the RRset changed at T+10min
    a.dnskeyHist.ttl = Duration.ofDays(2);
    a.dnskeyHist.until = T;
    a.dnskeyTtl = 60;
    a.dnskeySince = T.plusSeconds(600);
    Waits waits = Waits.of(w.snapshot(), PlannerConfig.DEFAULT.withSafetyFactor(1.0), T.plusSeconds(600));
    assertThat(waits.dnskey()).isEqualTo(T.plus(Duration.ofDays(2)).plusSeconds(5));
  }

  @Test
  void dsWaitRunsFromTheParentsChangeAndNsWaitCoversTheParentToo() {
    Simulation w = group();
    w.parent.dsSince = T;
    w.parent.dsTtl = 86400;
    w.parent.nsSince = T;
    w.parent.nsTtl = 172800;
    Waits waits = Waits.of(w.snapshot(), PlannerConfig.DEFAULT, T);
    assertThat(waits.ds()).isEqualTo(T.plusSeconds(2 * 86400));
    assertThat(waits.ns()).isEqualTo(T.plusSeconds(2 * 172800));
    assertThat(waits.settled()).isEqualTo(new Waits.Timed(T.plusSeconds(2 * 172800), WaitKind.NS_WAIT));
  }

  @Test
  void signaturesStayForTheResignIntervalThenTheDataTtl() {
    Simulation w = group();
    Simulation.Sig a = w.signers.get(SignerId.of("alpha"));
    a.signingSince = T;
    a.resignSeconds = 3 * 3600;
    SignerSnapshot alpha = w.snapshot().signer(SignerId.of("alpha"));
    assertThat(alpha).isNotNull();
    Waits waits = Waits.of(w.snapshot(), PlannerConfig.DEFAULT, T);
    assertThat(waits.signatures(alpha)).isEqualTo(T.plusSeconds(3 * 3600 + 2 * 7200 + 5));
  }

  @Test
  void aStoppedSignerStaysCachedUntilEverythingItServedExpired() {
    Simulation w = group();
    Simulation.Sig b = w.signers.get(SignerId.of("bravo"));
    b.answering = false;
    b.answeringSince = T;
    ZoneSnapshot s = w.snapshot();
    SignerSnapshot bravo = s.signer(SignerId.of("bravo"));
    assertThat(bravo).isNotNull();
    Waits early = Waits.of(s, PlannerConfig.DEFAULT, T.plusSeconds(60));
    // the largest of bravo's TTLs is its NS TTL, 900 s
    assertThat(early.expiry(bravo)).isEqualTo(T.plusSeconds(2 * 900 + 5));
    assertThat(early.cached()).extracting(SignerSnapshot::id)
        .containsExactly(SignerId.of("alpha"), SignerId.of("bravo"));
    Waits late = Waits.of(s, PlannerConfig.DEFAULT, T.plusSeconds(2 * 900 + 5));
    assertThat(late.cached()).extracting(SignerSnapshot::id).containsExactly(SignerId.of("alpha"));
    assertThat(Set.copyOf(late.cached())).hasSize(1);
  }
}
