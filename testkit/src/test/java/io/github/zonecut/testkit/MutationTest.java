package io.github.zonecut.testkit;

import static io.github.zonecut.testkit.Dns.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/** Run-time edits are atomic, re-signed, and visible to validators. */
class MutationTest {

  private static TestHierarchy start(Clock clock) throws IOException {
    return TestHierarchy.builder()
        .clock(clock)
        .signatureValidity(Duration.ofDays(1))
        .zone("test.")
        .zone("child.test.", z -> z.keyScheme(KeyScheme.KSK_ZSK).records("www A 192.0.2.1"))
        .start();
  }

  private static Message validated(TestHierarchy h, String name, int type) throws IOException {
    return send(h.newValidatingResolver(), name, type);
  }

  @Test
  void addRemoveAndReplaceAreReSignedAndValidate() throws Exception {
    try (TestHierarchy h = start(Dns.CLOCK)) {
      TestZone child = h.zone("child.test.");
      long serial = child.serial();
      child.add("new TXT \"added\"");
      Message added = validated(h, "new.child.test.", Type.TXT);
      assertThat(added.getHeader().getFlag(Flags.AD)).isTrue();
      assertThat(added.getSection(Section.ANSWER)).anyMatch(r -> r.getType() == Type.TXT);

      child.replace("www A 192.0.2.2");
      Message replaced = validated(h, "www.child.test.", Type.A);
      assertThat(replaced.getHeader().getFlag(Flags.AD)).isTrue();
      assertThat(replaced.getSection(Section.ANSWER))
          .filteredOn(r -> r.getType() == Type.A)
          .extracting(r -> ((ARecord) r).getAddress().getHostAddress())
          .containsExactly("192.0.2.2");

      child.remove("new TXT \"added\"");
      Message removed = validated(h, "new.child.test.", Type.TXT);
      assertThat(removed.getRcode()).isEqualTo(Rcode.NXDOMAIN);
      assertThat(removed.getHeader().getFlag(Flags.AD)).isTrue();
      assertThat(child.serial()).isEqualTo(serial + 3);
    }
  }

  @Test
  void editsReSignOnlyWhatChangedAndResignRenewsEverything() throws Exception {
    try (TestHierarchy h = start(Dns.CLOCK)) {
      TestZone child = h.zone("child.test."); // ECDSA: every fresh signature differs
      Record wwwSig = child.rrset("www", Type.A).orElseThrow().sigs().get(0);
      child.add("zzz A 192.0.2.3");
      assertThat(child.rrset("www", Type.A).orElseThrow().sigs()).containsExactly((org.xbill.DNS.RRSIGRecord) wwwSig);
      assertThat(child.rrset("zzz", Type.A).orElseThrow().sigs()).hasSize(1);
      assertThat(child.rrset("@", Type.SOA).orElseThrow().sigs().get(0).getTimeSigned()).isNotNull();
      child.resign();
      assertThat(child.rrset("www", Type.A).orElseThrow().sigs().get(0).getSignature())
          .isNotEqualTo(((org.xbill.DNS.RRSIGRecord) wwwSig).getSignature());
      assertThat(validated(h, "zzz.child.test.", Type.A).getHeader().getFlag(Flags.AD)).isTrue();
    }
  }

  @Test
  void foreignDnskeyJoinsTheSignedKeySet() throws Exception {
    try (TestHierarchy h = start(Dns.CLOCK)) {
      TestZone child = h.zone("child.test.");
      // another signer's ZSK (RFC 8901 model 2): published, not used by us to sign
      child.add("@ DNSKEY 256 3 13 " + org.xbill.DNS.utils.base64.toString(
          h.zone("test.").dnskeys().get(0).getKey()));
      assertThat(child.rrset("@", Type.DNSKEY).orElseThrow().size()).isEqualTo(3);
      Message keys = validated(h, "child.test.", Type.DNSKEY);
      assertThat(keys.getHeader().getFlag(Flags.AD)).isTrue();
      assertThat(validated(h, "www.child.test.", Type.A).getHeader().getFlag(Flags.AD)).isTrue();
    }
  }

