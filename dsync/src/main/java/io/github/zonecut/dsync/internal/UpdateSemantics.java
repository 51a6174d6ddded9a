package io.github.zonecut.dsync.internal;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.Names;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * RFC 2136 semantics over a delegation: the prescan of §3.4.1, the prerequisites of §3.2 and the
 * update section of §3.4.2 applied to the records of the parent's current delegation. Pure
 * functions; nothing is written anywhere.
 */
public final class UpdateSemantics {
  private UpdateSemantics() {}

  /** A problem with its RCODE. */
  public record Problem(int rcode, String what) {
    /** Checks the text. */
    public Problem {
      Objects.requireNonNull(what, "what");
    }
  }

  /**
   * RFC 2136 §3.4.1.3 (and §3.2.1 for prerequisites): classes, TTLs, RDATA and meta types, and
   * that every owner is in the zone (NOTZONE). Null when the sections are well-formed.
   */
  public static @Nullable Problem prescan(Name zone, List<Record> prerequisites,
      List<Record> updates) {
    for (Record r : prerequisites) {
      if (!Names.isAtOrBelow(r.getName(), zone)) {
        return new Problem(Rcode.NOTZONE, "prerequisite " + r.getName() + " is outside " + zone);
      }
      int c = r.getDClass();
      if (r.getTTL() != 0) {
        return new Problem(Rcode.FORMERR, "prerequisite with a TTL other than 0");
      }
      boolean empty = r.rdataToWireCanonical().length == 0;
      if ((c == DClass.ANY || c == DClass.NONE) && !empty) {
        return new Problem(Rcode.FORMERR, "class ANY/NONE prerequisite with RDATA");
      }
      if (c == DClass.IN && (isMeta(r.getType()) || r.getType() == Type.ANY)) {
        return new Problem(Rcode.FORMERR, "value-dependent prerequisite on a meta type");
      }
      if (c != DClass.IN && c != DClass.ANY && c != DClass.NONE) {
        return new Problem(Rcode.FORMERR, "prerequisite of class " + DClass.string(c));
      }
    }
    for (Record r : updates) {
      if (!Names.isAtOrBelow(r.getName(), zone)) {
        return new Problem(Rcode.NOTZONE, "update " + r.getName() + " is outside " + zone);
      }
      int c = r.getDClass();
      int t = r.getType();
      boolean empty = r.rdataToWireCanonical().length == 0;
      if (c == DClass.IN) {
        if (t == Type.ANY || isMeta(t) || t == Type.AXFR || t == Type.IXFR
            || t == Type.MAILA || t == Type.MAILB) {
          return new Problem(Rcode.FORMERR, "adding a record of meta type " + Type.string(t));
        }
      } else if (c == DClass.ANY) {
        if (r.getTTL() != 0 || !empty || (isMeta(t) && t != Type.ANY)) {
          return new Problem(Rcode.FORMERR, "malformed RRset delete of " + r.getName());
        }
      } else if (c == DClass.NONE) {
        if (r.getTTL() != 0 || t == Type.ANY || isMeta(t)) {
          return new Problem(Rcode.FORMERR, "malformed RR delete of " + r.getName());
        }
      } else {
        return new Problem(Rcode.FORMERR, "update of class " + DClass.string(c));
      }
    }
    return null;
  }

  // RFC 6895 §3.1: 128-255 are meta types and QTYPEs (TSIG, IXFR, AXFR, MAILA, MAILB, ANY); OPT
  // is a pseudo-record. None of them is data an UPDATE may add.
  private static boolean isMeta(int type) {
    return type == Type.OPT || (type >= 128 && type <= 255) || type == 0;
  }

  /** One RRset of the delegation: owner and type. */
  private record Key(Name name, int type) {}

  private static Map<Key, List<Record>> index(Delegation current) {
    Map<Key, List<Record>> sets = new LinkedHashMap<>();
    for (Record r : current.toRecords()) {
      sets.computeIfAbsent(new Key(r.getName(), r.getType()), k -> new ArrayList<>()).add(r);
    }
    return sets;
  }

