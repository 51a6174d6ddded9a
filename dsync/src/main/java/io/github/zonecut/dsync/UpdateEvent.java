package io.github.zonecut.dsync;

import io.github.zonecut.sig0.Sig0PublicKey;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * The audit record of one request to an {@link UpdateReceiver}: exactly one per call of {@link
 * UpdateReceiver#handle}, whatever happened (draft-ietf-dnsop-delegation-mgmt-via-ddns §11:
 * operators need to know why a parent refused). Holds no secret.
 *
 * @param time when the request was handled (the receiver's clock)
 * @param source the sender's address
 * @param signerKey the key whose SIG(0) verified, or null when none did
 * @param child the child concerned, once known
 * @param change the change handed to the backend (or that would have been), or null
 * @param outcome what happened
 * @param rcode the RCODE answered (extended RCODEs whole), or -1 when nothing was sent
 * @param backendResult what the backend reported, or null when it was not asked
 * @param signed whether the answer carries the receiver's SIG(0)
 * @param detail in words, for logs and operators
 */
public record UpdateEvent(Instant time, InetAddress source, @Nullable Sig0PublicKey signerKey,
    @Nullable Name child, @Nullable DelegationChange change, Outcome outcome, int rcode,
    DelegationBackend.@Nullable ApplyResult backendResult, boolean signed, String detail) {

  /** Checks the required fields. */
  public UpdateEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
  }

  /** What became of a request. */
  public enum Outcome {
    /** The backend applied the change (NOERROR). */
    APPLIED,
    /** The backend durably queued the change (NOERROR). */
    QUEUED,
    /** The backend had applied this change id before (NOERROR). */
    ALREADY_APPLIED,
    /** Answered NOERROR on acceptance, before the backend finished (answer-on-accept mode). */
    ACCEPTED,
    /** A KEY bootstrap upload was recorded; the key is known, not trusted (NOERROR). */
    KEY_UPLOADED,
    /** A KEY roll by a trusted key was applied (NOERROR). */
    KEY_ROLLED,
    /**
     * Received over UDP while the receiver's own key signs over TCP only (ML-DSA; ddns §9.1):
     * answered truncated (TC set, NOERROR) before any work, nothing verified, recorded or applied,
     * so the sender retries over TCP. No signer, child or change is known yet.
     */
    TRUNCATED,
    /** Not a DNS message, or a response: nothing was sent. */
    DROPPED,
    /** Larger than the receiver accepts (REFUSED, before any work). */
    OVERSIZED,
    /** Not a well-formed UPDATE (FORMERR). */
    MALFORMED,
    /** Not an UPDATE (NOTIMP). */
    NOT_IMPLEMENTED,
    /** The zone section names a zone not served here (NOTAUTH). */
    NOT_AUTHORITATIVE,
    /** A record outside the zone (NOTZONE). */
    NOT_ZONE,
    /** No SIG(0) (REFUSED: RFC 3007 §3, a secure zone takes signed updates only). */
    UNSIGNED,
    /** No key held for the signature (BADKEY). */
    UNKNOWN_KEY,
    /** A key of that tag is held but the signature cannot be checked against it (REFUSED). */
    KEY_MISMATCH,
    /** The signature does not verify (BADSIG). */
    BAD_SIGNATURE,
    /** Outside the signature's validity window (BADTIME). */
    BAD_TIME,
    /** A signature already accepted (BADTIME). */
    REPLAYED,
    /** Signed by a key known but not (yet) trusted (REFUSED + KEY-KNOWN-NOT-TRUSTED). */
    KEY_NOT_TRUSTED,
    /** Signed by a key whose validation failed or which was refused (REFUSED + EDE). */
    KEY_VALIDATION_FAILED,
    /** Signed by a key awaiting manual approval (REFUSED + MANUAL-BOOTSTRAP-REQUIRED). */
    MANUAL_REQUIRED,
    /** Over a per-source or per-child rate limit (REFUSED). */
    RATE_LIMITED,
    /** Refused by the {@link UpdateAuthorizer} or the trust registry's rules (REFUSED). */
    NOT_AUTHORISED,
    /** An RFC 2136 prerequisite failed (NXDOMAIN, YXDOMAIN, NXRRSET, YXRRSET). */
    PREREQUISITE_FAILED,
    /** The change is not a valid delegation, or the child is not delegated here (REFUSED). */
    INVALID_CHANGE,
    /** A {@link ChangeCheck} refused the change (REFUSED + EDE). */
    CHECK_REFUSED,
    /** The backend's delegation changed under the decision (REFUSED). */
    CONFLICT,
    /** The backend refused the change (REFUSED). */
    BACKEND_REJECTED,
    /** The backend or the trust store failed (SERVFAIL). */
    BACKEND_FAILED,
    /** A fault inside the receiver (SERVFAIL); logged with its stack trace. */
    INTERNAL_ERROR
  }
}
