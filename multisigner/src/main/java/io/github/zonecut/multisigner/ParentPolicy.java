package io.github.zonecut.multisigner;

import io.github.zonecut.core.DsData;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What the parent does with the child's signals. The planner publishes CDS digests only of
 * accepted types and judges the parent's DS RRset by the keys it covers, never by demanding every
 * digest type it published (MUSIC required SHA-256 and SHA-384 DS and stalled forever at a parent
 * that takes SHA-256 only: anchors §4.1 item 12).
 *
 * @param digestTypes DS digest types the parent accepts, in order of preference; the first one
 *     that is {@link DsData#SHA256} or {@link DsData#SHA384} is published in CDS
 * @param consumesCds whether the parent reads CDS (RFC 7344)
 * @param consumesCdnskey whether the parent reads CDNSKEY (RFC 8078)
 * @param processesCsync whether the parent processes CSYNC (RFC 7477) for NS changes
 * @param timeout how long to wait for the parent to act on published CDS or CSYNC before the
 *     planner reports a {@link Refusal.ParentTimeout} (the draft sets none: specs §10 item 13)
 */
public record ParentPolicy(
    java.util.List<Integer> digestTypes,
    boolean consumesCds,
    boolean consumesCdnskey,
    boolean processesCsync,
    Duration timeout) {

  /** A parent that scans CDS and CDNSKEY with SHA-256 and processes CSYNC, within 7 days. */
  public static final ParentPolicy DEFAULT =
      new ParentPolicy(java.util.List.of(DsData.SHA256), true, true, true, Duration.ofDays(7));

  /** Checks that one publishable digest type is accepted and the timeout is positive. */
  public ParentPolicy {
    digestTypes = java.util.List.copyOf(digestTypes);
    if (digestTypes.stream().noneMatch(t -> t == DsData.SHA256 || t == DsData.SHA384)) {
      throw new IllegalArgumentException(
          "parent must accept SHA-256 (2) or SHA-384 (4) DS digests: " + digestTypes);
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("parent timeout must be positive");
    }
  }

  /** The digest type published in CDS. */
  public int publishedDigestType() {
    for (int t : digestTypes) {
      if (t == DsData.SHA256 || t == DsData.SHA384) {
        return t;
      }
    }
    throw new AssertionError("checked in constructor");
  }

  /** Whether the parent picks up DS changes from CDS or CDNSKEY at all. */
  public boolean scansCds() {
    return consumesCds || consumesCdnskey;
  }

  /** The digest types accepted, as a set. */
  public Set<Integer> acceptedDigestTypes() {
    return Set.copyOf(digestTypes);
  }
}
