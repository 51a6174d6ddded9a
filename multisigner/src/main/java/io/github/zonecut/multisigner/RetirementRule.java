package io.github.zonecut.multisigner;

import io.github.zonecut.core.DnsKeyData;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The retirement rule, for the keys each target signer holds: a rollover whose signer holds no
 * other key of the role and algorithm asks it to generate a successor first (§5.5 step 1, §5.6
 * step 1, §5.7 step 1); a retiring key that no RRset, signature or DS uses any more (RFC 7583
 * "Removed") is deleted last.
 */
final class RetirementRule {

  private RetirementRule() {}

  /** Successor keys to generate (these steps come before every other rule's). */
  static Decisions successors(PlanFacts f) {
    Decisions d = new Decisions();
    Rollover.Algorithm roll = f.algorithmRoll;
    for (SignerSnapshot t : f.target) {
      Set<String> planned = new HashSet<>();
      for (OwnedKey k : t.ownKeys()) {
        if (!f.retiring.contains(k.key())) {
          continue;
        }
        int alg = f.byAlgorithmRoll.contains(k.key()) && roll != null ? roll.to() : k.key().algorithm();
        if (hasSuccessor(f, t, k.role(), alg) || !planned.add(k.role() + "/" + alg)) {
          continue;
        }
        Set<DnsKeyData> replacing = new HashSet<>();
        for (OwnedKey o : t.ownKeys()) {
          if (f.retiring.contains(o.key())) {
            replacing.add(o.key());
          }
        }
        d.step(new Step.GenerateKey(t.id(), k.role(), alg, replacing), List.of(),
            "a successor " + k.role() + " of algorithm " + alg + " replaces " + k.key(),
            DnskeyRule.retirementRef(f, k.key(), "§5.5 step 1", "§5.6 step 1", "§5.7 step 1"));
      }
    }
    return d;
  }

  private static boolean hasSuccessor(PlanFacts f, SignerSnapshot t, KeyRole role, int alg) {
    for (OwnedKey o : t.ownKeys()) {
      if (o.role() == role && o.key().algorithm() == alg && !f.retiring.contains(o.key())) {
        return true;
      }
    }
    return false;
  }

  /** Retired keys to delete from their signer (these steps come after every other rule's). */
  static Decisions deletions(PlanFacts f) {
    Decisions d = new Decisions();
    for (SignerSnapshot t : f.target) {
      for (OwnedKey k : t.ownKeys()) {
        DnsKeyData key = k.key();
        if (!f.retiring.contains(key) || !d.open(f.eligible(key), f.now)) {
          continue;
        }
        Signing sig = t.signing().value();
        boolean inUse = sig.zoneKeys().contains(key) || sig.dnskeyKeys().contains(key)
            || f.parentCovers(key);
        for (SignerSnapshot v : f.answering) {
          inUse |= v.dnskey().value().contains(key) || v.cdnskey().value().contains(key);
        }
        if (!inUse) {
          d.step(new Step.DeleteKey(t.id(), key), List.of(new Condition.DnskeyExcludes(t.id(), Set.of(key))),
              "key " + key + " is fully retired (RFC 7583 \"Removed\")", "");
        }
      }
    }
    return d;
  }
}
