package io.github.zonecut.dsync;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.Names;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * What one authoritative server of the child said when asked directly, without recursion or
 * cache (RFC 9615 §4.2 step 2; RFC 9975 requires every server to be asked): either the server was
 * reached at an address and answered (or failed) per question, or its name could not be turned
 * into an address.
 */
public sealed interface ServerObservation
    permits ServerObservation.Reached, ServerObservation.Unresolved {

  /** The name server's host name (the NS target). */
  Name nameserver();

  /**
   * A server asked at one address. Each answer is a {@link LookupResult} with its RRSIGs and
   * verdict ({@link io.github.zonecut.core.Verdict#UNVALIDATED} for direct lookups) or a
   * failure case; the apex SOA is read first ({@code answers}) and last ({@code soaAfter}), so a
   * zone that changed during the scan shows (RFC 7477 §3.1).
   *
   * @param nameserver the NS target
   * @param endpoint the address and port asked
   * @param answers the results by question
   * @param soaAfter the apex SOA read after everything else
   */
  record Reached(Name nameserver, DnsEndpoint endpoint, Map<RRsetKey, LookupResult> answers,
      LookupResult soaAfter) implements ServerObservation {
    /** Checks and copies; each result must answer its key's question. */
    public Reached {
      Names.requireAbsolute("nameserver", nameserver);
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(soaAfter, "soaAfter");
      if (soaAfter.type() != Type.SOA) {
        throw new IllegalArgumentException("soaAfter is a " + Type.string(soaAfter.type())
            + " lookup");
      }
      for (Map.Entry<RRsetKey, LookupResult> e : answers.entrySet()) {
        if (!e.getValue().name().equals(e.getKey().name())
            || e.getValue().type() != e.getKey().type()) {
          throw new IllegalArgumentException("result for " + e.getValue().name() + "/"
              + Type.string(e.getValue().type()) + " filed under " + e.getKey());
        }
      }
      answers = Map.copyOf(answers);
    }

    /** The result for (name, type), if the server was asked. */
    public Optional<LookupResult> result(Name name, int type) {
      return Optional.ofNullable(answers.get(RRsetKey.of(name, type)));
    }

    /**
     * Whether this server answered authoritatively for {@code child}: its apex SOA came back as
     * an answer, not a referral, an error or silence (RFC 1034 §4.3.1).
     */
    public boolean authoritativeFor(Name child) {
      return result(child, Type.SOA).filter(r -> r instanceof LookupResult.Answer).isPresent();
    }
  }

  /**
   * A name server whose address could not be found, so it could not be asked.
   *
   * @param nameserver the NS target
   * @param detail why
   */
  record Unresolved(Name nameserver, String detail) implements ServerObservation {
    /** Checks the fields. */
    public Unresolved {
      Names.requireAbsolute("nameserver", nameserver);
      Objects.requireNonNull(detail, "detail");
    }
  }
}
