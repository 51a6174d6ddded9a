package io.github.zonecut.dsync;

import static io.github.zonecut.dsync.Fixture.CHILD;
import static io.github.zonecut.dsync.Fixture.KSK1;
import static io.github.zonecut.dsync.Fixture.KSK2;
import static io.github.zonecut.dsync.Fixture.KSK3;
import static io.github.zonecut.dsync.Fixture.NS1;
import static io.github.zonecut.dsync.Fixture.NS2;
import static io.github.zonecut.dsync.Fixture.ZSK;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.DsData;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.Verdict;
import io.github.zonecut.dsync.Fixture.Obs;
import io.github.zonecut.dsync.Fixture.Zone;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

/** CDS/CDNSKEY for a secure delegation (RFC 7344 §4.1, RFC 8078 §4, RFC 9975), rule by rule. */
class CdsAcceptanceTest {
  private final AcceptanceChecks checks = AcceptanceChecks.of(AcceptancePolicy.defaults());

  /** KSK1 (current DS) and KSK2 both sign; the CDS moves the DS to KSK2. */
  private static Zone rolling() {
    return new Zone().keys(KSK1, KSK2, ZSK).set(KSK2.cds());
  }

  private static Reason reason(Decision d) {
    if (d instanceof Decision.Refused) {
      return ((Decision.Refused) d).reason();
    }
    if (d instanceof Decision.Pending) {
      return ((Decision.Pending) d).reason();
    }
    throw new AssertionError("not a refusal or a wait: " + d);
  }

  @Test
  void acceptsAConsistentValidatedCdsWithContinuity() {
    Decision d = checks.cds(new Obs(Fixture.secure()).everywhere(rolling()).build());

    assertThat(d).isInstanceOf(Decision.Accept.class);
    Decision.Accept a = (Decision.Accept) d;
    assertThat(a.desired().ds()).containsExactly(KSK2.ds());
    assertThat(a.desired().nameservers()).isEqualTo(a.expected().nameservers());
    assertThat(a.toChange("c1", DelegationChange.Source.SCAN, Fixture.NOW).delta().isEmpty())
        .isFalse();
  }

  @Test
  void noCdsIsNoChange() {
    assertThat(checks.cds(new Obs(Fixture.secure()).everywhere(new Zone()).build()))
        .isInstanceOf(Decision.NoChange.class);
  }

  @Test
  void theCurrentDsAgainIsNoChange() {
    Zone z = new Zone().set(KSK1.cds());
    assertThat(checks.cds(new Obs(Fixture.secure()).everywhere(z).build()))
        .isInstanceOf(Decision.NoChange.class);
  }

  @Test
  void oneDivergentNameserverIsRefused() {
    Zone other = rolling().copy().set(KSK1.cds(), KSK2.cds());
    Decision d = checks.cds(new Obs(Fixture.secure()).server(NS1, rolling()).server(NS2, other)
        .build());
    assertThat(reason(d)).isEqualTo(Reason.INCONSISTENT);
  }

  @Test
  void aNameserverWithoutTheCdsIsDivergentToo() {
    Decision d = checks.cds(new Obs(Fixture.secure()).server(NS1, rolling())
        .server(NS2, new Zone().keys(KSK1, KSK2, ZSK)).build());
    assertThat(reason(d)).isEqualTo(Reason.INCONSISTENT);
  }

  @Test
  void aSilentNameserverIsARetryNotAnAcceptance() {
    Obs o = new Obs(Fixture.secure()).server(NS1, rolling());
    Zone z = rolling();
    var reached = z.at(NS2, 5399);
    var answers = new java.util.LinkedHashMap<>(reached.answers());
    answers.put(RRsetKey.of(CHILD, Type.CDS), new LookupResult.Timeout(CHILD, Type.CDS, "5 s"));
    o.add(new ServerObservation.Reached(NS2, reached.endpoint(), answers, reached.soaAfter()));
    Decision d = checks.cds(o.build());
    assertThat(d).isInstanceOf(Decision.Pending.class);
    assertThat(reason(d)).isEqualTo(Reason.SERVER_UNREACHABLE);
    assertThat(reason(d).transientCondition()).isTrue();
  }

  @Test
  void anUnobservedNameserverIsARetry() {
    Decision d = checks.cds(new Obs(Fixture.secure()).server(NS1, rolling()).build());
    assertThat(reason(d)).isEqualTo(Reason.SERVER_UNREACHABLE);
  }

