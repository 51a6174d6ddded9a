package io.github.zonecut.multisigner;

import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.core.DsData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * The oracle: proves that a sequence of zone states never breaks DNSSEC validation for any
 * resolver, whatever it has cached.
 *
 * <p>Model. A resolver may hold, within its TTL, any version of an RRset that a server served
 * while the resolver could reach it: the DS RRset from any parent server, the DNSKEY RRset (with
 * its RRSIGs) from any signer, and signed data (with its RRSIGs) from any signer, each fetched
 * independently at any instant. A signer is reachable while it answers and a cached NS RRset (the
 * parent's, or one served by a reachable signer) names one of its servers. Validation succeeds
 * only if some DS in the cached DS RRset matches a key that is in the cached DNSKEY RRset and
 * signs it, and some key signing the cached data is in that same DNSKEY RRset (RFC 4035 §5; RFC
 * 6840 §5.11: any valid path suffices). An empty DS RRset counts as a failure: the zone went
 * insecure.
 *
 * <p>Which validators and caches exist is a {@link ResolverModel}: {@link #check(List)} proves
 * the timeline against validators supporting every subset of the algorithms it uses and a
 * validator hardened against algorithm downgrade; {@link #check(List, ResolverModel)} takes an
 * explicit model (for instance with a resolver's minimum-TTL floor). The model's Javadoc states
 * what is not covered.
 *
 * <p>The checker walks the states in order; at each state's start it forms every combination of
 * versions that can be cached together at that instant (a version served during {@code [a, b)}
 * with TTL {@code t} can be cached during {@code [a, b + t)}) and reports the first that fails.
 * Combinations only grow when a new version appears, so checking state starts is complete.
 */
public final class GlitchChecker {

  private GlitchChecker() {}

  private record Window<T>(T value, long ttlMillis, long from, long to, String source) {
    boolean aliveAt(long t) {
      return from < to && from <= t && (to == Long.MAX_VALUE || t < to + ttlMillis);
    }
  }

  private record KeySet(Set<DnsKeyData> keys, Set<DnsKeyData> signers) {}

  /**
   * Checks a timeline.
   *
   * @param timeline the states in order of their instants (equal instants allowed: a state that
   *     lasts no time is never fetched); at least one
   * @return {@link GlitchReport.Clean} or the first {@link GlitchReport.Glitch}
   * @throws IllegalArgumentException if the timeline is empty, out of order, or mixes zones
   */
  public static GlitchReport check(List<TimedState> timeline) {
    if (timeline.isEmpty()) {
      throw new IllegalArgumentException("empty timeline");
    }
    Set<Integer> algs = new java.util.TreeSet<>();
    for (TimedState ts : timeline) {
      for (ParentServerView p : ts.state().parent().servers()) {
        for (DsData d : p.ds().value()) {
          algs.add(d.algorithm());
        }
      }
      for (SignerSnapshot v : ts.state().signers()) {
        for (DnsKeyData k : v.dnskey().value()) {
          algs.add(k.algorithm());
        }
      }
    }
    return check(timeline, ResolverModel.forAlgorithms(algs));
  }

  /**
   * Checks a timeline against an explicit resolver model.
   *
   * @param timeline as for {@link #check(List)}
   * @param model the validators and the cache floor
   * @return {@link GlitchReport.Clean} or the first {@link GlitchReport.Glitch}
   * @throws IllegalArgumentException if the timeline is empty, out of order, or mixes zones
   */
  public static GlitchReport check(List<TimedState> timeline, ResolverModel model) {
    java.util.Objects.requireNonNull(model, "model");
    if (timeline.isEmpty()) {
      throw new IllegalArgumentException("empty timeline");
    }
    long floor = model.minimumTtl().toMillis();
    Name zone = timeline.get(0).state().zone();
    int n = timeline.size();
    long[] at = new long[n + 1];
    for (int i = 0; i < n; i++) {
      TimedState ts = timeline.get(i);
      if (!ts.state().zone().equals(zone)) {
        throw new IllegalArgumentException("timeline mixes zones " + zone + " and " + ts.state().zone());
      }
      at[i] = ts.at().toEpochMilli();
      if (i > 0 && at[i] < at[i - 1]) {
        throw new IllegalArgumentException("timeline out of order at index " + i);
      }
    }
    at[n] = Long.MAX_VALUE;

    List<Window<Set<DsData>>> ds = new ArrayList<>();
    List<Window<Set<Name>>> ns = new ArrayList<>();
    List<Window<KeySet>> dnskeys = new ArrayList<>();
    List<Window<Set<DnsKeyData>>> data = new ArrayList<>();
    Set<List<Object>> checked = new HashSet<>();
    long combinations = 0;

    for (int i = 0; i < n; i++) {
      long t = at[i];
      long to = at[i + 1];
      if (to == t) {
        continue; // lasts no time: nothing can be fetched from this state
      }
      ZoneSnapshot st = timeline.get(i).state();
      for (ParentServerView p : st.parent().servers()) {
        ds.add(new Window<>(p.ds().value(), Math.max(floor, p.ds().ttl().toMillis()), t, to, p.server() + "@" + i));
        ns.add(new Window<>(p.ns().value(), Math.max(floor, p.ns().ttl().toMillis()), t, to, p.server() + "@" + i));
      }
      Set<Name> names = new HashSet<>();
      for (Window<Set<Name>> w : ns) {
        if (w.aliveAt(t)) {
          names.addAll(w.value());
        }
      }
      Set<SignerId> reachable = new HashSet<>();
      boolean grew = true;
      while (grew) {
        grew = false;
        for (SignerSnapshot v : st.signers()) {
          if (!v.isAnswering() || reachable.contains(v.id())) {
            continue;
          }
          for (Name own : v.ownNs()) {
            if (names.contains(own)) {
              reachable.add(v.id());
              names.addAll(v.ns().value());
              grew = true;
              break;
            }
          }
        }
      }
      for (SignerSnapshot v : st.signers()) {
        if (!reachable.contains(v.id())) {
          continue;
        }
        String src = v.id() + "@" + i;
        ns.add(new Window<>(v.ns().value(), Math.max(floor, v.ns().ttl().toMillis()), t, to, src));
        dnskeys.add(new Window<>(
            new KeySet(v.dnskey().value(), v.signing().value().dnskeyKeys()),
            Math.max(floor, v.dnskey().ttl().toMillis()), t, to, src));
        // a signer re-signing gradually (RFC 7583 Dsgn) serves the signatures of this state on
        // some RRsets for its re-signing interval after the next change
        long resign = v.resignInterval().isZero() ? 0 : Math.min(v.resignInterval().toMillis(),
            Math.max(0, stops(timeline, at, v.id(), i) - to));
        data.add(new Window<>(v.signing().value().zoneKeys(),
            Math.max(floor, cachedDataTtl(v).toMillis()) + resign, t, to, src));
      }

      Map<Set<DsData>, String> dsAlive = alive(ds, t);
      Map<KeySet, String> keysAlive = alive(dnskeys, t);
      Map<Set<DnsKeyData>, String> dataAlive = alive(data, t);
      for (Map.Entry<Set<DsData>, String> d : dsAlive.entrySet()) {
        for (Map.Entry<KeySet, String> k : keysAlive.entrySet()) {
          for (Map.Entry<Set<DnsKeyData>, String> z : dataAlive.entrySet()) {
            if (!checked.add(List.of(d.getKey(), k.getKey(), z.getKey()))) {
              continue;
            }
            combinations++;
            String problem = null;
            for (ResolverModel.Validator val : model.validators()) {
              problem = validate(zone, val, d.getKey(), k.getKey(), z.getKey());
              if (problem != null) {
                problem = "validator " + val.name() + ": " + problem;
                break;
              }
            }
            if (problem != null) {
              return new GlitchReport.Glitch(Instant.ofEpochMilli(t), i, d.getValue(),
                  k.getValue(), z.getValue(), problem);
            }
          }
        }
      }
    }
    return new GlitchReport.Clean(n, combinations);
  }

  /** When signer {@code id} first stops answering (or disappears) after state {@code i}. */
  private static long stops(List<TimedState> timeline, long[] at, SignerId id, int i) {
    for (int j = i + 1; j < timeline.size(); j++) {
      SignerSnapshot v = timeline.get(j).state().signer(id);
      if (v == null || !v.isAnswering()) {
        return at[j];
      }
    }
    return Long.MAX_VALUE;
  }

  private static <T> Map<T, String> alive(List<Window<T>> windows, long t) {
    Map<T, String> out = new LinkedHashMap<>();
    for (Window<T> w : windows) {
      if (w.aliveAt(t)) {
        out.putIfAbsent(w.value(), w.source());
      }
    }
    return out.isEmpty() ? new HashMap<>() : out;
  }

  /**
   * How long a resolver may keep this signer's signed data: the stated data TTL, or more when the
   * snapshot carries the zone's observed TTLs (negative answers live min(SOA TTL, SOA MINIMUM),
   * RFC 2308 §5; RFC 4035 §5.4).
   */
  private static java.time.Duration cachedDataTtl(SignerSnapshot v) {
    java.time.Duration t = v.dataTtl();
    ZoneTtls z = v.zoneTtls();
    if (z != null && z.required().compareTo(t) > 0) {
      t = z.required();
    }
    return t;
  }

  private static @org.jspecify.annotations.Nullable String validate(
      Name zone, ResolverModel.Validator val, Set<DsData> ds, KeySet dnskey, Set<DnsKeyData> signedBy) {
    if (ds.isEmpty()) {
      return "the DS RRset is empty: the zone is insecure";
    }
    Set<Integer> dsAlgs = new java.util.TreeSet<>();
    for (DsData d : ds) {
      if (val.supports(d.algorithm())) {
        dsAlgs.add(d.algorithm());
      }
    }
    if (dsAlgs.isEmpty()) {
      return null; // RFC 4035 §5.2: no supported DS algorithm, the zone is insecure to it
    }
    if (!val.hardenAlgorithmDowngrade()) {
      return path(zone, val, -1, ds, dnskey, signedBy);
    }
    for (int alg : dsAlgs) {
      String p = path(zone, val, alg, ds, dnskey, signedBy);
      if (p != null) {
        return "algorithm " + alg + " is in the DS RRset but " + p;
      }
    }
    return null;
  }

  /** A validation path through keys of {@code alg} (any supported algorithm when -1), or why none. */
  private static @org.jspecify.annotations.Nullable String path(Name zone,
      ResolverModel.Validator val, int alg, Set<DsData> ds, KeySet dnskey, Set<DnsKeyData> signedBy) {
    boolean trusted = false;
    for (DnsKeyData k : dnskey.signers()) {
      if (!dnskey.keys().contains(k) || !val.supports(k.algorithm())
          || (alg >= 0 && k.algorithm() != alg)) {
        continue;
      }
      for (DsData d : ds) {
        if (d.matches(zone, k)) {
          trusted = true;
          break;
        }
      }
      if (trusted) {
        break;
      }
    }
    if (!trusted) {
      return "no DS matches a key signing the DNSKEY RRset " + dnskey.keys() + " (signed by "
          + dnskey.signers() + ", DS " + ds + ")";
    }
    for (DnsKeyData k : signedBy) {
      if (dnskey.keys().contains(k) && val.supports(k.algorithm())
          && (alg < 0 || k.algorithm() == alg)) {
        return null;
      }
    }
    return "data signed by " + signedBy + " but the DNSKEY RRset " + dnskey.keys()
        + " holds none of those keys";
  }
}
