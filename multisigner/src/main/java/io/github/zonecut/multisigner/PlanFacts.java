package io.github.zonecut.multisigner;

import io.github.zonecut.core.DsData;
import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.multisigner.Decisions.Gated;
import io.github.zonecut.multisigner.Decisions.Wait;
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
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * What the planner knows about one zone at one instant, built once from the snapshot and read by
 * every rule: the signers' roles (target, leaving, answering, cached), who owns each key, which
 * keys retire, and each key's lifecycle phase in RFC 7583 terms. Derived facts that depend on
 * elapsed time are {@link Gated gates}: open or closed, and when closed, the wait that closes them
 * (with its cause and draft reference). They are computed on first use and remembered, so every
 * rule sees the same answer; nothing here changes what a rule reads.
 *
 * <p>Eligibility latches on observed facts (issue 12 item 5): once the planner has started a
 * retirement, a re-plan from a partly executed step list continues it instead of undoing it.
 */
final class PlanFacts {

  /** The signer that generated a key, and the key's role. */
  record Owner(SignerSnapshot signer, KeyRole role) {}

  /** A key's lifecycle phase (RFC 7583 §3.1), as far as the snapshot shows it. */
  enum KeyPhase {
    /** Held by its signer, in no DNSKEY RRset and used for nothing. */
    GENERATED,
    /** In its signer's DNSKEY RRset, not yet signing what its role signs. */
    PUBLISHED,
    /** Signing zone data or the DNSKEY RRset. */
    ACTIVE,
    /** Retiring: no longer signing, still in a served DNSKEY RRset. */
    RETIRED,
    /** Retiring and in no served DNSKEY RRset: only its deletion is left. */
    REMOVED
  }

  private static final Gated<Boolean> OPEN = new Gated<>(true, null);
  private static final Gated<Boolean> CLOSED = new Gated<>(false, null);

  final ZoneSnapshot s;
  final Intent intent;
  final ParentPolicy policy;
  final Instant now;
  final PlannerConfig cfg;
  final Name zone;
  final Waits waits;
  final @Nullable Observed<Set<DsData>> parentDs;
  final @Nullable Observed<Set<Name>> parentNs;

  final List<SignerSnapshot> target = new ArrayList<>();
  final List<SignerSnapshot> leaving = new ArrayList<>();
  final List<SignerSnapshot> answering = new ArrayList<>();
  final Map<DnsKeyData, Owner> owners = new HashMap<>();
  final Set<DnsKeyData> retiring = new HashSet<>();
  final Set<DnsKeyData> byAlgorithmRoll = new HashSet<>();
  final Set<DnsKeyData> stale = new HashSet<>();
  Rollover.@Nullable Algorithm algorithmRoll;
  private @Nullable Refusal refusal;

  // derived on first use; a pure function of the fields above
  private final Map<DnsKeyData, Gated<Boolean>> eligible = new HashMap<>();
  private final Map<SignerId, Boolean> admitted = new HashMap<>();
  private final Map<SignerId, Gated<Set<DnsKeyData>>> missing = new HashMap<>();
  private @Nullable Gated<Set<DnsKeyData>> live;
  private @Nullable Boolean pendingAdditions;
  private @Nullable Gated<Boolean> newAlgorithmSignaturesCached;
  private @Nullable Gated<Boolean> newAlgorithmDsReady;
  private @Nullable Gated<Boolean> algorithmRollComplete;
  private @Nullable Gated<Set<DnsKeyData>> desiredDs;

  private PlanFacts(ZoneSnapshot s, Intent intent, ParentPolicy policy, Instant now, PlannerConfig cfg) {
    this.s = s;
    this.intent = intent;
    this.policy = policy;
    this.now = now;
    this.cfg = cfg;
    this.zone = s.zone();
    this.parentDs = s.parent().agreedDs();
    this.parentNs = s.parent().agreedNs();
    this.waits = Waits.of(s, cfg, now);
  }