  @Test
  void bogusCdsIsRefused() {
    Decision d = checks.cds(new Obs(Fixture.secure()).everywhere(rolling())
        .validated(new LookupResult.Bogus(CHILD, Type.CDS, 6, "signature expired")).build());
    assertThat(reason(d)).isEqualTo(Reason.BOGUS);
  }

  @Test
  void aCdsWhoseSignatureFailsAtOneServerIsRefused() {
    Zone broken = rolling().copy();
    broken.corruptSignatures = true;
    Decision d = checks.cds(new Obs(Fixture.secure()).server(NS1, rolling()).server(NS2, broken)
        .build());
    assertThat(reason(d)).isEqualTo(Reason.BOGUS);
  }

  @Test
  void anInsecureCdsOfASecureDelegationIsRefused() {
    Decision d = checks.cds(new Obs(Fixture.secure()).everywhere(rolling())
        .verdict(Verdict.INSECURE).build());
    assertThat(reason(d)).isEqualTo(Reason.NOT_SECURE);
  }

  @Test
  void aCdsWithoutContinuityIsRefused() {
    // KSK3 is not in the DNSKEY RRset: its DS would break the chain
    Zone z = new Zone().keys(KSK1, ZSK).set(KSK3.cds());
    Decision d = checks.cds(new Obs(Fixture.secure()).everywhere(z).build());
    assertThat(reason(d)).isEqualTo(Reason.NO_CONTINUITY);
  }

  @Test
  void aCdsForAPublishedKeyThatDoesNotSignTheDnskeySetIsRefused() {
    Zone z = new Zone().keys(KSK1, KSK2, ZSK).set(KSK2.cds());
    z.dnskeySigners = List.of(KSK1); // KSK2 is published but signs nothing
    Decision d = checks.cds(new Obs(Fixture.secure()).everywhere(z).build());
    assertThat(reason(d)).isEqualTo(Reason.NO_CONTINUITY);
  }

  @Test
  void aDnskeyTimeoutAtOneServerIsPendingNotBogus() {
    // found by ScanKnotBench: a transient failure reading DNSKEY used to refuse the child BOGUS
    Zone ok = rolling();
    Zone slow = rolling().timingOut(CHILD, Type.DNSKEY);
    Decision d = checks.cds(new Obs(Fixture.secure()).server(NS1, ok).server(NS2, slow).build());
    assertThat(d).isInstanceOf(Decision.Pending.class);
    assertThat(((Decision.Pending) d).reason()).isEqualTo(Reason.SERVER_UNREACHABLE);
  }

  @Test
  void aCdsWithAWrongDigestIsRefused() {
    byte[] digest = KSK2.ds().digest();
    digest[0] ^= 1;
    DsData wrong = new DsData(KSK2.ds().keyTag(), 13, 2, digest);
    Zone z = new Zone().keys(KSK1, KSK2, ZSK).set(Fixture.cds(wrong));
    assertThat(reason(checks.cds(new Obs(Fixture.secure()).everywhere(z).build())))
        .isEqualTo(Reason.NO_CONTINUITY);
  }

  @Test
  void theDeleteSentinelAloneRemovesTheDs() {
    Zone z = new Zone().set(Fixture.cdsDelete()).set(Fixture.cdnskeyDelete());
    Decision d = checks.cds(new Obs(Fixture.secure()).everywhere(z).build());
    assertThat(d).isInstanceOf(Decision.Accept.class);
    assertThat(((Decision.Accept) d).desired().ds()).isEmpty();
  }

  @Test
  void theDeleteSentinelMixedWithOtherCdsIsRefused() {
    Zone z = rolling().copy().set(Fixture.cdsDelete(), KSK2.cds());
    assertThat(reason(checks.cds(new Obs(Fixture.secure()).everywhere(z).build())))
        .isEqualTo(Reason.MIXED_DELETE);
  }

  @Test
  void aCdsDeleteWithCdnskeyKeysIsRefused() {
    Zone z = rolling().copy().set(Fixture.cdsDelete()).set(KSK2.cdnskey());
    assertThat(reason(checks.cds(new Obs(Fixture.secure()).everywhere(z).build())))
        .isEqualTo(Reason.MIXED_DELETE);
  }

  @Test
  void theDeleteSentinelOfAnUnsignedDelegationIsNoChange() {
    Zone z = new Zone().set(Fixture.cdsDelete());
    assertThat(checks.cds(new Obs(Fixture.insecure()).everywhere(z).verdict(Verdict.INSECURE)
        .build())).isInstanceOf(Decision.NoChange.class);
  }

