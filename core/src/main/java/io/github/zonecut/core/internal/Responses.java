package io.github.zonecut.core.internal;

import io.github.zonecut.core.DnsTransportException;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.LookupResult.Problem;
import io.github.zonecut.core.Verdict;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Turns a DNS answer (or a transport failure) into a {@link LookupResult}. */
public final class Responses {
  private Responses() {}

  /**
   * Classifies {@code m}, the answer to (name, type, IN), with the given verdict for positive and
   * negative answers. Error RCODEs other than NXDOMAIN and SERVFAIL become {@link
   * LookupResult.Failed}.
   */
  public static LookupResult classify(Name name, int type, Message m, Verdict verdict) {
    int rcode = m.getRcode();
    if (rcode == Rcode.NXDOMAIN) {
      return new LookupResult.NxDomain(name, type, soa(m), verdict);
    }
    if (rcode == Rcode.SERVFAIL) {
      return new LookupResult.ServFail(name, type, "SERVFAIL");
    }
    if (rcode != Rcode.NOERROR) {
      return new LookupResult.Failed(name, type, Problem.ERROR_RCODE, rcode,
          "RCODE " + Rcode.string(rcode));
    }
    Record q = m.getQuestion();
    if (q == null || !q.getName().equals(name) || q.getType() != type) {
      return new LookupResult.Failed(name, type, Problem.UNEXPECTED_ANSWER, -1,
          "answer echoes another question: " + q);
    }
    List<RRset> answer = m.getSectionRRsets(Section.ANSWER);
    for (RRset rrset : answer) {
      if (rrset.getName().equals(name) && rrset.getType() == type
          && rrset.getDClass() == DClass.IN) {
        return new LookupResult.Answer(name, type, rrset, verdict);
      }
    }
    for (RRset rrset : answer) {
      if (rrset.getName().equals(name) && rrset.getType() == Type.CNAME) {
        return new LookupResult.Failed(name, type, Problem.UNEXPECTED_ANSWER, -1,
            "CNAME to " + ((CNAMERecord) rrset.first()).getTarget() + " (not followed)");
      }
    }
    if (!answer.isEmpty()) {
      return new LookupResult.Failed(name, type, Problem.UNEXPECTED_ANSWER, -1,
          "answer section holds no " + Type.string(type) + " records at " + name);
    }
    SOARecord soa = soa(m);
    if (soa == null && !m.getHeader().getFlag(Flags.AA)
        && !m.getSectionRRsets(Section.AUTHORITY).isEmpty()) {
      // RFC 1034 §4.3.2: NS records without AA or SOA are a referral, not a negative answer
      return new LookupResult.Failed(name, type, Problem.UNEXPECTED_ANSWER, -1,
          "referral: the server is not authoritative for " + name);
    }
    return new LookupResult.NoData(name, type, soa, verdict);
  }

  /**
   * Classifies {@code m}, the answer of a server asked directly for (name, type, IN), which must
   * be authoritative for it: a referral (no answer, NS and no SOA in the authority section,
   * whatever AA says) is {@link Problem#UNEXPECTED_ANSWER}, and any NOERROR or NXDOMAIN answer
   * without AA (a lame server's answer or its empty NOERROR, a cache's) is {@link
   * Problem#NOT_AUTHORITATIVE}; the rest is {@link #classify}.
   */
  public static LookupResult classifyAuthoritative(Name name, int type, Message m,
      Verdict verdict) {
    int rcode = m.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      return classify(name, type, m, verdict);
    }
    boolean noAnswer = m.getSection(Section.ANSWER).isEmpty();
    if (rcode == Rcode.NOERROR && noAnswer && soa(m) == null && hasNs(m)) {
      // RFC 1034 §4.3.2: NS in the authority section without an SOA is a referral; a server that
      // also sets AA is lying about one of them, and neither makes it NODATA (RFC 2308 §2.2)
      return new LookupResult.Failed(name, type, Problem.UNEXPECTED_ANSWER, -1,
          "referral: the server is not authoritative for " + name
              + (m.getHeader().getFlag(Flags.AA) ? " (AA set on a referral)" : ""));
    }
    if (!m.getHeader().getFlag(Flags.AA)) {
      String what = rcode == Rcode.NXDOMAIN ? "NXDOMAIN"
          : noAnswer ? (m.getSection(Section.AUTHORITY).isEmpty() ? "an empty NOERROR (lame)"
              : "NODATA") : "an answer";
      return new LookupResult.Failed(name, type, Problem.NOT_AUTHORITATIVE, -1,
          "not authoritative: " + what + " for " + name + "/" + Type.string(type)
              + " without AA (lame server or cached data)");
    }
    return classify(name, type, m, verdict);
  }

  private static boolean hasNs(Message m) {
    for (Record r : m.getSection(Section.AUTHORITY)) {
      if (r.getType() == Type.NS) {
        return true;
      }
    }
    return false;
  }

  /** The SOA of a negative answer's authority section (RFC 2308 §3), or null. */
  static @Nullable SOARecord soa(Message m) {
    for (Record r : m.getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord) {
        return (SOARecord) r;
      }
    }
    return null;
  }

  /** The result for a failed exchange: a timeout, or {@link LookupResult.Failed}. */
  public static LookupResult failure(Name name, int type, Throwable failure) {
    DnsTransportException e = DnsTransportException.find(failure);
    if (e == null) {
      return new LookupResult.Failed(name, type, Problem.NETWORK, -1, String.valueOf(failure));
    }
    switch (e.reason()) {
      case TIMEOUT:
        return new LookupResult.Timeout(name, type, String.valueOf(e.getMessage()));
      case MALFORMED_RESPONSE:
        return new LookupResult.Failed(name, type, Problem.MALFORMED_RESPONSE, -1,
            String.valueOf(e.getMessage()));
      case OVERLOADED:
      case CLOSED:
        return new LookupResult.Failed(name, type, Problem.UNAVAILABLE, -1,
            String.valueOf(e.getMessage()));
      case NETWORK:
      default:
        return new LookupResult.Failed(name, type, Problem.NETWORK, -1,
            String.valueOf(e.getMessage()));
    }
  }
}
