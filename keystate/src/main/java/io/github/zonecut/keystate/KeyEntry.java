package io.github.zonecut.keystate;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.KEYRecord;

/**
 * A child key as the parent's registry holds it.
 *
 * @param id the key's identity
 * @param flags the KEY RDATA flags as uploaded (they enter the key tag)
 * @param state the trust state
 * @param method the bootstrap method that is validating or validated it, or null
 * @param supersedesOthers whether the upload carried {@code DEL child ANY KEY}: once this key
 *     is trusted, the owner's other keys go (ddns §9.4.1); never before
 * @param since when the key entered {@code state}
 * @param progress multi-round verification progress while {@link TrustState#VALIDATING}, or null
 * @param rolledFrom the trusted key of the same owner that vouched for this one in a key roll
 *     (ddns §9.6: the new key added by an UPDATE signed by the old one), or null; kept after the
 *     old key is retired, as the record of where this key's trust came from
 */
public record KeyEntry(KeyIdentity id, int flags, TrustState state,
    @Nullable BootstrapMethod method, boolean supersedesOthers, Instant since,
    @Nullable VerificationProgress progress, @Nullable KeyIdentity rolledFrom) {

  /** An entry that no key roll vouched for. */
  public KeyEntry(KeyIdentity id, int flags, TrustState state, @Nullable BootstrapMethod method,
      boolean supersedesOthers, Instant since, @Nullable VerificationProgress progress) {
    this(id, flags, state, method, supersedesOthers, since, progress, null);
  }

  /** Validates the fields. */
  public KeyEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(since, "since");
    if (flags < 0 || flags > 0xFFFF) {
      throw new IllegalArgumentException("KEY flags out of range 0..65535: " + flags);
    }
    if (rolledFrom != null && !rolledFrom.owner().equals(id.owner())) {
      throw new IllegalArgumentException("key " + id + " cannot be vouched for by a key of "
          + rolledFrom.owner());
    }
    if (id.equals(rolledFrom)) {
      throw new IllegalArgumentException("key " + id + " cannot vouch for itself");
    }
  }

  /** The KEY record (protocol 3, TTL 0) this entry stands for. */
  public KEYRecord toKeyRecord() {
    return new KEYRecord(id.owner(), DClass.IN, 0, flags, KEYRecord.Protocol.DNSSEC,
        id.algorithm(), id.publicKey());
  }

  /** The key tag (RFC 4034 Appendix B), for display and KeyState KEY-ID matching only. */
  public int keyTag() {
    return toKeyRecord().getFootprint();
  }

  /** This entry moved to {@code to} at {@code at}; progress is kept only while validating. */
  KeyEntry moved(TrustState to, @Nullable BootstrapMethod method, Instant at) {
    return new KeyEntry(id, flags, to, method, supersedesOthers, at,
        to == TrustState.VALIDATING ? progress : null, rolledFrom);
  }

  KeyEntry withProgress(@Nullable VerificationProgress p) {
    return new KeyEntry(id, flags, state, method, supersedesOthers, since, p, rolledFrom);
  }
}
