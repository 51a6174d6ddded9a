package io.github.zonecut.testkit.internal;

import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * An immutable, fully signed snapshot of one zone: its RRsets in canonical order (RFC 4034 §6.1),
 * the delegation points it holds, and its NSEC chain (RFC 4034 §4, RFC 4035 §2.3). Answers are
 * read from a snapshot without locking; an edit builds and publishes a new one.
 */
public final class SignedZone {
  private final Name origin;
  private final boolean signed;
  private final @Nullable ZoneKeys keys;
  private final NavigableMap<Name, Map<Integer, RRset>> nodes;
  private final Set<Name> cuts;
  private final NavigableMap<Name, RRset> nsecs;
  private final boolean corrupted;

  private SignedZone(
      Name origin,
      @Nullable ZoneKeys keys,
      NavigableMap<Name, Map<Integer, RRset>> nodes,
      Set<Name> cuts,
      NavigableMap<Name, RRset> nsecs,
      boolean corrupted) {
    this.origin = origin;
    this.signed = keys != null;
    this.keys = keys;
    this.nodes = nodes;
    this.cuts = cuts;
    this.nsecs = nsecs;
    this.corrupted = corrupted;
  }

  /**
   * Builds a snapshot from the zone's records: apex SOA and NS, the author's data, and the
   * delegation data (NS, glue, DS) the hierarchy derived for each child.
   *
   * <p>An RRset identical (records and TTL) to one in {@code previous} keeps its signatures when
   * they were made by the same keys, have started by {@code now} and stay valid past the middle
   * of the new window, so an edit costs signatures only for what it changed (and the NSECs around
   * it), as in incremental signers.
   *
   * @param keys the signing keys, or null to leave the zone unsigned
   * @param corruptSignatures flip a bit in every signature (a bogus zone, RFC 4035 §5.5)
   * @param previous the snapshot this one replaces, or null to sign everything afresh
   */
  public static SignedZone build(
      Name origin,
      List<Record> records,
      @Nullable ZoneKeys keys,
      Instant now,
      Instant inception,
      Instant expiration,
      boolean corruptSignatures,
      @Nullable SignedZone previous) {
    SignedZone reusable =
        previous != null && previous.keys == keys && previous.corrupted == corruptSignatures
            ? previous
            : null;
    Instant midpoint = inception.plus(java.time.Duration.between(inception, expiration).dividedBy(2));
    NavigableMap<Name, Map<Integer, RRset>> nodes = new TreeMap<>();
    for (Record r : records) {
      if (!r.getName().subdomain(origin)) {
        throw new IllegalArgumentException(r.getName() + " is outside zone " + origin);
      }
      nodes.computeIfAbsent(r.getName(), n -> new LinkedHashMap<>())
          .computeIfAbsent(r.getType(), t -> new RRset())
          .addRR(r);
    }
    Map<Integer, RRset> apex = nodes.get(origin);
    if (apex == null || !apex.containsKey(Type.SOA) || !apex.containsKey(Type.NS)) {
      throw new IllegalArgumentException("zone " + origin + " needs an apex SOA and NS RRset");
    }
    Set<Name> cuts = new HashSet<>();
    for (Map.Entry<Name, Map<Integer, RRset>> e : nodes.entrySet()) {
      if (!e.getKey().equals(origin) && e.getValue().containsKey(Type.NS)) {
        cuts.add(e.getKey());
      }
    }
    NavigableMap<Name, RRset> nsecs = new TreeMap<>();
    if (keys != null) {
      // keys the author published (another signer's ZSK, RFC 8901 §2.1; a pre-published key)
      // join ours in the one DNSKEY RRset
      RRset dnskeys = apex.computeIfAbsent(Type.DNSKEY, t -> new RRset());
      dnskeys.addRR(keys.ksk());
      if (!keys.isCsk()) {
        dnskeys.addRR(keys.zsk());
      }
      long negativeTtl = ((SOARecord) apex.get(Type.SOA).first()).getMinimum();
      List<Map.Entry<Name, Map<Integer, RRset>>> chain = new ArrayList<>();
      for (Map.Entry<Name, Map<Integer, RRset>> e : nodes.entrySet()) {
        if (!isOccluded(e.getKey(), origin, cuts)) {
          chain.add(e);
        }
      }
      for (int i = 0; i < chain.size(); i++) {
        Name owner = chain.get(i).getKey();
        Name next = chain.get((i + 1) % chain.size()).getKey();
        Map<Integer, RRset> node = chain.get(i).getValue();
        Set<Integer> types = new TreeSet<>(node.keySet());
        types.add(Type.RRSIG);
        types.add(Type.NSEC);
        RRset nsec =
            new RRset(
                new NSECRecord(owner, DClass.IN, negativeTtl, next, types.stream().mapToInt(Integer::intValue).toArray()));
        node.put(Type.NSEC, nsec);
        nsecs.put(owner, nsec);
      }
      for (Map.Entry<Name, Map<Integer, RRset>> e : nodes.entrySet()) {
        Name owner = e.getKey();
        if (isOccluded(owner, origin, cuts)) {
          continue; // glue is not signed (RFC 4035 §2.2)
        }
        boolean cut = cuts.contains(owner);
        for (RRset rrset : e.getValue().values()) {
          int type = rrset.getType();
          if (cut && type != Type.DS && type != Type.NSEC) {
            continue; // the child is authoritative for everything else at the cut
          }
          List<RRSIGRecord> kept = reusable == null ? null : reusable.reusableSigs(rrset, now, midpoint);
          if (kept != null) {
            kept.forEach(rrset::addRR);
            continue;
          }
          boolean keyset = type == Type.DNSKEY;
          DNSKEYRecord key = keyset ? keys.ksk() : keys.zsk();
          PrivateKey priv = keyset ? keys.kskPrivate() : keys.zskPrivate();
          RRSIGRecord sig = sign(rrset, key, priv, inception, expiration);
          rrset.addRR(corruptSignatures ? corrupt(sig) : sig);
        }
      }
    }
    NavigableMap<Name, Map<Integer, RRset>> frozen = new TreeMap<>();
    nodes.forEach((n, m) -> frozen.put(n, Collections.unmodifiableMap(m)));
    return new SignedZone(
        origin,
        keys,
        Collections.unmodifiableNavigableMap(frozen),
        Set.copyOf(cuts),
        Collections.unmodifiableNavigableMap(nsecs),
        corruptSignatures);
  }

