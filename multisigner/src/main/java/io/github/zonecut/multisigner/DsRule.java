package io.github.zonecut.multisigner;

import io.github.zonecut.core.DsData;
import io.github.zonecut.core.DnsKeyData;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The DS/CDS rule: the parent's DS RRset must cover exactly {@link PlanFacts#desiredDs()}. Every
 * serving signer publishes the same CDS/CDNSKEY for it once the DNSKEY RRsets are synchronised
 * (§5.3 steps 4–5, §5.4 steps 7–8, §5.6 steps 4 and 9, §5.7 steps 5 and 9), then the parent is
 * awaited; once the parent's DS RRset is the final one, the signals are removed (§5.3 step 7,
 * §5.4 step 11, §5.6 step 11, §5.7 step 11). With HSYNCPARAM parentsync=owner, or a parent that
 * does not scan CDS, the zone owner is awaited instead.
 */
final class DsRule {

  private DsRule() {}

  static Decisions decide(PlanFacts f) {
    Decisions d = new Decisions();
    Set<DnsKeyData> ds = d.use(f.desiredDs(), f.now);
    Condition synced = new Condition.ParentDsCovers(ds);
    List<SignerSnapshot> targets = f.answering;
    if (!f.parentDsSynced()) {
      if (f.intent.policy().parentSync() == GroupPolicy.Actor.OWNER || !f.policy.scansCds()) {
        d.awaitParent(synced, lastSince(targets, SignerSnapshot::dnskey),
            "the zone owner must update the parent's DS RRset (HSYNCPARAM parentsync=owner or a "
                + "parent that does not scan CDS)", f.policy, f.now);
        return d;
      }
      if (f.pendingAdditions()) {
        return d; // §5.3 steps 3 before 4: DNSKEY RRsets are synchronised first
      }
      Set<DsData> cds = new TreeSet<>();
      if (f.policy.consumesCds()) {
        for (DnsKeyData k : ds) {
          cds.add(DsData.compute(f.zone, k, f.policy.publishedDigestType()));
        }
      }
      Set<DnsKeyData> cdnskey = f.policy.consumesCdnskey() ? ds : Set.of();
      boolean allPublished = true;
      for (SignerSnapshot v : targets) {
        if (!v.cds().value().equals(cds) || !v.cdnskey().value().equals(cdnskey)) {
          allPublished = false;
          d.step(new Step.SetCds(v.id(), cds, cdnskey), List.of(),
              "publish CDS/CDNSKEY for " + PlanFacts.describeKeys(ds) + " on every signer", cdsRef(f, ds));
        }
      }
      if (allPublished) {
        d.awaitParent(synced, lastSince(targets, SignerSnapshot::cds),
            "waiting for the parent to publish DS for " + PlanFacts.describeKeys(ds), f.policy, f.now);
      }
    } else if (f.cfg.removeSignalsWhenDone() && ds.equals(f.finalDs())) {
      for (SignerSnapshot v : targets) {
        if (!v.cds().value().isEmpty() || !v.cdnskey().value().isEmpty()) {
          d.step(new Step.SetCds(v.id(), Set.of(), Set.of()), List.of(synced),
              "the parent has published the DS RRset; remove CDS/CDNSKEY", cdsRemovalRef(f));
        }
      }
    }
    return d;
  }

  /** Why the DS RRset changes: a join, a leave, an algorithm or a KSK/CSK rollover (and which half). */
  private static String cdsRef(PlanFacts f, Set<DnsKeyData> ds) {
    if (f.hasJoiner()) {
      return "§5.3 steps 4-5";
    }
    for (SignerSnapshot l : f.leaving) {
      for (OwnedKey k : l.ownKeys()) {
        if (f.parentCovers(k.key()) && !ds.contains(k.key())) {
          return "§5.4 steps 7-8";
        }
      }
    }
    boolean retiringPresent = false;
    for (DnsKeyData k : ds) {
      retiringPresent |= f.retiring.contains(k);
    }
    if (f.algorithmRoll != null) {
      return retiringPresent ? "§5.7 step 5" : "§5.7 step 5, §5.7 step 9";
    }
    return retiringPresent ? "§5.6 step 4" : "§5.6 step 9";
  }

  private static String cdsRemovalRef(PlanFacts f) {
    if (!f.leaving.isEmpty()) {
      return "§5.4 step 11";
    }
    if (f.algorithmRoll != null) {
      return "§5.7 step 11";
    }
    for (Rollover r : f.intent.rollovers()) {
      if (r instanceof Rollover.Sep) {
        return "§5.6 step 11";
      }
    }
    return "§5.3 step 7";
  }

  static Instant lastSince(List<SignerSnapshot> vs, Function<SignerSnapshot, Observed<?>> f) {
    Instant last = Instant.MIN;
    for (SignerSnapshot v : vs) {
      last = Waits.max(last, f.apply(v).since());
    }
    return last == Instant.MIN ? Instant.EPOCH : last;
  }
}
