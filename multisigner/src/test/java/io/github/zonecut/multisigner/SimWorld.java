package io.github.zonecut.multisigner;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * A deterministic simulated world for the planner: signers that apply steps, a parent that picks
 * up CDS/CDNSKEY and CSYNC after a delay, a virtual clock, and the timeline of every state for the
 * glitch checker.
 */
final class SimWorld {

  static final Name ZONE = Name.fromConstantString("example.com.");
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  final Random rnd;
  Instant now = T0;
  final Map<SignerId, Sig> signers = new LinkedHashMap<>();
  final Par parent = new Par();
  final List<TimedState> timeline = new ArrayList<>();
  ParentPolicy policy = ParentPolicy.DEFAULT;
  KeyOwnership.@Nullable KeyTagModulo modulo;
  Duration latency = Duration.ofSeconds(5);
  long parentDelayMaxSeconds = 3600;
  boolean parentSilent;

  static final class Sig {
    final SignerId id;
    Set<Capability> caps = EnumSet.allOf(Capability.class);
    final List<OwnedKey> own = new ArrayList<>();
    Set<Name> ownNs = new TreeSet<>();
    boolean answering = true;
    Set<DnsKey> dnskey = new TreeSet<>();
    Signing signing = Signing.of(Set.of(), Set.of());
    Set<DsRecord> cds = new TreeSet<>();
    Set<DnsKey> cdnskey = new TreeSet<>();
    Set<Name> ns = new TreeSet<>();
    boolean csync;
    long dnskeyTtl = 3600;
    long nsTtl = 3600;
    long dataTtl = 3600;
    Instant answeringSince = T0.minus(Duration.ofDays(30));
    Instant dnskeySince = answeringSince;
    Instant signingSince = answeringSince;
    Instant cdsSince = answeringSince;
    Instant nsSince = answeringSince;
    Instant csyncSince = answeringSince;

    Sig(SignerId id) {
      this.id = id;
    }

    SignerSnapshot snapshot() {
      return new SignerSnapshot(id, caps, own, ownNs,
          new Observed<>(answering, Duration.ZERO, answeringSince),
          Observed.of(Set.copyOf(dnskey), dnskeyTtl, dnskeySince),
          new Observed<>(signing, Duration.ofSeconds(dataTtl), signingSince),
          Observed.of(Set.copyOf(cds), dnskeyTtl, cdsSince),
          Observed.of(Set.copyOf(cdnskey), dnskeyTtl, cdsSince),
          Observed.of(Set.copyOf(ns), nsTtl, nsSince),
          Observed.of(csync, nsTtl, csyncSince),
          Duration.ofSeconds(dataTtl));
    }
  }

  static final class Par {
    Set<DsRecord> ds = new TreeSet<>();
    Set<Name> ns = new TreeSet<>();
    long dsTtl = 3600;
    long nsTtl = 3600;
    Instant dsSince = T0.minus(Duration.ofDays(30));
    Instant nsSince = dsSince;
    @Nullable Set<DsRecord> pendingDs;
    Instant pendingDsAt = Instant.MAX;
    @Nullable Set<Name> pendingNs;
    Instant pendingNsAt = Instant.MAX;
    int changes;
  }

  SimWorld(long seed) {
    this.rnd = new Random(seed);
  }

  // ------------------------------------------------------------------ set-up

  /** Adds a signer with fresh keys (CSK or KSK+ZSK) and two NS names; not yet synchronised. */
  Sig addSigner(String label, int algorithm, boolean csk, long dnskeyTtl, long dataTtl, long nsTtl) {
    Sig s = new Sig(SignerId.of(label));
    s.dnskeyTtl = dnskeyTtl;
    s.dataTtl = dataTtl;
    s.nsTtl = nsTtl;
    if (csk) {
      DnsKey c = newKey(s.id, KeyRole.CSK, algorithm);
      s.own.add(OwnedKey.of(c, KeyRole.CSK));
      s.signing = Signing.of(Set.of(c), Set.of(c));
    } else {
      DnsKey k = newKey(s.id, KeyRole.KSK, algorithm);
      DnsKey z = newKey(s.id, KeyRole.ZSK, algorithm);
      s.own.add(OwnedKey.of(k, KeyRole.KSK));
      s.own.add(OwnedKey.of(z, KeyRole.ZSK));
      s.signing = Signing.of(Set.of(z), Set.of(k));
    }
    for (OwnedKey k : s.own) {
      s.dnskey.add(k.key());
    }
    s.ownNs.add(Name.fromConstantString("ns1." + label + ".net."));
    s.ownNs.add(Name.fromConstantString("ns2." + label + ".net."));
    s.ns.addAll(s.ownNs);
    signers.put(s.id, s);
    return s;
  }

