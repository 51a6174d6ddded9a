package io.github.zonecut.testkit.internal;

import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The answer logic shared by the nameserver endpoints (authoritative, RFC 1034 §4.3.2 with the
 * DNSSEC additions of RFC 4035 §3.1) and the recursive-style endpoint (the same data, answered
 * from the deepest zone, with RA and without AA).
 */
public final class Responder {
  /** The UDP payload size this server advertises in its OPT record (RFC 6891 §6.2.5). */
  public static final int SERVER_PAYLOAD = 1232;

  private static final int MIN_UDP = 512;

  private Responder() {}

  /**
   * Answers {@code query} from {@code zones}.
   *
   * @param recursive answer as the recursive-style endpoint: RA set, AA clear
   */
  public static Message answer(Message query, Collection<SignedZone> zones, boolean recursive) {
    Message r = skeleton(query);
    OPTRecord opt = query.getOPT();
    if (opt != null && opt.getVersion() > 0) {
      // RFC 6891 §6.1.3: we speak EDNS version 0 only
      r.removeAllRecords(Section.ADDITIONAL);
      r.addRecord(new OPTRecord(SERVER_PAYLOAD, Rcode.BADVERS >>> 4, 0, 0), Section.ADDITIONAL);
      r.getHeader().setRcode(Rcode.BADVERS & 0xF);
      return r;
    }
    if (query.getHeader().getOpcode() != Opcode.QUERY) {
      r.getHeader().setRcode(Rcode.NOTIMP);
      return r;
    }
    Record question = query.getQuestion();
    if (question == null) {
      r.getHeader().setRcode(Rcode.FORMERR);
      return r;
    }
    if (recursive) {
      r.getHeader().setFlag(Flags.RA);
    }
    Name qname = question.getName();
    int qtype = question.getType();
    SignedZone zone = select(zones, qname, qtype);
    if (zone == null || question.getDClass() != DClass.IN) {
      r.getHeader().setRcode(Rcode.REFUSED);
      return r;
    }
    boolean dnssec = zone.isSigned() && wantsDnssec(query);
    new Lookup(r, zone, dnssec, recursive).run(qname, qtype);
    return r;
  }

