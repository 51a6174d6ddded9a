package io.github.zonecut.multisigner;

import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.core.DsData;
import io.github.zonecut.multisigner.internal.Sets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * What one signer of the zone serves and holds, as observed at one moment.
 *
 * @param id the signer
 * @param capabilities what the controller may make this signer do (§4.3)
 * @param ownKeys keys this signer generated (origin), with their roles
 * @param ownNs the nameserver names this signer contributes to the apex NS RRset (origin of NS
 *     records, draft §5.1 prerequisite 4)
 * @param answering whether the signer's servers answer for the zone
 * @param dnskey the DNSKEY RRset it serves
 * @param signing which of its own keys sign zone data and its DNSKEY RRset
 * @param cds the CDS RRset it serves
 * @param cdnskey the CDNSKEY RRset it serves
 * @param ns the apex NS RRset it serves
 * @param csync whether it serves a CSYNC record (RFC 7477) with the NS, A and AAAA bits
 * @param dataTtl the largest TTL of the signed zone data it serves (how long its RRSIGs may stay
 *     in caches after it stops making them); must cover {@code zoneTtls} when known
 * @param zoneTtls the zone's TTLs as observed (SOA TTL and MINIMUM, largest data TTL), or null
 *     when not observed; the planner refuses a {@code dataTtl} shorter than they require
 * @param resignInterval how long the signer takes to re-sign all of its zone data after it
 *     changes signing keys (RFC 7583 "Dsgn": BIND, Knot and PowerDNS re-sign gradually);
 *     old signatures are still served that long after {@code signing} changed. Zero: the whole
 *     zone is re-signed at once
 * @param partialSigning zone-signing keys whose RRSIGs the observer saw on some but not all of
 *     the sampled RRsets ({@link io.github.zonecut.multisigner.edge.DnsObserver} samples the apex
 *     and configured names): the signer is re-signing gradually (RFC 7583 Dsgn). A key here has
 *     neither fully replaced nor fully left the zone's signatures; {@code since} is when that last
 *     changed, so once it is empty the signature wait runs from the last partial observation.
 *     Empty when not observed
 * @param inZoneAddresses names inside the zone for which the signer serves A or AAAA records: an
 *     NS target inside the zone needs them served by every signer before it enters an NS RRset
 *     and before the parent is asked to copy the NS RRset (its glue, RFC 7477 §3.2, RFC 9471).
 *     Empty when not observed
 */
