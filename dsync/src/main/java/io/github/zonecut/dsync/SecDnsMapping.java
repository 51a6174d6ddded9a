package io.github.zonecut.dsync;

import io.github.zonecut.core.DelegationDelta;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.MalformedDataException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;

/**
 * The EPP view of a {@link DelegationChange}, as a registry's EPP-facing backend needs it: DS
 * changes as RFC 5910 secDNS-1.1 {@code <secDNS:update>} values ({@code rem all}, {@code rem
 * dsData}, {@code add dsData}; the DS data interface of RFC 5910 §4.1) with the XML fragment, and
 * NS/glue changes as RFC 5731 §3.2.5 host object add/rem values with the RFC 5732 host addresses
 * to (re)write. Domain and host names are given without the final dot, as EPP writes them.
 *
 * <p>Registries use one of RFC 5910's two interfaces (§4): the DS data interface ({@link
 * #secDns}) or the key data interface ({@link #keyData}, §4.2), where the registry holds the
 * child's keys and computes the DS itself; {@link AcceptancePolicy#secDnsInterface()} says which.
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
      return updateXml(removeAll, remove, add, SecDnsUpdate::dsData);
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

  /**
   * One RFC 5910 §4.2 {@code <secDNS:keyData>} value: the RDATA of a DNSKEY (RFC 4034 §2.1) as the
   * key data interface carries it.
   *
   * @param flags the DNSKEY flags (257 for a KSK)
   * @param protocol the protocol field (3, RFC 4034 §2.1.2)
   * @param algorithm the DNSSEC algorithm number
   * @param publicKey the public key octets (written base64 in {@code <secDNS:pubKey>})
   */
  public record KeyData(int flags, int protocol, int algorithm, byte[] publicKey) {
    /** Checks ranges (RFC 5910 §4.2: unsignedShort, unsignedByte) and copies the key. */
    public KeyData {
      if (flags < 0 || flags > 0xFFFF || protocol < 0 || protocol > 0xFF || algorithm < 0
          || algorithm > 0xFF) {
        throw new IllegalArgumentException("keyData field out of range: " + flags + " "
            + protocol + " " + algorithm);
      }
      if (publicKey.length == 0) {
        throw new IllegalArgumentException("keyData with an empty public key"); // RFC 5910 §4.2
      }
      publicKey = publicKey.clone();
    }

    /** The key data of a dnsjava DNSKEY (or CDNSKEY) record. */
    public static KeyData of(DNSKEYRecord key) {
      return new KeyData(key.getFlags(), key.getProtocol(), key.getAlgorithm(), key.getKey());
    }

    /** A dnsjava DNSKEY record with this data at {@code owner}. */
    public DNSKEYRecord toRecord(Name owner, long ttl) {
      return new DNSKEYRecord(owner, DClass.IN, ttl, flags, protocol, algorithm, publicKey);
    }

    /** Whether {@code ds} refers to this key published at {@code owner} (RFC 4035 §5.2). */
    public boolean matches(Name owner, DsData ds) {
      return ds.matches(owner, toRecord(owner, 0));
    }

    /** The public key (a copy). */
    @Override
    public byte[] publicKey() {
      return publicKey.clone();
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof KeyData k && k.flags == flags && k.protocol == protocol
          && k.algorithm == algorithm && Arrays.equals(k.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
      return Objects.hash(flags, protocol, algorithm) * 31 + Arrays.hashCode(publicKey);
    }

    /** The DNSKEY presentation form, {@code 257 3 13 base64…}. */
    @Override
    public String toString() {
      return flags + " " + protocol + " " + algorithm + " "
          + Base64.getEncoder().encodeToString(publicKey);
    }

    private void xml(StringBuilder b) {
      b.append("<secDNS:keyData><secDNS:flags>").append(flags)
          .append("</secDNS:flags><secDNS:protocol>").append(protocol)
          .append("</secDNS:protocol><secDNS:alg>").append(algorithm)
          .append("</secDNS:alg><secDNS:pubKey>")
          .append(Base64.getEncoder().encodeToString(publicKey))
          .append("</secDNS:pubKey></secDNS:keyData>");
    }
  }

  /**
   * The secDNS part of a domain update in the key data interface (RFC 5910 §4.2, §5.2.5).
   *
   * @param removeAll {@code <secDNS:rem><secDNS:all>true</secDNS:all></secDNS:rem>}
   * @param remove key data to remove (empty when {@code removeAll})
   * @param add key data to add
   */
  public record KeyDataUpdate(boolean removeAll, List<KeyData> remove, List<KeyData> add) {
    /** Copies the lists; {@code removeAll} excludes single removals. */
    public KeyDataUpdate {
      remove = List.copyOf(remove);
      add = List.copyOf(add);
      if (removeAll && !remove.isEmpty()) {
        throw new IllegalArgumentException("rem all and rem keyData are exclusive (RFC 5910 §5)");
      }
    }

    /** Whether there is nothing to send. */
    public boolean isEmpty() {
      return !removeAll && remove.isEmpty() && add.isEmpty();
    }

    /** The {@code <secDNS:update>} element (RFC 5910 §5.2.5), {@code rem} before {@code add}. */
    public String toXml() {
      return updateXml(removeAll, remove, add, (b, k) -> k.xml(b));
    }
  }

  /**
   * The key-data-interface update (RFC 5910 §4.2) for {@code change}'s DS changes: the keys
   * behind each added DS are added, the keys behind each removed DS removed, and {@code rem all}
   * when no DS is left (RFC 8078 §4 delete) or with {@link Style#REPLACE}.
   *
   * <p>A DS change says which keys but not their public keys, so the caller gives them: {@code
   * childKeys} are the keys the accepted signal carried (the child's CDNSKEY RRset, RFC 7344 §3.2,
   * or its DNSKEY RRset), {@code held} the key data the registry holds for the current
   * delegation. Each DS is matched to its key by recomputing the digest at the child's apex.
   *
   * @throws MalformedDataException when a DS to add has no key in {@code childKeys}, or a DS to
   *     remove (with {@link Style#DELTA}) none in {@code held}: the keys given are not those of
   *     the change
   */
  public static KeyDataUpdate keyData(DelegationChange change, Collection<KeyData> held,
      Collection<KeyData> childKeys, Style style) throws MalformedDataException {
    Objects.requireNonNull(style, "style");
    DelegationDelta delta = change.delta();
    Set<DsData> desired = change.desired().ds();
    if (delta.dsToAdd().isEmpty() && delta.dsToRemove().isEmpty()) {
      return new KeyDataUpdate(false, List.of(), List.of());
    }
    if (desired.isEmpty()) {
      return new KeyDataUpdate(true, List.of(), List.of()); // RFC 8078 §4 delete: go insecure
    }
    Name child = change.child();
    if (style == Style.REPLACE) {
      return new KeyDataUpdate(true, List.of(), keysOf(child, desired, childKeys, "childKeys"));
    }
    List<KeyData> add = keysOf(child, delta.dsToAdd(), childKeys, "childKeys");
    List<KeyData> remove = keysOf(child, delta.dsToRemove(), held, "held");
    // a key whose DS only changes digest type is neither removed nor added: the registry holds
    // keys, not digests
    remove.removeAll(keysOf(child, desired, childKeys, null));
    add.removeAll(held);
    return new KeyDataUpdate(false, remove, add);
  }

  /**
   * The keys among {@code keys} that {@code ds} refer to, in DS order, each once; every DS must
   * have one unless {@code field} is null.
   */
  private static List<KeyData> keysOf(Name child, Collection<DsData> ds, Collection<KeyData> keys,
      @Nullable String field) throws MalformedDataException {
    Set<KeyData> out = new LinkedHashSet<>();
    for (DsData d : new TreeSet<>(ds)) {
      KeyData found = null;
      for (KeyData k : keys) {
        if (k.matches(child, d)) {
          found = k;
          break;
        }
      }
      if (found != null) {
        out.add(found);
      } else if (field != null) {
        throw new MalformedDataException(field, -1, "no key for DS " + d + " of " + child);
      }
    }
    return new ArrayList<>(out);
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

  /**
   * The {@code <secDNS:update>} element (RFC 5910 §5.2.5) of either interface: {@code rem all}
   * or the removed elements, then the added ones, each written by {@code element}.
   */
  private static <T> String updateXml(boolean removeAll, List<T> remove, List<T> add,
      java.util.function.BiConsumer<StringBuilder, T> element) {
    StringBuilder b = new StringBuilder();
    b.append("<secDNS:update xmlns:secDNS=\"").append(NAMESPACE).append("\">");
    if (removeAll) {
      b.append("<secDNS:rem><secDNS:all>true</secDNS:all></secDNS:rem>");
    } else if (!remove.isEmpty()) {
      b.append("<secDNS:rem>");
      remove.forEach(e -> element.accept(b, e));
      b.append("</secDNS:rem>");
    }
    if (!add.isEmpty()) {
      b.append("<secDNS:add>");
      add.forEach(e -> element.accept(b, e));
      b.append("</secDNS:add>");
    }
    return b.append("</secDNS:update>").toString();
  }
}
