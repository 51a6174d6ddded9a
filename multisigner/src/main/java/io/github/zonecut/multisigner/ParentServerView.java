package io.github.zonecut.multisigner;

import io.github.zonecut.core.DsData;
import java.util.Objects;
import java.util.Set;
import org.xbill.DNS.Name;

/**
 * What one authoritative server of the parent zone serves for the delegation.
 *
 * @param server the server's name or address, for messages
 * @param ds the DS RRset at the child's name
 * @param ns the delegation NS RRset
 */
public record ParentServerView(String server, Observed<Set<DsData>> ds, Observed<Set<Name>> ns) {

  /** Checks that nothing is null. */
  public ParentServerView {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(ds, "ds");
    Objects.requireNonNull(ns, "ns");
  }
}
