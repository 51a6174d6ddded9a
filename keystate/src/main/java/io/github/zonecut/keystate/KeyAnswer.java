package io.github.zonecut.keystate;

import java.util.List;
import java.util.Objects;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;

/**
 * The KEY RRset at one name, with how much it can be believed: the answer of a {@link
 * KeyLookup}. An empty {@code keys} list means the name or the RRset does not exist.
 *
 * @param name the name asked for
 * @param security how the answer was obtained and judged
 * @param keys the KEY records at exactly {@code name} (empty when absent or on failure)
 * @param detail what happened, for logs and audit (e.g. the validator's reason)
 */
public record KeyAnswer(Name name, Security security, List<KEYRecord> keys, String detail) {

  /** How far an answer can be believed (RFC 4035 §4.3, plus the non-answers). */
  public enum Security {
    /** DNSSEC-validated from a trust anchor (AD). */
    SECURE,
    /** Provably unsigned (an insecure delegation). */
    INSECURE,
    /** Validation failed; never acted upon. */
    BOGUS,
    /** Asked directly of an authoritative server, not validated. */
    UNVALIDATED,
    /** No usable answer: timeout, network failure, SERVFAIL, REFUSED, malformed. */
    FAILED
  }

  /** Checks the fields, copies the list, and drops KEYs not owned by {@code name}. */
  public KeyAnswer {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(detail, "detail");
    keys = keys.stream().filter(k -> k.getName().equals(name)).toList();
  }

  /** Whether {@code key} is among {@link #keys()}. */
  public boolean contains(KeyIdentity key) {
    return keys.stream().anyMatch(key::matches);
  }
}
