package io.github.zonecut.multisigner;

import io.github.zonecut.core.DnsKeyData;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The DNSKEY rule: what each serving signer's DNSKEY RRset must gain and lose. Every serving signer
 * publishes every zone-signing key in use by any signer and its own new keys (RFC 8901 model 2,
 * §5.3 step 3, §5.5 steps 1–2, §5.6 steps 1–2, §5.7 steps 1 and 4); a new-algorithm key only once
 * its signatures are cached (RFC 6781 §4.1.4). A retiring key leaves once nothing cached depends
 * on it (§5.4 step 9, §5.5 step 6, §5.6 steps 7–8, §5.7 step 8); a leaving signer's own RRset is
 * not cleaned, it stops answering instead.
 */
final class DnskeyRule {

  private DnskeyRule() {}

  static Decisions decide(PlanFacts f) {
    Decisions d = new Decisions();
    for (SignerSnapshot v : f.answering) {
      Set<DnsKeyData> missing = d.use(f.missingDnskeys(v), f.now);
      if (!missing.isEmpty()) {
        d.step(new Step.AddDnskeys(v.id(), missing), List.of(),
            "publish " + PlanFacts.describeKeys(missing) + " so every signer's DNSKEY RRset covers "
                + "every zone-signing key in use (RFC 8901 model 2)",
            additionRef(f, v, missing));
      }
    }
    for (SignerSnapshot v : f.answering) {
      if (!f.isTarget(v)) {
        continue; // a leaving signer's RRset is not cleaned; it stops answering
      }
      Set<DnsKeyData> remove = new TreeSet<>();
      Set<String> refs = new TreeSet<>();
      for (DnsKeyData k : v.dnskey().value()) {
        if (f.stale.contains(k)) {
          remove.add(k); // zonecut: a key no current signer holds (key-tag ownership)
        } else if (f.retiring.contains(k) && d.open(f.eligible(k), f.now)) {
          remove.add(k);
          refs.add(retirementRef(f, k, "§5.5 step 6", "§5.6 steps 7-8", "§5.7 step 8"));
        }
      }
      if (!remove.isEmpty()) {
        List<Condition> pre = new ArrayList<>();
        for (DnsKeyData k : remove) {
          PlanFacts.Owner o = f.owners.get(k);
          if (o != null && !o.signer().isAnswering()) {
            pre.add(new Condition.Answering(o.signer().id(), false));
          }
        }
        d.step(new Step.RemoveDnskeys(v.id(), remove), pre,
            "retire " + PlanFacts.describeKeys(remove) + ": no cached signature or DS depends on "
                + (remove.size() == 1 ? "it" : "them") + " any more",
            String.join(", ", refs));
      }
    }
    return d;
  }

  /** The draft step that publishes {@code keys} on {@code v}, from why each key is added. */
  private static String additionRef(PlanFacts f, SignerSnapshot v, Set<DnsKeyData> keys) {
    Set<String> refs = new TreeSet<>();
    Rollover.Algorithm roll = f.algorithmRoll;
    for (DnsKeyData k : keys) {
      PlanFacts.Owner o = f.owners.get(k);
      if (o == null) {
        continue;
      }
      boolean own = o.signer() == v;
      if (f.isJoining(v) || f.isJoining(o.signer())) {
        refs.add("§5.3 step 3"); // a join synchronises the DNSKEY RRsets
      } else if (roll != null && k.algorithm() == roll.to()) {
        refs.add(own ? "§5.7 step 1" : "§5.7 step 4");
      } else if (k.isSep()) {
        refs.add(own ? "§5.6 step 1" : "§5.6 step 2");
      } else {
        refs.add(own ? "§5.5 step 1" : "§5.5 step 2");
      }
    }
    return String.join(", ", refs);
  }

  /** The draft step retiring {@code k}: a leave, an algorithm rollover, or a KSK/CSK or ZSK rollover. */
  static String retirementRef(PlanFacts f, DnsKeyData k, String zsk, String sep, String alg) {
    if (f.byAlgorithmRoll.contains(k)) {
      return alg;
    }
    PlanFacts.Owner o = f.owners.get(k);
    if (o != null && !f.isTarget(o.signer())) {
      return "§5.4 step 9";
    }
    return k.isSep() ? sep : zsk;
  }
}