  /** The facts of {@code s}; {@link #refusal()} says when the snapshot or intent cannot be planned. */
  static PlanFacts of(ZoneSnapshot s, Intent intent, ParentPolicy policy, Instant now, PlannerConfig cfg) {
    PlanFacts f = new PlanFacts(s, intent, policy, now, cfg);
    Refusal r = f.classify();
    if (r == null) {
      r = f.inventory();
    }
    f.refusal = r;
    return f;
  }

  /** Why nothing can be planned (unknown or unready signers, unattributed keys, …), or null. */
  @Nullable Refusal refusal() {
    return refusal;
  }

  // ---------------------------------------------------------------- classification

  private @Nullable Refusal classify() {
    if (intent.group().isEmpty()) {
      return new Refusal.LastSignerRemoval();
    }
    for (SignerId id : intent.group()) {
      if (s.signer(id) == null) {
        return new Refusal.UnknownSigner(id);
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
        return new Refusal.DataTtlTooShort(v.id(), v.dataTtl(), z);
      }
    }
    for (SignerSnapshot t : target) {
      if (!t.isAnswering()) {
        return new Refusal.SignerNotReady(t.id(), "it does not serve the zone (§5.1 item 1)");
      }
      boolean sep = false;
      boolean zoneSigning = false;
      for (OwnedKey k : t.ownKeys()) {
        sep |= k.role().isSep();
        zoneSigning |= k.role().signsZone();
      }
      if (!sep || !zoneSigning) {
        return new Refusal.SignerNotReady(t.id(), "it holds no KSK+ZSK or CSK (§5.2: keys must be online)");
      }
    }
    for (SignerSnapshot v : s.signers()) {
      for (OwnedKey k : v.ownKeys()) {
        if (owners.put(k.key(), new Owner(v, k.role())) != null) {
          return new Refusal.UnattributedKey(v.id(), k.key());
        }
      }
    }
    if (cfg.ownership() instanceof KeyOwnership.KeyTagModulo m) {
      for (SignerSnapshot v : s.signers()) {
        Integer r = m.remainderOf(v.id());
        for (OwnedKey k : v.ownKeys()) {
          if (r == null || k.key().keyTag() % m.modulus() != r) {
            return new Refusal.KeyTagOwnership(v.id(), k.key(), r == null ? -1 : r, m.modulus());
          }
        }
      }
    }
    for (SignerSnapshot v : answering) {
      for (DnsKeyData k : v.dnskey().value()) {
        if (owners.containsKey(k)) {
          continue;
        }
        if (cfg.ownership() instanceof KeyOwnership.KeyTagModulo m) {
          // Knot's rule: the tag names the owner; a key no current signer holds is stale
          SignerId owner = m.ownerOf(k.keyTag());
          if (owner != null && owner.equals(v.id())) {
            return new Refusal.UnattributedKey(v.id(), k);
          }
          stale.add(k);
        } else {
          return new Refusal.UnattributedKey(v.id(), k);
        }
      }
    }
    return null;
  }