  /** A response with the query's ID, opcode, RD and CD, its question, and an OPT if it had one. */
  public static Message skeleton(Message query) {
    Message r = new Message(query.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.getHeader().setOpcode(query.getHeader().getOpcode());
    if (query.getHeader().getFlag(Flags.RD)) {
      r.getHeader().setFlag(Flags.RD);
    }
    if (query.getHeader().getFlag(Flags.CD)) {
      r.getHeader().setFlag(Flags.CD);
    }
    Record question = query.getQuestion();
    if (question != null) {
      r.addRecord(question, Section.QUESTION);
    }
    if (query.getOPT() != null) {
      // RFC 6891 §6.1.1: echo EDNS; RFC 3225 §3: copy DO into the response
      int flags = wantsDnssec(query) ? ExtendedFlags.DO : 0;
      r.addRecord(new OPTRecord(SERVER_PAYLOAD, 0, 0, flags), Section.ADDITIONAL);
    }
    return r;
  }

  /** Whether the query set the DO bit (RFC 3225 §3). */
  public static boolean wantsDnssec(Message query) {
    OPTRecord opt = query.getOPT();
    return opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
  }

  /**
   * The zone to answer from: the deepest one enclosing {@code qname}, except that a DS query for
   * a zone's apex is answered by its parent (RFC 4035 §3.1.4.1).
   */
  static @Nullable SignedZone select(Collection<SignedZone> zones, Name qname, int qtype) {
    SignedZone best = null;
    SignedZone second = null;
    for (SignedZone z : zones) {
      if (!qname.subdomain(z.origin())) {
        continue;
      }
      if (best == null || z.origin().labels() > best.origin().labels()) {
        second = best;
        best = z;
      } else if (second == null || z.origin().labels() > second.origin().labels()) {
        second = z;
      }
    }
    if (best != null && qtype == Type.DS && qname.equals(best.origin()) && second != null) {
      return second;
    }
    return best;
  }

  /**
   * Encodes {@code response} for the transport: over UDP, an answer larger than the payload size
   * (512 without EDNS, RFC 6891 §6.2.3; at most {@link #SERVER_PAYLOAD}) is replaced by an empty one with TC set
   * (RFC 2181 §9), so the requester retries over TCP.
   */
  public static byte[] render(Message response, Message query, boolean tcp) {
    byte[] wire = response.toWire();
    if (tcp) {
      return wire;
    }
    OPTRecord opt = query.getOPT();
    // RFC 6891 §6.2.5: the smaller of the requester's and our payload size, never below 512
    int limit = opt == null ? MIN_UDP : Math.max(MIN_UDP, Math.min(SERVER_PAYLOAD, opt.getPayloadSize()));
    return wire.length <= limit ? wire : truncated(response).toWire();
  }

  /** {@code response} emptied to header, question and OPT, with TC set. */
  public static Message truncated(Message response) {
    Message t = new Message(response.getHeader().getID());
    for (int flag : new int[] {Flags.QR, Flags.AA, Flags.RD, Flags.RA, Flags.CD}) {
      if (response.getHeader().getFlag(flag)) {
        t.getHeader().setFlag(flag);
      }
    }
    t.getHeader().setFlag(Flags.TC);
    t.getHeader().setOpcode(response.getHeader().getOpcode());
    t.getHeader().setRcode(response.getRcode() & 0xF);
    Record question = response.getQuestion();
    if (question != null) {
      t.addRecord(question, Section.QUESTION);
    }
    OPTRecord opt = response.getOPT();
    if (opt != null) {
      t.addRecord(opt, Section.ADDITIONAL);
    }
    return t;
  }

  /** One lookup in one zone, writing into the response. */
  private static final class Lookup {
    private final Message r;
    private final SignedZone zone;
    private final boolean dnssec;
    private final boolean recursive;

    Lookup(Message r, SignedZone zone, boolean dnssec, boolean recursive) {
      this.r = r;
      this.zone = zone;
      this.dnssec = dnssec;
      this.recursive = recursive;
    }

    void run(Name qname, int qtype) {
      Name cut = zone.cutAtOrAbove(qname);
      if (cut != null && !(qtype == Type.DS && qname.equals(cut))) {
        referral(cut);
        return;
      }
      if (!recursive) {
        r.getHeader().setFlag(Flags.AA);
      }
      Map<Integer, RRset> node = zone.node(qname);
      if (node != null) {
        if (qtype == Type.ANY) {
          node.values().forEach(s -> add(s, Section.ANSWER));
          return;
        }
        RRset hit = node.get(qtype);
        if (hit == null && qtype != Type.CNAME) {
          hit = node.get(Type.CNAME);
        }
        if (hit != null) {
          add(hit, Section.ANSWER);
          return;
        }
        noData(zone.nsecAt(qname));
        return;
      }
      if (zone.isEmptyNonTerminal(qname)) {
        // RFC 4035 §3.1.3.2 for an empty non-terminal: the NSEC covering it
        noData(zone.nsecCovering(qname));
        return;
      }
      Name encloser = zone.closestEncloser(qname);
      Name wildcard = wildcardOf(encloser);
      Map<Integer, RRset> wild = wildcard == null ? null : zone.node(wildcard);
      if (wildcard != null && wild != null) {
        RRset hit = wild.get(qtype);
        if (hit != null) {
          // RFC 4035 §3.1.3.3: the synthesized answer plus proof that qname itself is absent
          for (Record rr : hit.rrs(false)) {
            r.addRecord(rr.withName(qname), Section.ANSWER);
          }
          if (dnssec) {
            for (Record sig : hit.sigs()) {
              r.addRecord(sig.withName(qname), Section.ANSWER);
            }
            addNsec(zone.nsecCovering(qname));
          }
          return;
        }
        noData(zone.nsecCovering(qname));
        addNsec(zone.nsecAt(wildcard));
        return;
      }
      // RFC 4035 §3.1.3.2: NSECs proving qname and the wildcard at its closest encloser absent
      r.getHeader().setRcode(Rcode.NXDOMAIN);
      add(zone.soa(), Section.AUTHORITY);
      addNsec(zone.nsecCovering(qname));
      if (wildcard != null) {
        addNsec(zone.nsecCovering(wildcard));
      }
    }

    private void noData(@Nullable RRset nsec) {
      add(zone.soa(), Section.AUTHORITY);
      addNsec(nsec);
    }

    private void addNsec(@Nullable RRset nsec) {
      if (dnssec && nsec != null) {
        add(nsec, Section.AUTHORITY);
      }
    }

    /** RFC 4035 §3.1.4: NS, then DS or the NSEC proving it absent, then glue. */
    private void referral(Name cut) {
      RRset ns = zone.rrset(cut, Type.NS);
      if (ns == null) {
        return;
      }
      add(ns, Section.AUTHORITY);
      RRset ds = zone.rrset(cut, Type.DS);
      if (ds != null) {
        add(ds, Section.AUTHORITY);
      } else {
        addNsec(zone.nsecAt(cut));
      }
      for (Record rr : ns.rrs(false)) {
        Name target = ((NSRecord) rr).getTarget();
        if (target.subdomain(zone.origin())) {
          for (int type : new int[] {Type.A, Type.AAAA}) {
            RRset glue = zone.rrset(target, type);
            if (glue != null) {
              add(glue, Section.ADDITIONAL);
            }
          }
        }
      }
    }

    private void add(RRset rrset, int section) {
      for (Record rr : rrset.rrs(false)) {
        if (!r.findRecord(rr, section)) {
          r.addRecord(rr, section);
        }
      }
      if (dnssec) {
        for (Record sig : rrset.sigs()) {
          if (!r.findRecord(sig, section)) {
            r.addRecord(sig, section);
          }
        }
      }
    }
  }

  /** {@code *.encloser}, or null when that name would exceed 255 octets (no wildcard can exist). */
  private static @Nullable Name wildcardOf(Name encloser) {
    try {
      return Name.concatenate(Name.fromConstantString("*"), encloser);
    } catch (org.xbill.DNS.NameTooLongException e) {
      return null;
    }
  }

}