public record SignerSnapshot(
    SignerId id,
    Set<Capability> capabilities,
    List<OwnedKey> ownKeys,
    Set<Name> ownNs,
    Observed<Boolean> answering,
    Observed<Set<DnsKeyData>> dnskey,
    Observed<Signing> signing,
    Observed<Set<DsData>> cds,
    Observed<Set<DnsKeyData>> cdnskey,
    Observed<Set<Name>> ns,
    Observed<Boolean> csync,
    Duration dataTtl,
    @Nullable ZoneTtls zoneTtls,
    Duration resignInterval,
    Observed<Set<DnsKeyData>> partialSigning,
    Observed<Set<Name>> inZoneAddresses) {

  private static final Observed<Set<DnsKeyData>> NOT_OBSERVED =
      new Observed<>(Set.of(), Duration.ZERO, java.time.Instant.EPOCH);
  private static final Observed<Set<Name>> NO_ADDRESSES =
      new Observed<>(Set.of(), Duration.ZERO, java.time.Instant.EPOCH);

  /** As the canonical constructor, without an observation of gradual re-signing. */
  public SignerSnapshot(SignerId id, Set<Capability> capabilities, List<OwnedKey> ownKeys,
      Set<Name> ownNs, Observed<Boolean> answering, Observed<Set<DnsKeyData>> dnskey,
      Observed<Signing> signing, Observed<Set<DsData>> cds, Observed<Set<DnsKeyData>> cdnskey,
      Observed<Set<Name>> ns, Observed<Boolean> csync, Duration dataTtl,
      @Nullable ZoneTtls zoneTtls, Duration resignInterval) {
    this(id, capabilities, ownKeys, ownNs, answering, dnskey, signing, cds, cdnskey, ns, csync,
        dataTtl, zoneTtls, resignInterval, NOT_OBSERVED, NO_ADDRESSES);
  }

  /** As the canonical constructor, without observed zone TTLs. */
  public SignerSnapshot(SignerId id, Set<Capability> capabilities, List<OwnedKey> ownKeys,
      Set<Name> ownNs, Observed<Boolean> answering, Observed<Set<DnsKeyData>> dnskey,
      Observed<Signing> signing, Observed<Set<DsData>> cds, Observed<Set<DnsKeyData>> cdnskey,
      Observed<Set<Name>> ns, Observed<Boolean> csync, Duration dataTtl) {
    this(id, capabilities, ownKeys, ownNs, answering, dnskey, signing, cds, cdnskey, ns, csync,
        dataTtl, null, Duration.ZERO, NOT_OBSERVED, NO_ADDRESSES);
  }

  /** Copies collections and checks that own keys are distinct and own NS names absolute. */
  public SignerSnapshot {
    Objects.requireNonNull(id, "id");
    capabilities =
        capabilities.isEmpty()
            ? Set.of()
            : java.util.Collections.unmodifiableSet(EnumSet.copyOf(capabilities));
    ownKeys = List.copyOf(ownKeys);
    Set<DnsKeyData> seen = new HashSet<>();
    for (OwnedKey k : ownKeys) {
      if (!seen.add(k.key())) {
        throw new IllegalArgumentException("signer " + id + " lists key " + k.key() + " twice");
      }
    }
    ownNs = Sets.copy(ownNs);
    for (Name n : ownNs) {
      if (!n.isAbsolute()) {
        throw new IllegalArgumentException("NS name not absolute: " + n);
      }
    }
    Objects.requireNonNull(answering, "answering");
    Objects.requireNonNull(dnskey, "dnskey");
    Objects.requireNonNull(signing, "signing");
    Objects.requireNonNull(cds, "cds");
    Objects.requireNonNull(cdnskey, "cdnskey");
    Objects.requireNonNull(ns, "ns");
    Objects.requireNonNull(csync, "csync");
    Objects.requireNonNull(partialSigning, "partialSigning");
    partialSigning = partialSigning.value().isEmpty() ? partialSigning
        : new Observed<>(Set.copyOf(partialSigning.value()), partialSigning.ttl(),
            partialSigning.since(), partialSigning.earlierTtl(), partialSigning.earlierTtlUntil());
    Objects.requireNonNull(inZoneAddresses, "inZoneAddresses");
    inZoneAddresses = inZoneAddresses.value().isEmpty() ? inZoneAddresses
        : new Observed<>(Sets.copy(inZoneAddresses.value()), inZoneAddresses.ttl(),
            inZoneAddresses.since(), inZoneAddresses.earlierTtl(), inZoneAddresses.earlierTtlUntil());
    if (resignInterval.isNegative()) {
      throw new IllegalArgumentException("negative re-signing interval");
    }
    if (dataTtl.isNegative()) {
      throw new IllegalArgumentException("negative data TTL");
    }
  }

  /** Whether this signer generated {@code key}. */
  public boolean owns(DnsKeyData key) {
    return ownedKey(key) != null;
  }

  /** The owned-key entry for {@code key}, or null if this signer did not generate it. */
  public @Nullable OwnedKey ownedKey(DnsKeyData key) {
    for (OwnedKey k : ownKeys) {
      if (k.key().equals(key)) {
        return k;
      }
    }
    return null;
  }

  /** Whether the signer currently answers queries for the zone. */
  public boolean isAnswering() {
    return answering.value();
  }
}