  private @Nullable Refusal inventory() {
    for (SignerSnapshot l : leaving) {
      for (OwnedKey k : l.ownKeys()) {
        retiring.add(k.key());
      }
    }
    for (Rollover r : intent.rollovers()) {
      Refusal refused = null;
      if (r instanceof Rollover.Zsk z) {
        refused = retireOne(z.signer(), z.oldKey());
      } else if (r instanceof Rollover.Sep k) {
        refused = retireOne(k.signer(), k.oldKey());
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
      if (refused != null) {
        return refused;
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
        Rollover.Algorithm a = algorithmRoll;
        if (a != null) {
          mine.add(a.to());
        }
        algs.put(t.id(), mine);
        all.addAll(mine);
      }
      if (all.size() > 1) {
        return new Refusal.MixedAlgorithms(algs);
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
            return new Refusal.MissingCapability(v.id(), c, "draft §4.3 (every signer)");
          }
        }
      }
    }
    return null;
  }

  private @Nullable Refusal retireOne(SignerId signer, DnsKeyData key) {
    SignerSnapshot v = s.signer(signer);
    if (v == null) {
      return new Refusal.UnknownSigner(signer);
    }
    if (!intent.group().contains(signer)) {
      return new Refusal.RolloverOfLeavingSigner(signer);
    }
    if (v.owns(key)) {
      retiring.add(key);
    }
    // a key the signer no longer holds: that rollover is complete (idempotent intents)
    return null;
  }

  // ---------------------------------------------------------------- plain facts

  boolean isTarget(SignerSnapshot v) {
    return intent.group().contains(v.id());
  }

  /** Whether a joining or member signer is reachable: one of its NS names is served elsewhere. */
  boolean admitted(SignerSnapshot t) {
    Boolean memo = admitted.get(t.id());
    if (memo == null) {
      memo = t.ownNs().isEmpty();
      for (Name name : t.ownNs()) {
        if (presentElsewhere(name, t)) {
          memo = true;
          break;
        }
      }
      admitted.put(t.id(), memo);
    }
    return memo;
  }

  boolean isJoining(SignerSnapshot v) {
    return isTarget(v) && !admitted(v);
  }

  boolean hasJoiner() {
    for (SignerSnapshot t : target) {
      if (isJoining(t)) {
        return true;
      }
    }
    return false;
  }

  boolean hasAnsweringLeaver() {
    for (SignerSnapshot l : leaving) {
      if (l.isAnswering()) {
        return true;
      }
    }
    return false;
  }

  /** Whether a resolver can learn {@code name} other than from its own signer. */
  boolean presentElsewhere(Name name, SignerSnapshot self) {
    Observed<Set<Name>> pns = parentNs;
    if (pns != null) {
      if (pns.value().contains(name)) {
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

  /** Whether the parent serves a DS for {@code k} (all servers when they agree, any otherwise). */
  boolean parentCovers(DnsKeyData k) {
    Observed<Set<DsData>> pds = parentDs;
    if (pds != null) {
      for (DsData d : pds.value()) {
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

  /** Whether every signer whose DNSKEY RRset may be cached publishes {@code key}. */
  boolean publishedEverywhere(DnsKeyData key) {
    for (SignerSnapshot v : waits.cached()) {
      if (!v.dnskey().value().contains(key)) {
        return false;
      }
    }
    return true;
  }

  /** Whether an algorithm rollover still has old-algorithm keys held by target signers. */
  boolean algorithmRollInProgress() {
    return algorithmRoll != null && !byAlgorithmRoll.isEmpty();
  }

  /** A key of the algorithm being rolled to, held by a signer and not itself retiring. */
  boolean isNewAlgorithmKey(DnsKeyData k) {
    Rollover.Algorithm a = algorithmRoll;
    return a != null && k.algorithm() == a.to() && !retiring.contains(k) && owners.containsKey(k)
        && algorithmRollInProgress();
  }

  /** The key's lifecycle phase (RFC 7583 §3.1). */
  KeyPhase phase(DnsKeyData k) {
    boolean published = false;
    for (SignerSnapshot v : answering) {
      published |= v.dnskey().value().contains(k);
    }
    Owner o = owners.get(k);
    boolean signing = o != null && (o.signer().signing().value().zoneKeys().contains(k)
        || o.signer().signing().value().dnskeyKeys().contains(k));
    if (retiring.contains(k) || stale.contains(k)) {
      return signing ? KeyPhase.ACTIVE : published ? KeyPhase.RETIRED : KeyPhase.REMOVED;
    }
    return signing ? KeyPhase.ACTIVE : published ? KeyPhase.PUBLISHED : KeyPhase.GENERATED;
  }

  // ---------------------------------------------------------------- DNSKEY publication

  /** Zone-signing keys every serving signer must publish now (RFC 8901 model 2). */
  Gated<Set<DnsKeyData>> liveZoneSigningKeys() {
    Gated<Set<DnsKeyData>> memo = live;
    if (memo != null) {
      return memo;
    }
    Set<DnsKeyData> keys = new LinkedHashSet<>();
    Wait w = null;
    for (SignerSnapshot v : s.signers()) {
      boolean isTarget = isTarget(v);
      for (OwnedKey k : v.ownKeys()) {
        if (!k.role().signsZone()) {
          continue;
        }
        if (!retiring.contains(k.key())) {
          if (isTarget) {
            keys.add(k.key());
          }
        } else {
          Gated<Boolean> e = eligible(k.key());
          w = earliest(w, e);
          if (!e.value() && (v.dnskey().value().contains(k.key()) || !v.isAnswering())) {
            keys.add(k.key());
          }
        }
      }
    }
    memo = new Gated<>(keys, w);
    live = memo;
    return memo;
  }

  /** Keys signer {@code v} must add to its DNSKEY RRset now. */
  Gated<Set<DnsKeyData>> missingDnskeys(SignerSnapshot v) {
    Gated<Set<DnsKeyData>> memo = missing.get(v.id());
    if (memo != null) {
      return memo;
    }
    Set<DnsKeyData> current = v.dnskey().value();
    Set<DnsKeyData> out = new TreeSet<>();
    Wait w = null;
    if (isTarget(v)) {
      for (OwnedKey k : v.ownKeys()) {
        if (!retiring.contains(k.key()) && !current.contains(k.key())) {
          Gated<Boolean> held = heldBack(k.key());
          w = earliest(w, held);
          if (!held.value()) {
            out.add(k.key());
          }
        }
      }
    }
    Gated<Set<DnsKeyData>> liveKeys = liveZoneSigningKeys();
    w = earliest(w, liveKeys.blocker());
    for (DnsKeyData k : liveKeys.value()) {
      Owner o = owners.get(k);
      if (o != null && !o.signer().id().equals(v.id()) && !current.contains(k)) {
        Gated<Boolean> held = heldBack(k);
        w = earliest(w, held);
        if (!held.value()) {
          out.add(k);
        }
      }
    }
    memo = new Gated<>(out, w);
    missing.put(v.id(), memo);
    return memo;
  }

  /** Whether some answering signer still has keys to add (§5.3 step 3 comes before everything else). */
  boolean pendingAdditions() {
    Boolean memo = pendingAdditions;
    if (memo == null) {
      memo = false;
      for (SignerSnapshot v : answering) {
        if (!missingDnskeys(v).value().isEmpty()) {
          memo = true;
          break;
        }
      }
      pendingAdditions = memo;
    }
    return memo;
  }

  /** RFC 6781 §4.1.4: new-algorithm keys enter DNSKEY RRsets only once their signatures are cached. */
  private Gated<Boolean> heldBack(DnsKeyData k) {
    if (!isNewAlgorithmKey(k)) {
      return CLOSED;
    }
    Gated<Boolean> cachedSigs = newAlgorithmSignaturesCached();
    return new Gated<>(!cachedSigs.value(), cachedSigs.blocker());
  }

  /** Every target signer signs zone data with its new-algorithm key, for the signature wait. */
  Gated<Boolean> newAlgorithmSignaturesCached() {
    Gated<Boolean> memo = newAlgorithmSignaturesCached;
    if (memo != null) {
      return memo;
    }
    boolean ok = true;
    Instant end = Instant.MIN;
    @Nullable Instant partial = null;
    for (SignerSnapshot t : target) {
      boolean signs = false;
      for (DnsKeyData k : t.signing().value().zoneKeys()) {
        if (isNewAlgorithmKey(k)) {
          signs = true;
          if (t.partialSigning().value().contains(k)) {
            // issue 12 item 3: the new key signs part of the zone only; the rest is re-signed
            // over the signer's re-signing interval
            Instant r = waits.resigned(t);
            partial = partial == null ? r : Waits.max(partial, r);
          }
        }
      }
      ok &= signs;
      end = Waits.max(end, waits.signatures(t));
    }
    if (ok && partial != null) {
      memo = new Gated<>(false, new Wait(partial, WaitKind.SIGNATURE_WAIT, "§5.7 step 3",
          () -> "the zone is only partly signed with the new algorithm; wait for the signers' "
              + "re-signing (RFC 7583 Dsgn) before its DNSKEYs are published"));
    } else if (ok && waits.pending(end)) {
      memo = new Gated<>(false, new Wait(end, WaitKind.SIGNATURE_WAIT, "§5.7 step 3",
          () -> "data signed with the new algorithm must be in caches before its DNSKEYs are "
              + "published (RFC 6781 §4.1.4)"));
    } else {
      memo = ok ? OPEN : CLOSED;
    }
    newAlgorithmSignaturesCached = memo;
    return memo;
  }

  /** No cached DNSKEY RRset holds an old-algorithm key any more (DNSKEY-Wait-Time passed). */
  Gated<Boolean> oldAlgorithmDnskeysGone() {
    for (SignerSnapshot v : waits.cached()) {
      for (DnsKeyData k : v.dnskey().value()) {
        if (byAlgorithmRoll.contains(k)) {
          return CLOSED;
        }
      }
    }
    if (waits.pending(waits.dnskey())) {
      return new Gated<>(false, new Wait(waits.dnskey(), WaitKind.DNSKEY_WAIT, "§5.7 step 8",
          () -> "old-algorithm signatures stay until no cached DNSKEY RRset holds an "
              + "old-algorithm key (RFC 6781 §4.1.4)"));
    }
    return OPEN;
  }

  // ---------------------------------------------------------------- DS

  /**
   * The DS RRset may switch to the new algorithm: every target publishes and signs with a new SEP
   * key, every new zone-signing key is published everywhere, and DNSKEY-Wait-Time has passed.
   * Latches once the parent covers a new SEP key (a restart never undoes the DS change).
   */
  Gated<Boolean> newAlgorithmDsReady() {
    Gated<Boolean> memo = newAlgorithmDsReady;
    if (memo == null) {
      memo = computeNewAlgorithmDsReady();
      newAlgorithmDsReady = memo;
    }
    return memo;
  }

  private Gated<Boolean> computeNewAlgorithmDsReady() {
    for (SignerSnapshot t : target) {
      for (OwnedKey k : t.ownKeys()) {
        if (k.role().isSep() && isNewAlgorithmKey(k.key()) && parentCovers(k.key())) {
          return OPEN;
        }
      }
    }
    if (pendingAdditions()) {
      return CLOSED;
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
          return CLOSED;
        }
      }
      if (!sep) {
        return CLOSED;
      }
    }
    // the RRSIGs over the DNSKEY RRset are part of what caches hold: count signing changes too
    Instant end = waits.dnskey();
    for (SignerSnapshot t : target) {
      end = Waits.max(end, waits.dnskeyRrsetSettled(t));
    }
    if (waits.pending(end)) {
      return new Gated<>(false, new Wait(end, WaitKind.DNSKEY_WAIT, "§5.7 step 4",
          () -> "DNSKEY-Wait-Time before the DS RRset moves to the new algorithm (RFC 6781 §4.1.4)"));
    }
    return OPEN;
  }

  /**
   * The SEP keys the parent's DS RRset must cover now: each target's published SEP keys that sign
   * its DNSKEY RRset (during an algorithm rollover, the old algorithm's until the new one is
   * ready, then the new one's: RFC 6781 §4.1.4, §5.7 steps 5 and 9), plus a leaving signer's
   * while its data may be cached.
   */
  Gated<Set<DnsKeyData>> desiredDs() {
    Gated<Set<DnsKeyData>> memo = desiredDs;
    if (memo != null) {
      return memo;
    }
    Set<DnsKeyData> d = new TreeSet<>();
    Wait w = null;
    for (SignerSnapshot t : target) {
      Signing sig = t.signing().value();
      for (OwnedKey k : t.ownKeys()) {
        if (k.role().isSep() && t.dnskey().value().contains(k.key())
            && sig.dnskeyKeys().contains(k.key())) {
          d.add(k.key());
        }
      }
    }
    if (algorithmRollInProgress()) {
      Gated<Boolean> ready = newAlgorithmDsReady();
      w = earliest(w, ready);
      if (ready.value()) {
        d.removeIf(byAlgorithmRoll::contains);
      } else {
        d.removeIf(this::isNewAlgorithmKey);
      }
    }
    for (SignerSnapshot l : leaving) {
      for (OwnedKey k : l.ownKeys()) {
        if (!k.role().isSep()) {
          continue;
        }
        Gated<Boolean> e = eligible(k.key());
        w = earliest(w, e);
        if (!e.value() && parentCovers(k.key())) {
          d.add(k.key()); // the leaving signer keeps its DS until its data left all caches
        }
      }
    }
    memo = new Gated<>(d, w);
    desiredDs = memo;
    return memo;
  }

  /** The SEP keys of target signers that are not retiring: the DS RRset when everything is done. */
  Set<DnsKeyData> finalDs() {
    Set<DnsKeyData> out = new TreeSet<>();
    for (SignerSnapshot t : target) {
      for (OwnedKey k : t.ownKeys()) {
        if (k.role().isSep() && !retiring.contains(k.key())) {
          out.add(k.key());
        }
      }
    }
    return out;
  }

  /** Whether all parent servers agree on a DS RRset that covers exactly {@link #desiredDs}. */
  boolean parentDsSynced() {
    Observed<Set<DsData>> pds = parentDs;
    return pds != null && Condition.ParentDsCovers.covers(zone, pds.value(), desiredDs().value());
  }

  // ---------------------------------------------------------------- eligibility (retirement)

  /** Whether retiring key {@code k} may leave every DNSKEY RRset (and its DS the parent). */
  Gated<Boolean> eligible(DnsKeyData k) {
    Gated<Boolean> memo = eligible.get(k);
    if (memo == null) {
      memo = computeEligible(k);
      eligible.put(k, memo);
    }
    return memo;
  }

  private Gated<Boolean> computeEligible(DnsKeyData k) {
    Owner o = owners.get(k);
    if (o == null) {
      return OPEN;
    }
    SignerSnapshot owner = o.signer();
    if (!isTarget(owner)) {
      if (owner.isAnswering()) {
        return CLOSED;
      }
      Instant gone = waits.expiry(owner);
      if (waits.pending(gone)) {
        return new Gated<>(false, new Wait(gone, WaitKind.SIGNATURE_WAIT, "§5.4 step 9",
            () -> "RRSIGs and DNSKEYs served by " + owner.id() + " must expire from caches"));
      }
      return OPEN;
    }
    if (byAlgorithmRoll.contains(k)) {
      return algorithmRollComplete();
    }
    if ((o.role().isSep() && retirementStarted(owner, k))
        || (o.role().signsZone() && removalStarted(owner, k))) {
      return OPEN;
    }
    if (o.role().signsZone()) {
      Gated<Boolean> gone = zoneSignaturesGone(owner, k);
      if (!gone.value()) {
        return gone;
      }
    }
    if (o.role().isSep()) {
      return successorTrusted(owner, k);
    }
    return OPEN;
  }

  /**
   * Latch: the owner no longer signs anything with its retiring SEP key while a successor in the
   * parent's DS signs its DNSKEY RRset. The planner stops those signatures only once the key is
   * eligible, so a host that executed part of the retirement and planned again continues it
   * instead of adding the key back (the signing change itself would otherwise restart the waits).
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
      if (v != owner && isTarget(v) && admitted(v) && !v.dnskey().value().contains(k)) {
        return true;
      }
    }
    return false;
  }

  /** The owner stopped signing with {@code k} and its RRSIGs have left caches (signature wait). */
  private Gated<Boolean> zoneSignaturesGone(SignerSnapshot owner, DnsKeyData k) {
    if (owner.signing().value().zoneKeys().contains(k)) {
      return CLOSED;
    }
    if (owner.partialSigning().value().contains(k)) {
      // issue 12 item 3: part of the zone still carries its RRSIGs (gradual re-signing)
      return new Gated<>(false, new Wait(waits.resigned(owner), WaitKind.SIGNATURE_WAIT, "",
          () -> "some RRsets of " + owner.id() + " are still signed with " + k + "; wait for the "
              + "re-signing (RFC 7583 Dsgn)"));
    }
    Instant end = waits.signatures(owner);
    if (waits.pending(end)) {
      return new Gated<>(false, new Wait(end, WaitKind.SIGNATURE_WAIT, "",
          () -> "RRSIGs made with " + k + " must expire from caches before it leaves any DNSKEY "
              + "RRset (zonecut's signature wait, RFC 7583 Dsgn)"));
    }
    return OPEN;
  }

  /** §5.6 steps 5–6: the successor is in the parent's DS for DS-Wait-Time, signing for DNSKEY-Wait-Time. */
  private Gated<Boolean> successorTrusted(SignerSnapshot owner, DnsKeyData k) {
    if (parentDs == null) {
      return CLOSED;
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
      return CLOSED;
    }
    Instant end = Waits.max(waits.ds(), waits.dnskeyRrsetSettled(owner));
    if (waits.pending(end)) {
      return new Gated<>(false, new Wait(end, WaitKind.DS_WAIT, "§5.6 step 6",
          () -> "DS-Wait-Time + DNSKEY-Wait-Time before " + k + " is removed"));
    }
    return OPEN;
  }

  /**
   * §5.7 steps 6–8 in RFC 6781 §4.1.4's order: the old algorithm's DNSKEYs may go once the
   * parent's DS RRset covers every new SEP key and no old one, for DS-Wait-Time.
   */
  Gated<Boolean> algorithmRollComplete() {
    Gated<Boolean> memo = algorithmRollComplete;
    if (memo == null) {
      memo = computeAlgorithmRollComplete();
      algorithmRollComplete = memo;
    }
    return memo;
  }

  private Gated<Boolean> computeAlgorithmRollComplete() {
    Rollover.Algorithm a = algorithmRoll;
    if (a == null || parentDs == null) {
      return CLOSED;
    }
    for (SignerSnapshot t : target) {
      boolean sep = false;
      boolean zsk = false;
      for (OwnedKey k : t.ownKeys()) {
        if (k.key().algorithm() != a.to() || retiring.contains(k.key())) {
          continue;
        }
        if (!t.dnskey().value().contains(k.key())
            || (k.role().signsZone() && !publishedEverywhere(k.key()))) {
          return CLOSED;
        }
        if (k.role().isSep()) {
          if (!t.signing().value().dnskeyKeys().contains(k.key()) || !parentCovers(k.key())) {
            return CLOSED;
          }
          sep = true;
        }
        if (k.role().signsZone()) {
          if (!t.signing().value().zoneKeys().contains(k.key())) {
            return CLOSED;
          }
          zsk = true;
        }
      }
      if (!sep || !zsk) {
        return CLOSED;
      }
    }
    for (DnsKeyData k : byAlgorithmRoll) {
      if (k.isSep() && parentCovers(k)) {
        return CLOSED;
      }
    }
    if (waits.pending(waits.ds())) {
      return new Gated<>(false, new Wait(waits.ds(), WaitKind.DS_WAIT, "§5.7 step 7",
          () -> "DS-Wait-Time after the DS RRset lost algorithm " + a.from()
              + " before its DNSKEYs are removed (RFC 6781 §4.1.4)"));
    }
    return OPEN;
  }

  // ---------------------------------------------------------------- helpers

  static @Nullable Wait earliest(@Nullable Wait a, Gated<?> g) {
    return earliest(a, g.blocker());
  }

  static @Nullable Wait earliest(@Nullable Wait a, @Nullable Wait b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return b.until().isBefore(a.until()) ? b : a;
  }

  static String describeKeys(Set<DnsKeyData> keys) {
    List<String> out = new ArrayList<>(keys.size());
    for (DnsKeyData k : keys) {
      out.add(k.toString());
    }
    return "DNSKEY " + out;
  }
}
