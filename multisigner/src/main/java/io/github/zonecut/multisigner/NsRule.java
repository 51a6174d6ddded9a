package io.github.zonecut.multisigner;

import io.github.zonecut.core.DnsKeyData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * The NS/CSYNC rule: the apex NS RRset every serving signer serves, and the CSYNC that asks the
 * parent to copy it. A joining signer's NS names are added only when the parent's DS covers its
 * KSK/CSK for DS-Wait-Time and every DNSKEY RRset has propagated (§5.3 steps 8–10); a leaving
 * signer's only after every join completed and the group's NS RRset propagated (§5.4 step 1,
 * zonecut: the join ends with NS-Wait-Time). CSYNC until the parent follows (§5.3 steps 11–13,
 * §5.4 steps 2–4), or the zone owner is awaited (HSYNCPARAM nsmgmt/parentsync=owner).
 */
final class NsRule {

  private NsRule() {}

  static Decisions decide(PlanFacts f) {
    Decisions d = new Decisions();
    Set<Name> n = new LinkedHashSet<>();
    List<SignerSnapshot> nsTargets = new ArrayList<>();
    boolean allAdmitted = true;
    Set<Name> targetNames = new HashSet<>();
    for (SignerSnapshot t : f.target) {
      targetNames.addAll(t.ownNs());
      if (f.admitted(t)) {
        n.addAll(t.ownNs());
        nsTargets.add(t);
      } else {
        allAdmitted = false;
        if (readyToBeAdmitted(f, t, d)) {
          n.addAll(t.ownNs());
          nsTargets.add(t);
        }
      }
    }
    boolean leaveStarted = false;
    for (SignerSnapshot l : f.leaving) {
      for (Name name : l.ownNs()) {
        for (SignerSnapshot t : f.target) {
          leaveStarted |= f.admitted(t) && !t.ns().value().contains(name);
        }
      }
    }
    Observed<Set<Name>> parentNs = f.parentNs;
    boolean parentHasTargets = parentNs != null && parentNs.value().containsAll(targetNames);
    // use case §3.2: the new signer has fully joined (NS published and propagated) before the
    // old one starts leaving; once the leave has started it is never undone
    boolean leaveAllowed = allAdmitted
        && (leaveStarted || (parentHasTargets && !f.waits.pending(f.waits.ns())));
    for (SignerSnapshot l : f.leaving) {
      if (!leaveAllowed) {
        for (Name name : l.ownNs()) {
          if (f.presentElsewhere(name, l)) {
            n.add(name);
          }
        }
      }
      if (l.isAnswering()) {
        // zonecut: a parent may demand the same NS and CSYNC from every server of the
        // delegation, so the leaving signer serves them too until it stops (as MUSIC did)
        nsTargets.add(l);
      }
    }
    if (!leaveAllowed && allAdmitted && f.hasAnsweringLeaver() && parentHasTargets) {
      d.waitFor(new Decisions.Wait(f.waits.ns(), WaitKind.NS_WAIT, "",
          () -> "the group's NS RRset must propagate before a signer leaves (zonecut: join ends "
              + "with NS-Wait-Time)"), f.now);
    }
    boolean nsSynced = true;
    boolean leavingOnly = f.hasAnsweringLeaver() && !f.hasJoiner();
    Set<Name> newInZone = newInZoneTargets(f, n);
    for (SignerSnapshot t : nsTargets) {
      Set<Name> unaddressed = unaddressed(t, newInZone);
      if (!unaddressed.isEmpty()) {
        // defect 7: an NS target inside the zone is reachable only through addresses the zone
        // serves (and the parent copies as glue, RFC 7477 §3.2); they come first
        nsSynced = false;
        // the need arose with the last DNSKEY/CDS change that made the NS change due
        Instant since = Waits.max(t.inZoneAddresses().since(), Waits.max(
            DsRule.lastSince(f.answering, SignerSnapshot::dnskey),
            DsRule.lastSince(f.answering, SignerSnapshot::cds)));
        d.awaitParent(new Condition.AddressesServed(t.id(), unaddressed), since,
            "the zone owner must have " + t.id() + " serve A/AAAA records for the in-zone NS "
                + "targets " + unaddressed + " before they enter the NS RRset", f.policy, f.now);
        continue;
      }
      if (t.ns().value().equals(n)) {
        continue;
      }
      nsSynced = false;
      if (f.intent.policy().nsManagement() == GroupPolicy.Actor.OWNER) {
        d.awaitParent(new Condition.NsIs(t.id(), n), t.ns().since(),
            "the zone owner manages NS (HSYNCPARAM nsmgmt=owner): set the apex NS RRset to " + n,
            f.policy, f.now);
      } else {
        d.step(new Step.SetNs(t.id(), n), List.of(),
            "serve the group's NS RRset (" + n.size() + " names)",
            leavingOnly ? "§5.4 step 1" : "§5.3 steps 9-10");
      }
    }
    if (!nsSynced || n.isEmpty()) {
      return d;
    }
    Condition parentSynced = new Condition.ParentNsIs(n);
    if (parentNs == null || !parentNs.value().equals(n)) {
      if (f.intent.policy().parentSync() == GroupPolicy.Actor.OWNER || !f.policy.processesCsync()) {
        d.awaitParent(parentSynced, DsRule.lastSince(nsTargets, SignerSnapshot::ns),
            "the zone owner must update the delegation NS RRset to " + n, f.policy, f.now);
        return d;
      }
      boolean allPublished = true;
      String ref = f.hasJoiner() || f.leaving.isEmpty() ? "§5.3 step 11" : "§5.4 step 2";
      for (SignerSnapshot t : nsTargets) {
        if (!t.csync().value()) {
          allPublished = false;
          d.step(new Step.SetCsync(t.id(), true), List.of(new Condition.NsIs(t.id(), n)),
              "signal the NS change to the parent with CSYNC (NS A AAAA)", ref);
        }
      }
      if (allPublished) {
        d.awaitParent(parentSynced, DsRule.lastSince(nsTargets, SignerSnapshot::csync),
            "waiting for the parent to publish NS " + n, f.policy, f.now);
      }
    } else if (f.cfg.removeSignalsWhenDone()) {
      for (SignerSnapshot t : f.answering) {
        if (t.csync().value()) {
          d.step(new Step.SetCsync(t.id(), false), List.of(parentSynced),
              "the parent has published the NS RRset; remove CSYNC",
              f.leaving.isEmpty() ? "§5.3 step 13" : "§5.4 step 4");
        }
      }
    }
    return d;
  }

