package io.github.zonecut.dsync;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.Names;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Everything the acceptance checks decide on, gathered at one moment: the parent's current
 * delegation of the child, what each authoritative server of the child answered when asked
 * directly, and what a validating resolver answered for the same questions (and for the RFC 9615
 * signaling names). The checks are pure functions of this value; {@link Observer} builds it from
 * the network and tests build it by hand.
 *
 * @param child the delegated zone
 * @param current the parent's delegation now, or empty when the parent does not delegate it
 * @param servers one entry per (name server, address) asked, and one per unresolvable name server
 * @param validated the validated results by question (SECURE/INSECURE, Bogus, failures): from
 *     the parent's DS set and the servers' own signatures, or from the validating resolver (see
 *     {@link Observer}); an RRset absent at every server may have no entry
 * @param observedAt when the observation was made; signature validity is judged at this instant
 */
public record Observations(Name child, Optional<Delegation> current,
    List<ServerObservation> servers, Map<RRsetKey, LookupResult> validated, Instant observedAt) {

  /** Checks and copies. */
  public Observations {
    Names.requireAbsolute("child", child);
    Objects.requireNonNull(current, "current");
    current.ifPresent(d -> {
      if (!d.child().equals(child)) {
        throw new IllegalArgumentException("current delegation is of " + d.child() + ", not "
            + child);
      }
    });
    servers = List.copyOf(servers);
    validated = Map.copyOf(validated);
    Objects.requireNonNull(observedAt, "observedAt");
  }

  /** The validating resolver's result for (name, type), if it was asked. */
  public Optional<LookupResult> validated(Name name, int type) {
    return Optional.ofNullable(validated.get(RRsetKey.of(name, type)));
  }

  /**
   * The child's authoritative name servers: those of the parent's delegation and those of the
   * child's apex NS RRset as the validating resolver saw it (a server listed on either side
   * serves the zone to someone, so RFC 9975 counts it).
   */
  public Set<Name> childNameservers() {
    Set<Name> out = new TreeSet<>();
    current.ifPresent(d -> out.addAll(d.nameservers()));
    validated(child, Type.NS).ifPresent(r -> {
      if (r instanceof LookupResult.Answer) {
        for (Record rr : ((LookupResult.Answer) r).rrset().rrs()) {
          out.add(((NSRecord) rr).getTarget());
        }
      }
    });
    return out;
  }

  /** The observations of the servers named in {@code nameservers}, in observation order. */
  public List<ServerObservation> serversOf(Set<Name> nameservers) {
    List<ServerObservation> out = new ArrayList<>();
    for (ServerObservation s : servers) {
      if (nameservers.contains(s.nameserver())) {
        out.add(s);
      }
    }
    return out;
  }

  /** Whether {@code nameserver} was observed answering authoritatively for the child. */
  public boolean answersAuthoritatively(Name nameserver) {
    for (ServerObservation s : servers) {
      if (s.nameserver().equals(nameserver) && s instanceof ServerObservation.Reached
          && ((ServerObservation.Reached) s).authoritativeFor(child)) {
        return true;
      }
    }
    return false;
  }
}
