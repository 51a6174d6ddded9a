package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.dsync.DelegationBackend.ApplyResult;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/** {@link TsigDelegationBackend} against a loopback primary that records each UPDATE. */
class TsigDelegationBackendTest {
  static final Name ZONE = Name.fromConstantString("parent.test.");
  static final Name CHILD = DelegationBackendContract.CHILD;
  static final String SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=";
  static final TsigKey KEY = TsigKey.of("upd", "hmac-sha256", SECRET);

  private ExecutorService pool;
  private NioDnsTransport transport;
  private FakePrimary primary;

  @BeforeEach
  void start() throws Exception {
    pool = Executors.newSingleThreadExecutor();
    transport = NioDnsTransport.create(pool);
    primary = new FakePrimary(ZONE, new TSIG(TSIG.HMAC_SHA256, Name.fromString("upd."), SECRET));
  }

  @AfterEach
  void stop() throws Exception {
    primary.close();
    transport.close();
    pool.shutdownNow();
    pool.awaitTermination(5, TimeUnit.SECONDS);
  }

  private TsigDelegationBackend backend(TsigKey key) {
    return TsigDelegationBackend.builder(transport, DnsEndpoint.of(primary.address()), ZONE, key)
        .timeout(Duration.ofSeconds(5)).clock(Clock.systemUTC()).build();
  }

  private void load(Delegation d) {
    d.toRecords().forEach(primary::add);
  }

  private static DelegationChange change(String id, Delegation from, Delegation to) {
    return DelegationBackendContract.change(id, from, to);
  }

  private static Delegation initial() throws Exception {
    return DelegationBackendContract.initial();
  }

