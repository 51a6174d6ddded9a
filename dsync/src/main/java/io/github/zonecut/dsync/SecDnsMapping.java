package io.github.zonecut.dsync;

import io.github.zonecut.core.DelegationDelta;
import io.github.zonecut.core.DsData;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.Name;

/**
 * The EPP view of a {@link DelegationChange}, as a registry's EPP-facing backend needs it: DS
 * changes as RFC 5910 secDNS-1.1 {@code <secDNS:update>} values ({@code rem all}, {@code rem
 * dsData}, {@code add dsData}; the DS data interface of RFC 5910 §4.1) with the XML fragment, and
 * NS/glue changes as RFC 5731 §3.2.5 host object add/rem values with the RFC 5732 host addresses
 * to (re)write. Domain and host names are given without the final dot, as EPP writes them.
 */
public final class SecDnsMapping {
  /** The secDNS-1.1 namespace (RFC 5910 §5). */
  public static final String NAMESPACE = "urn:ietf:params:xml:ns:secDNS-1.1";

  private SecDnsMapping() {}

  /** How DS changes are expressed. */
  public enum Style {
    /**
     * {@code rem dsData} for removed DS, {@code add dsData} for added ones; {@code rem all} when
     * no DS is left (RFC 5910 §5.2.5).
     */
    DELTA,
    /** {@code rem all} then {@code add} of the whole new DS set, for registries preferring it. */
    REPLACE
  }

  /**
   * The secDNS part of a domain update (RFC 5910 §5.2.5).
   *
   * @param removeAll {@code <secDNS:rem><secDNS:all>true</secDNS:all></secDNS:rem>}
   * @param remove DS data to remove (empty when {@code removeAll})
   * @param add DS data to add
   */
  public record SecDnsUpdate(boolean removeAll, List<DsData> remove, List<DsData> add) {
    /** Copies the lists; {@code removeAll} excludes single removals. */
    public SecDnsUpdate {
      remove = List.copyOf(remove);
      add = List.copyOf(add);
      if (removeAll && !remove.isEmpty()) {
        throw new IllegalArgumentException("rem all and rem dsData are exclusive (RFC 5910 §5)");
      }
    }

    /** Whether there is nothing to send. */
    public boolean isEmpty() {
      return !removeAll && remove.isEmpty() && add.isEmpty();
    }

    /**
     * The {@code <secDNS:update>} element (RFC 5910 §5.2.5), for the {@code <extension>} of an
     * EPP {@code <domain:update>}: {@code rem} before {@code add}, as the schema orders them.
     */
    public String toXml() {
      StringBuilder b = new StringBuilder();
      b.append("<secDNS:update xmlns:secDNS=\"").append(NAMESPACE).append("\">");
      if (removeAll) {
        b.append("<secDNS:rem><secDNS:all>true</secDNS:all></secDNS:rem>");
      } else if (!remove.isEmpty()) {
        b.append("<secDNS:rem>");
        remove.forEach(d -> dsData(b, d));
        b.append("</secDNS:rem>");
      }
      if (!add.isEmpty()) {
        b.append("<secDNS:add>");
        add.forEach(d -> dsData(b, d));
        b.append("</secDNS:add>");
      }
      return b.append("</secDNS:update>").toString();
    }

    private static void dsData(StringBuilder b, DsData d) {
      b.append("<secDNS:dsData><secDNS:keyTag>").append(d.keyTag())
          .append("</secDNS:keyTag><secDNS:alg>").append(d.algorithm())
          .append("</secDNS:alg><secDNS:digestType>").append(d.digestType())
          .append("</secDNS:digestType><secDNS:digest>")
          .append(HexFormat.of().withUpperCase().formatHex(d.digest()))
          .append("</secDNS:digest></secDNS:dsData>");
    }
  }

  /**
   * The host part of a domain update (RFC 5731 §3.2.5 {@code <domain:add>/<domain:rem>} of
   * {@code <domain:hostObj>}), and the in-bailiwick hosts whose addresses change (RFC 5732 host
   * objects to create or update first, or delete after).
   *
   * @param domain the domain, without the final dot
   * @param add host names to add
   * @param remove host names to remove
   * @param addresses hosts whose complete address sets are written
   * @param addressesRemoved hosts whose addresses go away
   */
  public record HostUpdate(String domain, List<String> add, List<String> remove,
      Map<String, Set<InetAddress>> addresses, Set<String> addressesRemoved) {
    /** Copies the collections. */
    public HostUpdate {
      Objects.requireNonNull(domain, "domain");
      add = List.copyOf(add);
      remove = List.copyOf(remove);
      Map<String, Set<InetAddress>> a = new LinkedHashMap<>();
      addresses.forEach((k, v) -> a.put(k, Set.copyOf(new LinkedHashSet<>(v))));
      addresses = java.util.Collections.unmodifiableMap(a);
      addressesRemoved = Set.copyOf(new TreeSet<>(addressesRemoved));
    }

    /** Whether there is nothing to send. */
    public boolean isEmpty() {
      return add.isEmpty() && remove.isEmpty() && addresses.isEmpty()
          && addressesRemoved.isEmpty();
    }
  }

  /** The secDNS update for {@code change}'s DS changes. */
  public static SecDnsUpdate secDns(DelegationChange change, Style style) {
    Objects.requireNonNull(style, "style");
    DelegationDelta delta = change.delta();
    Set<DsData> desired = change.desired().ds();
    if (delta.dsToAdd().isEmpty() && delta.dsToRemove().isEmpty()) {
      return new SecDnsUpdate(false, List.of(), List.of());
    }
    if (desired.isEmpty()) {
      return new SecDnsUpdate(true, List.of(), List.of()); // RFC 8078 §4 delete: go insecure
    }
    if (style == Style.REPLACE) {
      return new SecDnsUpdate(true, List.of(), new ArrayList<>(new TreeSet<>(desired)));
    }
    return new SecDnsUpdate(false, new ArrayList<>(delta.dsToRemove()),
        new ArrayList<>(delta.dsToAdd()));
  }

  /** The host update for {@code change}'s NS and glue changes. */
  public static HostUpdate hosts(DelegationChange change) {
    DelegationDelta delta = change.delta();
    List<String> add = new ArrayList<>();
    delta.nsToAdd().forEach(n -> add.add(epp(n)));
    List<String> remove = new ArrayList<>();
    delta.nsToRemove().forEach(n -> remove.add(epp(n)));
    Map<String, Set<InetAddress>> addresses = new LinkedHashMap<>();
    delta.glueToReplace().forEach((n, a) -> addresses.put(epp(n), a));
    Set<String> gone = new TreeSet<>();
    delta.glueToDelete().forEach(n -> gone.add(epp(n)));
    return new HostUpdate(epp(change.child()), add, remove, addresses, gone);
  }

  /** A name as EPP writes it: no final dot (RFC 5731 §2.1), case kept. */
  static String epp(Name name) {
    return name.toString(true);
  }
}
