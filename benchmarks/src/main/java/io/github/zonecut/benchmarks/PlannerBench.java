package io.github.zonecut.benchmarks;

import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.core.DsData;
import io.github.zonecut.multisigner.GlitchChecker;
import io.github.zonecut.multisigner.GlitchReport;
import io.github.zonecut.multisigner.Intent;
import io.github.zonecut.multisigner.KeyRole;
import io.github.zonecut.multisigner.Observed;
import io.github.zonecut.multisigner.OwnedKey;
import io.github.zonecut.multisigner.ParentPolicy;
import io.github.zonecut.multisigner.ParentServerView;
import io.github.zonecut.multisigner.ParentSnapshot;
import io.github.zonecut.multisigner.Plan;
import io.github.zonecut.multisigner.Planner;
import io.github.zonecut.multisigner.SignerId;
import io.github.zonecut.multisigner.SignerSnapshot;
import io.github.zonecut.multisigner.Signing;
import io.github.zonecut.multisigner.TimedState;
import io.github.zonecut.multisigner.ZoneSnapshot;
import io.github.zonecut.multisigner.Capability;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.xbill.DNS.Name;

/**
 * Multi-signer planner throughput: {@code plan} calls per second, one thread, for a zone in the
 * middle of a join (DS published, NS not yet synchronised) with 2 and 4 signers. The bar: at least
 * 100,000 plans/s. {@code check} reports the glitch checker's cost over the nine states of a
 * 4-signer join (multiply ops/s by 9 for states/s).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PlannerBench {
  private static final Name ZONE = Name.fromConstantString("example.com.");
  private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  private static final Instant LONG_AGO = NOW.minus(Duration.ofDays(2));

  @Param({"2", "4"})
  public int signers;

  private final Planner planner = Planner.create();
  private ZoneSnapshot midJoin;
  private Intent intent;
  private List<TimedState> joinTimeline;

  private record Keys(SignerId id, DnsKeyData ksk, DnsKeyData zsk, Set<Name> ns) {}

  @Setup
  public void setup() {
    Random rnd = new Random(42);
    List<Keys> all = new ArrayList<>();
    for (int i = 0; i < signers; i++) {
      all.add(keys("s" + i, rnd));
    }
    Keys joiner = all.get(all.size() - 1);
    List<Keys> members = all.subList(0, all.size() - 1);
    Set<SignerId> group = new HashSet<>();
    all.forEach(k -> group.add(k.id()));
    intent = Intent.group(group);
    midJoin = phase(all, members, joiner, 4);
    Plan p = planner.plan(midJoin, intent, ParentPolicy.DEFAULT, NOW);
    if (!(p instanceof Plan.Act)) {
      throw new IllegalStateException("expected steps mid-join, got " + p);
    }
    joinTimeline = new ArrayList<>();
    for (int ph = 0; ph <= 8; ph++) {
      joinTimeline.add(new TimedState(NOW.plus(Duration.ofDays(3L * ph)), phase(all, members, joiner, ph)));
    }
    GlitchReport r = GlitchChecker.check(joinTimeline);
    if (!r.glitchFree()) {
      throw new IllegalStateException("benchmark timeline is not glitch-free: " + r);
    }
  }

  @Benchmark
  public Plan plan() {
    return planner.plan(midJoin, intent, ParentPolicy.DEFAULT, NOW);
  }

  @Benchmark
  public GlitchReport check() {
    return GlitchChecker.check(joinTimeline);
  }

  private static Keys keys(String label, Random rnd) {
    byte[] a = new byte[64];
    byte[] b = new byte[64];
    rnd.nextBytes(a);
    rnd.nextBytes(b);
    Set<Name> ns = new TreeSet<>();
    ns.add(Name.fromConstantString("ns1." + label + ".example.net."));
    ns.add(Name.fromConstantString("ns2." + label + ".example.net."));
    return new Keys(SignerId.of(label), KeyRole.KSK.key(13, a), KeyRole.ZSK.key(13, b), ns);
  }

  /**
   * The join of {@code joiner} as the draft's §5.3 phases: 0 unsynchronised, 1 DNSKEYs synced,
   * 2 CDS published, 3 parent DS, 4 CDS removed, 5 NS synced, 6 CSYNC, 7 parent NS, 8 CSYNC gone.
   */
  private static ZoneSnapshot phase(List<Keys> all, List<Keys> members, Keys joiner, int ph) {
    Set<DnsKeyData> memberZsks = new HashSet<>();
    members.forEach(k -> memberZsks.add(k.zsk()));
    Set<DsData> memberDs = new HashSet<>();
    members.forEach(k -> memberDs.add(DsData.compute(ZONE, k.ksk(), DsData.SHA256)));
    Set<DsData> allDs = new HashSet<>(memberDs);
    allDs.add(DsData.compute(ZONE, joiner.ksk(), DsData.SHA256));
    Set<Name> memberNs = new TreeSet<>();
    members.forEach(k -> memberNs.addAll(k.ns()));
    Set<Name> allNs = new TreeSet<>(memberNs);
    allNs.addAll(joiner.ns());
    Set<DnsKeyData> cdnskey = new HashSet<>();
    all.forEach(k -> cdnskey.add(k.ksk()));
    List<SignerSnapshot> views = new ArrayList<>();
    for (Keys k : all) {
      boolean isJoiner = k == joiner;
      Set<DnsKeyData> dnskey = new HashSet<>(List.of(k.ksk(), k.zsk()));
      if (ph >= 1 || !isJoiner) {
        dnskey.addAll(memberZsks);
      }
      if (ph >= 1) {
        dnskey.add(joiner.zsk());
      }
      boolean cds = ph == 2 || ph == 3;
      Set<Name> ns = ph >= 5 ? allNs : isJoiner ? k.ns() : memberNs;
      views.add(new SignerSnapshot(k.id(), EnumSet.allOf(Capability.class),
          List.of(OwnedKey.of(k.ksk(), KeyRole.KSK), OwnedKey.of(k.zsk(), KeyRole.ZSK)), k.ns(),
          new Observed<>(true, Duration.ZERO, LONG_AGO),
          Observed.of(Set.copyOf(dnskey), 3600, LONG_AGO),
          new Observed<>(Signing.of(Set.of(k.zsk()), Set.of(k.ksk())), Duration.ofHours(1), LONG_AGO),
          Observed.of(cds ? allDsFor(all) : Set.of(), 3600, LONG_AGO),
          Observed.of(cds ? cdnskey : Set.of(), 3600, LONG_AGO),
          Observed.of(Set.copyOf(ns), 3600, LONG_AGO),
          Observed.of(ph == 6 || ph == 7, 3600, LONG_AGO),
          Duration.ofHours(1)));
    }
    ParentServerView parent = new ParentServerView("a.gtld-servers.net",
        Observed.of(ph >= 3 ? allDs : memberDs, 86400, LONG_AGO),
        Observed.of(Set.copyOf(ph >= 7 ? allNs : memberNs), 172800, LONG_AGO));
    return new ZoneSnapshot(ZONE, views, ParentSnapshot.of(parent), Duration.ofSeconds(30));
  }

  private static Set<DsData> allDsFor(List<Keys> all) {
    Set<DsData> out = new HashSet<>();
    all.forEach(k -> out.add(DsData.compute(ZONE, k.ksk(), DsData.SHA256)));
    return out;
  }
}