  /** Names of {@code n} inside the zone that the parent does not delegate to yet (so has no glue for). */
  private static Set<Name> newInZoneTargets(PlanFacts f, Set<Name> n) {
    Set<Name> out = Set.of();
    Observed<Set<Name>> parentNs = f.parentNs;
    for (Name name : n) {
      if (name.subdomain(f.zone) && (parentNs == null || !parentNs.value().contains(name))) {
        if (out.isEmpty()) {
          out = new LinkedHashSet<>();
        }
        out.add(name);
      }
    }
    return out;
  }

  private static Set<Name> unaddressed(SignerSnapshot t, Set<Name> inZone) {
    if (inZone.isEmpty() || t.inZoneAddresses().value().containsAll(inZone)) {
      return Set.of();
    }
    Set<Name> out = new LinkedHashSet<>(inZone);
    out.removeAll(t.inZoneAddresses().value());
    return out;
  }

  /** §5.3 step 8: the joining signer's DS and every signer's DNSKEY RRset have propagated. */
  private static boolean readyToBeAdmitted(PlanFacts f, SignerSnapshot j, Decisions d) {
    if (f.pendingAdditions() || !f.parentDsSynced() || f.parentDs == null) {
      return false;
    }
    Set<DnsKeyData> ds = f.desiredDs().value();
    boolean dsCovers = false;
    for (DnsKeyData k : j.signing().value().dnskeyKeys()) {
      dsCovers |= j.dnskey().value().contains(k) && ds.contains(k);
    }
    if (!dsCovers) {
      return false;
    }
    Instant ready = Waits.max(f.waits.ds(), f.waits.dnskey());
    if (f.waits.pending(ready)) {
      d.waitFor(new Decisions.Wait(ready,
          f.waits.ds().isAfter(f.waits.dnskey()) ? WaitKind.DS_WAIT : WaitKind.DNSKEY_WAIT,
          "§5.3 step 8",
          () -> "wait max(DS-Wait-Time, DNSKEY-Wait-Time) before " + j.id()
              + " is added to the NS RRset"), f.now);
      return false;
    }
    return true;
  }
}
