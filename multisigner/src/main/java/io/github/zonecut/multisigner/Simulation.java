package io.github.zonecut.multisigner;

import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.core.DsData;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * A deterministic dry run of a multi-signer change: the {@link Planner}'s steps are executed
 * against a model of the signers and the parent, on a virtual clock, and every state the world
 * passes through is recorded for the {@link GlitchChecker}. A host or a researcher plans a
 * migration (join, leave, rollover; draft-ietf-dnsop-dnssec-automation-04 §5, RFC 8901 §8) and
 * proves it glitch-free before touching production.
 *
 * <p>The model follows the draft's assumptions: each signer serves what it was last told (steps
 * take effect at once), and the parent acts on CDS/CDNSKEY (RFC 7344, RFC 8078) and CSYNC
 * (RFC 7477) only when every delegated signer serves the same signal, after a configurable delay.
 * Keys are synthetic (random public-key bytes from the seeded generator), so no key material is
 * ever created. There is no I/O and no sleeping: the same builder settings always give the same
 * {@link Result}.
 *
 * <pre>{@code
 * Simulation sim = Simulation.builder(Name.fromConstantString("example.com."))
 *     .signer("alpha", 13, false).signer("bravo", 13, false)
 *     .group("alpha")
 *     .build();
 * Simulation.Result r = sim.run(Planner.create(), Intent.group(SignerId.of("alpha"),
 *     SignerId.of("bravo")), 200);
 * boolean safe = r.done() && r.report().glitchFree();
 * }</pre>
 *
 * <p>A simulation is a mutable, single-threaded world: {@link #run} continues from where the
 * previous run stopped, which lets a caller change its intent mid-way (a rollover requested
 * during a join). Not thread-safe.
 */
public final class Simulation {

  /** The zone of the package's own tests. */
  static final Name ZONE = Name.fromConstantString("example.com.");
  /** The virtual clock's start: fixed, so every run prints the same timeline. */
  public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  // The model is package-private and mutable on purpose: the package's tests stage states the
  // planner would never produce (a DS pulled early, a premature NS change) to prove the
  // GlitchChecker catches them. The public surface is the builder, run() and the read-only views.
  final Name zone;

  final Random rnd;
  Instant now = T0;
  final Map<SignerId, Sig> signers = new LinkedHashMap<>();
  final Par parent = new Par();
  final List<TimedState> timeline = new ArrayList<>();
  ParentPolicy policy = ParentPolicy.DEFAULT;
  KeyOwnership.@Nullable KeyTagModulo modulo;
  Duration latency = Duration.ofSeconds(5);
  long parentDelayMinSeconds = 1;
  long parentDelayMaxSeconds = 3600;
  boolean parentSilent;
  long stepDelayMaxSeconds;
  boolean shuffleSteps;
  /** Apply only a random non-empty prefix of each plan's steps, then plan again (a restart). */
  boolean partialSteps;
  /** Changes that undid an earlier one: a key added back to a signer it was removed from. */
  final List<String> regressions = new ArrayList<>();
  // the validators Result.report() replays the timeline for; null: GlitchChecker's default
  @Nullable ResolverModel resolvers;
  private final Set<String> removedDnskeys = new HashSet<>();

  /** TTL history of one RRset: the earlier TTL whose copies expire last (see {@link Observed}). */
  static final class TtlHistory {
    Duration ttl = Duration.ZERO;
    Instant until = Instant.EPOCH;

    /** The RRset was served with {@code oldTtl} until {@code at}. */
    void note(long oldTtl, Instant at) {
      if (at.plusSeconds(oldTtl).isAfter(until.plus(ttl))) {
        ttl = Duration.ofSeconds(oldTtl);
        until = at;
      }
    }

    <T> Observed<T> observe(T value, long ttlSeconds, Instant since) {
      return new Observed<>(value, Duration.ofSeconds(ttlSeconds), since, ttl, until);
    }
  }

  /** Which TTL {@link Builder#ttlChange} changes. */
  public enum TtlKind {
    /** A signer's DNSKEY (and CDS/CDNSKEY) TTL. */
    DNSKEY,
    /** A signer's signed-data TTL (how long its RRSIGs stay cached). */
    DATA,
    /** A signer's apex NS TTL. */
    NS,
    /** The parent's DS TTL. */
    PARENT_DS,
    /** The parent's delegation NS TTL. */
    PARENT_NS
  }

  static final class Sig {
    final SignerId id;
    final TtlHistory dnskeyHist = new TtlHistory();
    final TtlHistory dataHist = new TtlHistory();
    final TtlHistory nsHist = new TtlHistory();
    @Nullable ZoneTtls zoneTtls;
    /** RFC 7583 Dsgn: old signatures stay on some RRsets this long after a signing change. */
    long resignSeconds;
    // gradual re-signing seen by the observer (issue 12 item 3): the zone keys before the last
    // signing change still sign part of the zone until signingSince + resignSeconds
    boolean observedGradually;
    Set<DnsKeyData> previousZoneKeys = Set.of();
    // in-zone names this signer serves A/AAAA for (glue of in-zone NS targets, defect 7)
    Set<Name> addresses = new TreeSet<>();
    Instant addressesSince = T0.minus(Duration.ofDays(30));
    Set<Capability> caps = EnumSet.allOf(Capability.class);
    final List<OwnedKey> own = new ArrayList<>();
    Set<Name> ownNs = new TreeSet<>();
    boolean answering = true;
    Set<DnsKeyData> dnskey = new TreeSet<>();
    Signing signing = Signing.of(Set.of(), Set.of());
    Set<DsData> cds = new TreeSet<>();
    Set<DnsKeyData> cdnskey = new TreeSet<>();
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

    SignerSnapshot snapshot(Instant now) {
      return new SignerSnapshot(id, caps, own, ownNs,
          new Observed<>(answering, Duration.ZERO, answeringSince),
          dnskeyHist.observe(Set.copyOf(dnskey), dnskeyTtl, dnskeySince),
          dataHist.observe(signing, dataTtl, signingSince),
          dnskeyHist.observe(Set.copyOf(cds), dnskeyTtl, cdsSince),
          dnskeyHist.observe(Set.copyOf(cdnskey), dnskeyTtl, cdsSince),
          nsHist.observe(Set.copyOf(ns), nsTtl, nsSince),
          nsHist.observe(csync, nsTtl, csyncSince),
          Duration.ofSeconds(dataTtl), zoneTtls, Duration.ofSeconds(resignSeconds),
          partialSigning(now),
          new Observed<>(Set.copyOf(addresses), Duration.ofSeconds(nsTtl), addressesSince));
    }

    /** Keys signing part of the zone only while it is re-signed, as a sampling observer sees them. */
    private Observed<Set<DnsKeyData>> partialSigning(Instant now) {
      Instant done = signingSince.plusSeconds(resignSeconds);
      if (!observedGradually || resignSeconds == 0) {
        return new Observed<>(Set.of(), Duration.ZERO, Instant.EPOCH);
      }
      if (!now.isBefore(done)) {
        return new Observed<>(Set.of(), Duration.ofSeconds(dataTtl), done);
      }
      Set<DnsKeyData> partial = new HashSet<>(previousZoneKeys);
      partial.addAll(signing.zoneKeys());
      Set<DnsKeyData> both = new HashSet<>(previousZoneKeys);
      both.retainAll(signing.zoneKeys());
      partial.removeAll(both);
      return new Observed<>(Set.copyOf(partial), Duration.ofSeconds(dataTtl), signingSince);
    }
  }

  static final class Par {
    Set<DsData> ds = new TreeSet<>();
    Set<Name> ns = new TreeSet<>();
    long dsTtl = 3600;
    long nsTtl = 3600;
    Instant dsSince = T0.minus(Duration.ofDays(30));
    Instant nsSince = dsSince;
    final TtlHistory dsHist = new TtlHistory();
    final TtlHistory nsHist = new TtlHistory();
    /** Further parent servers: each serves what the first served this many seconds earlier. */
    long[] lags = new long[0];
    /** What the first server served, from each instant on (for the lagging servers). */
    final List<Instant> historyAt = new ArrayList<>();
    final List<ParentServerView> history = new ArrayList<>();
    @Nullable Set<DsData> pendingDs;
    Instant pendingDsAt = Instant.MAX;
    @Nullable Set<Name> pendingNs;
    Instant pendingNsAt = Instant.MAX;
    int changes;
  }

  Simulation(long seed) {
    this(ZONE, seed);
  }

  Simulation(Name zone, long seed) {
    this.zone = zone;
    this.rnd = new Random(seed);
  }

  /**
   * Starts describing a world for {@code zone}: its signers, the initial group, how the parent
   * behaves and how steps are executed.
   */
  public static Builder builder(Name zone) {
    return new Builder(zone);
  }

  // ------------------------------------------------------------------ set-up

  /** Adds a signer with fresh keys (CSK or KSK+ZSK) and two NS names; not yet synchronised. */
  Sig addSigner(String label, int algorithm, boolean csk, long dnskeyTtl, long dataTtl, long nsTtl) {
    return addSigner(label, algorithm, csk, dnskeyTtl, dataTtl, nsTtl, ".net.");
  }

  private Sig addSigner(String label, int algorithm, boolean csk, long dnskeyTtl, long dataTtl,
      long nsTtl, String nsSuffix) {
    Sig s = new Sig(SignerId.of(label));
    s.dnskeyTtl = dnskeyTtl;
    s.dataTtl = dataTtl;
    s.nsTtl = nsTtl;
    if (csk) {
      DnsKeyData c = newKey(s.id, KeyRole.CSK, algorithm);
      s.own.add(OwnedKey.of(c, KeyRole.CSK));
      s.signing = Signing.of(Set.of(c), Set.of(c));
    } else {
      DnsKeyData k = newKey(s.id, KeyRole.KSK, algorithm);
      DnsKeyData z = newKey(s.id, KeyRole.ZSK, algorithm);
      s.own.add(OwnedKey.of(k, KeyRole.KSK));
      s.own.add(OwnedKey.of(z, KeyRole.ZSK));
      s.signing = Signing.of(Set.of(z), Set.of(k));
    }
    for (OwnedKey k : s.own) {
      s.dnskey.add(k.key());
    }
    s.ownNs.add(Name.fromConstantString("ns1." + label + nsSuffix));
    s.ownNs.add(Name.fromConstantString("ns2." + label + nsSuffix));
    s.ns.addAll(s.ownNs);
    signers.put(s.id, s);
    return s;
  }

  /** Makes the given signers a synchronised group with the parent pointing at them. */
  void formGroup(List<Sig> group) {
    Set<DnsKeyData> zoneSigning = new HashSet<>();
    Set<Name> allNs = new TreeSet<>();
    parent.ds.clear();
    for (Sig s : group) {
      allNs.addAll(s.ownNs);
      for (OwnedKey k : s.own) {
        if (k.role().signsZone()) {
          zoneSigning.add(k.key());
        }
        if (k.role().isSep()) {
          parent.ds.add(DsData.compute(zone, k.key(), DsData.SHA256));
        }
      }
    }
    for (Sig s : group) {
      s.dnskey.addAll(zoneSigning);
      s.ns = new TreeSet<>(allNs);
    }
    parent.ns = new TreeSet<>(allNs);
  }

  DnsKeyData newKey(SignerId owner, KeyRole role, int algorithm) {
    while (true) {
      byte[] pk = new byte[algorithm == 15 ? 32 : 64];
      rnd.nextBytes(pk);
      DnsKeyData k = role.key(algorithm, pk);
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

  /** The world as the planner would observe it now. */
  public ZoneSnapshot snapshot() {
    List<SignerSnapshot> views = new ArrayList<>();
    for (Sig s : signers.values()) {
      views.add(s.snapshot(now));
    }
    ParentServerView p = primaryView();
    if (parent.lags.length == 0) {
      return new ZoneSnapshot(zone, views, ParentSnapshot.of(p), latency);
    }
    if (parent.history.isEmpty()) {
      parent.historyAt.add(Instant.MIN);
      parent.history.add(p);
    }
    List<ParentServerView> servers = new ArrayList<>();
    servers.add(p);
    for (int k = 0; k < parent.lags.length; k++) {
      ParentServerView v = parent.history.get(0);
      for (int i = 0; i < parent.history.size(); i++) {
        if (!parent.historyAt.get(i).plusSeconds(parent.lags[k]).isAfter(now)) {
          v = parent.history.get(i);
        }
      }
      // the lagging server began serving each value (and stopped serving each TTL) lag later
      servers.add(new ParentServerView("parent-ns" + (k + 2), lagged(v.ds(), parent.lags[k]),
          lagged(v.ns(), parent.lags[k])));
    }
    return new ZoneSnapshot(zone, views, new ParentSnapshot(servers), latency);
  }

  private static <T> Observed<T> lagged(Observed<T> o, long lag) {
    Instant until = o.earlierTtlUntil().equals(Instant.EPOCH) ? Instant.EPOCH
        : o.earlierTtlUntil().plusSeconds(lag);
    return new Observed<>(o.value(), o.ttl(), o.since().plusSeconds(lag), o.earlierTtl(), until);
  }

  private ParentServerView primaryView() {
    return new ParentServerView("parent-ns",
        parent.dsHist.observe(Set.copyOf(parent.ds), parent.dsTtl, parent.dsSince),
        parent.nsHist.observe(Set.copyOf(parent.ns), parent.nsTtl, parent.nsSince));
  }

  /** The first parent server changed: the lagging ones follow (no-op with a single server). */
  private void primaryChanged() {
    if (parent.lags.length > 0) {
      if (parent.history.isEmpty()) {
        snapshot();
      }
      parent.historyAt.add(now);
      parent.history.add(primaryView());
    }
  }

  void record() {
    // the initial state has been served for a long time: its versions may be in any cache
    Instant at = timeline.isEmpty() ? now.minus(Duration.ofDays(30)) : now;
    timeline.add(new TimedState(at, snapshot()));
  }

  /**
   * An operator changes a TTL now (not a planner step): the RRset is served with {@code seconds}
   * from now on, and what was served before stays in caches with the old TTL.
   *
   * @param signer the signer, or null for the parent's TTLs
   */
  void changeTtl(@Nullable SignerId signer, TtlKind kind, long seconds) {
    if (timeline.isEmpty()) {
      record(); // the state before the change, served for a long time
    }
    Sig s = signer == null ? null : signers.get(signer);
    switch (kind) {
      case DNSKEY -> {
        Sig v = Objects.requireNonNull(s);
        v.dnskeyHist.note(v.dnskeyTtl, now);
        v.dnskeyTtl = seconds;
      }
      case DATA -> {
        Sig v = Objects.requireNonNull(s);
        v.dataHist.note(v.dataTtl, now);
        v.dataTtl = seconds;
      }
      case NS -> {
        Sig v = Objects.requireNonNull(s);
        v.nsHist.note(v.nsTtl, now);
        v.nsTtl = seconds;
      }
      case PARENT_DS -> {
        snapshot();
        parent.dsHist.note(parent.dsTtl, now);
        parent.dsTtl = seconds;
        primaryChanged();
      }
      case PARENT_NS -> {
        snapshot();
        parent.nsHist.note(parent.nsTtl, now);
        parent.nsTtl = seconds;
        primaryChanged();
      }
    }
    record();
  }

  // ------------------------------------------------------------------ execution

  void apply(Step step) {
    Sig s = signers.get(step.signer());
    if (s == null) {
      throw new IllegalStateException("unknown signer " + step.signer());
    }
    if (step instanceof Step.AddDnskeys a) {
      for (DnsKeyData k : a.keys()) {
        if (removedDnskeys.contains(s.id + "/" + k) && !s.dnskey.contains(k)) {
          regressions.add(now + ": " + k + " added back to " + s.id);
        }
      }
      if (s.dnskey.addAll(a.keys())) {
        s.dnskeySince = now;
      }
    } else if (step instanceof Step.RemoveDnskeys r) {
      for (DnsKeyData k : r.keys()) {
        removedDnskeys.add(s.id + "/" + k);
      }
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
        if (!s.signing.zoneKeys().equals(g.signing().zoneKeys())) {
          s.previousZoneKeys = s.signing.zoneKeys();
        }
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
      Set<DsData> next = new TreeSet<>();
      if (policy.consumesCds() && !first.cds.isEmpty()) {
        for (DsData d : first.cds) {
          if (policy.acceptedDigestTypes().contains(d.digestType())) {
            next.add(d);
          }
        }
      } else if (policy.consumesCdnskey()) {
        for (DnsKeyData k : first.cdnskey) {
          next.add(DsData.compute(zone, k, policy.publishedDigestType()));
        }
      }
      schedule(next.isEmpty() || next.equals(parent.ds) ? null : next, true);
    } else {
      schedule(null, true);
    }
    boolean csyncEverywhere = true;
    for (Sig s : del) {
      csyncEverywhere &= s.csync && s.ns.equals(first.ns);
      for (Name n : first.ns) {
        // RFC 7477 §3.2: the parent fetches the A/AAAA of in-zone NS targets from the child and
        // does not act without them
        csyncEverywhere &= !n.subdomain(zone) || parent.ns.contains(n) || s.addresses.contains(n);
      }
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
    Instant due = now.plusSeconds(parentDelayMinSeconds
        + (long) (rnd.nextDouble() * (parentDelayMaxSeconds - parentDelayMinSeconds + 1)));
    if (ds) {
      parent.pendingDs = new TreeSet<>((Set<DsData>) value);
      parent.pendingDsAt = due;
    } else {
      parent.pendingNs = new TreeSet<>((Set<Name>) value);
      parent.pendingNsAt = due;
    }
  }

  Instant nextParentEvent() {
    Instant next = parent.pendingDsAt.isBefore(parent.pendingNsAt) ? parent.pendingDsAt : parent.pendingNsAt;
    for (long lag : parent.lags) {
      for (Instant at : parent.historyAt) {
        if (!at.equals(Instant.MIN) && at.plusSeconds(lag).isAfter(now)
            && at.plusSeconds(lag).isBefore(next)) {
          next = at.plusSeconds(lag);
        }
      }
    }
    return next;
  }

  /** Advances the clock to {@code t}, publishing parent changes that fall due on the way. */
  void advanceTo(Instant t) {
    while (!nextParentEvent().isAfter(t)) {
      now = max(now, nextParentEvent());
      boolean changed = false;
      if (!parent.pendingDsAt.isAfter(now) && parent.pendingDs != null) {
        if (parent.lags.length > 0 && parent.history.isEmpty()) {
          snapshot(); // the view before the first change
        }
        changed = true;
        parent.ds = parent.pendingDs;
        parent.dsSince = now;
        parent.pendingDs = null;
        parent.pendingDsAt = Instant.MAX;
        parent.changes++;
      }
      if (!parent.pendingNsAt.isAfter(now) && parent.pendingNs != null) {
        if (parent.lags.length > 0 && parent.history.isEmpty()) {
          snapshot();
        }
        changed = true;
        parent.ns = parent.pendingNs;
        parent.nsSince = now;
        parent.pendingNs = null;
        parent.pendingNsAt = Instant.MAX;
        parent.changes++;
      }
      if (changed) {
        primaryChanged();
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

  /** The current virtual time. */
  public Instant now() {
    return now;
  }

  /** Every state recorded so far, in order, as the {@link GlitchChecker} consumes them. */
  public List<TimedState> timeline() {
    return List.copyOf(timeline);
  }

  /** The package's tests' entry point: shuffled steps, each after a random delay up to the given. */
  Result drive(Planner planner, Intent intent, long maxDelaySeconds, int maxRounds) {
    stepDelayMaxSeconds = maxDelaySeconds;
    shuffleSteps = true;
    return run(planner, intent, maxRounds);
  }

  /**
   * Runs plan → execute → observe until the planner is done or refuses, the world can make no
   * more progress (the planner awaits a parent with nothing pending), or {@code maxRounds} plans
   * have been made. Continues from the state a previous run left.
   *
   * <p>Each round also checks the planner's contract (draft-ietf-dnsop-dnssec-automation-04 §4:
   * the process is restartable from observation alone): a fresh planner given the same snapshot
   * must plan the same, and every executed step's post-condition must hold.
   *
   * @throws IllegalStateException if the planner breaks that contract or names an unknown signer
   */
  public Result run(Planner planner, Intent intent, int maxRounds) {
    Objects.requireNonNull(planner, "planner");
    Objects.requireNonNull(intent, "intent");
    if (maxRounds < 1) {
      throw new IllegalArgumentException("maxRounds must be at least 1, was " + maxRounds);
    }
    if (timeline.isEmpty()) {
      record();
    }
    parentScan();
    List<Round> rounds = new ArrayList<>();
    Set<String> refs = new LinkedHashSet<>();
    for (int round = 0; round < maxRounds; round++) {
      ZoneSnapshot snap = snapshot();
      Plan p = planner.plan(snap, intent, policy, now);
      if (!Planner.create(planner.config()).plan(snap, intent, policy, now).equals(p)) {
        throw new IllegalStateException("the same snapshot gave two different plans at " + now);
      }
      rounds.add(new Round(now, p));
      if (p instanceof Plan.Act a) {
        List<PlannedStep> steps = new ArrayList<>(a.steps());
        if (shuffleSteps) {
          Collections.shuffle(steps, rnd);
        }
        if (partialSteps && steps.size() > 1) {
          // a host that stopped mid-plan: only a prefix was executed before it planned again
          steps = new ArrayList<>(steps.subList(0, 1 + rnd.nextInt(steps.size())));
        }
        for (PlannedStep ps : steps) {
          refs.add(ps.draftStep());
          if (stepDelayMaxSeconds > 0) {
            advanceTo(now.plusSeconds((long) (rnd.nextDouble() * stepDelayMaxSeconds)));
          }
          apply(ps.step());
          if (!ps.postcondition().holds(snapshot(), now)) {
            throw new IllegalStateException("post-condition does not hold after " + ps.step());
          }
        }
      } else if (p instanceof Plan.WaitUntil w) {
        refs.add(w.reason());
        advanceTo(w.until());
      } else if (p instanceof Plan.AwaitChange c) {
        Instant next = nextParentEvent();
        if (next.equals(Instant.MAX)) {
          return new Result(resolvers, rounds, refs, timeline, now, Ending.STALLED,
              "the parent has nothing pending, so it will never act: " + c.reason());
        }
        advanceTo(next);
      } else if (p instanceof Plan.Done d) {
        return new Result(resolvers, rounds, refs, timeline, now, Ending.DONE, d.summary());
      } else {
        return new Result(resolvers, rounds, refs, timeline, now, Ending.REFUSED, p.toString());
      }
    }
    return new Result(resolvers, rounds, refs, timeline, now, Ending.ROUND_LIMIT,
        "no outcome after " + maxRounds + " plans");
  }

  /** How a {@link #run} ended. */
  public enum Ending {
    /** The planner returned {@link Plan.Done}: the world matches the intent. */
    DONE,
    /** The planner returned {@link Plan.Refused}. */
    REFUSED,
    /**
     * The planner awaits the parent, and the parent has nothing pending (it ignores the signals
     * its policy does not process, or {@link Builder#parentActs} is off): no progress is possible.
     */
    STALLED,
    /** The round limit was reached first. */
    ROUND_LIMIT
  }

  /**
   * One plan the planner made.
   *
   * @param at the virtual time it was made
   * @param plan the plan
   */
  public record Round(Instant at, Plan plan) {
    /** Checks for nulls. */
    public Round {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(plan, "plan");
    }
  }

  /** The outcome of one {@link #run}: the plans, the timeline, and the glitch checker's verdict. */
  public static final class Result {
    private final List<Round> rounds;
    private final Set<String> draftSteps;
    private final List<TimedState> timeline;
    private final Instant end;
    private final Ending ending;
    private final String why;
    private @Nullable GlitchReport report;
    private final @Nullable ResolverModel resolvers;

    Result(@Nullable ResolverModel resolvers, List<Round> rounds, Set<String> draftSteps, List<TimedState> timeline, Instant end,
        Ending ending, String why) {
      this.resolvers = resolvers;
      this.rounds = List.copyOf(rounds);
      this.draftSteps = Collections.unmodifiableSet(new LinkedHashSet<>(draftSteps));
      this.timeline = List.copyOf(timeline);
      this.end = end;
      this.ending = ending;
      this.why = why;
    }

    /** The plans made in this run, each with its time. */
    public List<Round> rounds() {
      return rounds;
    }

    /** The plans made in this run, in order. */
    public List<Plan> plans() {
      return rounds.stream().map(Round::plan).toList();
    }

    /** The last plan: {@link Plan.Done} when {@link #done()}. */
    public Plan last() {
      return rounds.get(rounds.size() - 1).plan();
    }

    /** The draft step references executed or waited for, in first-seen order. */
    public Set<String> draftSteps() {
      return draftSteps;
    }

    /** Every state the world has recorded since it was built (earlier runs included). */
    public List<TimedState> timeline() {
      return timeline;
    }

    /** The virtual time when the run stopped. */
    public Instant end() {
      return end;
    }

    /** How the run ended. */
    public Ending ending() {
      return ending;
    }

    /** Whether the planner reached {@link Plan.Done}. */
    public boolean done() {
      return ending == Ending.DONE;
    }

    /** Why the run ended, in words: the done summary, the refusal, or what blocked progress. */
    public String why() {
      return why;
    }

    /**
     * The {@link GlitchChecker}'s verdict over {@link #timeline()} for the builder's {@link
     * Builder#resolvers} (computed once, on demand).
     */
    public GlitchReport report() {
      GlitchReport r = report;
      if (r == null) {
        ResolverModel m = resolvers;
        r = m == null ? GlitchChecker.check(timeline) : GlitchChecker.check(timeline, m);
        report = r;
      }
      return r;
    }

    @Override
    public String toString() {
      return ending + " after " + rounds.size() + " plans at " + end + ": " + why;
    }
  }

  // ------------------------------------------------------------------ the builder

  /** Describes the simulated world; {@link #build} generates the keys and forms the group. */
  public static final class Builder {
    private record SignerSpec(String label, int algorithm, boolean csk, long dnskeyTtl,
        long dataTtl, long nsTtl) {}

    private final Name zone;
    private final List<SignerSpec> signers = new ArrayList<>();
    private final Set<String> group = new LinkedHashSet<>();
    private long seed = 8901;
    private ParentPolicy policy = ParentPolicy.DEFAULT;
    private Duration parentDelay = Duration.ofHours(1);
    private Duration parentJitter = Duration.ZERO;
    private boolean parentActs = true;
    private Duration stepDelay = Duration.ZERO;
    private boolean shuffle;
    private Duration latency = Duration.ofSeconds(5);
    private KeyOwnership.@Nullable KeyTagModulo modulo;
    private @Nullable ResolverModel resolvers;
    private Duration resign = Duration.ZERO;
    private boolean resignObserved;
    private boolean partial;
    private long[] parentLags = new long[0];
    private final List<TtlChange> ttlChanges = new ArrayList<>();

    private record TtlChange(@Nullable String label, TtlKind kind, long seconds) {}

    private Builder(Name zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** Seeds the generator behind key bytes, parent jitter, step delays and shuffling. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Adds a signer with fresh synthetic keys — one CSK, or a KSK and a ZSK — of DNSSEC
     * {@code algorithm} (13 or 15 make sense) and name servers {@code ns1/ns2.<label>.example.},
     * with all TTLs one hour. It is not in the group unless {@link #group} names it.
     */
    public Builder signer(String label, int algorithm, boolean csk) {
      return signer(label, algorithm, csk, Duration.ofHours(1), Duration.ofHours(1),
          Duration.ofHours(1));
    }

    /** As {@link #signer(String, int, boolean)} with the signer's DNSKEY, data and NS TTLs. */
    public Builder signer(String label, int algorithm, boolean csk, Duration dnskeyTtl,
        Duration dataTtl, Duration nsTtl) {
      Objects.requireNonNull(label, "label");
      if (signers.stream().anyMatch(s -> s.label().equals(label))) {
        throw new IllegalArgumentException("signer " + label + " added twice");
      }
      signers.add(new SignerSpec(label, algorithm, csk, seconds(dnskeyTtl, "dnskeyTtl"),
          seconds(dataTtl, "dataTtl"), seconds(nsTtl, "nsTtl")));
      return this;
    }

    /**
     * The initial group (RFC 8901 §2 model 2): these signers already serve each other's
     * zone-signing keys and all the group's NS, and the parent holds their SEP keys' SHA-256 DS
     * and their NS.
     */
    public Builder group(String... labels) {
      group.clear();
      group.addAll(List.of(labels));
      return this;
    }

    /** Which signals the parent processes and which digests it accepts; default {@link ParentPolicy#DEFAULT}. */
    public Builder parentPolicy(ParentPolicy policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * How long the parent takes to act on a consistent CDS/CDNSKEY or CSYNC: {@code delay} plus
     * a uniformly random extra of up to {@code jitter}. Default one hour, no jitter.
     */
    public Builder parentDelay(Duration delay, Duration jitter) {
      if (seconds(delay, "delay") < 1) {
        throw new IllegalArgumentException("the parent delay must be at least one second");
      }
      seconds(jitter, "jitter");
      this.parentDelay = delay;
      this.parentJitter = jitter;
      return this;
    }

    /** {@code false}: a parent that never acts on CDS, CDNSKEY or CSYNC (a stuck registry). */
    public Builder parentActs(boolean acts) {
      this.parentActs = acts;
      return this;
    }

    /**
     * How a host executes a plan's steps: each after a random delay of up to {@code maxDelay},
     * in the planned order or shuffled (a host that runs them in parallel). Default: at once, in
     * order.
     */
    public Builder execution(Duration maxDelay, boolean shuffled) {
      seconds(maxDelay, "maxDelay");
      this.stepDelay = maxDelay;
      this.shuffle = shuffled;
      return this;
    }

    /** The propagation slack the planner adds to every wait; default five seconds. */
    public Builder latency(Duration latency) {
      seconds(latency, "latency");
      this.latency = latency;
      return this;
    }

    /**
     * The validators {@link Result#report()} replays the timeline for: which algorithms each
     * supports, whether it is hardened against algorithm downgrade, and the resolvers' minimum
     * TTL (cache floor). Default: {@link GlitchChecker#check(List)}'s model (a lenient and a
     * strict validator for every algorithm in use, and one per proper subset of them, no floor).
     * Give the planner the same floor ({@link PlannerConfig#withTtlFloor(Duration)}).
     */
    public Builder resolvers(ResolverModel model) {
      this.resolvers = Objects.requireNonNull(model, "model");
      return this;
    }

    /**
     * Every signer re-signs its zone gradually over {@code interval} after a signing change
     * (RFC 7583 Dsgn: BIND, Knot and PowerDNS do), so old signatures are served that long
     * ({@link SignerSnapshot#resignInterval()}). With {@code observed}, snapshots also show the
     * keys signing only part of the zone meanwhile ({@link SignerSnapshot#partialSigning()}), as
     * a sampling {@link io.github.zonecut.multisigner.edge.DnsObserver} sees them. Default zero.
     */
    public Builder resigning(Duration interval, boolean observed) {
      seconds(interval, "interval");
      this.resign = interval;
      this.resignObserved = observed;
      return this;
    }

    /**
     * {@code true}: the host stops part-way through every plan with more than one step (executes a
     * random prefix) and plans again, as after a crash; the planner must neither regress nor
     * break validation. Default {@code false}.
     */
    public Builder partialSteps(boolean partial) {
      this.partial = partial;
      return this;
    }

    /**
     * The parent has further servers that serve each change {@code lags} later than the first
     * (secondaries catching up); the planner waits for all of them to agree. Default: one server.
     */
    public Builder parentServerLags(Duration... lags) {
      long[] l = new long[lags.length];
      for (int i = 0; i < lags.length; i++) {
        l[i] = seconds(lags[i], "lag");
      }
      this.parentLags = l;
      return this;
    }

    /**
     * An operator changes a TTL at {@link #T0}, just before the run: the RRset was served with its
     * earlier TTL for a long time, and copies with that TTL stay in caches (the planner's waits
     * must cover the TTL history). Several changes apply in order.
     *
     * @param signer the signer's label, or null for {@link TtlKind#PARENT_DS}/{@link TtlKind#PARENT_NS}
     */
    public Builder ttlChange(@Nullable String signer, TtlKind kind, Duration ttl) {
      Objects.requireNonNull(kind, "kind");
      boolean parentKind = kind == TtlKind.PARENT_DS || kind == TtlKind.PARENT_NS;
      if (parentKind != (signer == null)) {
        throw new IllegalArgumentException("a signer label is needed for " + kind + " and only for it");
      }
      ttlChanges.add(new TtlChange(signer, kind, seconds(ttl, "ttl")));
      return this;
    }

    /** Generates keys whose tags fall in each signer's slot (RFC 8901 §8.1 key tag partitioning). */
    public Builder keyTagModulo(KeyOwnership.KeyTagModulo modulo) {
      this.modulo = Objects.requireNonNull(modulo, "modulo");
      return this;
    }

    /**
     * Builds the world at {@link #T0}.
     *
     * @throws IllegalArgumentException if no signer was added or the group names an unknown one
     */
    public Simulation build() {
      if (signers.isEmpty()) {
        throw new IllegalArgumentException("a simulation needs at least one signer");
      }
      Simulation sim = new Simulation(zone, seed);
      sim.policy = policy;
      sim.parentDelayMinSeconds = parentDelay.toSeconds();
      sim.parentDelayMaxSeconds = parentDelay.toSeconds() + parentJitter.toSeconds();
      sim.parentSilent = !parentActs;
      sim.stepDelayMaxSeconds = stepDelay.toSeconds();
      sim.shuffleSteps = shuffle;
      sim.latency = latency;
      sim.modulo = modulo;
      List<Sig> members = new ArrayList<>();
      for (SignerSpec s : signers) {
        Sig sig = sim.addSigner(s.label(), s.algorithm(), s.csk(), s.dnskeyTtl(), s.dataTtl(),
            s.nsTtl(), ".example.");
        if (group.contains(s.label())) {
          members.add(sig);
        }
      }
      if (members.size() != group.size()) {
        throw new IllegalArgumentException("the group " + group + " names a signer not added");
      }
      sim.formGroup(members);
      sim.resolvers = resolvers;
      sim.partialSteps = partial;
      sim.parent.lags = parentLags.clone();
      for (Sig sig : sim.signers.values()) {
        sig.resignSeconds = resign.toSeconds();
        sig.observedGradually = resignObserved;
      }
      for (TtlChange c : ttlChanges) {
        SignerId id = null;
        if (c.label() != null) {
          id = SignerId.of(c.label());
          if (!sim.signers.containsKey(id)) {
            throw new IllegalArgumentException("TTL change for a signer not added: " + c.label());
          }
        }
        sim.changeTtl(id, c.kind(), c.seconds());
      }
      return sim;
    }

    private static long seconds(Duration d, String what) {
      if (d.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative, was " + d);
      }
      return d.toSeconds();
    }
  }
}
