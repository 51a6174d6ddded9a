package io.github.zonecut.core;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A delegation as the parent holds it: the child's name, its NS RRset, glue addresses for the
 * in-bailiwick name servers, its DS RRset, and the TTLs of those RRsets.
 *
 * <p>Validated on construction: every name absolute, at least one name server, glue only for
 * listed name servers at or below the child (RFC 7477 §3.2, delegation-mgmt-via-ddns §6; glue for
 * any other host is refused, because a parent must not take address data for names outside the
 * child from the child), TTLs within RFC 2181 §8's 0..2^31-1. Collections are copied into
 * unmodifiable ones that iterate in a stable order: names in DNSSEC canonical order, DS data by
 * key tag, addresses by their octets. Names compare case-insensitively, DS digests as octets.
 *
 * <p>An address's family is that of its record: an {@link Inet4Address} is A glue, an {@link
 * Inet6Address} AAAA glue, including an IPv4-mapped one ({@code ::ffff:192.0.2.1}, RFC 4291
 * §2.5.5.2), which stays AAAA through {@link #fromRecords}, {@link #toRecords()} and {@link
 * #diff}: A 192.0.2.1 and AAAA ::ffff:192.0.2.1 are different glue. Java's {@code
 * InetAddress.getByName} and {@code getByAddress} turn a mapped address into an {@code
 * Inet4Address}; to give mapped AAAA glue, build it with {@code Inet6Address.getByAddress(null,
 * octets, -1)}. Addresses are stored without host name or scope.
 *
 * @param child the delegated zone, below the root
 * @param nameservers the NS RRset's targets, at least one
 * @param glue the addresses (IPv4 and IPv6) of in-bailiwick name servers, each set non-empty
 * @param ds the DS RRset's data; empty for an unsigned delegation
 * @param nsTtl the TTL of the NS RRset
 * @param dsTtl the TTL of the DS RRset
 * @param glueTtl the TTL of the glue RRsets
 */
