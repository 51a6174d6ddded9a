package io.github.zonecut.dsync;

import static io.github.zonecut.dsync.Fixture.CHILD;
import static io.github.zonecut.dsync.Fixture.KSK1;
import static io.github.zonecut.dsync.Fixture.KSK2;
import static io.github.zonecut.dsync.Fixture.NS1;
import static io.github.zonecut.dsync.Fixture.NS2;
import static io.github.zonecut.dsync.Fixture.NS3;
import static io.github.zonecut.dsync.Fixture.ZSK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.MalformedDataException;
import io.github.zonecut.core.Verdict;
import io.github.zonecut.dsync.Fixture.Obs;
import io.github.zonecut.dsync.Fixture.Zone;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/** The first DS of an unsigned delegation: RFC 9615 signals and RFC 8078 §3.3 accept-after-delay. */
class BootstrapAcceptanceTest {
  private final AcceptanceChecks dsboot = AcceptanceChecks.of(AcceptancePolicy.cdsWithDsboot());
  private final AcceptanceChecks fred =
      AcceptanceChecks.of(AcceptancePolicy.cdnskeyWithDelayedBootstrap());

  private static Zone signedChild() {
    return new Zone().keys(KSK1, ZSK).set(KSK1.cds()).set(KSK1.cdnskey());
  }

  private static LookupResult signal(Name ns, CDSRecord... cds) throws MalformedDataException {
    Name owner = AcceptanceChecks.dsbootName(CHILD, ns);
    if (cds.length == 0) {
      return new LookupResult.NxDomain(owner, Type.CDS, null, Verdict.SECURE);
    }
    RRset set = new RRset();
    for (CDSRecord r : cds) {
      set.addRR(new CDSRecord(owner, DClass.IN, 300, r.getFootprint(), r.getAlgorithm(),
          r.getDigestID(), r.getDigest()));
    }
    return new LookupResult.Answer(owner, Type.CDS, set, Verdict.SECURE);
  }

  private static Obs unsigned() {
    return new Obs(Fixture.insecure()).everywhere(signedChild()).verdict(Verdict.INSECURE);
  }

  private static Reason reason(Decision d) {
    return d instanceof Decision.Refused ? ((Decision.Refused) d).reason()
        : ((Decision.Pending) d).reason();
  }