  /**
   * RFC 2136 §3.2.5: evaluates the prerequisites against the current delegation's records. Null
   * when they hold; else NXDOMAIN, YXDOMAIN, NXRRSET or YXRRSET.
   */
  public static @Nullable Problem prerequisites(Delegation current, List<Record> prerequisites) {
    Map<Key, List<Record>> sets = index(current);
    Set<Name> names = new HashSet<>();
    sets.keySet().forEach(k -> names.add(k.name()));
    Map<Key, List<Record>> valueDependent = new LinkedHashMap<>();
    for (Record r : prerequisites) {
      int c = r.getDClass();
      int t = r.getType();
      Key key = new Key(r.getName(), t);
      if (c == DClass.ANY) {
        if (t == Type.ANY ? !names.contains(r.getName()) : !sets.containsKey(key)) {
          return new Problem(t == Type.ANY ? Rcode.NXDOMAIN : Rcode.NXRRSET,
              "prerequisite failed: " + r.getName() + " " + Type.string(t) + " does not exist");
        }
      } else if (c == DClass.NONE) {
        if (t == Type.ANY ? names.contains(r.getName()) : sets.containsKey(key)) {
          return new Problem(t == Type.ANY ? Rcode.YXDOMAIN : Rcode.YXRRSET,
              "prerequisite failed: " + r.getName() + " " + Type.string(t) + " exists");
        }
      } else {
        valueDependent.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
      }
    }
    for (Map.Entry<Key, List<Record>> e : valueDependent.entrySet()) {
      if (!sameRdata(e.getValue(), sets.getOrDefault(e.getKey(), List.of()))) {
        return new Problem(Rcode.NXRRSET, "prerequisite failed: " + e.getKey().name() + " "
            + Type.string(e.getKey().type()) + " differs");
      }
    }
    return null;
  }

  private static boolean sameRdata(List<Record> a, List<Record> b) {
    Set<String> x = new HashSet<>();
    Set<String> y = new HashSet<>();
    a.forEach(r -> x.add(Arrays.toString(r.rdataToWireCanonical())));
    b.forEach(r -> y.add(Arrays.toString(r.rdataToWireCanonical())));
    return x.equals(y);
  }

  /** The desired delegation, or why the update section cannot make one. */
  public sealed interface Applied {
    /** The delegation after the update. */
    record Desired(Delegation delegation) implements Applied {}

    /** The update section does not give a valid delegation. */
    record Invalid(String why) implements Applied {}
  }

  /**
   * RFC 2136 §3.4.2: applies the update section, in order, to the current delegation (adds of
   * existing RRs and deletes of missing ones are no-ops; KEY records are not delegation data and
   * are skipped). Glue whose name server is removed goes with it; glue added for a host that is
   * not a name server afterwards, and a change that leaves no name server, are refused.
   */
  public static Applied apply(Delegation current, List<Record> updates) {
    Map<Key, List<Record>> sets = index(current);
    Set<Name> addedGlue = new HashSet<>();
    for (Record r : updates) {
      int t = r.getType();
      if (t == Type.KEY) {
        continue;
      }
      Key key = new Key(r.getName(), t);
      int c = r.getDClass();
      if (c == DClass.ANY) {
        sets.remove(key);
      } else if (c == DClass.NONE) {
        List<Record> set = sets.get(key);
        if (set != null) {
          byte[] rdata = r.rdataToWireCanonical();
          set.removeIf(x -> Arrays.equals(x.rdataToWireCanonical(), rdata));
          if (set.isEmpty()) {
            sets.remove(key);
          }
        }
      } else {
        List<Record> set = sets.computeIfAbsent(key, k -> new ArrayList<>());
        byte[] rdata = r.rdataToWireCanonical();
        set.removeIf(x -> Arrays.equals(x.rdataToWireCanonical(), rdata));
        // RFC 2181 §5.2: one TTL per RRset; the added record's TTL becomes the RRset's.
        List<Record> retimed = new ArrayList<>();
        for (Record x : set) {
          retimed.add(Record.newRecord(x.getName(), x.getType(), DClass.IN, r.getTTL(),
              x.rdataToWireCanonical()));
        }
        set.clear();
        set.addAll(retimed);
        set.add(r);
        if (t == Type.A || t == Type.AAAA) {
          addedGlue.add(r.getName());
        }
      }
    }
    List<Record> all = new ArrayList<>();
    sets.values().forEach(all::addAll);
    Set<Name> ns = new HashSet<>();
    for (Record r : all) {
      if (r.getType() == Type.NS && r.getName().equals(current.child())) {
        ns.add(((org.xbill.DNS.NSRecord) r).getTarget());
      }
    }
    if (ns.isEmpty()) {
      return new Applied.Invalid("the change leaves " + current.child() + " without a name server");
    }
    for (Name host : addedGlue) {
      if (!ns.contains(host)) {
        return new Applied.Invalid("glue for " + host + ", which is not a name server of "
            + current.child());
      }
    }
    try {
      return new Applied.Desired(Delegation.fromRecords(current.child(), all));
    } catch (IllegalArgumentException e) {
      return new Applied.Invalid(String.valueOf(e.getMessage()));
    }
  }
}