  /** The signatures of this snapshot's copy of {@code fresh}, if identical and still fresh enough. */
  private @Nullable List<RRSIGRecord> reusableSigs(RRset fresh, Instant now, Instant midpoint) {
    RRset old = rrset(fresh.getName(), fresh.getType());
    if (old == null || old.sigs().isEmpty() || old.getTTL() != fresh.getTTL() || old.size() != fresh.size()) {
      return null;
    }
    if (!new HashSet<>(old.rrs(false)).equals(new HashSet<>(fresh.rrs(false)))) {
      return null;
    }
    for (RRSIGRecord sig : old.sigs()) {
      if (sig.getTimeSigned().isAfter(now) || !sig.getExpire().isAfter(midpoint)) {
        return null;
      }
    }
    return old.sigs();
  }

  private static RRSIGRecord sign(
      RRset rrset, DNSKEYRecord key, PrivateKey priv, Instant inception, Instant expiration) {
    try {
      return DNSSEC.sign(rrset, key, priv, inception, expiration);
    } catch (DNSSEC.DNSSECException e) {
      throw new IllegalStateException("cannot sign " + rrset.getName() + "/" + Type.string(rrset.getType()), e);
    }
  }

  /** A copy of {@code sig} whose signature has one bit flipped, so it never verifies. */
  public static RRSIGRecord corrupt(RRSIGRecord sig) {
    byte[] bytes = sig.getSignature().clone();
    bytes[bytes.length - 1] ^= 0x01;
    return new RRSIGRecord(
        sig.getName(),
        sig.getDClass(),
        sig.getTTL(),
        sig.getTypeCovered(),
        sig.getAlgorithm(),
        sig.getOrigTTL(),
        sig.getExpire(),
        sig.getTimeSigned(),
        sig.getFootprint(),
        sig.getSigner(),
        bytes);
  }