public record Delegation(
    Name child,
    Set<Name> nameservers,
    Map<Name, Set<InetAddress>> glue,
    Set<DsData> ds,
    long nsTtl,
    long dsTtl,
    long glueTtl) {

  /** The TTL the builder uses unless told otherwise. */
  public static final long DEFAULT_TTL = 3600;

  private static final Comparator<InetAddress> BY_OCTETS =
      (a, b) -> {
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        int c = Integer.compare(x.length, y.length);
        return c != 0 ? c : Arrays.compareUnsigned(x, y);
      };

  /**
   * Validates and copies; see the class documentation.
   *
   * @throws IllegalArgumentException naming the first problem, e.g. glue for an out-of-bailiwick
   *     name server
   */
  public Delegation {
    Names.requireAbsolute("child", child);
    if (child.labels() < 2) {
      throw new IllegalArgumentException("the root zone is not a delegation");
    }
    TreeSet<Name> ns = new TreeSet<>();
    for (Name n : nameservers) {
      ns.add(Names.requireAbsolute("name server", n));
    }
    if (ns.isEmpty()) {
      throw new IllegalArgumentException("delegation of " + child + " has no name server");
    }
    TreeMap<Name, Set<InetAddress>> g = new TreeMap<>();
    for (Map.Entry<Name, Set<InetAddress>> e : glue.entrySet()) {
      Name host = Names.requireAbsolute("glue owner", e.getKey());
      if (!ns.contains(host)) {
        throw new IllegalArgumentException("glue for " + host + ", which is not a name server of "
            + child);
      }
      if (!Names.isInBailiwick(host, child)) {
        throw new IllegalArgumentException("glue for out-of-bailiwick name server " + host
            + " refused: a parent takes glue only for hosts at or below " + child
            + " (RFC 7477 §3.2)");
      }
      if (e.getValue().isEmpty()) {
        throw new IllegalArgumentException("empty glue address set for " + host);
      }
      g.put(host, sortedAddresses(e.getValue()));
    }
    nameservers = Collections.unmodifiableSet(ns);
    glue = Collections.unmodifiableMap(g);
    ds = Collections.unmodifiableSet(new TreeSet<>(ds));
    checkTtl("NS", nsTtl);
    checkTtl("DS", dsTtl);
    checkTtl("glue", glueTtl);
  }

  private static Set<InetAddress> sortedAddresses(Collection<InetAddress> addresses) {
    List<InetAddress> list = new ArrayList<>(addresses.size());
    for (InetAddress a : addresses) {
      list.add(plain(Objects.requireNonNull(a, "glue address")));
    }
    list.sort(BY_OCTETS);
    return Collections.unmodifiableSet(new LinkedHashSet<>(list));
  }

  /** {@code a} without host name or scope, in its own family (a mapped IPv6 address stays IPv6). */
  private static InetAddress plain(InetAddress a) {
    try {
      return a instanceof Inet6Address ? Inet6Address.getByAddress(null, a.getAddress(), -1)
          : InetAddress.getByAddress(a.getAddress());
    } catch (UnknownHostException e) {
      // unreachable: the octets come from an InetAddress of the same family
      throw new IllegalArgumentException("glue address " + a + ": " + e.getMessage(), e);
    }
  }

  /**
   * The address of an A or AAAA record in the record's family. dnsjava's {@code
   * AAAARecord.getAddress()} returns an {@code Inet4Address} for an IPv4-mapped address, which
   * would turn AAAA glue into A glue.
   */
  private static InetAddress glueAddress(Record r) {
    byte[] octets = r.rdataToWireCanonical();
    try {
      return r instanceof AAAARecord ? Inet6Address.getByAddress(null, octets, -1)
          : InetAddress.getByAddress(octets);
    } catch (UnknownHostException e) {
      // unreachable: dnsjava checked the RDATA length when it decoded the record
      throw new IllegalArgumentException("address record " + r + ": " + e.getMessage(), e);
    }
  }

  private static void checkTtl(String what, long ttl) {
    if (ttl < 0 || ttl > 0x7FFF_FFFFL) {
      throw new IllegalArgumentException(what + " TTL out of range 0..2147483647: " + ttl);
    }
  }

  /** A builder for the delegation of {@code child}, TTLs defaulting to {@link #DEFAULT_TTL}. */
  public static Builder builder(Name child) {
    return new Builder(child);
  }

  /** Whether {@code host} is at or below the child, i.e. whether it may have glue here. */
  public boolean isInBailiwick(Name host) {
    return Names.isInBailiwick(host, child);
  }

  /**
   * What has to change to turn this delegation (the parent's current data) into {@code
   * desired}: the RRset additions and removals an RFC 2136 UPDATE or an EPP command carries.
   *
   * @throws IllegalArgumentException if {@code desired} is for another child
   */
  public DelegationDelta diff(Delegation desired) {
    return DelegationDelta.between(this, desired);
  }

  /**
   * The delegation as dnsjava records, in a stable order: the NS RRset, the DS RRset, then the
   * A and AAAA glue RRsets host by host; all of class IN. An {@link Inet6Address} is written as
   * AAAA even when it is IPv4-mapped.
   */
  public List<Record> toRecords() {
    List<Record> out = new ArrayList<>();
    for (Name ns : nameservers) {
      out.add(new NSRecord(child, DClass.IN, nsTtl, ns));
    }
    for (DsData d : ds) {
      out.add(d.toRecord(child, dsTtl));
    }
    for (Map.Entry<Name, Set<InetAddress>> e : glue.entrySet()) {
      for (InetAddress a : e.getValue()) {
        out.add(a instanceof Inet4Address ? new ARecord(e.getKey(), DClass.IN, glueTtl, a)
            : new AAAARecord(e.getKey(), DClass.IN, glueTtl, a));
      }
    }
    return out;
  }

  /**
   * The delegation of {@code child} described by {@code records}, e.g. the authority and
   * additional sections of a parent's referral, or the output of {@link #toRecords()}.
   *
   * <p>Takes the NS and DS records owned by {@code child} and the A/AAAA records of its
   * in-bailiwick name servers; everything else is not delegation data and is ignored, including
   * addresses of out-of-bailiwick hosts (sibling glue is not this child's glue). Each TTL is the
   * smallest in its RRset (RFC 2181 §5.2 requires them equal), or {@link #DEFAULT_TTL} for an
   * absent RRset.
   *
   * @throws IllegalArgumentException if there is no NS record for {@code child}
   */
  public static Delegation fromRecords(Name child, Collection<? extends Record> records) {
    Names.requireAbsolute("child", child);
    Set<Name> ns = new TreeSet<>();
    for (Record r : records) {
      if (r instanceof NSRecord && r.getName().equals(child)) {
        ns.add(((NSRecord) r).getTarget());
      }
    }
    Builder b = builder(child);
    long nsTtl = -1;
    long dsTtl = -1;
    long glueTtl = -1;
    for (Record r : records) {
      if (r instanceof NSRecord && r.getName().equals(child)) {
        b.nameservers(((NSRecord) r).getTarget());
        nsTtl = minTtl(nsTtl, r.getTTL());
      } else if (r instanceof DSRecord && r.getType() == Type.DS && r.getName().equals(child)) {
        b.ds(DsData.of((DSRecord) r));
        dsTtl = minTtl(dsTtl, r.getTTL());
      } else if ((r instanceof ARecord || r instanceof AAAARecord) && ns.contains(r.getName())
          && Names.isInBailiwick(r.getName(), child)) {
        b.glue(r.getName(), glueAddress(r));
        glueTtl = minTtl(glueTtl, r.getTTL());
      }
    }
    return b.nsTtl(nsTtl < 0 ? DEFAULT_TTL : nsTtl).dsTtl(dsTtl < 0 ? DEFAULT_TTL : dsTtl)
        .glueTtl(glueTtl < 0 ? DEFAULT_TTL : glueTtl).build();
  }

  private static long minTtl(long current, long ttl) {
    return current < 0 ? ttl : Math.min(current, ttl);
  }

  /** Builds a {@link Delegation}; validation happens in {@link #build()}. */
  public static final class Builder {
    private final Name child;
    private final Set<Name> nameservers = new LinkedHashSet<>();
    private final Map<Name, Set<InetAddress>> glue = new TreeMap<>();
    private final Set<DsData> ds = new LinkedHashSet<>();
    private long nsTtl = DEFAULT_TTL;
    private long dsTtl = DEFAULT_TTL;
    private long glueTtl = DEFAULT_TTL;

    private Builder(Name child) {
      this.child = Objects.requireNonNull(child, "child");
    }

    /** Adds name servers to the NS RRset. */
    public Builder nameservers(Name... hosts) {
      nameservers.addAll(Arrays.asList(hosts));
      return this;
    }

    /**
     * Adds glue addresses for {@code host} (also adding it as a name server): A glue for an {@link
     * Inet4Address}, AAAA glue for an {@link Inet6Address} (IPv4-mapped ones included; see the
     * class documentation).
     */
    public Builder glue(Name host, InetAddress... addresses) {
      nameservers.add(host);
      glue.computeIfAbsent(host, h -> new LinkedHashSet<>()).addAll(Arrays.asList(addresses));
      return this;
    }

    /** Adds DS data. */
    public Builder ds(DsData... data) {
      ds.addAll(Arrays.asList(data));
      return this;
    }

    public Builder nsTtl(long ttl) {
      nsTtl = ttl;
      return this;
    }

    public Builder dsTtl(long ttl) {
      dsTtl = ttl;
      return this;
    }

    public Builder glueTtl(long ttl) {
      glueTtl = ttl;
      return this;
    }

    /**
     * Builds the delegation.
     *
     * @throws IllegalArgumentException as the {@link Delegation} constructor does
     */
    public Delegation build() {
      return new Delegation(child, new TreeSet<>(nameservers), new TreeMap<>(glue),
          new TreeSet<>(ds), nsTtl, dsTtl, glueTtl);
    }
  }
}
