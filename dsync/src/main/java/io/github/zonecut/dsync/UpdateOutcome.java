package io.github.zonecut.dsync;

import io.github.zonecut.core.DnsEndpoint;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What sending one UPDATE to the parent's receiver produced (draft-ietf-dnsop-delegation-mgmt-via-
 * ddns §8, §9.2.1): a value the caller switches over, never an exception.
 *
 * <p>Only outcomes carrying a {@link Reply} come from an answer, and only from an answer whose
 * SIG(0) verified against the receiver's KEY found SECURE at the DSYNC target (ddns §9.3, mutual
 * authentication); an answer that is unsigned or whose signature fails is {@link UnsignedAnswer}
 * or {@link ForgedAnswer}, never {@link Accepted}.
 */
public sealed interface UpdateOutcome
    permits UpdateOutcome.Accepted,
        UpdateOutcome.Refused,
        UpdateOutcome.UnknownKey,
        UpdateOutcome.BadSignature,
        UpdateOutcome.BadTime,
        UpdateOutcome.ErrorRcode,
        UpdateOutcome.NoAnswer,
        UpdateOutcome.UnsignedAnswer,
        UpdateOutcome.ForgedAnswer,
        UpdateOutcome.NoReceiverKey {

  /**
   * One answer (authenticated, except inside an {@link UnknownKey} that says otherwise).
   *
   * @param from the receiver address that answered
   * @param rcode the RCODE, extended bits from the OPT record included (BADKEY is 17)
   * @param extendedErrors the Extended DNS Errors it carried (RFC 8914), in order
   */
  record Reply(DnsEndpoint from, int rcode, List<ExtendedError> extendedErrors) {
    /** Checks and copies. */
    public Reply {
      Objects.requireNonNull(from, "from");
      extendedErrors = List.copyOf(extendedErrors);
    }

    /** The first Extended DNS Error, if any. */
    public Optional<ExtendedError> firstError() {
      return extendedErrors.isEmpty() ? Optional.empty() : Optional.of(extendedErrors.get(0));
    }
  }

  /**
   * One Extended DNS Error option (RFC 8914 §2).
   *
   * @param infoCode the INFO-CODE
   * @param extraText the EXTRA-TEXT, possibly empty
   */
  record ExtendedError(int infoCode, String extraText) {
    /** Checks the fields. */
    public ExtendedError {
      if (infoCode < 0 || infoCode > 0xFFFF) {
        throw new IllegalArgumentException("EDE INFO-CODE out of range: " + infoCode);
      }
      Objects.requireNonNull(extraText, "extraText");
    }
  }

  /**
   * NOERROR: the receiver accepted the change; the parent publishes it "at some future time"
   * (ddns §8).
   */
  record Accepted(Reply reply) implements UpdateOutcome {
    /** Checks the field. */
    public Accepted {
      Objects.requireNonNull(reply, "reply");
    }
  }

  /**
   * REFUSED, with what the Extended DNS Error says the child should do (ddns §8, §12.4).
   *
   * @param reason the refusal class, from the EDE INFO-CODE (codes from the {@link
   *     io.github.zonecut.core.Codepoints} profile)
   */
  record Refused(RefusalReason reason, Reply reply) implements UpdateOutcome {
    /** Checks the fields. */
    public Refused {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(reply, "reply");
    }
  }

  /**
   * BADKEY (17): the receiver does not hold the signing key; the child (re-)bootstraps (ddns §8,
   * §9.7). {@link DelegationAgent} does that exactly once per call.
   *
   * <p>A receiver cannot sign an answer about a key it cannot check (it signs nothing a stranger
   * can trigger), so BADKEY may arrive unsigned: {@code authenticated} is then false. Acting on it
   * costs at most a needless self-signed re-bootstrap, a disruption risk and not an integrity
   * risk (ddns §9.3, §11.3); {@link UpdateSender.Builder#ignoreUnsignedBadkey()} turns it off.
   *
   * @param rebootstrapped whether the agent already re-bootstrapped once during this call
   * @param authenticated whether the BADKEY answer's SIG(0) verified against the receiver key
   */
  record UnknownKey(Reply reply, boolean rebootstrapped, boolean authenticated)
      implements UpdateOutcome {
    /** Checks the field. */
    public UnknownKey {
      Objects.requireNonNull(reply, "reply");
    }
  }

  /** BADSIG (16): the receiver found the UPDATE's signature wrong. */
  record BadSignature(Reply reply) implements UpdateOutcome {
    /** Checks the field. */
    public BadSignature {
      Objects.requireNonNull(reply, "reply");
    }
  }

  /**
   * BADTIME (18): the UPDATE's signature time lies outside the receiver's window (check the
   * clock), or the receiver saw it before.
   */
  record BadTime(Reply reply) implements UpdateOutcome {
    /** Checks the field. */
    public BadTime {
      Objects.requireNonNull(reply, "reply");
    }
  }

  /** Any other RCODE (FORMERR, SERVFAIL, NOTAUTH, NOTZONE, NOTIMP…), authenticated. */
  record ErrorRcode(Reply reply) implements UpdateOutcome {
    /** Checks the field. */
    public ErrorRcode {
      Objects.requireNonNull(reply, "reply");
    }
  }

  /**
   * No answer from any address within the retry schedule (ddns §8: at least 5 s, doubling, at
   * most 5 tries).
   *
   * @param tries how many tries were made
   * @param problems one line per failed try
   */
  record NoAnswer(int tries, List<String> problems) implements UpdateOutcome {
    /** Copies the list. */
    public NoAnswer {
      problems = List.copyOf(problems);
    }
  }

  /**
   * The receiver publishes a KEY but its answer carried no SIG(0): nothing is believed (ddns
   * §9.3, §11.3), whatever its RCODE says.
   *
   * @param from the address that answered (the last one, when every try answered so)
   * @param claimedRcode the RCODE the unsigned answer claimed, for the log only
   * @param problems one line per rejected answer or failed try
   */
  record UnsignedAnswer(DnsEndpoint from, int claimedRcode, List<String> problems)
      implements UpdateOutcome {
    /** Checks and copies. */
    public UnsignedAnswer {
      Objects.requireNonNull(from, "from");
      problems = List.copyOf(problems);
    }
  }

  /**
   * The answer's SIG(0) did not verify against the receiver's KEY (wrong key, bad signature, out
   * of its time window, replayed, misplaced): forged or broken, nothing is believed.
   *
   * @param from the address that answered (the last one)
   * @param detail the verifier's finding
   * @param problems one line per rejected answer or failed try
   */
  record ForgedAnswer(DnsEndpoint from, String detail, List<String> problems)
      implements UpdateOutcome {
    /** Checks and copies. */
    public ForgedAnswer {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(detail, "detail");
      problems = List.copyOf(problems);
    }
  }

  /**
   * The receiver's KEY was not found SECURE at the DSYNC target, so no answer could be
   * authenticated; the UPDATE was not sent (ddns §9.3: obtain it by validation or out of band).
   *
   * @param detail why
   */
  record NoReceiverKey(String detail) implements UpdateOutcome {
    /** Checks the field. */
    public NoReceiverKey {
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** Whether the receiver accepted the UPDATE. */
  default boolean isAccepted() {
    return this instanceof Accepted;
  }
}
