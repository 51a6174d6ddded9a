package io.github.zonecut.dsync;

import io.github.zonecut.core.DiscoveryResult;
import io.github.zonecut.core.DnsEndpoint;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Rcode;

/**
 * What came of a generalized NOTIFY (RFC 9859 §4.2): what the parent's endpoint may legitimately
 * answer, or why nothing was sent or heard. Callers switch over it.
 */
public sealed interface NotifyOutcome permits NotifyOutcome.Acknowledged, NotifyOutcome.Refused,
    NotifyOutcome.NoEndpoint, NotifyOutcome.NoAnswer, NotifyOutcome.MalformedAnswer {

  /**
   * An Extended DNS Error carried by the answer (RFC 8914).
   *
   * @param code the INFO-CODE (15 Blocked for a rate limit, RFC 9859 §4.3)
   * @param text the EXTRA-TEXT, possibly empty
   */
  record Ede(int code, String text) {
    /** Checks the fields. */
    public Ede {
      if (code < 0 || code > 0xFFFF) {
        throw new IllegalArgumentException("EDE code out of range: " + code);
      }
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * The endpoint answered NOERROR (RFC 1996 §4.7): the parent will check the child. Processing
   * may still fail later (RFC 9859 §4.2.1).
   *
   * @param endpoint who answered
   * @param attempts how many requests were sent, retransmissions included
   */
  record Acknowledged(DnsEndpoint endpoint, int attempts) implements NotifyOutcome {
    /** Checks the fields. */
    public Acknowledged {
      Objects.requireNonNull(endpoint, "endpoint");
    }
  }

  /**
   * The endpoint answered with an error RCODE: REFUSED with EDE Blocked (15) when rate-limited,
   * NOTIMP when it does not process this type, etc. Not retried: the answer stops retries.
   *
   * @param endpoint who answered
   * @param rcode the RCODE
   * @param ede the first EDE of the answer, if any
   */
  record Refused(DnsEndpoint endpoint, int rcode, Optional<Ede> ede) implements NotifyOutcome {
    /** Checks the fields. */
    public Refused {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(ede, "ede");
    }

    @Override
    public String toString() {
      return "Refused[" + endpoint + ", " + Rcode.string(rcode) + ede.map(e -> ", EDE " + e.code()
          + (e.text().isEmpty() ? "" : " " + e.text())).orElse("") + "]";
    }
  }

  /**
   * No endpoint for this RRtype and the NOTIFY scheme was discovered (RFC 9859 §4.1): nothing was
   * sent.
   *
   * @param discovery the discovery's result (not found, or refused with its reason)
   */
  record NoEndpoint(DiscoveryResult discovery) implements NotifyOutcome {
    /** Checks the field. */
    public NoEndpoint {
      Objects.requireNonNull(discovery, "discovery");
    }
  }

  /**
   * No answer after every retransmission (RFC 1996 §3.6).
   *
   * @param attempts how many requests were sent
   * @param lastProblem the last attempt's failure
   */
  record NoAnswer(int attempts, String lastProblem) implements NotifyOutcome {
    /** Checks the field. */
    public NoAnswer {
      Objects.requireNonNull(lastProblem, "lastProblem");
    }
  }

  /**
   * An answer came that is not a NOTIFY response (wrong opcode, no QR).
   *
   * @param endpoint who answered
   * @param detail what was wrong
   */
  record MalformedAnswer(DnsEndpoint endpoint, String detail) implements NotifyOutcome {
    /** Checks the fields. */
    public MalformedAnswer {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