  @Test
  void readsTheDelegationFromTheReferralAndTheDsAnswer() throws Exception {
    load(initial());
    TsigDelegationBackend b = backend(KEY);
    assertThat(b.current(CHILD)).contains(initial());
    assertThat(b.current(Name.fromString("absent.parent.test."))).isEmpty();
    assertThatThrownBy(() -> b.current(Name.fromString("child.other.test.")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nsChangeIsOneSignedUpdateWithExactPrerequisites() throws Exception {
    load(initial());
    TsigDelegationBackend b = backend(KEY);

    ApplyResult r = b.apply(change("ns", initial(), DelegationBackendContract.withNs2()));

    assertThat(r).isEqualTo(new ApplyResult.Applied("ns"));
    assertThat(b.current(CHILD)).contains(DelegationBackendContract.withNs2());
    assertThat(primary.updates()).hasSize(1);
    Message u = primary.updates().get(0);
    assertThat(u.getTSIG()).as("TSIG on the UPDATE").isNotNull();
    assertThat(u.getTSIG().getName()).isEqualTo(Name.fromString("upd."));
    assertThat(u.getQuestion().getName()).isEqualTo(ZONE);
    assertThat(u.getQuestion().getType()).isEqualTo(Type.SOA);
    List<Record> prereq = u.getSection(Section.PREREQ);
    assertThat(prereq).allSatisfy(p -> assertThat(p.getTTL()).isZero());
    // RRset exists (value dependent): the expected NS, DS and glue, class IN
    assertThat(prereq).filteredOn(p -> p.getType() == Type.NS && p.getDClass() == DClass.IN)
        .extracting(Record::rdataToString)
        .containsExactlyInAnyOrder("ns.example.net.", "ns1.child.parent.test.");
    assertThat(prereq).filteredOn(p -> p.getType() == Type.DS && p.getDClass() == DClass.IN)
        .hasSize(1);
    assertThat(prereq).filteredOn(p -> p.getType() == Type.A && p.getDClass() == DClass.IN)
        .extracting(Record::rdataToString).containsExactly("192.0.2.1");
    assertThat(prereq).filteredOn(p -> p.getType() == Type.AAAA && p.getDClass() == DClass.IN)
        .hasSize(1);
    // update: NS RRset replaced, glue added for the new host (after clearing orphans); DS untouched
    List<Record> upd = u.getSection(Section.UPDATE);
    assertThat(upd).filteredOn(x -> x.getType() == Type.DS).isEmpty();
    assertThat(upd).filteredOn(x -> x.getType() == Type.NS && x.getDClass() == DClass.ANY)
        .hasSize(1);
    assertThat(upd).filteredOn(x -> x.getType() == Type.NS && x.getDClass() == DClass.IN)
        .extracting(Record::rdataToString).containsExactlyInAnyOrder("ns.example.net.",
            "ns1.child.parent.test.", "ns2.child.parent.test.");
    assertThat(upd).filteredOn(x -> x.getType() == Type.A && x.getDClass() == DClass.IN)
        .singleElement().satisfies(a -> {
          assertThat(a.getName()).isEqualTo(Name.fromString("ns2.child.parent.test."));
          assertThat(a.getTTL()).isEqualTo(1800);
        });
  }

  @Test
  void dsChangeReplacesOnlyTheDsRrset() throws Exception {
    load(initial());
    TsigDelegationBackend b = backend(KEY);

    assertThat(b.apply(change("ds", initial(), DelegationBackendContract.withNewDs())))
        .isEqualTo(new ApplyResult.Applied("ds"));

    assertThat(b.current(CHILD)).contains(DelegationBackendContract.withNewDs());
    List<Record> upd = primary.updates().get(0).getSection(Section.UPDATE);
    assertThat(upd).allSatisfy(x -> assertThat(x.getType()).isEqualTo(Type.DS));
    assertThat(upd).filteredOn(x -> x.getDClass() == DClass.IN).hasSize(2)
        .allSatisfy(x -> assertThat(x.getTTL()).isEqualTo(300));
  }

  @Test
  void anEmptyExpectedDsIsARrsetDoesNotExistPrerequisite() throws Exception {
    Delegation unsigned = DelegationBackendContract.unsignedOutOfBailiwick();
    load(unsigned);
    Delegation signed = Delegation.builder(CHILD)
        .nameservers(unsigned.nameservers().toArray(new Name[0]))
        .ds(new DsData(1, 13, 2, DelegationBackendContract.digest(1, 32)))
        .nsTtl(7200).dsTtl(600).glueTtl(1800).build();
    TsigDelegationBackend b = backend(KEY);

    assertThat(b.apply(change("sign", unsigned, signed))).isEqualTo(new ApplyResult.Applied("sign"));

    Message u = primary.updates().get(0);
    assertThat(u.getSection(Section.PREREQ))
        .filteredOn(p -> p.getType() == Type.DS).singleElement().satisfies(p -> {
          assertThat(p.getDClass()).isEqualTo(DClass.NONE);
          assertThat(p.getName()).isEqualTo(CHILD);
        });
    // the TTL of the (empty) glue RRsets is not observable in DNS: compared as DNS shows it
    assertThat(b.current(CHILD)).hasValueSatisfying(
        d -> assertThat(TsigDelegationBackend.sameInDns(d, signed)).isTrue());
    assertThat(b.current(CHILD).orElseThrow().glueTtl()).isEqualTo(Delegation.DEFAULT_TTL);
  }

  @Test
  void theDesiredDelegationAlreadyThereIsAlreadyAppliedWithoutAnUpdate() throws Exception {
    load(DelegationBackendContract.withNs2());
    TsigDelegationBackend b = backend(KEY);

    assertThat(b.apply(change("again", initial(), DelegationBackendContract.withNs2())))
        .isEqualTo(new ApplyResult.AlreadyApplied("again"));
    assertThat(primary.updates()).isEmpty();
  }

  @Test
  void aStaleReadIsAConflictWithoutAnUpdate() throws Exception {
    load(DelegationBackendContract.withNewDs());
    TsigDelegationBackend b = backend(KEY);

    assertThat(b.apply(change("stale", initial(), DelegationBackendContract.withNs2())))
        .isInstanceOf(ApplyResult.Conflict.class);
    assertThat(b.apply(new DelegationChange("gone", Name.fromString("gone.parent.test."),
        Delegation.builder(Name.fromString("gone.parent.test."))
            .nameservers(Name.fromString("a.example.")).build(),
        Delegation.builder(Name.fromString("gone.parent.test."))
            .nameservers(Name.fromString("b.example.")).build(),
        DelegationChange.Source.SCAN, DelegationBackendContract.T0)))
        .isInstanceOf(ApplyResult.Conflict.class);
    assertThat(primary.updates()).isEmpty();
  }

  @Test
  void thePrimaryRefusesAChangeMadeStaleBetweenReadAndUpdate() throws Exception {
    load(initial());
    TsigDelegationBackend b = backend(KEY);
    Record otherDs = new DsData(999, 13, 2, DelegationBackendContract.digest(9, 32))
        .toRecord(CHILD, 600);
    primary.beforeUpdate(() -> {
      primary.deleteRrset(CHILD, Type.DS);
      primary.add(otherDs);
    });

    ApplyResult r = b.apply(change("raced", initial(), DelegationBackendContract.withNs2()));

    assertThat(r).isInstanceOf(ApplyResult.Conflict.class);
    assertThat(((ApplyResult.Conflict) r).reason()).contains("NXRRSET");
    assertThat(primary.rrset(CHILD, Type.NS)).hasSize(2);
    assertThat(primary.rrset(CHILD, Type.DS)).containsExactly(otherDs);
  }

  @Test
  void aPrerequisiteFailureBecauseTheSameChangeLandedIsAlreadyApplied() throws Exception {
    load(initial());
    TsigDelegationBackend b = backend(KEY);
    Delegation target = DelegationBackendContract.withNewDs();
    primary.beforeUpdate(() -> {
      primary.deleteRrset(CHILD, Type.DS);
      target.toRecords().stream().filter(x -> x.getType() == Type.DS).forEach(primary::add);
    });

    assertThat(b.apply(change("twice", initial(), target)))
        .isEqualTo(new ApplyResult.AlreadyApplied("twice"));
  }

  @Test
  void rcodesMapToResultsAndExceptions() throws Exception {
    load(initial());
    TsigDelegationBackend b = backend(KEY);
    DelegationChange c = change("rc", initial(), DelegationBackendContract.withNs2());

    primary.forceUpdateRcode(Rcode.REFUSED);
    assertThat(b.apply(c)).isInstanceOf(ApplyResult.Rejected.class);
    primary.forceUpdateRcode(Rcode.NOTAUTH);
    assertThatThrownBy(() -> b.apply(c)).isInstanceOf(BackendException.class)
        .hasMessageContaining("NOTAUTH");
    primary.forceUpdateRcode(Rcode.SERVFAIL);
    assertThatThrownBy(() -> b.apply(c)).isInstanceOf(BackendException.class)
        .hasMessageContaining("SERVFAIL");
    primary.forceUpdateRcode(Rcode.NOTZONE);
    assertThatThrownBy(() -> b.apply(c)).isInstanceOf(BackendException.class);
    assertThat(b.current(CHILD)).contains(initial());
  }

  @Test
  void unsignedAnswersAreNotTrusted() throws Exception {
    load(initial());
    primary.unsignedAnswers(true);
    TsigDelegationBackend b = backend(KEY);
    assertThatThrownBy(() -> b.current(CHILD)).isInstanceOf(BackendException.class)
        .hasMessageContaining("without TSIG");
  }

  @Test
  void unsignedQueriesWhenAsked() throws Exception {
    load(initial());
    primary.unsignedAnswers(true);
    TsigDelegationBackend b = TsigDelegationBackend.builder(transport,
        DnsEndpoint.of(primary.address()), ZONE, KEY).signQueries(false).build();
    assertThat(b.current(CHILD)).contains(initial());
    // the UPDATE is still signed, and its unsigned answer still refused
    assertThatThrownBy(() -> b.apply(change("u", initial(), DelegationBackendContract.withNs2())))
        .isInstanceOf(BackendException.class);
  }

  @Test
  void aWrongSecretFailsWithoutRevealingEitherSecret() throws Exception {
    load(initial());
    String wrong = Base64.getEncoder().encodeToString(
        "another-secret-another-secret!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    TsigKey bad = TsigKey.of("upd", "hmac-sha256", wrong);
    TsigDelegationBackend b = backend(bad);

    assertThatThrownBy(() -> b.apply(change("bad", initial(), DelegationBackendContract.withNs2())))
        .isInstanceOf(BackendException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong).doesNotContain(SECRET));
    assertThat(primary.rrset(CHILD, Type.NS)).hasSize(2);
  }

  @Test
  void noAnswerIsABackendException() throws Exception {
    TsigDelegationBackend b = TsigDelegationBackend.builder(transport,
        DnsEndpoint.of(InetAddress.getLoopbackAddress(), 1), ZONE, KEY)
        .timeout(Duration.ofSeconds(2)).build();
    assertThatThrownBy(() -> b.current(CHILD)).isInstanceOf(BackendException.class);
  }

  @Test
  void aChildOutsideTheZoneIsRejected() throws Exception {
    Name outside = Name.fromString("child.other.test.");
    Delegation d = Delegation.builder(outside).nameservers(Name.fromString("a.example.")).build();
    Delegation e = Delegation.builder(outside).nameservers(Name.fromString("b.example.")).build();
    assertThat(backend(KEY).apply(new DelegationChange("x", outside, d, e,
        DelegationChange.Source.UPDATE, DelegationBackendContract.T0)))
        .isInstanceOf(ApplyResult.Rejected.class);
  }

  @Test
  void theSecretIsNeverShown() {
    assertThat(KEY.toString()).contains("upd.").contains("hmac-sha256").doesNotContain(SECRET)
        .contains("redacted");
    assertThat(backend(KEY).toString()).doesNotContain(SECRET).contains("parent.test.");
  }

  @Test
  void weakOrUnknownKeysAreRefused() {
    assertThatThrownBy(() -> TsigKey.of("upd", "hmac-md5.sig-alg.reg.int", SECRET))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TsigKey.of("upd", "hmac-nope", SECRET))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TsigKey.of("upd", "hmac-sha256", "c2hvcnQ="))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("c2hvcnQ=");
    assertThatThrownBy(() -> TsigKey.of("upd", "hmac-sha256", "not base64 at all!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("not base64 at all");
  }
}
