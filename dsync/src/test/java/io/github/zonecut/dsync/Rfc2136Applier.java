package io.github.zonecut.dsync;

import io.github.zonecut.core.Delegation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A tiny RFC 2136 §3.4.2 applier over a parent's delegation data, written for the tests only:
 * the oracle the UPDATE builder is checked against. Adds (zone class) join the RRset, a new TTL
 * replacing the RRset's (as BIND does); class ANY deletes an RRset (type ANY: every RRset of the
 * name); class NONE deletes one RR matched by RDATA.
 */
final class Rfc2136Applier {
  /** RRsets keyed by owner and type; values are (TTL, RDATA list). */
  private final Map<List<Object>, RRs> rrsets = new LinkedHashMap<>();

  private static final class RRs {
    long ttl;
    final List<Record> records = new ArrayList<>();
  }

  Rfc2136Applier(Delegation current) {
    for (Record r : current.toRecords()) {
      add(r);
    }
  }

  void apply(Message update, Name zone) {
    if (update.getHeader().getOpcode() != Opcode.UPDATE) {
      throw new AssertionError("not an UPDATE");
    }
    Record z = update.getSection(Section.ZONE).get(0);
    if (!z.getName().equals(zone) || z.getType() != Type.SOA) {
      throw new AssertionError("zone section " + z);
    }
    if (!update.getSection(Section.PREREQ).isEmpty()) {
      throw new AssertionError("unexpected prerequisites");
    }
    for (Record r : update.getSection(Section.UPDATE)) {
      if (!r.getName().subdomain(zone)) {
        throw new AssertionError("NOTZONE: " + r);
      }
      if (r.getDClass() == DClass.IN) {
        add(r);
      } else if (r.getDClass() == DClass.ANY) {
        if (r.getTTL() != 0 || r.rdataToWireCanonical().length != 0) {
          throw new AssertionError("FORMERR: RRset delete with TTL or RDATA: " + r);
        }
        if (r.getType() == Type.ANY) {
          rrsets.keySet().removeIf(k -> k.get(0).equals(r.getName()));
        } else {
          rrsets.remove(List.of(r.getName(), r.getType()));
        }
      } else if (r.getDClass() == DClass.NONE) {
        if (r.getTTL() != 0) {
          throw new AssertionError("FORMERR: RR delete with TTL: " + r);
        }
        RRs set = rrsets.get(List.of(r.getName(), r.getType()));
        if (set != null) {
          set.records.removeIf(x -> Arrays.equals(x.rdataToWireCanonical(),
              r.rdataToWireCanonical()));
          if (set.records.isEmpty()) {
            rrsets.remove(List.of(r.getName(), r.getType()));
          }
        }
      } else {
        throw new AssertionError("FORMERR: class " + r.getDClass());
      }
    }
  }

  private void add(Record r) {
    RRs set = rrsets.computeIfAbsent(List.of(r.getName(), r.getType()), k -> new RRs());
    set.ttl = r.getTTL();
    set.records.removeIf(x -> Arrays.equals(x.rdataToWireCanonical(), r.rdataToWireCanonical()));
    set.records.add(r);
  }

  /** The parent's records, each with its RRset's TTL. */
  List<Record> records() {
    List<Record> out = new ArrayList<>();
    rrsets.forEach((k, set) -> {
      for (Record r : set.records) {
        out.add(Record.newRecord(r.getName(), r.getType(), DClass.IN, set.ttl,
            r.rdataToWireCanonical()));
      }
    });
    return out;
  }

  /** Whether an RRset (owner, type) exists. */
  boolean has(Name owner, int type) {
    return rrsets.containsKey(List.of(owner, type));
  }
}
