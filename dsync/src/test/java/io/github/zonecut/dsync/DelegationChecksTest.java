package io.github.zonecut.dsync;

import static io.github.zonecut.dsync.Fixture.CHILD;
import static io.github.zonecut.dsync.Fixture.KSK1;
import static io.github.zonecut.dsync.Fixture.KSK2;
import static io.github.zonecut.dsync.Fixture.KSK3;
import static io.github.zonecut.dsync.Fixture.NS1;
import static io.github.zonecut.dsync.Fixture.NS2;
import static io.github.zonecut.dsync.Fixture.NS3;
import static io.github.zonecut.dsync.Fixture.NS4;
import static io.github.zonecut.dsync.Fixture.ZSK;
import static io.github.zonecut.dsync.Fixture.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DsData;
import io.github.zonecut.dsync.Fixture.Obs;
import io.github.zonecut.dsync.Fixture.Zone;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** The checks the UPDATE receiver runs on a proposed change (one implementation with the scan). */
class DelegationChecksTest {
  private final DelegationChecks checks = DelegationChecks.defaults();

  private static DelegationChange change(Delegation desired) {
    return new DelegationChange("u1", CHILD, Fixture.secure(), desired,
        DelegationChange.Source.UPDATE, Instant.EPOCH);
  }

  private static Reason failed(CheckResult r) {
    assertThat(r).isInstanceOf(CheckResult.Failed.class);
    return ((CheckResult.Failed) r).reason();
  }

  private static Observations everywhere(Zone z, Name... also) {
    Obs o = new Obs(Fixture.secure()).everywhere(z);
    for (Name ns : also) {
      o.server(ns, z);
    }
    return o.build();
  }

  @Test
  void anNsChangeToAnsweringServersPasses() {
    Delegation desired = Delegation.builder(CHILD).nameservers(NS1, NS2)
        .glue(NS3, ip("192.0.2.3")).ds(KSK1.ds()).build();
    CheckResult r = checks.check(change(desired), everywhere(new Zone(), NS3));
    assertThat(r.passed()).isTrue();
  }

  @Test
  void anAddedNameserverThatDoesNotAnswerIsLame() {
    Delegation desired = Delegation.builder(CHILD).nameservers(NS1, NS2, NS4).ds(KSK1.ds())
        .build();
    assertThat(failed(checks.check(change(desired), everywhere(new Zone()))))
        .isEqualTo(Reason.LAME_NAMESERVER);

    AcceptancePolicy lenient = new AcceptancePolicy("lenient",
        AcceptancePolicy.DsSource.CDS, Set.of(DsData.SHA256), List.of(), true, Set.of(), 1,
        Duration.ZERO, false, false);
    assertThat(DelegationChecks.of(lenient).check(change(desired), everywhere(new Zone()))
        .passed()).isTrue();
  }

  @Test
  void aDelegationNoServerOfWhichAnswersIsLame() {
    Delegation desired = Delegation.builder(CHILD).nameservers(NS4).ds(KSK1.ds()).build();
    assertThat(failed(checks.check(change(desired), everywhere(new Zone()))))
        .isEqualTo(Reason.LAME_DELEGATION);
  }