  @Test
  void failedEditChangesNothing() throws Exception {
    try (TestHierarchy h = start(Dns.CLOCK)) {
      TestZone child = h.zone("child.test.");
      long serial = child.serial();
      assertThatThrownBy(() -> child.edit(e -> e.add("x A 192.0.2.9").add("y A not-an-address")))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> child.edit(e -> e.removeRRset("@", Type.NS)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("apex SOA and NS");
      assertThatThrownBy(() -> child.edit(e -> e.removeRRset("@", Type.SOA)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("SOA");
      assertThatThrownBy(() -> child.add("www.elsewhere. A 192.0.2.1"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("outside zone");
      assertThat(child.serial()).isEqualTo(serial);
      assertThat(child.rrset("x", Type.A)).isEmpty();
      assertThat(child.rrset("@", Type.NS)).isPresent();
      assertThat(validated(h, "www.child.test.", Type.A).getHeader().getFlag(Flags.AD)).isTrue();
    }
  }

  @Test
  void childApexNsChangesTheParentsDelegation() throws Exception {
    try (TestHierarchy h = start(Dns.CLOCK)) {
      h.zone("child.test.").edit(e -> e.add("@ NS ns2.child.test.").add("ns2 A 127.0.0.1"));
      List<Record> delegation = h.zone("test.").rrset("child.test.", Type.NS).orElseThrow().rrs(false);
      assertThat(delegation).extracting(r -> ((NSRecord) r).getTarget())
          .containsExactlyInAnyOrder(Dns.name("ns1.child.test."), Dns.name("ns2.child.test."));
      assertThat(h.zone("test.").rrset("ns2.child.test.", Type.A)).isPresent(); // glue
      assertThat(validated(h, "www.child.test.", Type.A).getHeader().getFlag(Flags.AD)).isTrue();
    }
  }

  @Test
  void expiredSignaturesAreBogusUntilReSigned() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    try (TestHierarchy h = start(clock)) {
      assertThat(validated(h, "www.child.test.", Type.A).getHeader().getFlag(Flags.AD)).isTrue();
      clock.advance(Duration.ofDays(2));
      assertThat(validated(h, "www.child.test.", Type.A).getRcode()).isEqualTo(Rcode.SERVFAIL);
      h.zones().forEach(TestZone::resign);
      assertThat(validated(h, "www.child.test.", Type.A).getHeader().getFlag(Flags.AD)).isTrue();
    }
  }

  @Test
  void concurrentEditsAreAllApplied() throws Exception {
    try (TestHierarchy h = start(Dns.CLOCK)) {
      TestZone child = h.zone("child.test.");
      long serial = child.serial();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          int n = i;
          done.add(pool.submit(() -> child.add("host" + n + " A 192.0.2." + n)));
        }
        for (Future<?> f : done) {
          f.get(30, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(child.serial()).isEqualTo(serial + 20);
      for (int i = 0; i < 20; i++) {
        assertThat(child.rrset("host" + i, Type.A)).as("host" + i).isPresent();
      }
      ValidatingResolver v = h.newValidatingResolver();
      assertThat(send(v, "host19.child.test.", Type.A).getHeader().getFlag(Flags.AD)).isTrue();
    }
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private static long servedSerial(SimpleResolver r) throws IOException {
    return ((SOARecord) send(r, "child.test.", Type.SOA).getSection(Section.ANSWER).get(0))
        .getSerial();
  }

  @Test
  void aTriggerEditsTheZoneAfterTheNthMatchingAnswerAndBeforeItIsSent() throws Exception {
    try (TestHierarchy h = start(Dns.CLOCK)) {
      TestZone child = h.zone("child.test.");
      Endpoint ns1 = h.nameserver("ns1.child.test.");
      SimpleResolver r = Dns.dnssecResolver(ns1);
      long serial = child.serial();
      ns1.onceAfterAnswering(2, q -> q.message().getQuestion().getType() == Type.SOA,
          () -> child.add("moved TXT \"edited between two reads\""));

      assertThat(send(r, "www.child.test.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(servedSerial(r)).isEqualTo(serial); // 1st SOA: does not fire
      assertThat(ns1.hasPendingTrigger()).isTrue();
      // 2nd SOA: fires, but its own answer was computed before the edit
      assertThat(servedSerial(r)).isEqualTo(serial);
      assertThat(ns1.hasPendingTrigger()).isFalse();
      // every later read sees the edit, which ran once
      assertThat(servedSerial(r)).isEqualTo(serial + 1);
      assertThat(servedSerial(r)).isEqualTo(serial + 1);
      assertThat(child.serial()).isEqualTo(serial + 1);
    }
  }

  @Test
  void aTriggerCanBeClearedOrReplacedAndAFailingActionStillAnswers() throws Exception {
    try (TestHierarchy h = start(Dns.CLOCK)) {
      TestZone child = h.zone("child.test.");
      Endpoint ns1 = h.nameserver("ns1.child.test.");
      SimpleResolver r = Dns.dnssecResolver(ns1);
      long serial = child.serial();
      ns1.onceAfterAnswering(1, q -> true, () -> child.add("a TXT \"never\""));
      ns1.clearTrigger();
      assertThat(ns1.hasPendingTrigger()).isFalse();
      assertThat(servedSerial(r)).isEqualTo(serial);
      assertThat(servedSerial(r)).isEqualTo(serial);

      ns1.onceAfterAnswering(1, q -> true, () -> child.add("b TXT \"replaced\""));
      ns1.onceAfterAnswering(1, q -> true, () -> {
        throw new IllegalStateException("a broken action");
      });
      assertThat(servedSerial(r)).isEqualTo(serial); // answered despite the failing action
      assertThat(ns1.hasPendingTrigger()).isFalse();
      assertThat(servedSerial(r)).isEqualTo(serial); // the replaced action never ran
      assertThatThrownBy(() -> ns1.onceAfterAnswering(0, q -> true, () -> { }))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aDroppedQueryDoesNotCountAndAServicesAnswerDoes() throws Exception {
    try (TestHierarchy h = start(Dns.CLOCK)) {
      TestZone child = h.zone("child.test.");
      Endpoint ns1 = h.nameserver("ns1.child.test.");
      long serial = child.serial();
      ns1.onceAfterAnswering(1, q -> true, () -> child.add("fired TXT \"once\""));
      ns1.setFault(Fault.silence());
      SimpleResolver quick = Dns.dnssecResolver(ns1);
      quick.setTimeout(Duration.ofMillis(300));
      assertThatThrownBy(() -> send(quick, "child.test.", Type.SOA))
          .isInstanceOf(IOException.class);
      assertThat(ns1.hasPendingTrigger()).isTrue();
      ns1.clearFault();
      // a service answering TXT queries with the zone's answer: its answer fires the trigger
      ns1.install(Service.of(q -> q.message().getQuestion().getType() == Type.TXT,
          q -> Optional.of(q.standardAnswerWire())));
      SimpleResolver r = Dns.dnssecResolver(ns1);
      assertThat(send(r, "www.child.test.", Type.TXT).getRcode()).isEqualTo(Rcode.NOERROR);
      assertThat(ns1.hasPendingTrigger()).isFalse();
      assertThat(servedSerial(r)).isEqualTo(serial + 1);
    }
  }
}