  @Test
  void theSignalingNameIsBuiltLabelWise() throws Exception {
    assertThat(AcceptanceChecks.dsbootName(Name.fromString("example.co.uk."),
        Name.fromString("ns1.example.net.")))
        .isEqualTo(Name.fromString("_dsboot.example.co.uk._signal.ns1.example.net."));
    StringBuilder longChild = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      longChild.append("a".repeat(60)).append('.');
    }
    assertThatThrownBy(() -> AcceptanceChecks.dsbootName(Name.fromString(longChild.toString()),
        NS1)).isInstanceOf(MalformedDataException.class);
  }

  @Test
  void dsbootSignalsAtEveryOutOfDomainNameserverBootstrap() throws Exception {
    Decision d = dsboot.cds(unsigned().validated(signal(NS1, KSK1.cds()))
        .validated(signal(NS2, KSK1.cds())).build());
    assertThat(d).isInstanceOf(Decision.Accept.class);
    assertThat(((Decision.Accept) d).desired().ds()).containsExactly(KSK1.ds());
  }

  @Test
  void aSignalMissingAtOneNameserverIsRefused() throws Exception {
    Decision d = dsboot.cds(unsigned().validated(signal(NS1, KSK1.cds()))
        .validated(signal(NS2)).build());
    assertThat(reason(d)).isEqualTo(Reason.SIGNAL_MISSING);
  }

  @Test
  void aSignalThatDiffersFromTheApexIsRefused() throws Exception {
    Decision d = dsboot.cds(unsigned().validated(signal(NS1, KSK1.cds()))
        .validated(signal(NS2, KSK2.cds())).build());
    assertThat(reason(d)).isEqualTo(Reason.SIGNAL_MISMATCH);
  }

  @Test
  void anInsecureSignalIsRefused() throws Exception {
    LookupResult.Answer a = (LookupResult.Answer) signal(NS2, KSK1.cds());
    Decision d = dsboot.cds(unsigned().validated(signal(NS1, KSK1.cds()))
        .validated(new LookupResult.Answer(a.name(), a.type(), a.rrset(), Verdict.INSECURE))
        .build());
    assertThat(reason(d)).isEqualTo(Reason.NOT_SECURE);
  }

  @Test
  void aBootstrapCdsWithoutContinuityIsRefusedEvenWithSignals() throws Exception {
    Zone z = new Zone().keys(KSK1, ZSK).set(KSK2.cds());
    Decision d = dsboot.cds(new Obs(Fixture.insecure()).everywhere(z).verdict(Verdict.INSECURE)
        .validated(signal(NS1, KSK2.cds())).validated(signal(NS2, KSK2.cds())).build());
    assertThat(reason(d)).isEqualTo(Reason.NO_CONTINUITY);
  }

  @Test
  void aFullyInDomainDelegationCannotUseDsboot() {
    Delegation inDomain = Delegation.builder(CHILD).glue(NS3, Fixture.ip("192.0.2.3")).build();
    Zone z = signedChild().copy().set(new org.xbill.DNS.NSRecord(CHILD, DClass.IN, 3600, NS3))
        .glue(NS3, "192.0.2.3");
    Decision d = dsboot.cds(new Obs(inDomain).server(NS3, z).verdict(Verdict.INSECURE).build());
    assertThat(reason(d)).isEqualTo(Reason.NO_SIGNALING_NAME);
  }

  @Test
  void withoutABootstrapMethodAnUnsignedDelegationStaysUnsigned() {
    Decision d = AcceptanceChecks.of(AcceptancePolicy.cdsWithCsync()).cds(unsigned().build());
    assertThat(reason(d)).isEqualTo(Reason.BOOTSTRAP_NOT_ALLOWED);
  }

  @Test
  void acceptAfterDelayNeedsConsistentObservationsOverTheSpan() {
    Decision first = fred.cds(unsigned().build(), Optional.empty());
    assertThat(reason(first)).isEqualTo(Reason.AWAITING_OBSERVATIONS);
    BootstrapHistory h1 = ((Decision.Pending) first).history().orElseThrow();
    assertThat(h1.observations()).isEqualTo(1);
    assertThat(((Decision.Pending) first).proposed().orElseThrow().ds())
        .containsExactly(KSK1.ds());

    Decision early = fred.cds(unsigned().at(Fixture.NOW.plus(Duration.ofDays(3))).build(),
        Optional.of(h1));
    assertThat(reason(early)).isEqualTo(Reason.AWAITING_OBSERVATIONS);
    BootstrapHistory h2 = ((Decision.Pending) early).history().orElseThrow();
    assertThat(h2.observations()).isEqualTo(2);

    Decision late = fred.cds(unsigned().at(Fixture.NOW.plus(Duration.ofDays(7))).build(),
        Optional.of(h2));
    assertThat(late).isInstanceOf(Decision.Accept.class);
  }

  @Test
  void aChangedCandidateRestartsTheDelay() {
    BootstrapHistory old = new BootstrapHistory(CHILD, java.util.Set.of(KSK2.ds()),
        Fixture.NOW.minus(Duration.ofDays(30)), Fixture.NOW.minus(Duration.ofDays(1)), 9);
    Decision d = fred.cds(unsigned().build(), Optional.of(old));
    assertThat(reason(d)).isEqualTo(Reason.AWAITING_OBSERVATIONS);
    assertThat(((Decision.Pending) d).history().orElseThrow().observations()).isEqualTo(1);
  }

  @Test
  void aDivergentServerDuringTheDelayIsRefused() {
    Zone other = new Zone().keys(KSK1, KSK2, ZSK).set(KSK2.cdnskey());
    Decision d = fred.cds(new Obs(Fixture.insecure()).server(NS1, signedChild())
        .server(NS2, other).verdict(Verdict.INSECURE).build());
    assertThat(reason(d)).isEqualTo(Reason.INCONSISTENT);
  }
}
