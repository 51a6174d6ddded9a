package io.github.zonecut.core;

import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * What a {@link DnsLookup} of (name, type) produced. Everything a server, a validator or the
 * network may legitimately produce is a case here, never an exception; callers {@code switch}.
 *
 * <p>Every case carries the question ({@link #name()}, {@link #type()}).
 */
public sealed interface LookupResult
    permits LookupResult.Answer,
        LookupResult.NxDomain,
        LookupResult.NoData,
        LookupResult.Bogus,
        LookupResult.ServFail,
        LookupResult.Timeout,
        LookupResult.Failed {

  /** The name asked for. */
  Name name();

  /** The type asked for. */
  int type();

  /**
   * The RRset at exactly (name, type); its owner and type were checked against the question.
   *
   * @param rrset the records (with their RRSIGs when the server sent them)
   * @param verdict SECURE, INSECURE or (direct lookups) UNVALIDATED; never BOGUS
   */
  record Answer(Name name, int type, RRset rrset, Verdict verdict) implements LookupResult {
    /** Checks that the RRset answers the question. */
    public Answer {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(verdict, "verdict");
      if (!rrset.getName().equals(name) || rrset.getType() != type) {
        throw new IllegalArgumentException("RRset " + rrset.getName() + "/"
            + Type.string(rrset.getType()) + " does not answer " + name + "/" + Type.string(type));
      }
      requireNotBogus(verdict);
    }
  }

  /**
   * The name does not exist (RCODE 3, RFC 1035 §4.1.1; RFC 2308 §2.1).
   *
   * @param soa the SOA from the authority section, whose owner is the zone that answered (RFC
   *     2308 §3), or null if the server sent none
   */
  record NxDomain(Name name, int type, @Nullable SOARecord soa, Verdict verdict)
      implements LookupResult {
    /** Checks the verdict. */
    public NxDomain {
      Objects.requireNonNull(name, "name");
      requireNotBogus(verdict);
    }
  }

  /**
   * The name exists but has no records of the type (RFC 2308 §2.2).
   *
   * @param soa the SOA from the authority section (its owner is the zone that answered), or null
   */
  record NoData(Name name, int type, @Nullable SOARecord soa, Verdict verdict)
      implements LookupResult {
    /** Checks the verdict. */
    public NoData {
      Objects.requireNonNull(name, "name");
      requireNotBogus(verdict);
    }
  }

  /**
   * DNSSEC validation failed (RFC 4035 §5.5); the answer was withheld.
   *
   * @param edeCode the Extended DNS Error INFO-CODE (RFC 8914 §4, e.g. 6 DNSSEC Bogus, 7
   *     Signature Expired), or -1 if none was given
   * @param reason the validator's explanation
   */
  record Bogus(Name name, int type, int edeCode, String reason) implements LookupResult {
    /** Checks the fields. */
    public Bogus {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The server (or the recursive resolver behind a validated lookup) answered SERVFAIL for a
   * reason other than validation (RFC 1035 §4.1.1).
   */
  record ServFail(Name name, int type, String detail) implements LookupResult {
    /** Checks the fields. */
    public ServFail {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** No answer before the deadline. */
  record Timeout(Name name, int type, String detail) implements LookupResult {
    /** Checks the fields. */
    public Timeout {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * Anything else: the network failed, the answer did not parse or did not answer the question,
   * or an error RCODE other than NXDOMAIN/SERVFAIL (REFUSED, NOTAUTH, FORMERR…).
   *
   * @param problem the class of failure
   * @param rcode the RCODE for {@link Problem#ERROR_RCODE}, else -1
   * @param detail what happened
   */
  record Failed(Name name, int type, Problem problem, int rcode, String detail)
      implements LookupResult {
    /** Checks the fields. */
    public Failed {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** The classes of {@link Failed}. */
  enum Problem {
    /** The request could not be sent or the connection broke. */
    NETWORK,
    /** The answer could not be parsed. */
    MALFORMED_RESPONSE,
    /** An error RCODE other than NXDOMAIN or SERVFAIL. */
    ERROR_RCODE,
    /**
     * The answer did not answer the question: a referral from a server that is not authoritative,
     * a CNAME (not followed), or records for another owner or type.
     */
    UNEXPECTED_ANSWER,
    /** The transport refused the query (in-flight limit) or was closed. */
    UNAVAILABLE,
    /**
     * A server asked directly ({@link DirectLookup}) answered without the AA bit (RFC 1035
     * §4.1.1): it is lame for the zone or answered from a cache, so its answer, NODATA or NXDOMAIN
     * is not the zone's data (RFC 1034 §4.3.1; RFC 8078 §3 and RFC 9615 §4.2 need the
     * authoritative servers' own data).
     */
    NOT_AUTHORITATIVE
  }

  private static void requireNotBogus(Verdict verdict) {
    Objects.requireNonNull(verdict, "verdict");
    if (verdict == Verdict.BOGUS) {
      throw new IllegalArgumentException("a bogus answer is LookupResult.Bogus");
    }
  }
}