  @Test
  void anEmptyDelegationCannotEvenBeProposed() {
    assertThatThrownBy(() -> Delegation.builder(CHILD).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anInBailiwickNameserverNeedsGlue() {
    Delegation desired = Delegation.builder(CHILD).nameservers(NS1, NS3).ds(KSK1.ds()).build();
    assertThat(failed(checks.check(change(desired), everywhere(new Zone(), NS3))))
        .isEqualTo(Reason.MISSING_GLUE);
  }

  @Test
  void aDsForAKeyThatSignsNothingBreaksContinuity() {
    Delegation desired = Delegation.builder(CHILD).nameservers(NS1, NS2).ds(KSK3.ds()).build();
    assertThat(failed(checks.check(change(desired), everywhere(new Zone()))))
        .isEqualTo(Reason.NO_CONTINUITY);
  }

  @Test
  void aPrePublishedDsOfASigningAlgorithmIsAcceptedUnlessThePolicyForbidsIt() {
    // double-DS rollover (RFC 6781 §4.1.2): KSK3's DS before KSK3 is published; KSK1 anchors
    Delegation plus = Delegation.builder(CHILD).nameservers(NS1, NS2).ds(KSK1.ds(), KSK3.ds())
        .build();
    assertThat(checks.check(change(plus), everywhere(new Zone())).passed()).isTrue();
    DelegationChecks strict =
        DelegationChecks.of(AcceptancePolicy.defaults().withPrePublishedDs(false));
    CheckResult r = strict.check(change(plus), everywhere(new Zone()));
    assertThat(failed(r)).isEqualTo(Reason.NO_CONTINUITY);
    assertThat(((CheckResult.Failed) r).detail()).contains("pre-published");
  }

  @Test
  void aPrePublishedDsOfAnAlgorithmThatSignsNothingIsRefused() {
    // RFC 6840 §5.11: a DS algorithm that does not sign the zone breaks strict validators
    DsData ed25519 = DsData.of(KSK3.ds().keyTag(), 15, 2, KSK3.ds().digest());
    Delegation plus = Delegation.builder(CHILD).nameservers(NS1, NS2).ds(KSK1.ds(), ed25519)
        .build();
    CheckResult r = checks.check(change(plus), everywhere(new Zone()));
    assertThat(failed(r)).isEqualTo(Reason.NO_CONTINUITY);
    assertThat(((CheckResult.Failed) r).detail()).contains("algorithm 15");
  }

  @Test
  void aMultiSignerJoinAddsTheJoiningSignersDsBeforeItsNameservers() {
    // RFC 8901 §2.1.2: only signer A (KSK1) is delegated; B's KSK2 DS comes first
    Observations obs = new Obs(Fixture.secure()).server(NS1, new Zone().keys(KSK1, ZSK))
        .server(NS2, new Zone().keys(KSK1, ZSK)).build();
    Delegation join = Delegation.builder(CHILD).nameservers(NS1, NS2).ds(KSK1.ds(), KSK2.ds())
        .build();
    assertThat(checks.check(change(join), obs).passed()).isTrue();
  }

  @Test
  void everyServerOfAMultiSignerGroupMustStayAnchored() {
    Zone signerA = new Zone().keys(KSK1, ZSK);
    Zone signerB = new Zone().keys(KSK2, ZSK);
    Observations obs = new Obs(Fixture.secure()).server(NS1, signerA).server(NS2, signerB)
        .build();
    Delegation onlyA = Delegation.builder(CHILD).nameservers(NS1, NS2).ds(KSK1.ds()).build();
    CheckResult r = checks.check(change(onlyA), obs);
    assertThat(failed(r)).isEqualTo(Reason.NO_CONTINUITY);
    assertThat(((CheckResult.Failed) r).detail()).contains(NS2.toString());

    Delegation both = Delegation.builder(CHILD).nameservers(NS1, NS2).ds(KSK1.ds(), KSK2.ds())
        .build();
    assertThat(checks.check(change(both), obs).passed()).isTrue();
  }

  @Test
  void addedDsMustHaveAnAcceptedDigestType() {
    Delegation desired = Delegation.builder(CHILD).nameservers(NS1, NS2)
        .ds(KSK1.ds(), KSK1.ds(DsData.SHA1)).build();
    assertThat(failed(checks.check(change(desired), everywhere(new Zone()))))
        .isEqualTo(Reason.DIGEST_NOT_ACCEPTED);
  }

  @Test
  void removingEveryDsNeedsNoContinuity() {
    Delegation desired = Delegation.builder(CHILD).nameservers(NS1, NS2).build();
    assertThat(checks.check(change(desired), everywhere(new Zone())).passed()).isTrue();
  }

  @Test
  void observationsOfAnotherChildAreAProgrammingError() {
    Observations obs = everywhere(new Zone());
    Name other = Name.fromConstantString("other.example.");
    DelegationChange c = new DelegationChange("u", other,
        Delegation.builder(other).nameservers(NS1).build(),
        Delegation.builder(other).nameservers(NS2).build(), DelegationChange.Source.UPDATE,
        Instant.EPOCH);
    assertThatThrownBy(() -> checks.check(c, obs)).isInstanceOf(IllegalArgumentException.class);
  }
}
