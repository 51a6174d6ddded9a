package io.github.zonecut.core;

import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.Name;

/**
 * The changes that turn one {@link Delegation} of a child into another, RRset by RRset: the
 * shape of an RFC 2136 UPDATE (or an RFC 5731/5910 EPP update) for delegation data.
 *
 * <p>NS and DS change record by record (add, remove). Glue changes host by host: {@link
 * #glueToReplace()} holds the complete new address set of a host (both its A and AAAA RRsets are
 * replaced), {@link #glueToDelete()} the hosts whose glue goes away, which includes every
 * in-bailiwick name server being removed. A TTL is present only when it changes; a changed glue
 * TTL puts every remaining glue host into {@code glueToReplace}, since an RRset's TTL changes by
 * rewriting it (RFC 2136 §3.4.2.2, RFC 2181 §5.2). Glue for out-of-bailiwick hosts never appears:
 * both delegations are validated.
 *
 * @param child the delegated zone
 * @param nsToAdd name servers to add to the NS RRset
 * @param nsToRemove name servers to remove from the NS RRset
 * @param dsToAdd DS data to add
 * @param dsToRemove DS data to remove
 * @param glueToReplace hosts whose glue is (re)written, with their complete new address sets
 * @param glueToDelete hosts whose glue is deleted
 * @param nsTtl the new NS TTL, if it changes
 * @param dsTtl the new DS TTL, if it changes
 * @param glueTtl the new glue TTL, if it changes
 */
public record DelegationDelta(
    Name child,
    Set<Name> nsToAdd,
    Set<Name> nsToRemove,
    Set<DsData> dsToAdd,
    Set<DsData> dsToRemove,
    Map<Name, Set<InetAddress>> glueToReplace,
    Set<Name> glueToDelete,
    OptionalLong nsTtl,
    OptionalLong dsTtl,
    OptionalLong glueTtl) {

  /** Copies every collection into an unmodifiable, ordered one. */
  public DelegationDelta {
    Names.requireAbsolute("child", child);
    nsToAdd = Collections.unmodifiableSet(new TreeSet<>(nsToAdd));
    nsToRemove = Collections.unmodifiableSet(new TreeSet<>(nsToRemove));
    dsToAdd = Collections.unmodifiableSet(new TreeSet<>(dsToAdd));
    dsToRemove = Collections.unmodifiableSet(new TreeSet<>(dsToRemove));
    TreeMap<Name, Set<InetAddress>> g = new TreeMap<>();
    glueToReplace.forEach((k, v) ->
        g.put(k, Collections.unmodifiableSet(new LinkedHashSet<>(v))));
    glueToReplace = Collections.unmodifiableMap(g);
    glueToDelete = Collections.unmodifiableSet(new TreeSet<>(glueToDelete));
  }

  static DelegationDelta between(Delegation current, Delegation desired) {
    if (!current.child().equals(desired.child())) {
      throw new IllegalArgumentException("cannot diff the delegation of " + current.child()
          + " against that of " + desired.child());
    }
    TreeSet<Name> nsAdd = new TreeSet<>(desired.nameservers());
    nsAdd.removeAll(current.nameservers());
    TreeSet<Name> nsRemove = new TreeSet<>(current.nameservers());
    nsRemove.removeAll(desired.nameservers());
    TreeSet<DsData> dsAdd = new TreeSet<>(desired.ds());
    dsAdd.removeAll(current.ds());
    TreeSet<DsData> dsRemove = new TreeSet<>(current.ds());
    dsRemove.removeAll(desired.ds());

    boolean glueTtlChanges = current.glueTtl() != desired.glueTtl();
    TreeMap<Name, Set<InetAddress>> replace = new TreeMap<>();
    for (Map.Entry<Name, Set<InetAddress>> e : desired.glue().entrySet()) {
      Set<InetAddress> now = current.glue().get(e.getKey());
      if (glueTtlChanges || now == null || !now.equals(e.getValue())) {
        replace.put(e.getKey(), e.getValue());
      }
    }
    TreeSet<Name> delete = new TreeSet<>(current.glue().keySet());
    delete.removeAll(desired.glue().keySet());

    return new DelegationDelta(current.child(), nsAdd, nsRemove, dsAdd, dsRemove, replace,
        delete, changed(current.nsTtl(), desired.nsTtl()),
        changed(current.dsTtl(), desired.dsTtl()), changed(current.glueTtl(), desired.glueTtl()));
  }

  private static OptionalLong changed(long from, long to) {
    return from == to ? OptionalLong.empty() : OptionalLong.of(to);
  }

  /** Whether nothing changes. */
  public boolean isEmpty() {
    return nsToAdd.isEmpty() && nsToRemove.isEmpty() && dsToAdd.isEmpty() && dsToRemove.isEmpty()
        && glueToReplace.isEmpty() && glueToDelete.isEmpty() && nsTtl.isEmpty()
        && dsTtl.isEmpty() && glueTtl.isEmpty();
  }

  /**
   * Applies these changes to {@code current}, as a parent applying the UPDATE would.
   *
   * @throws IllegalArgumentException if {@code current} is for another child, or the result is
   *     not a valid delegation (the delta was computed against other data)
   */
  public Delegation applyTo(Delegation current) {
    if (!current.child().equals(child)) {
      throw new IllegalArgumentException("delta for " + child + " applied to " + current.child());
    }
    TreeSet<Name> ns = new TreeSet<>(current.nameservers());
    ns.removeAll(nsToRemove);
    ns.addAll(nsToAdd);
    TreeSet<DsData> ds = new TreeSet<>(current.ds());
    ds.removeAll(dsToRemove);
    ds.addAll(dsToAdd);
    TreeMap<Name, Set<InetAddress>> glue = new TreeMap<>(current.glue());
    glueToDelete.forEach(glue::remove);
    glue.putAll(glueToReplace);
    return new Delegation(child, ns, glue, ds, nsTtl.orElse(current.nsTtl()),
        dsTtl.orElse(current.dsTtl()), glueTtl.orElse(current.glueTtl()));
  }
}