  /** Makes the given signers a synchronised group with the parent pointing at them. */
  void formGroup(List<Sig> group) {
    Set<DnsKey> zoneSigning = new HashSet<>();
    Set<Name> allNs = new TreeSet<>();
    parent.ds.clear();
    for (Sig s : group) {
      allNs.addAll(s.ownNs);
      for (OwnedKey k : s.own) {
        if (k.role().signsZone()) {
          zoneSigning.add(k.key());
        }
        if (k.role().isSep()) {
          parent.ds.add(DsRecord.of(ZONE, k.key(), DsRecord.SHA256));
        }
      }
    }
    for (Sig s : group) {
      s.dnskey.addAll(zoneSigning);
      s.ns = new TreeSet<>(allNs);
    }
    parent.ns = new TreeSet<>(allNs);
  }

  DnsKey newKey(SignerId owner, KeyRole role, int algorithm) {
    while (true) {
      byte[] pk = new byte[algorithm == 15 ? 32 : 64];
      rnd.nextBytes(pk);
      DnsKey k = DnsKey.of(role, algorithm, pk);
      KeyOwnership.KeyTagModulo m = modulo;
      if (m == null) {
        return k;
      }
      Integer r = m.remainderOf(owner);
      if (r == null || k.keyTag() % m.modulus() == r) {
        return k;
      }
    }
  }

  // ------------------------------------------------------------------ observation

  ZoneSnapshot snapshot() {
    List<SignerSnapshot> views = new ArrayList<>();
    for (Sig s : signers.values()) {
      views.add(s.snapshot());
    }
    ParentServerView p = new ParentServerView("parent-ns",
        Observed.of(Set.copyOf(parent.ds), parent.dsTtl, parent.dsSince),
        Observed.of(Set.copyOf(parent.ns), parent.nsTtl, parent.nsSince));
    return new ZoneSnapshot(ZONE, views, ParentSnapshot.of(p), latency);
  }

  void record() {
    // the initial state has been served for a long time: its versions may be in any cache
    Instant at = timeline.isEmpty() ? now.minus(Duration.ofDays(30)) : now;
    timeline.add(new TimedState(at, snapshot()));
  }

  // ------------------------------------------------------------------ execution

  void apply(Step step) {
    Sig s = signers.get(step.signer());
    if (s == null) {
      throw new IllegalStateException("unknown signer " + step.signer());
    }
    if (step instanceof Step.AddDnskeys a) {
      if (s.dnskey.addAll(a.keys())) {
        s.dnskeySince = now;
      }
    } else if (step instanceof Step.RemoveDnskeys r) {
      if (s.dnskey.removeAll(r.keys())) {
        s.dnskeySince = now;
      }
    } else if (step instanceof Step.GenerateKey g) {
      if (!new Condition.HasKey(s.id, g.role(), g.algorithm(), g.replacing())
          .holds(snapshot(), now)) {
        s.own.add(OwnedKey.of(newKey(s.id, g.role(), g.algorithm()), g.role()));
      }
    } else if (step instanceof Step.SetSigning g) {
      if (!s.signing.equals(g.signing())) {
        s.signing = g.signing();
        s.signingSince = now;
      }
    } else if (step instanceof Step.SetCds c) {
      if (!s.cds.equals(c.cds()) || !s.cdnskey.equals(c.cdnskey())) {
        s.cds = new TreeSet<>(c.cds());
        s.cdnskey = new TreeSet<>(c.cdnskey());
        s.cdsSince = now;
      }
    } else if (step instanceof Step.SetNs n) {
      if (!s.ns.equals(n.ns())) {
        s.ns = new TreeSet<>(n.ns());
        s.nsSince = now;
      }
    } else if (step instanceof Step.SetCsync c) {
      if (s.csync != c.present()) {
        s.csync = c.present();
        s.csyncSince = now;
      }
    } else if (step instanceof Step.StopServing) {
      if (s.answering) {
        s.answering = false;
        s.answeringSince = now;
      }
    } else if (step instanceof Step.DeleteKey d) {
      s.own.removeIf(k -> k.key().equals(d.key()));
    }
    record();
    parentScan();
  }

  // ------------------------------------------------------------------ the parent

  /** The signers a parent scans: those answering whose NS names are in the delegation. */
  private List<Sig> delegated() {
    List<Sig> out = new ArrayList<>();
    for (Sig s : signers.values()) {
      if (s.answering && s.ownNs.stream().anyMatch(parent.ns::contains)) {
        out.add(s);
      }
    }
    return out;
  }

