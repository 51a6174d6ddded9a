package io.github.zonecut.multisigner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/**
 * Issue 12 defect 7: NS targets inside the zone. Their A/AAAA must be served by every signer
 * before they enter an NS RRset (a resolver following the child's NS RRset needs the address) and
 * before the parent is asked to copy the NS RRset (it fetches the glue from the child, RFC 7477
 * §3.2, and does not act without it).
 */
class InZoneGlueTest {

  private static final Name NS1 = Name.fromConstantString("ns1.bravo.example.com.");
  private static final Name NS2 = Name.fromConstantString("ns2.bravo.example.com.");

  private static Simulation joinWithInZoneNs() {
    Simulation w = new Simulation(71);
    Simulation.Sig a = w.addSigner("alpha", 13, false, 3600, 3600, 3600);
    Simulation.Sig b = w.addSigner("bravo", 13, false, 3600, 3600, 3600);
    b.ownNs = new TreeSet<>(Set.of(NS1, NS2));
    b.ns = new TreeSet<>(b.ownNs);
    w.formGroup(List.of(a));
    return w;
  }

  /**
   * Whether some recorded state had the member (alpha) serve an in-zone NS target it served no
   * address for (the joiner serves its own NS RRset from the start: not the planner's doing).
   */
  private static boolean unaddressedNsServed(Simulation w) {
    for (TimedState t : w.timeline) {
      for (SignerSnapshot v : t.state().signers()) {
        if (!v.id().equals(SignerId.of("alpha"))) {
          continue;
        }
        for (Name n : v.ns().value()) {
          if (n.subdomain(w.zone) && v.isAnswering()
              && !v.inZoneAddresses().value().contains(n)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  @Test
  void inZoneNsTargetsWaitForTheirAddressesOnEverySigner() {
    Simulation w = joinWithInZoneNs();
    Intent join = Intent.group(SignerId.of("alpha"), SignerId.of("bravo"));
    Simulation.Result stuck = w.drive(Planner.create(), join, 60, 200);
    assertThat(stuck.last()).isInstanceOfSatisfying(Plan.AwaitChange.class, a ->
        assertThat(a.awaited()).isInstanceOf(Condition.AddressesServed.class));
    assertThat(w.parent.ns).doesNotContain(NS1, NS2);
    assertThat(unaddressedNsServed(w)).as("an NS RRset named an in-zone target without its address")
        .isFalse();

    // the zone owner adds the addresses on both signers: the join completes
    for (Simulation.Sig s : w.signers.values()) {
      s.addresses.addAll(Set.of(NS1, NS2));
      s.addressesSince = w.now;
    }
    Simulation.Result run = w.drive(Planner.create(), join, 60, 200);
    assertThat(run.last()).isInstanceOf(Plan.Done.class);
    assertThat(w.parent.ns).contains(NS1, NS2);
    assertThat(unaddressedNsServed(w)).isFalse();
    assertThat(GlitchChecker.check(w.timeline).glitchFree()).isTrue();
  }
}
