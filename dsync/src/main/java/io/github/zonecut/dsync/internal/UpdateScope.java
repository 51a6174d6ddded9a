package io.github.zonecut.dsync.internal;

import io.github.zonecut.core.Names;
import io.github.zonecut.dsync.UpdateAuthorizer.Authorization;
import io.github.zonecut.dsync.UpdateAuthorizer.Kind;
import io.github.zonecut.dsync.UpdateAuthorizer.Limits;
import io.github.zonecut.dsync.UpdateAuthorizer.Request;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The name-scope and type rules both shipped authorizers apply once they know the child
 * (ddns §6, §7.1; spec/anchors.md §4.1 item 6: names compared label-wise, never as strings).
 */
public final class UpdateScope {
  private UpdateScope() {}

  /**
   * Judges {@code request} as a change to {@code child}'s data.
   *
   * @param allowKey whether KEY changes (bootstrap, roll) may be asked for by this signer
   */
  public static Authorization judge(Name child, Request request, Limits limits, boolean allowKey) {
    List<Record> updates = request.updates();
    if (updates.isEmpty()) {
      return new Authorization.Denied("the update section is empty");
    }
    if (updates.size() > limits.maxUpdates()) {
      return new Authorization.Denied("the update section holds " + updates.size()
          + " records; at most " + limits.maxUpdates() + " are accepted");
    }
    if (request.prerequisites().size() > limits.maxPrerequisites()) {
      return new Authorization.Denied("the prerequisite section holds "
          + request.prerequisites().size() + " records; at most " + limits.maxPrerequisites()
          + " are accepted");
    }
    if (!Names.isBelow(child, request.zone())) {
      return new Authorization.Denied(child + " is not below the zone " + request.zone());
    }
    int keys = 0;
    for (Record r : updates) {
      String bad = judgeUpdate(child, r, limits);
      if (bad != null) {
        return new Authorization.Denied(bad);
      }
      if (r.getType() == Type.KEY) {
        keys++;
      }
    }
    for (Record r : request.prerequisites()) {
      String bad = judgePrerequisite(child, r);
      if (bad != null) {
        return new Authorization.Denied(bad);
      }
    }
    if (keys == 0) {
      return new Authorization.Allowed(child, Kind.DELEGATION);
    }
    if (!allowKey) {
      return new Authorization.Denied("this signer may not change the KEY RRset of " + child);
    }
    if (keys != updates.size()) {
      // ddns §7.1: KEY changes are accepted only within the bootstrap and roll procedures,
      // never mixed into a delegation change.
      return new Authorization.Denied("KEY changes may not be mixed with delegation changes");
    }
    if (!request.prerequisites().isEmpty()) {
      return new Authorization.Denied("a KEY UPDATE takes no prerequisites");
    }
    return new Authorization.Allowed(child, Kind.KEY);
  }

  private static @org.jspecify.annotations.Nullable String judgeUpdate(Name child, Record r,
      Limits limits) {
    Name owner = r.getName();
    int type = r.getType();
    if (!Names.isAtOrBelow(owner, child)) {
      return "owner " + owner + " is not at or below " + child;
    }
    if (r.rdataToWireCanonical().length > limits.maxRdataLength()) {
      return "a " + Type.string(type) + " record of " + owner + " exceeds "
          + limits.maxRdataLength() + " octets";
    }
    if (type == Type.ANY) {
      return "deleting every RRset of " + owner + " (type ANY) is not accepted";
    }
    switch (type) {
      case Type.NS:
      case Type.DS:
      case Type.KEY:
        if (!owner.equals(child)) {
          return Type.string(type) + " record owned by " + owner + ", not by the child " + child;
        }
        return null;
      case Type.A:
      case Type.AAAA:
        if (r.getDClass() == DClass.IN && owner.equals(child)) {
          // glue is for name servers below the apex; an address at the apex is zone data
          return "address record at the child's apex " + owner + " is not glue";
        }
        return null;
      default:
        return "type " + Type.string(type) + " is not delegation data (only NS, DS, glue and KEY)";
    }
  }

  private static @org.jspecify.annotations.Nullable String judgePrerequisite(Name child,
      Record r) {
    if (!Names.isAtOrBelow(r.getName(), child)) {
      return "prerequisite owner " + r.getName() + " is not at or below " + child;
    }
    switch (r.getType()) {
      case Type.ANY:
      case Type.NS:
      case Type.DS:
      case Type.A:
      case Type.AAAA:
        return null;
      default:
        return "prerequisite on type " + Type.string(r.getType()) + " is not accepted";
    }
  }
}
