package io.github.zonecut.dsync;

import java.util.Objects;

/**
 * The acceptance checks a change must pass before the parent applies it, whichever path brought
 * it (draft-ietf-dnsop-delegation-mgmt-via-ddns §7.1: "the same correctness tests as a scanner
 * would": RFC 7344/8078 for DS, RFC 7477 for NS and glue, a delegation that is neither empty nor
 * lame). The {@link UpdateReceiver} calls it after authorisation and before the {@link
 * DelegationBackend}; the CDS/CSYNC scanner calls the same implementation.
 *
 * <p>This is the port; the checks themselves live in their own class. The default, {@link
 * #ACCEPT_ALL}, accepts everything and is meant for tests and for hosts whose backend checks.
 * Implementations must not throw: a check that cannot decide (a lookup timed out) answers {@link
 * Result.Refused} with {@link Reason#TEMPORARY}.
 */
@FunctionalInterface
public interface ChangeCheck {
  /** Accepts every change. */
  ChangeCheck ACCEPT_ALL = change -> Result.ACCEPTED;

  /** Judges {@code change} (its {@link DelegationChange#desired()} against the child's data). */
  Result check(DelegationChange change);

  /** Why a change was refused. */
  enum Reason {
    /** A new DS matches no DNSKEY that signs the child's DNSKEY RRset (RFC 7344 §4.1, 8078). */
    DS_MISMATCH,
    /** NS or glue fail the RFC 7477 rules (e.g. a new NS does not agree on the data). */
    NS_GLUE,
    /** No new name server answers authoritatively for the child. */
    LAME,
    /** The change would leave the delegation empty. */
    EMPTY,
    /** A local rule of the parent. */
    POLICY,
    /** The check could not decide now (a lookup failed); the child may retry later. */
    TEMPORARY
  }

  /** A check's verdict. */
  sealed interface Result {
    /** The verdict of a change that passed. */
    Result ACCEPTED = new Accepted();

    /** The change passed every check. */
    record Accepted() implements Result {}

    /**
     * The change failed a check; nothing is applied.
     *
     * @param reason which check
     * @param detail in words, safe to log and to return to the child in an EDE EXTRA-TEXT
     */
    record Refused(Reason reason, String detail) implements Result {
      /** Checks the fields. */
      public Refused {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
      }
    }
  }
}
