package io.github.zonecut.multisigner;

import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.core.DsData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/** One evaluation of {@link Planner#plan}; see the rules there. Not thread-safe, not reused. */
final class PlanRun {

  /** Thrown inside the run to stop with a refusal. */
  private static final class Refuse extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Refusal refusal;

    Refuse(Refusal refusal) {
      super(null, null, false, false);
      this.refusal = refusal;
    }
  }

  private record Owner(SignerSnapshot signer, KeyRole role) {}

  private record Candidate(Instant at, WaitKind kind, Supplier<String> reason) {}

  private final ZoneSnapshot s;
  private final Intent intent;
  private final ParentPolicy policy;
  private final Instant now;
  private final PlannerConfig cfg;
  private final Name zone;

  private final List<SignerSnapshot> target = new ArrayList<>();
  private final List<SignerSnapshot> leaving = new ArrayList<>();
  private final List<SignerSnapshot> answering = new ArrayList<>();
  // signers whose DNSKEY RRsets may still be cached: the answering ones, and stopped leavers
  // until their RRsets expired (the last observed RRset stands for what caches hold)
  private final List<SignerSnapshot> cached = new ArrayList<>();
  private final Map<DnsKeyData, Owner> owners = new HashMap<>();
  private final Set<DnsKeyData> retiring = new HashSet<>();
  private final Set<DnsKeyData> byAlgorithmRoll = new HashSet<>();
  private final Set<DnsKeyData> stale = new HashSet<>();
  private final Map<DnsKeyData, Boolean> eligibleMemo = new HashMap<>();
  private final @Nullable Observed<Set<DsData>> parentDs;
  private final @Nullable Observed<Set<Name>> parentNs;
  private Rollover.@Nullable Algorithm algorithmRoll;

  private final List<PlannedStep> steps = new ArrayList<>();
  private @Nullable Candidate wait;
  private Plan.@Nullable AwaitChange await;
  private @Nullable Refusal timeout;

  // derived once
  private Instant dnskeyWaitEnd = Instant.MIN;
  private Instant dsWaitEnd = Instant.MIN;
  private Instant nsWaitEnd = Instant.MIN;
  private boolean pendingAdditions;
  private boolean parentDsSynced;
  private Set<DnsKeyData> desiredDs = Set.of();

  PlanRun(ZoneSnapshot s, Intent intent, ParentPolicy policy, Instant now, PlannerConfig cfg) {
    this.s = s;
    this.intent = intent;
    this.policy = policy;
    this.now = now;
    this.cfg = cfg;
    this.zone = s.zone();
    this.parentDs = s.parent().agreedDs();
    this.parentNs = s.parent().agreedNs();
  }

  Plan plan() {
    try {
      classify();
      inventory();
      computeWaits();
      generateSuccessors();
      dnskeys();
      signing();
      dsAndCds();
      nsAndCsync();
      stopLeavers();
      deleteRetired();
      return conclude();
    } catch (Refuse r) {
      return new Plan.Refused(r.refusal);
    }
  }

  // ---------------------------------------------------------------- classification and refusals

  private void classify() throws Refuse {
    if (intent.group().isEmpty()) {
      throw new Refuse(new Refusal.LastSignerRemoval());
    }
    for (SignerId id : intent.group()) {
      if (s.signer(id) == null) {
        throw new Refuse(new Refusal.UnknownSigner(id));
      }
    }
    for (SignerSnapshot v : s.signers()) {
      (intent.group().contains(v.id()) ? target : leaving).add(v);
      if (v.isAnswering()) {
        answering.add(v);
      }
    }
    for (SignerSnapshot v : s.signers()) {
      ZoneTtls z = v.zoneTtls();
      if (z != null && v.dataTtl().compareTo(z.required()) < 0) {
        // the signature wait would undercut cached negative answers or long-lived data
        throw new Refuse(new Refusal.DataTtlTooShort(v.id(), v.dataTtl(), z));
      }
    }
    for (SignerSnapshot t : target) {
      if (!t.isAnswering()) {
        throw new Refuse(new Refusal.SignerNotReady(t.id(), "it does not serve the zone (§5.1 item 1)"));
      }
      boolean sep = false;
      boolean zoneSigning = false;
      for (OwnedKey k : t.ownKeys()) {
        sep |= k.role().isSep();
        zoneSigning |= k.role().signsZone();
      }
      if (!sep || !zoneSigning) {
        throw new Refuse(
            new Refusal.SignerNotReady(t.id(), "it holds no KSK+ZSK or CSK (§5.2: keys must be online)"));
      }
    }
    for (SignerSnapshot v : s.signers()) {
      for (OwnedKey k : v.ownKeys()) {
        Owner prev = owners.put(k.key(), new Owner(v, k.role()));
        if (prev != null) {
          throw new Refuse(new Refusal.UnattributedKey(v.id(), k.key()));
        }
      }
    }
    if (cfg.ownership() instanceof KeyOwnership.KeyTagModulo m) {
      for (SignerSnapshot v : s.signers()) {
        Integer r = m.remainderOf(v.id());
        for (OwnedKey k : v.ownKeys()) {
          if (r == null || k.key().keyTag() % m.modulus() != r) {
            throw new Refuse(
                new Refusal.KeyTagOwnership(v.id(), k.key(), r == null ? -1 : r, m.modulus()));
          }
        }
      }
    }
    for (SignerSnapshot v : answering) {
      for (DnsKeyData k : v.dnskey().value()) {
        if (!owners.containsKey(k)) {
          if (cfg.ownership() instanceof KeyOwnership.KeyTagModulo m) {
            // Knot's rule: the tag names the owner; a key no current signer holds is stale
            SignerId owner = m.ownerOf(k.keyTag());
            if (owner != null && owner.equals(v.id())) {
              throw new Refuse(new Refusal.UnattributedKey(v.id(), k));
            }
            stale.add(k);
          } else {
            throw new Refuse(new Refusal.UnattributedKey(v.id(), k));
          }
        }
      }
    }
  }

  private void inventory() throws Refuse {
    for (SignerSnapshot l : leaving) {
      for (OwnedKey k : l.ownKeys()) {
        retiring.add(k.key());
      }
    }
    for (Rollover r : intent.rollovers()) {
      if (r instanceof Rollover.Zsk z) {
        retireOne(z.signer(), z.oldKey());
      } else if (r instanceof Rollover.Sep k) {
        retireOne(k.signer(), k.oldKey());
      } else if (r instanceof Rollover.Algorithm a) {
        algorithmRoll = a;
        for (SignerSnapshot t : target) {
          for (OwnedKey k : t.ownKeys()) {
            if (k.key().algorithm() == a.from()) {
              retiring.add(k.key());
              byAlgorithmRoll.add(k.key());
            }
          }
        }
      }
    }
    if (!intent.allowMixedAlgorithms()) {
      Map<SignerId, Set<Integer>> algs = new TreeMap<>();
      Set<Integer> all = new TreeSet<>();
      for (SignerSnapshot t : target) {
        Set<Integer> mine = new TreeSet<>();
        for (OwnedKey k : t.ownKeys()) {
          if (!retiring.contains(k.key())) {
            mine.add(k.key().algorithm());
          }
        }
        if (algorithmRoll != null) {
          mine.add(algorithmRoll.to());
        }
        algs.put(t.id(), mine);
        all.addAll(mine);
      }
      if (all.size() > 1) {
        throw new Refuse(new Refusal.MixedAlgorithms(algs));
      }
    }
    boolean inProgress = !retiring.isEmpty() || !stale.isEmpty();
    for (SignerSnapshot t : target) {
      inProgress |= !admitted(t);
    }
    if (inProgress && s.signers().size() > 1) {
      for (SignerSnapshot v : answering) {
        for (Capability c : Capability.DRAFT_REQUIRED) {
          if (!v.capabilities().contains(c)) {
            throw new Refuse(new Refusal.MissingCapability(v.id(), c, "draft §4.3 (every signer)"));
          }
        }
      }
    }
  }

  private void retireOne(SignerId signer, DnsKeyData key) throws Refuse {
    SignerSnapshot v = s.signer(signer);
    if (v == null) {
      throw new Refuse(new Refusal.UnknownSigner(signer));
    }
    if (!intent.group().contains(signer)) {
      throw new Refuse(new Refusal.RolloverOfLeavingSigner(signer));
    }
    if (v.owns(key)) {
      retiring.add(key);
    }
    // a key the signer no longer holds: that rollover is complete (idempotent intents)
  }

  private void computeWaits() {
    Duration maxDnskeyTtl = Duration.ZERO;
    Instant lastDnskey = Instant.MIN;
    Duration maxNsTtl = Duration.ZERO;
    Instant lastNs = Instant.MIN;
    Instant dnskeyHistory = Instant.MIN;
    Instant nsHistory = Instant.MIN;
    for (SignerSnapshot v : s.signers()) {
      if (v.isAnswering() || now.isBefore(expiry(v))) {
        cached.add(v);
      }
    }
    for (SignerSnapshot v : cached) {
      maxDnskeyTtl = max(maxDnskeyTtl, v.dnskey().ttl());
      lastDnskey = max(lastDnskey, v.dnskey().since());
      maxNsTtl = max(maxNsTtl, v.ns().ttl());
      lastNs = max(lastNs, v.ns().since());
      // TTL history: a copy served with an earlier, larger TTL may outlive the current one
      dnskeyHistory = max(dnskeyHistory, history(v.dnskey(), WaitKind.DNSKEY_WAIT));
      nsHistory = max(nsHistory, history(v.ns(), WaitKind.NS_WAIT));
    }
    // §2 DNSKEY-Wait-Time: largest DNSKEY TTL of all signers plus publication on all secondaries
    dnskeyWaitEnd = max(lastDnskey.plus(scale(maxDnskeyTtl, WaitKind.DNSKEY_WAIT)), dnskeyHistory)
        .plus(s.publicationLatency());
    if (parentDs != null) {
      // §2 DS-Wait-Time: the DS RRset's TTL after the parent published it
      dsWaitEnd = parentDs.settledAt(cfg.ttlFloor(WaitKind.DS_WAIT), cfg.safetyFactor());
    }
    // §2 NS-Wait-Time: largest of the parent's and the signers' NS TTLs
    nsWaitEnd = max(lastNs.plus(scale(maxNsTtl, WaitKind.NS_WAIT)), nsHistory)
        .plus(s.publicationLatency());
    if (parentNs != null) {
      nsWaitEnd = max(nsWaitEnd, parentNs.settledAt(cfg.ttlFloor(WaitKind.NS_WAIT), cfg.safetyFactor()));
    }
  }

  /** When copies served with the observation's earlier TTL have expired (TTL history). */
  private Instant history(Observed<?> o, WaitKind kind) {
    return o.earlierTtlUntil().plus(scale(o.earlierTtl(), kind));
  }

  // ---------------------------------------------------------------- rules

  private void generateSuccessors() {
    for (SignerSnapshot t : target) {
      Set<String> planned = new HashSet<>();
      for (OwnedKey k : t.ownKeys()) {
        if (!retiring.contains(k.key())) {
          continue;
        }
        int alg = byAlgorithmRoll.contains(k.key()) && algorithmRoll != null
            ? algorithmRoll.to() : k.key().algorithm();
        if (hasFinal(t, k.role(), alg) || !planned.add(k.role() + "/" + alg)) {
          continue;
        }
        Set<DnsKeyData> replacing = new HashSet<>();
        for (OwnedKey o : t.ownKeys()) {
          if (retiring.contains(o.key())) {
            replacing.add(o.key());
          }
        }
        add(new Step.GenerateKey(t.id(), k.role(), alg, replacing), List.of(),
            "a successor " + k.role() + " of algorithm " + alg + " replaces " + k.key(),
            draftRefForRetiring(k.key(), "§5.5 step 1", "§5.6 step 1", "§5.7 step 1"));
      }
    }
  }

  private boolean hasFinal(SignerSnapshot t, KeyRole role, int alg) {
    for (OwnedKey o : t.ownKeys()) {
      if (o.role() == role && o.key().algorithm() == alg && !retiring.contains(o.key())) {
        return true;
      }
    }
    return false;
  }

  /** Zone-signing keys every serving signer must publish now. */
  private Set<DnsKeyData> liveZoneSigningKeys() {
    Set<DnsKeyData> live = new LinkedHashSet<>();
    for (SignerSnapshot v : s.signers()) {
      boolean isTarget = intent.group().contains(v.id());
      for (OwnedKey k : v.ownKeys()) {
        if (!k.role().signsZone()) {
          continue;
        }
        if (!retiring.contains(k.key())) {
          if (isTarget) {
            live.add(k.key());
          }
        } else if (!eligible(k.key())
            && (v.dnskey().value().contains(k.key()) || !v.isAnswering())) {
          live.add(k.key());
        }
      }
    }
    return live;
  }

  private void dnskeys() {
    Set<DnsKeyData> live = liveZoneSigningKeys();
    for (SignerSnapshot v : answering) {
      boolean isTarget = intent.group().contains(v.id());
      Set<DnsKeyData> current = v.dnskey().value();
      Set<DnsKeyData> missing = new TreeSet<>();
      if (isTarget) {
        for (OwnedKey k : v.ownKeys()) {
          if (!retiring.contains(k.key()) && !current.contains(k.key()) && !heldBack(k.key())) {
            missing.add(k.key());
          }
        }
      }
      for (DnsKeyData k : live) {
        Owner o = owners.get(k);
        if (o != null && !o.signer().id().equals(v.id()) && !current.contains(k) && !heldBack(k)) {
          missing.add(k);
        }
      }
      if (!missing.isEmpty()) {
        pendingAdditions = true;
        add(new Step.AddDnskeys(v.id(), missing), List.of(),
            "publish " + describeKeys(missing) + " so every signer's DNSKEY RRset covers every "
                + "zone-signing key in use (RFC 8901 model 2)",
            additionRef(v, missing));
      }
    }
    for (SignerSnapshot v : answering) {
      if (!intent.group().contains(v.id())) {
        continue; // a leaving signer's RRset is not cleaned; it stops answering
      }
      Set<DnsKeyData> remove = new TreeSet<>();
      List<Condition> pre = new ArrayList<>();
      for (DnsKeyData k : v.dnskey().value()) {
        if (stale.contains(k) || (retiring.contains(k) && eligible(k))) {
          remove.add(k);
        }
      }
      if (!remove.isEmpty()) {
        for (DnsKeyData k : remove) {
          Owner o = owners.get(k);
          if (o != null && !o.signer().isAnswering()) {
            pre.add(new Condition.Answering(o.signer().id(), false));
          }
        }
        add(new Step.RemoveDnskeys(v.id(), remove), pre,
            "retire " + describeKeys(remove) + ": no cached signature or DS depends on "
                + (remove.size() == 1 ? "it" : "them") + " any more",
            removalRef(remove));
      }
    }
  }

  private void signing() {
    for (SignerSnapshot v : target) {
      Signing cur = v.signing().value();
      Set<DnsKeyData> removedNow = removedFromOwnRrset(v);
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
        if (!byAlgorithmRoll.contains(k)) {
          zoneKeys.remove(k);
        }
      }
      String ref = "";
      String why = "";
      if (zoneKeys.stream().anyMatch(byAlgorithmRoll::contains) && oldAlgorithmDnskeysGone()) {
        // RFC 6781 §4.1.4: old-algorithm signatures go a DNSKEY TTL after the old DNSKEYs
        zoneKeys.removeIf(byAlgorithmRoll::contains);
        ref = "§5.7 step 8";
        why = "no cached DNSKEY RRset holds an algorithm " + (algorithmRoll == null ? "" : algorithmRoll.from())
            + " key any more; stop signing with it (RFC 6781 §4.1.4)";
      }
      for (OwnedKey k : v.ownKeys()) {
        DnsKeyData key = k.key();
        if (!k.role().signsZone() || retiring.contains(key) || zoneKeys.contains(key)
            || (!v.dnskey().value().contains(key) && !isNewAlgorithmKey(key))) {
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
        } else if (publishedEverywhere(key) && !pendingAdditions && !now.isBefore(dnskeyWaitEnd)) {
          zoneKeys.add(key);
          zoneKeys.removeIf(z -> retiring.contains(z) && z.algorithm() == key.algorithm());
          ref = "§5.5 step 4";
          why = "every signer has published " + key + " for DNSKEY-Wait-Time; sign with it";
        } else if (publishedEverywhere(key) && !pendingAdditions) {
          waitFor(dnskeyWaitEnd, WaitKind.DNSKEY_WAIT,
              () -> "new key " + key + " must be in every cached DNSKEY RRset before it signs (§5.5 step 3)");
        }
      }
      if (zoneKeys.isEmpty()) {
        zoneKeys.addAll(cur.zoneKeys());
      }
      Signing want = Signing.of(zoneKeys, dnskeyKeys);
      if (!want.equals(cur)) {
        if (ref.isEmpty()) {
          boolean newAlgorithmSep = dnskeyKeys.stream()
              .anyMatch(k -> isNewAlgorithmKey(k) && !cur.dnskeyKeys().contains(k));
          ref = !removedNow.isEmpty()
              ? draftRefForRetiring(removedNow.iterator().next(), "§5.5 step 5", "§5.6 step 7", "§5.7 step 8")
              : newAlgorithmSep ? "§5.7 step 1" : "§5.6 step 3";
          why = "sign the DNSKEY RRset with " + dnskeyKeys + " and zone data with " + zoneKeys;
        }
        add(new Step.SetSigning(v.id(), want), List.of(), why, ref);
      }
    }
  }

  private Set<DnsKeyData> removedFromOwnRrset(SignerSnapshot v) {
    Set<DnsKeyData> out = new HashSet<>();
    for (DnsKeyData k : v.dnskey().value()) {
      if (v.owns(k) && retiring.contains(k) && eligible(k)) {
        out.add(k);
      }
    }
    return out;
  }

  private boolean publishedEverywhere(DnsKeyData key) {
    for (SignerSnapshot v : cached) {
      if (!v.dnskey().value().contains(key)) {
        return false;
      }
    }
    return true;
  }

  private void dsAndCds() throws Refuse {
    Set<DnsKeyData> d = new TreeSet<>();
    Set<DnsKeyData> finalD = new TreeSet<>();
    for (SignerSnapshot t : target) {
      Signing sig = t.signing().value();
      for (OwnedKey k : t.ownKeys()) {
        if (!k.role().isSep()) {
          continue;
        }
        if (!retiring.contains(k.key())) {
          finalD.add(k.key());
        }
        if (t.dnskey().value().contains(k.key()) && sig.dnskeyKeys().contains(k.key())) {
          d.add(k.key());
        }
      }
    }
    if (algorithmRollInProgress()) {
      // RFC 6781 §4.1.4: the DS RRset changes from the old algorithm's keys to the new one's in
      // one step, once the new DNSKEYs have propagated (§5.7 steps 5 and 9)
      if (newAlgorithmDsReady()) {
        d.removeIf(byAlgorithmRoll::contains);
      } else {
        d.removeIf(this::isNewAlgorithmKey);
      }
    }
    for (SignerSnapshot l : leaving) {
      for (OwnedKey k : l.ownKeys()) {
        if (k.role().isSep() && !eligible(k.key()) && parentCovers(k.key())) {
          d.add(k.key()); // the leaving signer keeps its DS until its data left all caches
        }
      }
    }
    desiredDs = d;
    parentDsSynced = parentDs != null && Condition.ParentDsCovers.covers(zone, parentDs.value(), d);
    Condition synced = new Condition.ParentDsCovers(d);
    Set<DsData> cds = new TreeSet<>();
    if (policy.consumesCds()) {
      for (DnsKeyData k : d) {
        cds.add(DsData.compute(zone, k, policy.publishedDigestType()));
      }
    }
    Set<DnsKeyData> cdnskey = policy.consumesCdnskey() ? d : Set.of();
    List<SignerSnapshot> cdsTargets = answering;
    if (!parentDsSynced) {
      if (intent.policy().parentSync() == GroupPolicy.Actor.OWNER || !policy.scansCds()) {
        awaitParent(synced, lastSince(cdsTargets, SignerSnapshot::dnskey),
            "the zone owner must update the parent's DS RRset (HSYNCPARAM parentsync=owner or a "
                + "parent that does not scan CDS)");
        return;
      }
      if (pendingAdditions) {
        return; // §5.3 steps 3 before 4: DNSKEY RRsets are synchronised first
      }
      boolean allPublished = true;
      for (SignerSnapshot v : cdsTargets) {
        if (!v.cds().value().equals(cds) || !v.cdnskey().value().equals(cdnskey)) {
          allPublished = false;
          add(new Step.SetCds(v.id(), cds, cdnskey), List.of(),
              "publish CDS/CDNSKEY for " + describeKeys(d) + " on every signer", cdsRef(d));
        }
      }
      if (allPublished) {
        awaitParent(synced, lastSince(cdsTargets, SignerSnapshot::cds),
            "waiting for the parent to publish DS for " + describeKeys(d));
      }
    } else if (d.equals(finalD) && cfg.removeSignalsWhenDone()) {
      for (SignerSnapshot v : cdsTargets) {
        if (!v.cds().value().isEmpty() || !v.cdnskey().value().isEmpty()) {
          add(new Step.SetCds(v.id(), Set.of(), Set.of()), List.of(synced),
              "the parent has published the DS RRset; remove CDS/CDNSKEY", cdsRemovalRef());
        }
      }
    }
  }

  private boolean parentCovers(DnsKeyData k) {
    if (parentDs != null) {
      for (DsData d : parentDs.value()) {
        if (d.matches(zone, k)) {
          return true;
        }
      }
      return false;
    }
    for (ParentServerView p : s.parent().servers()) {
      for (DsData d : p.ds().value()) {
        if (d.matches(zone, k)) {
          return true;
        }
      }
    }
    return false;
  }

  private void nsAndCsync() throws Refuse {
    Set<Name> n = new LinkedHashSet<>();
    List<SignerSnapshot> nsTargets = new ArrayList<>();
    boolean allAdmitted = true;
    Set<Name> targetNames = new HashSet<>();
    for (SignerSnapshot t : target) {
      targetNames.addAll(t.ownNs());
      if (admitted(t)) {
        n.addAll(t.ownNs());
        nsTargets.add(t);
      } else {
        allAdmitted = false;
        if (readyToBeAdmitted(t)) {
          n.addAll(t.ownNs());
          nsTargets.add(t);
        }
      }
    }
    boolean leaveStarted = false;
    for (SignerSnapshot l : leaving) {
      for (Name name : l.ownNs()) {
        for (SignerSnapshot t : target) {
          leaveStarted |= admitted(t) && !t.ns().value().contains(name);
        }
      }
    }
    // use case §3.2: the new signer has fully joined (NS published and propagated) before the
    // old one starts leaving; once the leave has started it is never undone
    boolean leaveAllowed = allAdmitted && (leaveStarted || (parentNs != null
        && parentNs.value().containsAll(targetNames) && !now.isBefore(nsWaitEnd)));
    for (SignerSnapshot l : leaving) {
      if (!leaveAllowed) {
        for (Name name : l.ownNs()) {
          if (presentElsewhere(name, l)) {
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
    if (!leaveAllowed && allAdmitted && hasPresentLeaver()) {
      if (parentNs != null && parentNs.value().containsAll(targetNames)) {
        waitFor(nsWaitEnd, WaitKind.NS_WAIT,
            () -> "the group's NS RRset must propagate before a signer leaves (zonecut: join ends with NS-Wait-Time)");
      }
    }
    boolean nsSynced = true;
    for (SignerSnapshot t : nsTargets) {
      if (!t.ns().value().equals(n)) {
        nsSynced = false;
        if (intent.policy().nsManagement() == GroupPolicy.Actor.OWNER) {
          awaitParent(new Condition.NsIs(t.id(), n), t.ns().since(),
              "the zone owner manages NS (HSYNCPARAM nsmgmt=owner): set the apex NS RRset to " + n);
        } else {
          add(new Step.SetNs(t.id(), n), List.of(),
              "serve the group's NS RRset (" + n.size() + " names)", nsRef(t));
        }
      }
    }
    if (!nsSynced || n.isEmpty()) {
      return;
    }
    Condition parentSynced = new Condition.ParentNsIs(n);
    boolean parentNsSynced = parentNs != null && parentNs.value().equals(n);
    if (!parentNsSynced) {
      if (intent.policy().parentSync() == GroupPolicy.Actor.OWNER || !policy.processesCsync()) {
        awaitParent(parentSynced, lastSince(nsTargets, SignerSnapshot::ns),
            "the zone owner must update the delegation NS RRset to " + n);
        return;
      }
      boolean allPublished = true;
      for (SignerSnapshot t : nsTargets) {
        if (!t.csync().value()) {
          allPublished = false;
          add(new Step.SetCsync(t.id(), true), List.of(new Condition.NsIs(t.id(), n)),
              "signal the NS change to the parent with CSYNC (NS A AAAA)", csyncRef());
        }
      }
      if (allPublished) {
        awaitParent(parentSynced, lastSince(nsTargets, SignerSnapshot::csync),
            "waiting for the parent to publish NS " + n);
      }
    } else if (cfg.removeSignalsWhenDone()) {
      for (SignerSnapshot t : answering) {
        if (t.csync().value()) {
          add(new Step.SetCsync(t.id(), false), List.of(parentSynced),
              "the parent has published the NS RRset; remove CSYNC", csyncRemovalRef());
        }
      }
    }
  }

  private boolean hasPresentLeaver() {
    for (SignerSnapshot l : leaving) {
      if (l.isAnswering()) {
        return true;
      }
    }
    return false;
  }

  private final Map<SignerId, Boolean> admittedMemo = new HashMap<>();

  private boolean admitted(SignerSnapshot t) {
    Boolean memo = admittedMemo.get(t.id());
    if (memo == null) {
      memo = computeAdmitted(t);
      admittedMemo.put(t.id(), memo);
    }
    return memo;
  }

  private boolean computeAdmitted(SignerSnapshot t) {
    for (Name name : t.ownNs()) {
      if (presentElsewhere(name, t)) {
        return true;
      }
    }
    return t.ownNs().isEmpty();
  }

  /** Whether a resolver can learn {@code name} other than from its own signer. */
  private boolean presentElsewhere(Name name, SignerSnapshot self) {
    if (parentNs != null) {
      if (parentNs.value().contains(name)) {
        return true;
      }
    } else {
      for (ParentServerView p : s.parent().servers()) {
        if (p.ns().value().contains(name)) {
          return true;
        }
      }
    }
    for (SignerSnapshot v : answering) {
      if (v != self && v.ns().value().contains(name)) {
        return true;
      }
    }
    return false;
  }

  /** §5.3 step 8: the joining signer's DS and every signer's DNSKEY RRset have propagated. */
  private boolean readyToBeAdmitted(SignerSnapshot j) {
    if (pendingAdditions || !parentDsSynced || parentDs == null) {
      return false;
    }
    boolean dsCovers = false;
    for (DnsKeyData k : j.signing().value().dnskeyKeys()) {
      if (j.dnskey().value().contains(k) && desiredDs.contains(k)) {
        dsCovers = true;
      }
    }
    if (!dsCovers) {
      return false;
    }
    Instant ready = max(dsWaitEnd, dnskeyWaitEnd);
    if (now.isBefore(ready)) {
      waitFor(ready, dsWaitEnd.isAfter(dnskeyWaitEnd) ? WaitKind.DS_WAIT : WaitKind.DNSKEY_WAIT,
          () -> "§5.3 step 8: wait max(DS-Wait-Time, DNSKEY-Wait-Time) before " + j.id()
              + " is added to the NS RRset");
      return false;
    }
    return true;
  }

  private void stopLeavers() {
    for (SignerSnapshot l : leaving) {
      if (!l.isAnswering()) {
        continue;
      }
      boolean referenced = false;
      for (Name name : l.ownNs()) {
        referenced |= presentElsewhere(name, l);
      }
      if (referenced || parentNs == null) {
        continue;
      }
      if (now.isBefore(nsWaitEnd)) {
        waitFor(nsWaitEnd, WaitKind.NS_WAIT,
            () -> "§5.4 step 5: NS-Wait-Time before " + l.id() + " stops answering");
        continue;
      }
      add(new Step.StopServing(l.id()),
          List.of(new Condition.TimeReached(nsWaitEnd, WaitKind.NS_WAIT)),
          "no cached NS RRset points at " + l.id() + " any more", "§5.4 step 6");
    }
  }

  private void deleteRetired() {
    for (SignerSnapshot t : target) {
      for (OwnedKey k : t.ownKeys()) {
        DnsKeyData key = k.key();
        if (!retiring.contains(key) || !eligible(key)) {
          continue;
        }
        boolean inUse = t.signing().value().zoneKeys().contains(key)
            || t.signing().value().dnskeyKeys().contains(key)
            || parentCovers(key);
        for (SignerSnapshot v : answering) {
          inUse |= v.dnskey().value().contains(key) || v.cdnskey().value().contains(key);
        }
        if (!inUse) {
          add(new Step.DeleteKey(t.id(), key), List.of(new Condition.DnskeyExcludes(t.id(), Set.of(key))),
              "key " + key + " is fully retired", "");
        }
      }
    }
  }

  // ---------------------------------------------------------------- eligibility

  /** Whether retiring key {@code k} may leave every DNSKEY RRset (and its DS the parent). */
  private boolean eligible(DnsKeyData k) {
    Boolean memo = eligibleMemo.get(k);
    if (memo == null) {
      memo = computeEligible(k);
      eligibleMemo.put(k, memo);
    }
    return memo;
  }

  private boolean computeEligible(DnsKeyData k) {
    Owner o = owners.get(k);
    if (o == null) {
      return true;
    }
    SignerSnapshot owner = o.signer();
    if (!intent.group().contains(owner.id())) {
      if (owner.isAnswering()) {
        return false;
      }
      Instant gone = expiry(owner);
      if (now.isBefore(gone)) {
        waitFor(gone, WaitKind.SIGNATURE_WAIT,
            () -> "RRSIGs and DNSKEYs served by " + owner.id() + " must expire from caches");
        return false;
      }
      return true;
    }
    if (byAlgorithmRoll.contains(k)) {
      return algorithmRollComplete();
    }
    if ((o.role().isSep() && retirementStarted(owner, k))
        || (o.role().signsZone() && removalStarted(owner, k))) {
      return true;
    }
    boolean ok = true;
    if (o.role().signsZone()) {
      ok = zoneSignaturesGone(owner, k);
    }
    if (ok && o.role().isSep()) {
      ok = successorTrusted(owner, o.role(), k);
    }
    return ok;
  }

  /**
   * Eligibility latches on an observed fact (issue 12 item 5): the owner no longer signs anything
   * with its retiring SEP key while a successor in the parent's DS signs its DNSKEY RRset. The
   * planner stops those signatures only once the key is eligible, so a host that executed part of
   * the retirement and planned again continues it instead of adding the key back (the signing
   * change itself would otherwise restart the waits).
   */
  private boolean retirementStarted(SignerSnapshot owner, DnsKeyData k) {
    Signing sig = owner.signing().value();
    if (sig.dnskeyKeys().contains(k) || sig.zoneKeys().contains(k) || parentDs == null) {
      return false;
    }
    for (OwnedKey o : owner.ownKeys()) {
      if (o.role().isSep() && !retiring.contains(o.key()) && sig.dnskeyKeys().contains(o.key())
          && owner.dnskey().value().contains(o.key()) && parentCovers(o.key())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The other latch: an admitted member other than the owner no longer publishes the owner's
   * zone-signing key. Admitted members received every live key before admission, so the key was
   * removed, which the planner does only once it is eligible; a later change elsewhere (another
   * signer's DS leaving the parent) must not restart its waits and add it back.
   */
  private boolean removalStarted(SignerSnapshot owner, DnsKeyData k) {
    if (!owner.dnskey().value().contains(k)) {
      return false;
    }
    for (SignerSnapshot v : answering) {
      if (v != owner && intent.group().contains(v.id()) && admitted(v)
          && !v.dnskey().value().contains(k)) {
        return true;
      }
    }
    return false;
  }

  /** When what a stopped signer served has left every cache (zonecut's signature wait). */
  private Instant expiry(SignerSnapshot v) {
    if (v.isAnswering()) {
      return Instant.MAX;
    }
    Instant end = v.answering().since().plus(scale(v.dnskey().ttl(), WaitKind.DNSKEY_WAIT));
    end = max(end, v.answering().since().plus(scale(dataTtl(v), WaitKind.SIGNATURE_WAIT)));
    end = max(end, v.answering().since().plus(scale(v.ns().ttl(), WaitKind.NS_WAIT)));
    end = max(end, history(v.dnskey(), WaitKind.DNSKEY_WAIT));
    end = max(end, history(v.signing(), WaitKind.SIGNATURE_WAIT));
    end = max(end, history(v.ns(), WaitKind.NS_WAIT));
    return end.plus(s.publicationLatency());
  }

  private boolean zoneSignaturesGone(SignerSnapshot owner, DnsKeyData k) {
    if (owner.signing().value().zoneKeys().contains(k)) {
      return false;
    }
    Instant end = sigWaitEnd(owner);
    if (now.isBefore(end)) {
      waitFor(end, WaitKind.SIGNATURE_WAIT,
          () -> "RRSIGs made with " + k + " must expire from caches before it leaves any DNSKEY RRset");
      return false;
    }
    return true;
  }

  private Instant sigWaitEnd(SignerSnapshot owner) {
    // RFC 7583: old signatures are served until the zone is re-signed (Dsgn), then cached
    Instant end = owner.signing().since().plus(owner.resignInterval())
        .plus(scale(dataTtl(owner), WaitKind.SIGNATURE_WAIT));
    return max(end, history(owner.signing(), WaitKind.SIGNATURE_WAIT)).plus(s.publicationLatency());
  }

  /** §5.6 steps 5–6: the successor is in the parent's DS for DS-Wait-Time, signing for DNSKEY-Wait-Time. */
  private boolean successorTrusted(SignerSnapshot owner, KeyRole role, DnsKeyData k) {
    if (parentDs == null) {
      return false;
    }
    boolean successor = false;
    for (OwnedKey o : owner.ownKeys()) {
      if (o.role().isSep() && !retiring.contains(o.key())
          && owner.dnskey().value().contains(o.key())
          && owner.signing().value().dnskeyKeys().contains(o.key())
          && parentCovers(o.key())) {
        successor = true;
      }
    }
    if (!successor) {
      return false;
    }
    Instant end = max(dsWaitEnd,
        max(max(owner.dnskey().since(), owner.signing().since())
            .plus(scale(owner.dnskey().ttl(), WaitKind.DNSKEY_WAIT)),
            history(owner.dnskey(), WaitKind.DNSKEY_WAIT)).plus(s.publicationLatency()));
    if (now.isBefore(end)) {
      waitFor(end, WaitKind.DS_WAIT,
          () -> "§5.6 step 6: DS-Wait-Time + DNSKEY-Wait-Time before " + k + " is removed");
      return false;
    }
    return true;
  }

  private boolean algorithmRollCompleteMemo;
  private boolean algorithmRollCompleteKnown;

  /**
   * §5.7 steps 6–8 in RFC 6781 §4.1.4's order: the old algorithm's DNSKEYs may go once the
   * parent's DS RRset covers every new SEP key and no old one, for DS-Wait-Time.
   */
  private boolean algorithmRollComplete() {
    if (algorithmRollCompleteKnown) {
      return algorithmRollCompleteMemo;
    }
    algorithmRollCompleteKnown = true;
    algorithmRollCompleteMemo = false;
    Rollover.Algorithm a = algorithmRoll;
    Observed<Set<DsData>> pds = parentDs;
    if (a == null || pds == null) {
      return false;
    }
    for (SignerSnapshot t : target) {
      boolean sep = false;
      boolean zsk = false;
      for (OwnedKey k : t.ownKeys()) {
        if (k.key().algorithm() != a.to() || retiring.contains(k.key())) {
          continue;
        }
        if (!publishedEverywhereNeeded(k)) {
          return false;
        }
        if (k.role().isSep()) {
          if (!t.signing().value().dnskeyKeys().contains(k.key()) || !parentCovers(k.key())) {
            return false;
          }
          sep = true;
        }
        if (k.role().signsZone()) {
          if (!t.signing().value().zoneKeys().contains(k.key())) {
            return false;
          }
          zsk = true;
        }
      }
      if (!sep || !zsk) {
        return false;
      }
    }
    for (DnsKeyData k : byAlgorithmRoll) {
      if (k.isSep() && parentCovers(k)) {
        return false;
      }
    }
    if (now.isBefore(dsWaitEnd)) {
      waitFor(dsWaitEnd, WaitKind.DS_WAIT,
          () -> "§5.7 step 7: DS-Wait-Time after the DS RRset lost algorithm " + a.from()
              + " before its DNSKEYs are removed (RFC 6781 §4.1.4)");
      return false;
    }
    algorithmRollCompleteMemo = true;
    return true;
  }

  /** Whether an algorithm rollover still has old-algorithm keys held by target signers. */
  private boolean algorithmRollInProgress() {
    return algorithmRoll != null && !byAlgorithmRoll.isEmpty();
  }

  /** A key of the algorithm being rolled to, held by a signer and not itself retiring. */
  private boolean isNewAlgorithmKey(DnsKeyData k) {
    Rollover.Algorithm a = algorithmRoll;
    return a != null && k.algorithm() == a.to() && !retiring.contains(k) && owners.containsKey(k)
        && algorithmRollInProgress();
  }

  /** RFC 6781 §4.1.4: new-algorithm keys enter DNSKEY RRsets only once their signatures are cached. */
  private boolean heldBack(DnsKeyData k) {
    return isNewAlgorithmKey(k) && !newAlgorithmSignaturesCached();
  }

  private @Nullable Boolean newAlgorithmSignaturesCachedMemo;

  /** Every target signer signs zone data with its new-algorithm key, for the signature wait. */
  private boolean newAlgorithmSignaturesCached() {
    Boolean memo = newAlgorithmSignaturesCachedMemo;
    if (memo != null) {
      return memo;
    }
    boolean ok = true;
    Instant end = Instant.MIN;
    for (SignerSnapshot t : target) {
      boolean signs = false;
      for (DnsKeyData k : t.signing().value().zoneKeys()) {
        signs |= isNewAlgorithmKey(k);
      }
      ok &= signs;
      end = max(end, sigWaitEnd(t));
    }
    if (ok && now.isBefore(end)) {
      Instant e = end;
      waitFor(e, WaitKind.SIGNATURE_WAIT,
          () -> "§5.7 step 3: data signed with the new algorithm must be in caches before its "
              + "DNSKEYs are published (RFC 6781 §4.1.4)");
      ok = false;
    }
    newAlgorithmSignaturesCachedMemo = ok;
    return ok;
  }

  private @Nullable Boolean newAlgorithmDsReadyMemo;

  /**
   * The DS RRset may switch to the new algorithm: every target publishes and signs with a new SEP
   * key, every new zone-signing key is published everywhere, and DNSKEY-Wait-Time has passed.
   * Latches once the parent covers a new SEP key (a restart never undoes the DS change).
   */
  private boolean newAlgorithmDsReady() {
    Boolean memo = newAlgorithmDsReadyMemo;
    if (memo != null) {
      return memo;
    }
    boolean ready = computeNewAlgorithmDsReady();
    newAlgorithmDsReadyMemo = ready;
    return ready;
  }

  private boolean computeNewAlgorithmDsReady() {
    for (SignerSnapshot t : target) {
      for (OwnedKey k : t.ownKeys()) {
        if (k.role().isSep() && isNewAlgorithmKey(k.key()) && parentCovers(k.key())) {
          return true;
        }
      }
    }
    if (pendingAdditions) {
      return false;
    }
    for (SignerSnapshot t : target) {
      boolean sep = false;
      for (OwnedKey k : t.ownKeys()) {
        if (!isNewAlgorithmKey(k.key())) {
          continue;
        }
        if (k.role().isSep() && t.dnskey().value().contains(k.key())
            && t.signing().value().dnskeyKeys().contains(k.key())) {
          sep = true;
        }
        if (k.role().signsZone() && !publishedEverywhere(k.key())) {
          return false;
        }
      }
      if (!sep) {
        return false;
      }
    }
    // the RRSIGs over the DNSKEY RRset are part of what caches hold: count signing changes too
    Instant end = dnskeyWaitEnd;
    for (SignerSnapshot t : target) {
      end = max(end, max(t.signing().since().plus(scale(t.dnskey().ttl(), WaitKind.DNSKEY_WAIT)),
          history(t.dnskey(), WaitKind.DNSKEY_WAIT)).plus(s.publicationLatency()));
    }
    if (now.isBefore(end)) {
      waitFor(end, WaitKind.DNSKEY_WAIT,
          () -> "§5.7 step 4: DNSKEY-Wait-Time before the DS RRset moves to the new algorithm "
              + "(RFC 6781 §4.1.4)");
      return false;
    }
    return true;
  }

  /** No cached DNSKEY RRset holds an old-algorithm key any more (DNSKEY-Wait-Time passed). */
  private boolean oldAlgorithmDnskeysGone() {
    for (SignerSnapshot v : cached) {
      for (DnsKeyData k : v.dnskey().value()) {
        if (byAlgorithmRoll.contains(k)) {
          return false;
        }
      }
    }
    if (now.isBefore(dnskeyWaitEnd)) {
      waitFor(dnskeyWaitEnd, WaitKind.DNSKEY_WAIT,
          () -> "§5.7 step 8: old-algorithm signatures stay until no cached DNSKEY RRset holds an "
              + "old-algorithm key (RFC 6781 §4.1.4)");
      return false;
    }
    return true;
  }

  private boolean publishedEverywhereNeeded(OwnedKey k) {
    Owner o = owners.get(k.key());
    if (o == null) {
      return false;
    }
    if (!o.signer().dnskey().value().contains(k.key())) {
      return false;
    }
    return !k.role().signsZone() || publishedEverywhere(k.key());
  }

  // ---------------------------------------------------------------- conclusion

  private Plan conclude() throws Refuse {
    if (!steps.isEmpty()) {
      for (PlannedStep p : steps) {
        SignerSnapshot v = s.signer(p.step().signer());
        if (v != null && !v.capabilities().contains(p.step().capability())) {
          throw new Refuse(new Refusal.MissingCapability(v.id(), p.step().capability(),
              p.step().getClass().getSimpleName() + ": " + p.reason()));
        }
      }
      return new Plan.Act(steps);
    }
    if (timeout != null) {
      throw new Refuse(timeout);
    }
    Candidate w = wait;
    if (w != null) {
      return new Plan.WaitUntil(w.at(), w.kind(), w.reason().get());
    }
    if (await != null) {
      return await;
    }
    Instant settled = max(max(dsWaitEnd, nsWaitEnd), dnskeyWaitEnd);
    if (now.isBefore(settled)) {
      return new Plan.WaitUntil(settled,
          settled.equals(nsWaitEnd) ? WaitKind.NS_WAIT
              : settled.equals(dsWaitEnd) ? WaitKind.DS_WAIT : WaitKind.DNSKEY_WAIT,
          "let the last change propagate before declaring the group stable "
              + "(zonecut: the draft's join list ends without a final wait)");
    }
    return new Plan.Done("group " + intent.group() + " is stable");
  }

  private void add(Step step, List<Condition> pre, String reason, String ref) {
    steps.add(new PlannedStep(step, pre, reason, ref));
  }

  private void waitFor(Instant at, WaitKind kind, Supplier<String> reason) {
    if (!at.isAfter(now)) {
      return;
    }
    Candidate w = wait;
    if (w == null || at.isBefore(w.at())) {
      wait = new Candidate(at, kind, reason);
    }
  }

  private void awaitParent(Condition c, Instant since, String reason) {
    Instant deadline = since.plus(policy.timeout());
    if (now.isAfter(deadline)) {
      if (timeout == null) {
        timeout = new Refusal.ParentTimeout(c, since);
      }
      return;
    }
    if (await == null) {
      await = new Plan.AwaitChange(c, deadline, reason);
    }
  }

  private static Instant lastSince(
      List<SignerSnapshot> vs, java.util.function.Function<SignerSnapshot, Observed<?>> f) {
    Instant last = Instant.MIN;
    for (SignerSnapshot v : vs) {
      last = max(last, f.apply(v).since());
    }
    return last == Instant.MIN ? Instant.EPOCH : last;
  }

  /** A TTL raised to the resolver floor of {@code kind}, times the safety factor. */
  private Duration scale(Duration ttl, WaitKind kind) {
    Duration t = max(ttl, cfg.ttlFloor(kind));
    return Duration.ofMillis((long) Math.ceil(t.toMillis() * cfg.safetyFactor()));
  }

  /** The signer's data TTL, raised to what its observed zone TTLs require. */
  private static Duration dataTtl(SignerSnapshot v) {
    ZoneTtls z = v.zoneTtls();
    return z == null ? v.dataTtl() : max(v.dataTtl(), z.required());
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  // ---------------------------------------------------------------- draft references

  private boolean isJoining(SignerSnapshot v) {
    return intent.group().contains(v.id()) && !admitted(v);
  }

  private String draftRefForRetiring(DnsKeyData k, String zsk, String sep, String alg) {
    if (byAlgorithmRoll.contains(k)) {
      return alg;
    }
    Owner o = owners.get(k);
    if (o != null && !intent.group().contains(o.signer().id())) {
      return "§5.4 step 9";
    }
    return k.isSep() ? sep : zsk;
  }

  private String additionRef(SignerSnapshot v, Set<DnsKeyData> keys) {
    Set<String> refs = new TreeSet<>();
    for (DnsKeyData k : keys) {
      Owner o = owners.get(k);
      if (o == null) {
        continue;
      }
      if (isJoining(v) || isJoining(o.signer())) {
        refs.add("§5.3 step 3");
      } else if (algorithmRoll != null && k.algorithm() == algorithmRoll.to()) {
        refs.add(o.signer() == v ? "§5.7 step 1" : "§5.7 step 4");
      } else if (k.isSep()) {
        refs.add(o.signer() == v ? "§5.6 step 1" : "§5.6 step 2");
      } else {
        refs.add(o.signer() == v ? "§5.5 step 1" : "§5.5 step 2");
      }
    }
    return String.join(", ", refs);
  }

  private String removalRef(Set<DnsKeyData> keys) {
    Set<String> refs = new TreeSet<>();
    for (DnsKeyData k : keys) {
      refs.add(stale.contains(k) ? "" : draftRefForRetiring(k, "§5.5 step 6", "§5.6 steps 7-8", "§5.7 step 8"));
    }
    refs.remove("");
    return String.join(", ", refs);
  }

  private String cdsRef(Set<DnsKeyData> d) {
    for (SignerSnapshot t : target) {
      if (isJoining(t)) {
        return "§5.3 steps 4-5";
      }
    }
    for (SignerSnapshot l : leaving) {
      for (OwnedKey k : l.ownKeys()) {
        if (parentCovers(k.key()) && !d.contains(k.key())) {
          return "§5.4 steps 7-8";
        }
      }
    }
    if (algorithmRoll != null) {
      return retiringPresent(d) ? "§5.7 step 5" : "§5.7 step 5, §5.7 step 9";
    }
    return retiringPresent(d) ? "§5.6 step 4" : "§5.6 step 9";
  }

  private boolean retiringPresent(Set<DnsKeyData> d) {
    for (DnsKeyData k : d) {
      if (retiring.contains(k)) {
        return true;
      }
    }
    return false;
  }

  private String cdsRemovalRef() {
    if (!leaving.isEmpty()) {
      return "§5.4 step 11";
    }
    if (algorithmRoll != null) {
      return "§5.7 step 11";
    }
    for (Rollover r : intent.rollovers()) {
      if (r instanceof Rollover.Sep) {
        return "§5.6 step 11";
      }
    }
    return "§5.3 step 7";
  }

  private String nsRef(SignerSnapshot t) {
    return hasPresentLeaver() && !hasJoiner() ? "§5.4 step 1" : "§5.3 steps 9-10";
  }

  private boolean hasJoiner() {
    for (SignerSnapshot t : target) {
      if (isJoining(t)) {
        return true;
      }
    }
    return false;
  }

  private String csyncRef() {
    return hasJoiner() || leaving.isEmpty() ? "§5.3 step 11" : "§5.4 step 2";
  }

  private String csyncRemovalRef() {
    return leaving.isEmpty() ? "§5.3 step 13" : "§5.4 step 4";
  }

  private static String describeKeys(Set<DnsKeyData> keys) {
    List<String> out = new ArrayList<>();
    for (DnsKeyData k : keys) {
      out.add(k.toString());
    }
    return "DNSKEY " + out;
  }

}