  /** RFC 7344/8078 and RFC 7477 scanning: consistent signals across the delegation. */
  void parentScan() {
    if (parentSilent) {
      return;
    }
    List<Sig> del = delegated();
    if (del.isEmpty()) {
      return;
    }
    Sig first = del.get(0);
    boolean consistent = true;
    for (Sig s : del) {
      consistent &= s.cds.equals(first.cds) && s.cdnskey.equals(first.cdnskey);
    }
    if (consistent && (!first.cds.isEmpty() || !first.cdnskey.isEmpty())) {
      Set<DsRecord> next = new TreeSet<>();
      if (policy.consumesCds() && !first.cds.isEmpty()) {
        for (DsRecord d : first.cds) {
          if (policy.acceptedDigestTypes().contains(d.digestType())) {
            next.add(d);
          }
        }
      } else if (policy.consumesCdnskey()) {
        for (DnsKey k : first.cdnskey) {
          next.add(DsRecord.of(ZONE, k, policy.publishedDigestType()));
        }
      }
      schedule(next.isEmpty() || next.equals(parent.ds) ? null : next, true);
    } else {
      schedule(null, true);
    }
    boolean csyncEverywhere = true;
    for (Sig s : del) {
      csyncEverywhere &= s.csync && s.ns.equals(first.ns);
    }
    if (policy.processesCsync() && csyncEverywhere && !first.ns.equals(parent.ns)) {
      schedule(first.ns, false);
    } else {
      schedule(null, false);
    }
  }

  @SuppressWarnings("unchecked")
  private void schedule(@Nullable Set<?> value, boolean ds) {
    Set<?> pending = ds ? parent.pendingDs : parent.pendingNs;
    if (value == null) {
      if (ds) {
        parent.pendingDs = null;
        parent.pendingDsAt = Instant.MAX;
      } else {
        parent.pendingNs = null;
        parent.pendingNsAt = Instant.MAX;
      }
      return;
    }
    if (value.equals(pending)) {
      return;
    }
    Instant due = now.plusSeconds(1 + (long) (rnd.nextDouble() * parentDelayMaxSeconds));
    if (ds) {
      parent.pendingDs = new TreeSet<>((Set<DsRecord>) value);
      parent.pendingDsAt = due;
    } else {
      parent.pendingNs = new TreeSet<>((Set<Name>) value);
      parent.pendingNsAt = due;
    }
  }

  Instant nextParentEvent() {
    return parent.pendingDsAt.isBefore(parent.pendingNsAt) ? parent.pendingDsAt : parent.pendingNsAt;
  }

  /** Advances the clock to {@code t}, publishing parent changes that fall due on the way. */
  void advanceTo(Instant t) {
    while (!nextParentEvent().isAfter(t)) {
      now = max(now, nextParentEvent());
      if (!parent.pendingDsAt.isAfter(now) && parent.pendingDs != null) {
        parent.ds = parent.pendingDs;
        parent.dsSince = now;
        parent.pendingDs = null;
        parent.pendingDsAt = Instant.MAX;
        parent.changes++;
      }
      if (!parent.pendingNsAt.isAfter(now) && parent.pendingNs != null) {
        parent.ns = parent.pendingNs;
        parent.nsSince = now;
        parent.pendingNs = null;
        parent.pendingNsAt = Instant.MAX;
        parent.changes++;
      }
      record();
      parentScan();
    }
    now = max(now, t);
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  // ------------------------------------------------------------------ driving the planner

  /** The outcome of running the planner to completion. */
  record Run(Plan last, List<Plan> plans, Set<String> draftSteps, int rounds) {}

  /**
   * Runs plan → execute → observe until done, refused, or {@code maxRounds}. Steps of one plan
   * run in random order with random delays up to {@code maxDelaySeconds}.
   */
  Run drive(Planner planner, Intent intent, long maxDelaySeconds, int maxRounds) {
    if (timeline.isEmpty()) {
      record();
    }
    parentScan();
    List<Plan> plans = new ArrayList<>();
    Set<String> refs = new LinkedHashSet<>();
    for (int round = 0; round < maxRounds; round++) {
      ZoneSnapshot snap = snapshot();
      Plan p = planner.plan(snap, intent, policy, now);
      // restart safety: a fresh planner given the same snapshot plans the same
      if (!Planner.create(planner.config()).plan(snap, intent, policy, now).equals(p)) {
        throw new AssertionError("the same snapshot gave two different plans");
      }
      plans.add(p);
      if (p instanceof Plan.Act a) {
        List<PlannedStep> steps = new ArrayList<>(a.steps());
        java.util.Collections.shuffle(steps, rnd);
        for (PlannedStep ps : steps) {
          refs.add(ps.draftStep());
          if (maxDelaySeconds > 0) {
            advanceTo(now.plusSeconds((long) (rnd.nextDouble() * maxDelaySeconds)));
          }
          apply(ps.step());
          if (!ps.postcondition().holds(snapshot(), now)) {
            throw new AssertionError("post-condition does not hold after " + ps.step());
          }
        }
      } else if (p instanceof Plan.WaitUntil w) {
        refs.add(w.reason());
        advanceTo(w.until());
      } else if (p instanceof Plan.AwaitChange c) {
        Instant next = nextParentEvent();
        if (next.equals(Instant.MAX)) {
          return new Run(p, plans, refs, round);
        }
        advanceTo(next);
      } else {
        return new Run(p, plans, refs, round);
      }
    }
    return new Run(plans.get(plans.size() - 1), plans, refs, maxRounds);
  }
}
