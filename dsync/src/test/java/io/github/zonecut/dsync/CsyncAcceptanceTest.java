package io.github.zonecut.dsync;

import static io.github.zonecut.dsync.Fixture.CHILD;
import static io.github.zonecut.dsync.Fixture.NS1;
import static io.github.zonecut.dsync.Fixture.NS2;
import static io.github.zonecut.dsync.Fixture.NS3;
import static io.github.zonecut.dsync.Fixture.csync;
import static io.github.zonecut.dsync.Fixture.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.CsyncRecord;
import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.Verdict;
import io.github.zonecut.dsync.Fixture.Obs;
import io.github.zonecut.dsync.Fixture.Zone;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Type;

/** CSYNC (RFC 7477) rule by rule, each with its failing twin. */
class CsyncAcceptanceTest {
  private static final int IMMEDIATE = CsyncRecord.FLAG_IMMEDIATE;
  private static final int SOAMIN = CsyncRecord.FLAG_SOAMINIMUM;

  private final AcceptanceChecks checks = AcceptanceChecks.of(AcceptancePolicy.cdsWithCsync());

  /** The child adds ns3.child.example. (with glue) and asks for NS, A and AAAA to be synced. */
  private static Zone adding(int flags, long serial) {
    return new Zone()
        .set(new NSRecord(CHILD, DClass.IN, 3600, NS1), new NSRecord(CHILD, DClass.IN, 3600, NS2),
            new NSRecord(CHILD, DClass.IN, 3600, NS3))
        .glue(NS3, "192.0.2.3", "2001:db8::3")
        .set(csync(serial, flags, Type.NS, Type.A, Type.AAAA));
  }

