package io.github.zonecut.keystate;

import io.github.zonecut.sig0.Sig0PublicKey;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * The audit record of one message handed to a {@link KeyStateResponder}: exactly one per call of
 * {@link KeyStateResponder#respond}, whatever happened, so a registry can see who asked about
 * which key, what it answered (draft-berra-dnsop-keystate, "Use of the KeyState Option"; the
 * inquiry of draft-ietf-dnsop-delegation-mgmt-via-ddns §9.3) and why it refused (ddns §11).
 *
 * <p>Holds no secret and no key material: keys appear as owner, algorithm and tag ({@link
 * KeyRef}, and {@link Sig0PublicKey#toString()}), never as public key octets.
 *
 * @param time when the message was handled (the responder's clock)
 * @param source the sender's address
 * @param child the QNAME, the child asking, once the message was read; null before
 * @param key the key asked about (the child and the inquiry's KEY-ID), once the KeyState option
 *     was read; null before
 * @param signerKey the child's key whose SIG(0) verified, or null when none did
 * @param outcome what became of the message
 * @param rcode the RCODE answered (extended RCODEs whole), or -1 when nothing was sent
 * @param keyState the KeyState code the answer carries, or null when it carries no KeyState
 *     option
 * @param signed whether the answer carries the responder's SIG(0)
 * @param detail in words, short, for logs and operators
 */
public record KeyStateEvent(Instant time, InetAddress source, @Nullable Name child,
    @Nullable KeyRef key, @Nullable Sig0PublicKey signerKey, Outcome outcome, int rcode,
    @Nullable KeyStateCode keyState, boolean signed, String detail) {

  /**
   * Checks the fields.
   *
   * @throws IllegalArgumentException when {@code rcode} is out of -1..4095, or a KeyState code
   *     or signature is claimed for an answer that was not sent
   */
  public KeyStateEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(detail, "detail");
    if (rcode < -1 || rcode > 0xFFF) {
      throw new IllegalArgumentException("rcode out of range -1..4095: " + rcode);
    }
    if (rcode == -1 && (keyState != null || signed)) {
      throw new IllegalArgumentException("nothing was sent, yet a state or signature is named");
    }
  }

  /**
   * A key as the audit names it: owner, DNSSEC algorithm and key tag (RFC 4034 Appendix B), no
   * key octets. A KeyState inquiry names the key it asks about by KEY-ID, its tag, only
   * (draft-berra-dnsop-keystate): the algorithm is known when the inquiry was signed by that very
   * key, and is 0 otherwise.
   *
   * @param owner the key's owner (the child)
   * @param algorithm the DNSSEC algorithm number, 1–255, or 0 when not known
   * @param keyTag the key tag, 0–65535
   */
  public record KeyRef(Name owner, int algorithm, int keyTag) {

    /**
     * Checks the fields.
     *
     * @throws IllegalArgumentException when the algorithm or the tag is out of range
     */
    public KeyRef {
      Objects.requireNonNull(owner, "owner");
      if (algorithm < 0 || algorithm > 0xFF) {
        throw new IllegalArgumentException("algorithm out of range 0..255: " + algorithm);
      }
      if (keyTag < 0 || keyTag > 0xFFFF) {
        throw new IllegalArgumentException("key tag out of range 0..65535: " + keyTag);
      }
    }

    /** {@code owner/algorithm/tag}, with {@code ?} for an unknown algorithm. */
    @Override
    public String toString() {
      return owner + "/" + (algorithm == 0 ? "?" : Integer.toString(algorithm)) + "/" + keyTag;
    }
  }

  /** What became of a message, one value per path of {@link KeyStateResponder#respond}. */
  public enum Outcome {
    /**
     * Answered NOERROR with the asked key's state in a KeyState option, signed (including
     * KEY_UNKNOWN to a trusted key asking about a key it has not rolled to yet, and the answer to
     * an unsigned inquiry a host {@link KeyStateResponder.Builder#requireSignedInquiries allowed}).
     */
    ANSWERED,
    /**
     * Over UDP, answered truncated (TC set, unsigned, no option, RFC 2181 §9) so the child retries
     * over TCP: the responder's own key signs over TCP only (ML-DSA, ddns §9.1; before any work,
     * nothing verified), or the signed answer did not fit the requester's UDP payload size.
     */
    TRUNCATED,
    /**
     * Nothing was sent: not a DNS message, or a response (no reflection loops); {@link
     * KeyStateEvent#detail()} says which.
     */
    DROPPED,
    /**
     * Nothing was sent: over the source prefix's rate limit ({@link
     * KeyStateResponder.Builder#sourceRateLimit}), charged for every query before any work.
     */
    SOURCE_RATE_LIMITED,
    /** Not a QUERY (NOTIMP). */
    NOT_IMPLEMENTED,
    /**
     * Malformed: no question, or an unreadable or misplaced SIG(0) (FORMERR, unsigned); or a
     * KeyState request the responder cannot act on (FORMERR in -02; in -03 a signed NOERROR
     * carrying code 0, KEY_REQUEST_MALFORMED).
     */
    MALFORMED,
    /** A QUERY without a KeyState option: REFUSED, and no option added (keystate-02). */
    NO_KEYSTATE_OPTION,
    /** Unsigned while signed inquiries are required (REFUSED, unsigned). */
    UNSIGNED,
    /** Signed by a key the child holds no key of that algorithm and tag for (BADKEY). */
    UNKNOWN_KEY,
    /**
     * A key of the child with that algorithm and tag is held but the signature cannot be checked
     * against it, e.g. a signer name other than the child (REFUSED, unsigned).
     */
    KEY_MISMATCH,
    /** A held key whose signature does not verify (BADSIG, unsigned). */
    BAD_SIGNATURE,
    /** Outside the signature's validity window, or a window too long (BADTIME, unsigned). */
    BAD_TIME,
    /** A signature already accepted (RFC 2931 §3.3; BADTIME, unsigned). */
    REPLAYED,
    /** Verified, but over the child's rate limit (REFUSED, unsigned, no signing work). */
    CHILD_RATE_LIMITED,
    /**
     * Verified, asking about a key other than the signing key's that it may not ask about (only
     * a trusted key may ask about the key it rolled to): REFUSED, signed.
     */
    SIGNER_MISMATCH,
    /**
     * The trust store (or the replay guard) failed: SERVFAIL unsigned before the signature was
     * checked (and in -02), a signed TEMPORARY_FAILURE (1) after it in -03.
     */
    STORE_FAILED,
    /**
     * The answer could not be signed: sent NOERROR without the KeyState option (fail closed,
     * ddns §9.3: an unsigned key state is never sent).
     */
    SIGNING_FAILED,
    /** A fault inside the responder: nothing was sent; logged with its stack trace. */
    INTERNAL_ERROR
  }
}