  @Test
  void digestsAreComputedFromCdnskeyPerPolicy() {
    Zone z = new Zone().keys(KSK1, KSK2, ZSK).set(KSK2.cdnskey());
    AcceptanceChecks fred = AcceptanceChecks.of(AcceptancePolicy.cdnskeyWithDelayedBootstrap());
    Decision d = fred.cds(new Obs(Fixture.secure()).everywhere(z).build());
    assertThat(((Decision.Accept) d).desired().ds()).containsExactly(KSK2.ds());

    AcceptanceChecks both = AcceptanceChecks.of(AcceptancePolicy.defaults()
        .withDigestTypes(Set.of(DsData.SHA256, DsData.SHA384),
            List.of(DsData.SHA256, DsData.SHA384)));
    Decision d2 = both.cds(new Obs(Fixture.secure()).everywhere(z).build());
    assertThat(((Decision.Accept) d2).desired().ds())
        .containsExactlyInAnyOrder(KSK2.ds(), KSK2.ds(DsData.SHA384));
  }

  @Test
  void aCdsPolicyIgnoresCdnskey() {
    Zone z = new Zone().keys(KSK1, KSK2, ZSK).set(KSK2.cdnskey());
    assertThat(AcceptanceChecks.of(AcceptancePolicy.cdsWithCsync())
        .cds(new Obs(Fixture.secure()).everywhere(z).build()))
        .isInstanceOf(Decision.NoChange.class);
  }

  @Test
  void cdsAndCdnskeyMustDescribeTheSameKeys() {
    AcceptanceChecks strict = AcceptanceChecks.of(AcceptancePolicy.cdsAndCdnskeyConsistent());
    Zone agree = rolling().copy().set(KSK2.cdnskey());
    assertThat(strict.cds(new Obs(Fixture.secure()).everywhere(agree).build()))
        .isInstanceOf(Decision.Accept.class);

    Zone disagree = rolling().copy().set(KSK1.cdnskey());
    assertThat(reason(strict.cds(new Obs(Fixture.secure()).everywhere(disagree).build())))
        .isEqualTo(Reason.CDS_CDNSKEY_MISMATCH);
    assertThat(reason(checks.cds(new Obs(Fixture.secure()).everywhere(disagree).build())))
        .isEqualTo(Reason.CDS_CDNSKEY_MISMATCH);

    assertThat(reason(strict.cds(new Obs(Fixture.secure()).everywhere(rolling()).build())))
        .isEqualTo(Reason.CDS_CDNSKEY_MISMATCH);
  }

  @Test
  void onlyAcceptedDigestTypesAreTaken() {
    Zone sha384 = new Zone().keys(KSK1, KSK2, ZSK).set(Fixture.cds(KSK2.ds(DsData.SHA384)));
    assertThat(reason(checks.cds(new Obs(Fixture.secure()).everywhere(sha384).build())))
        .isEqualTo(Reason.DIGEST_NOT_ACCEPTED);

    Decision ch = AcceptanceChecks.of(AcceptancePolicy.cdsWithDsboot())
        .cds(new Obs(Fixture.secure()).everywhere(sha384).build());
    assertThat(((Decision.Accept) ch).desired().ds()).containsExactly(KSK2.ds(DsData.SHA384));

    // SHA-256 and SHA-384 published, parent takes SHA-256 only (not MUSIC's "all of them")
    Zone both = new Zone().keys(KSK1, KSK2, ZSK)
        .set(KSK2.cds(), Fixture.cds(KSK2.ds(DsData.SHA384)));
    Decision d = checks.cds(new Obs(Fixture.secure()).everywhere(both).build());
    assertThat(((Decision.Accept) d).desired().ds()).containsExactly(KSK2.ds());
  }

  @Test
  void anUndelegatedChildIsRefused() {
    var o = new Obs(Fixture.secure()).everywhere(rolling()).build();
    var undelegated = new Observations(CHILD, java.util.Optional.empty(), o.servers(),
        o.validated(), o.observedAt());
    assertThat(reason(checks.cds(undelegated))).isEqualTo(Reason.NOT_DELEGATED);
  }

  @Test
  void signaturesAreJudgedAtTheObservationInstant() {
    Decision d = checks.cds(new Obs(Fixture.secure()).everywhere(rolling())
        .at(Fixture.NOW.plus(java.time.Duration.ofDays(60))).build());
    assertThat(reason(d)).isEqualTo(Reason.BOGUS);
  }
}
