package io.github.zonecut.multisigner;

import io.github.zonecut.core.DnsKeyData;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The signing rule: which of its own keys each target signer signs zone data and its DNSKEY RRset
 * with. A signer signs its DNSKEY RRset with every SEP key it publishes (§5.6 step 3). A new key of
 * the same algorithm signs zone data only once every signer has published it for
 * DNSKEY-Wait-Time (§5.5 steps 3–4); a key of a new algorithm signs zone data first, before it is
 * published (RFC 6781 §4.1.4, §5.7 step 2), and the old algorithm's signatures stop a DNSKEY TTL
 * after its DNSKEYs left every RRset (§5.7 step 8).
 */
final class SigningRule {

  private SigningRule() {}

  static Decisions decide(PlanFacts f) {
    Decisions d = new Decisions();
    for (SignerSnapshot v : f.target) {
      signer(f, v, d);
    }
    return d;
  }

  private static void signer(PlanFacts f, SignerSnapshot v, Decisions d) {
    Signing cur = v.signing().value();
    Set<DnsKeyData> removedNow = new HashSet<>();
    for (DnsKeyData k : v.dnskey().value()) {
      if (v.owns(k) && f.retiring.contains(k) && d.open(f.eligible(k), f.now)) {
        removedNow.add(k); // leaves the RRset in this plan (DNSKEY rule)
      }
    }
    Set<DnsKeyData> dnskeyKeys = new TreeSet<>();
    for (OwnedKey k : v.ownKeys()) {
      if (k.role().isSep() && v.dnskey().value().contains(k.key()) && !removedNow.contains(k.key())) {
        dnskeyKeys.add(k.key()); // §5.6 step 3: sign the DNSKEY RRset with old and new
      }
    }
    if (dnskeyKeys.isEmpty()) {
      dnskeyKeys.addAll(cur.dnskeyKeys());
    }
    Set<DnsKeyData> zoneKeys = new TreeSet<>(cur.zoneKeys());
    for (DnsKeyData k : removedNow) {
      if (!f.byAlgorithmRoll.contains(k)) {
        zoneKeys.remove(k);
      }
    }
    String ref = "";
    String why = "";
    if (zoneKeys.stream().anyMatch(f.byAlgorithmRoll::contains)
        && d.open(f.oldAlgorithmDnskeysGone(), f.now)) {
      // RFC 6781 §4.1.4: old-algorithm signatures go a DNSKEY TTL after the old DNSKEYs
      zoneKeys.removeIf(f.byAlgorithmRoll::contains);
      Rollover.Algorithm roll = f.algorithmRoll;
      ref = "§5.7 step 8";
      why = "no cached DNSKEY RRset holds an algorithm " + (roll == null ? "" : roll.from())
          + " key any more; stop signing with it (RFC 6781 §4.1.4)";
    }
    boolean pending = f.pendingAdditions();
    for (OwnedKey k : v.ownKeys()) {
      DnsKeyData key = k.key();
      if (!k.role().signsZone() || f.retiring.contains(key) || zoneKeys.contains(key)
          || (!v.dnskey().value().contains(key) && !f.isNewAlgorithmKey(key))) {
        continue;
      }
      Set<Integer> algs = new HashSet<>();
      for (DnsKeyData z : zoneKeys) {
        algs.add(z.algorithm());
      }
      if (!algs.contains(key.algorithm())) {
        // RFC 4035 §2.2: a zone signs with every algorithm in its DNSKEY RRset
        zoneKeys.add(key);
        ref = "§5.7 step 2";
        why = "sign zone data with the new algorithm's key " + key + " as well, before it is "
            + "published (RFC 6781 §4.1.4: new signatures first)";
      } else if (f.publishedEverywhere(key) && !pending) {
        if (!f.waits.pending(f.waits.dnskey())) {
          // RFC 7583 §3.3.1: the key is "ready" in every cached RRset; it becomes active
          zoneKeys.add(key);
          zoneKeys.removeIf(z -> f.retiring.contains(z) && z.algorithm() == key.algorithm());
          ref = "§5.5 step 4";
          why = "every signer has published " + key + " for DNSKEY-Wait-Time; sign with it";
        } else {
          d.waitFor(new Decisions.Wait(f.waits.dnskey(), WaitKind.DNSKEY_WAIT, "§5.5 step 3",
              () -> "new key " + key + " must be in every cached DNSKEY RRset before it signs"),
              f.now);
        }
      }
    }
    if (zoneKeys.isEmpty()) {
      zoneKeys.addAll(cur.zoneKeys());
    }
    Signing want = Signing.of(zoneKeys, dnskeyKeys);
    if (want.equals(cur)) {
      return;
    }
    if (ref.isEmpty()) {
      boolean newAlgorithmSep = false;
      for (DnsKeyData k : dnskeyKeys) {
        newAlgorithmSep |= f.isNewAlgorithmKey(k) && !cur.dnskeyKeys().contains(k);
      }
      ref = !removedNow.isEmpty()
          ? DnskeyRule.retirementRef(f, removedNow.iterator().next(), "§5.5 step 5", "§5.6 step 7", "§5.7 step 8")
          : newAlgorithmSep ? "§5.7 step 1" : "§5.6 step 3";
      why = "sign the DNSKEY RRset with " + dnskeyKeys + " and zone data with " + zoneKeys;
    }
    d.step(new Step.SetSigning(v.id(), want), List.of(), why, ref);
  }
}
