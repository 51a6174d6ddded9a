package io.github.zonecut.multisigner;

import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.core.DsData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The oracle itself: it passes correct sequences and catches the classic wrong orders. */
class GlitchCheckerTest {

  private static Simulation twoSigners(long seed) {
    Simulation w = new Simulation(seed);
    Simulation.Sig a = w.addSigner("alpha", 13, false, 3600, 3600, 3600);
    Simulation.Sig b = w.addSigner("bravo", 13, false, 3600, 3600, 3600);
    w.formGroup(List.of(a, b));
    w.record();
    return w;
  }

  @Test
  void aStableGroupIsClean() {
    Simulation w = twoSigners(1);
    w.advanceTo(w.now.plus(Duration.ofDays(1)));
    w.record();
    GlitchReport r = GlitchChecker.check(w.timeline);
    assertThat(r).isInstanceOf(GlitchReport.Clean.class);
    assertThat(((GlitchReport.Clean) r).combinations()).isPositive();
  }

  @Test
  void removingAZskBeforeItsSignaturesExpireIsCaught() {
    Simulation w = twoSigners(2);
    Simulation.Sig a = w.signers.get(SignerId.of("alpha"));
    DnsKeyData ksk = a.own.get(0).key();
    DnsKeyData old = a.own.get(1).key();
    DnsKeyData fresh = w.newKey(a.id, KeyRole.ZSK, 13);
    a.own.add(OwnedKey.of(fresh, KeyRole.ZSK));
    for (Simulation.Sig s : w.signers.values()) {
      w.apply(new Step.AddDnskeys(s.id, Set.of(fresh)));
    }
    w.advanceTo(w.now.plus(Duration.ofDays(1)));
    w.apply(new Step.SetSigning(a.id, Signing.of(Set.of(fresh), Set.of(ksk))));
    // wrong: the old ZSK leaves the DNSKEY RRsets while RRSIGs made with it are still cached
    for (Simulation.Sig s : w.signers.values()) {
      w.apply(new Step.RemoveDnskeys(s.id, Set.of(old)));
    }
    w.advanceTo(w.now.plus(Duration.ofDays(1)));
    w.record();
    GlitchReport r = GlitchChecker.check(w.timeline);
    assertThat(r).isInstanceOf(GlitchReport.Glitch.class);
    assertThat(((GlitchReport.Glitch) r).problem()).contains("holds none of those keys");
  }

  @Test
  void signingWithAZskBeforeItPropagatedIsCaught() {
    Simulation w = twoSigners(3);
    Simulation.Sig a = w.signers.get(SignerId.of("alpha"));
    DnsKeyData ksk = a.own.get(0).key();
    DnsKeyData fresh = w.newKey(a.id, KeyRole.ZSK, 13);
    a.own.add(OwnedKey.of(fresh, KeyRole.ZSK));
    for (Simulation.Sig s : w.signers.values()) {
      w.apply(new Step.AddDnskeys(s.id, Set.of(fresh)));
    }
    w.advanceTo(w.now.plusSeconds(10)); // wrong: no DNSKEY-Wait-Time
    w.apply(new Step.SetSigning(a.id, Signing.of(Set.of(fresh), Set.of(ksk))));
    w.advanceTo(w.now.plus(Duration.ofDays(1)));
    w.record();
    assertThat(GlitchChecker.check(w.timeline).glitchFree()).isFalse();
  }

  @Test
  void droppingTheOldKskBeforeTheNewDsPropagatedIsCaught() {
    Simulation w = twoSigners(4);
    Simulation.Sig a = w.signers.get(SignerId.of("alpha"));
    DnsKeyData oldKsk = a.own.get(0).key();
    DnsKeyData zsk = a.own.get(1).key();
    DnsKeyData newKsk = w.newKey(a.id, KeyRole.KSK, 13);
    a.own.add(OwnedKey.of(newKsk, KeyRole.KSK));
    w.apply(new Step.AddDnskeys(a.id, Set.of(newKsk)));
    w.apply(new Step.SetSigning(a.id, Signing.of(Set.of(zsk), Set.of(oldKsk, newKsk))));
    w.advanceTo(w.now.plus(Duration.ofDays(1)));
    // the parent publishes the new DS set; wrong: the old KSK goes at once, no DS-Wait-Time
    w.parent.ds.add(DsData.compute(Simulation.ZONE, newKsk, DsData.SHA256));
    w.parent.dsSince = w.now;
    w.record();
    w.advanceTo(w.now.plusSeconds(60));
    w.apply(new Step.SetSigning(a.id, Signing.of(Set.of(zsk), Set.of(newKsk))));
    w.apply(new Step.RemoveDnskeys(a.id, Set.of(oldKsk)));
    w.advanceTo(w.now.plus(Duration.ofDays(1)));
    w.record();
    GlitchReport r = GlitchChecker.check(w.timeline);
    assertThat(r).isInstanceOf(GlitchReport.Glitch.class);
    assertThat(((GlitchReport.Glitch) r).problem()).contains("no DS matches");
  }

  @Test
  void addingAJoinersNsBeforeItsDsIsCaught() {
    Simulation w = new Simulation(5);
    Simulation.Sig a = w.addSigner("alpha", 13, false, 3600, 3600, 3600);
    Simulation.Sig b = w.addSigner("bravo", 13, false, 3600, 3600, 3600);
    w.formGroup(List.of(a));
    w.record();
    w.apply(new Step.AddDnskeys(a.id, Set.of(b.own.get(1).key())));
    w.apply(new Step.AddDnskeys(b.id, Set.of(a.own.get(1).key())));
    w.advanceTo(w.now.plus(Duration.ofDays(1)));
    Set<org.xbill.DNS.Name> all = new java.util.TreeSet<>(a.ownNs);
    all.addAll(b.ownNs);
    w.apply(new Step.SetNs(a.id, all)); // wrong: bravo's KSK has no DS yet
    w.advanceTo(w.now.plus(Duration.ofDays(1)));
    w.record();
    GlitchReport r = GlitchChecker.check(w.timeline);
    assertThat(r).isInstanceOf(GlitchReport.Glitch.class);
    assertThat(((GlitchReport.Glitch) r).dnskey()).startsWith("bravo");
  }

  @Test
  void anEmptyDsRrsetIsReportedAsInsecure() {
    Simulation w = twoSigners(6);
    w.parent.ds.clear();
    w.parent.dsSince = w.now;
    w.record();
    GlitchReport r = GlitchChecker.check(w.timeline);
    assertThat(r).isInstanceOf(GlitchReport.Glitch.class);
    assertThat(((GlitchReport.Glitch) r).problem()).contains("insecure");
  }

  @Test
  void rejectsBadTimelines() {
    assertThatThrownBy(() -> GlitchChecker.check(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    Simulation w = twoSigners(7);
    TimedState first = w.timeline.get(0);
    TimedState earlier = new TimedState(first.at().minusSeconds(1), first.state());
    assertThatThrownBy(() -> GlitchChecker.check(List.of(first, earlier)))
        .hasMessageContaining("out of order");
  }
}
