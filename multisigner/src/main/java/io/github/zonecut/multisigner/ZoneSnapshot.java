package io.github.zonecut.multisigner;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * Everything the planner knows about one zone at one moment: every signer's view (members,
 * joining and leaving signers alike) and the parent's view of the delegation.
 *
 * @param zone the zone's apex name (absolute)
 * @param signers one view per signer, each signer once
 * @param parent the delegation as the parent's servers serve it
 * @param publicationLatency how long a signer takes to publish a change on all of its secondaries
 *     (configuration; part of DNSKEY-Wait-Time, draft §2)
 */
public record ZoneSnapshot(
    Name zone, List<SignerSnapshot> signers, ParentSnapshot parent, Duration publicationLatency) {

  /** Copies the list and checks the zone name, signer uniqueness and the latency. */
  public ZoneSnapshot {
    Objects.requireNonNull(zone, "zone");
    if (!zone.isAbsolute()) {
      throw new IllegalArgumentException("zone name not absolute: " + zone);
    }
    signers = List.copyOf(signers);
    Set<SignerId> ids = new HashSet<>();
    for (SignerSnapshot s : signers) {
      if (!ids.add(s.id())) {
        throw new IllegalArgumentException("signer " + s.id() + " appears twice");
      }
    }
    Objects.requireNonNull(parent, "parent");
    if (publicationLatency.isNegative()) {
      throw new IllegalArgumentException("negative publication latency");
    }
  }

  /** The view of signer {@code id}, or null if the snapshot has none. */
  public @Nullable SignerSnapshot signer(SignerId id) {
    for (SignerSnapshot s : signers) {
      if (s.id().equals(id)) {
        return s;
      }
    }
    return null;
  }
}