  private static Obs everywhere(Zone z) {
    return new Obs(Fixture.secure()).server(NS1, z).server(NS2, z).server(NS3, z);
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
  void anImmediateCsyncSyncsNameserversAndInBailiwickGlue() {
    Decision d = checks.csync(everywhere(adding(IMMEDIATE | SOAMIN, 100)).build());

    assertThat(d).isInstanceOf(Decision.Accept.class);
    Delegation desired = ((Decision.Accept) d).desired();
    assertThat(desired.nameservers()).containsExactlyInAnyOrder(NS1, NS2, NS3);
    assertThat(desired.glue()).containsOnlyKeys(NS3);
    assertThat(desired.glue().get(NS3)).containsExactly(ip("192.0.2.3"), ip("2001:db8::3"));
    assertThat(desired.ds()).isEqualTo(Fixture.secure().ds());
  }

  @Test
  void withoutImmediateTheChangeWaitsForApprovalAndSaysWhatItWouldBe() {
    Decision d = checks.csync(everywhere(adding(SOAMIN, 100)).build());
    assertThat(reason(d)).isEqualTo(Reason.APPROVAL_REQUIRED);
    assertThat(((Decision.Pending) d).proposed().orElseThrow().nameservers()).contains(NS3);
  }

  @Test
  void soaminimumNotReachedAtOneServerWaits() {
    Zone ahead = adding(IMMEDIATE | SOAMIN, 101).serial(101);
    Zone behind = adding(IMMEDIATE | SOAMIN, 101).serial(100);
    Decision d = checks.csync(new Obs(Fixture.secure()).server(NS1, ahead).server(NS2, behind)
        .server(NS3, ahead).build());
    // the CSYNC itself is the same everywhere; only the behind server's SOA is older
    assertThat(reason(d)).isEqualTo(Reason.SOA_BELOW_MINIMUM);
  }

  @Test
  void soaminimumUsesSerialArithmetic() {
    Zone wrapped = adding(IMMEDIATE | SOAMIN, 4_294_967_290L).serial(5);
    assertThat(checks.csync(everywhere(wrapped).build())).isInstanceOf(Decision.Accept.class);
    Zone ignored = adding(IMMEDIATE, 200).serial(100);
    assertThat(checks.csync(everywhere(ignored).build())).isInstanceOf(Decision.Accept.class);
  }

  @Test
  void aSoaThatMovedDuringTheScanIsARetry() {
    Zone moved = adding(IMMEDIATE, 100).copy().serialAfter(101);
    Zone z = adding(IMMEDIATE, 100);
    Decision d = checks.csync(new Obs(Fixture.secure()).server(NS1, z).server(NS2, moved)
        .server(NS3, z).build());
    assertThat(reason(d)).isEqualTo(Reason.SOA_MOVED);
    assertThat(d).isInstanceOf(Decision.Pending.class);
  }

  @Test
  void anUnknownTypeInTheBitmapStopsEverything() {
    Zone z = adding(IMMEDIATE, 100).copy().set(csync(100, IMMEDIATE, Type.NS, Type.A, Type.TXT));
    assertThat(reason(checks.csync(everywhere(z).build()))).isEqualTo(Reason.CSYNC_UNKNOWN_TYPE);
  }

  @Test
  void nsIsSyncedOnlyWhenInTheBitmap() {
    Delegation current = Delegation.builder(CHILD).nameservers(NS1, NS2)
        .glue(NS3, ip("192.0.2.99"), ip("2001:db8::99")).ds(Fixture.KSK1.ds()).build();
    Zone z = new Zone().set(new NSRecord(CHILD, DClass.IN, 3600, NS1))
        .glue(NS3, "192.0.2.3", "2001:db8::3").set(csync(100, IMMEDIATE, Type.A));
    Decision d = checks.csync(new Obs(current).server(NS1, z).server(NS2, z).server(NS3, z)
        .build());
    Delegation desired = ((Decision.Accept) d).desired();
    assertThat(desired.nameservers()).isEqualTo(current.nameservers());
    // A synced, AAAA kept as the parent had it
    assertThat(desired.glue().get(NS3)).containsExactly(ip("192.0.2.3"), ip("2001:db8::99"));
  }

  @Test
  void anEmptyNsResultIsRefused() {
    Zone z = new Zone().without(CHILD, Type.NS).set(csync(100, IMMEDIATE, Type.NS));
    Decision d = checks.csync(new Obs(Fixture.secure()).everywhere(z).build());
    assertThat(reason(d)).isEqualTo(Reason.EMPTY_DELEGATION);
  }

  @Test
  void anInBailiwickNameserverWithoutAddressIsRefused() {
    Zone z = adding(IMMEDIATE, 100).copy().glue(NS3);
    assertThat(reason(checks.csync(everywhere(z).build()))).isEqualTo(Reason.MISSING_GLUE);
  }

  @Test
  void aDivergentCsyncIsRefused() {
    Zone other = adding(IMMEDIATE, 100).copy().set(csync(100, IMMEDIATE, Type.NS));
    Zone z = adding(IMMEDIATE, 100);
    Decision d = checks.csync(new Obs(Fixture.secure()).server(NS1, z).server(NS2, other)
        .server(NS3, z).build());
    assertThat(reason(d)).isEqualTo(Reason.INCONSISTENT);
  }

  @Test
  void divergentGlueIsRefused() {
    Zone other = adding(IMMEDIATE, 100).copy().glue(NS3, "192.0.2.33", "2001:db8::3");
    Zone z = adding(IMMEDIATE, 100);
    Decision d = checks.csync(new Obs(Fixture.secure()).server(NS1, z).server(NS2, other)
        .server(NS3, z).build());
    assertThat(reason(d)).isEqualTo(Reason.INCONSISTENT);
  }

  @Test
  void aCsyncMustValidate() {
    assertThat(reason(checks.csync(everywhere(adding(IMMEDIATE, 100))
        .validated(new LookupResult.Bogus(CHILD, CsyncRecord.TYPE, 6, "bad")).build())))
        .isEqualTo(Reason.BOGUS);
    assertThat(reason(checks.csync(everywhere(adding(IMMEDIATE, 100)).verdict(Verdict.INSECURE)
        .build()))).isEqualTo(Reason.NOT_SECURE);
  }

  @Test
  void noCsyncIsNoChangeAndAPolicyWithoutCsyncRefusesIt() {
    assertThat(checks.csync(new Obs(Fixture.secure()).everywhere(new Zone()).build()))
        .isInstanceOf(Decision.NoChange.class);
    assertThat(reason(AcceptanceChecks.of(AcceptancePolicy.cdsWithDsboot())
        .csync(everywhere(adding(IMMEDIATE, 100)).build())))
        .isEqualTo(Reason.NOT_ACCEPTED_BY_POLICY);
  }

  @Test
  void anAddedNameserverThatDoesNotAnswerIsRefused() {
    Zone z = adding(IMMEDIATE, 100);
    ServerObservation.Reached ns3 = z.at(NS3, 5399);
    java.util.Map<RRsetKey, LookupResult> answers = new java.util.HashMap<>(ns3.answers());
    // ns3 refers instead of answering: it is not authoritative
    answers.put(RRsetKey.of(CHILD, Type.SOA), new LookupResult.Failed(CHILD, Type.SOA,
        LookupResult.Problem.UNEXPECTED_ANSWER, -1, "referral"));
    Decision d = checks.csync(new Obs(Fixture.secure()).server(NS1, z).server(NS2, z)
        .add(new ServerObservation.Reached(NS3, ns3.endpoint(), answers, ns3.soaAfter()))
        .build());
    // the CSYNC path reads the SOA of every server first, so this is a retry, never an accept
    assertThat(d).isInstanceOf(Decision.Pending.class);
    assertThat(reason(d)).isEqualTo(Reason.SERVER_UNREACHABLE);
  }
}
