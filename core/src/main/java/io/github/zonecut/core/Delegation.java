package io.github.zonecut.core;

import java.net.InetAddress;
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
import org.xbill.DNS.Name;

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
    List<InetAddress> list = new ArrayList<>(addresses);
    list.forEach(a -> Objects.requireNonNull(a, "glue address"));
    list.sort(BY_OCTETS);
    return Collections.unmodifiableSet(new LinkedHashSet<>(list));
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

    /** Adds glue addresses for {@code host} (also adding it as a name server). */
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