  private static boolean isOccluded(Name name, Name origin, Set<Name> cuts) {
    Name n = name;
    while (n.labels() > origin.labels()) {
      n = new Name(n, 1);
      if (n.labels() > origin.labels() && cuts.contains(n)) {
        return true;
      }
    }
    return false;
  }

  /** The zone's apex name. */
  public Name origin() {
    return origin;
  }

  /** Whether the zone carries DNSKEY, RRSIG and NSEC records. */
  public boolean isSigned() {
    return signed;
  }

  /** The zone's keys, or null when unsigned. */
  public @Nullable ZoneKeys keys() {
    return keys;
  }

  /** The apex SOA RRset with its signatures. */
  public RRset soa() {
    RRset soa = rrset(origin, Type.SOA);
    if (soa == null) {
      throw new IllegalStateException("zone without SOA: " + origin);
    }
    return soa;
  }

  /** The SOA serial of this snapshot. */
  public long serial() {
    return ((SOARecord) soa().first()).getSerial();
  }

  /** The RRset of {@code type} at {@code name} (including glue), or null. */
  public @Nullable RRset rrset(Name name, int type) {
    Map<Integer, RRset> node = nodes.get(name);
    return node == null ? null : node.get(type);
  }

  /** The RRsets at {@code name}, or null when no record has that owner. */
  public @Nullable Map<Integer, RRset> node(Name name) {
    return nodes.get(name);
  }

  /** Every RRset in the snapshot, in canonical order of owner. */
  public List<RRset> allRRsets() {
    List<RRset> all = new ArrayList<>();
    nodes.values().forEach(m -> all.addAll(m.values()));
    return all;
  }

  /**
   * The delegation point at or above {@code name} (and below the apex), the one nearest the apex,
   * or null when {@code name} is in this zone's authoritative data.
   */
  public @Nullable Name cutAtOrAbove(Name name) {
    Name found = null;
    Name n = name;
    while (n.labels() > origin.labels()) {
      if (cuts.contains(n)) {
        found = n;
      }
      n = new Name(n, 1);
    }
    return found;
  }

  /** Whether {@code name} owns no records but has descendants: an empty non-terminal. */
  public boolean isEmptyNonTerminal(Name name) {
    if (nodes.containsKey(name)) {
      return false;
    }
    Name higher = nodes.higherKey(name);
    return higher != null && higher.subdomain(name);
  }

  /**
   * The closest encloser of a name that does not exist (RFC 4592 §3.3.1): its longest existing
   * ancestor, counting empty non-terminals.
   */
  public Name closestEncloser(Name name) {
    Name n = name;
    while (n.labels() > origin.labels()) {
      n = new Name(n, 1);
      if (nodes.containsKey(n) || isEmptyNonTerminal(n)) {
        return n;
      }
    }
    return origin;
  }

  /** The NSEC RRset owned by {@code name}, or null. */
  public @Nullable RRset nsecAt(Name name) {
    return nsecs.get(name);
  }

  /**
   * The NSEC RRset whose owner is the last one before {@code name} in canonical order, which
   * proves {@code name} absent (RFC 4035 §3.1.3.2), or null in an unsigned zone.
   */
  public @Nullable RRset nsecCovering(Name name) {
    Map.Entry<Name, RRset> e = nsecs.lowerEntry(name);
    if (e == null) {
      e = nsecs.lastEntry();
    }
    return e == null ? null : e.getValue();
  }
}
