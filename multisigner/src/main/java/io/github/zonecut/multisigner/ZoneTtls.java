package io.github.zonecut.multisigner;

import java.time.Duration;
import java.util.Objects;

/**
 * TTLs a signer's zone content is served with, as observed: what a signer's signatures can live
 * on in caches besides its positive data. A negative answer (NXDOMAIN or NODATA with its NSEC or
 * NSEC3 proof and their RRSIGs) is cached for min(SOA TTL, SOA MINIMUM) (RFC 2308 §5, RFC 9077),
 * and positive data for its own TTL.
 *
 * @param soaTtl the TTL of the apex SOA RRset
 * @param soaMinimum the SOA MINIMUM field
 * @param largestDataTtl the largest TTL of any signed RRset other than DNSKEY, CDS and CDNSKEY
 */
public record ZoneTtls(Duration soaTtl, Duration soaMinimum, Duration largestDataTtl) {

  /** Checks that nothing is null or negative. */
  public ZoneTtls {
    for (Duration d : new Duration[] {soaTtl, soaMinimum, largestDataTtl}) {
      Objects.requireNonNull(d, "ttl");
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative TTL: " + d);
      }
    }
  }

  /** Returns the TTLs in seconds. */
  public static ZoneTtls ofSeconds(long soaTtl, long soaMinimum, long largestDataTtl) {
    return new ZoneTtls(Duration.ofSeconds(soaTtl), Duration.ofSeconds(soaMinimum),
        Duration.ofSeconds(largestDataTtl));
  }

  /** The negative-caching TTL: min(SOA TTL, SOA MINIMUM) (RFC 2308 §5). */
  public Duration negativeTtl() {
    return soaTtl.compareTo(soaMinimum) <= 0 ? soaTtl : soaMinimum;
  }

  /** The shortest {@link SignerSnapshot#dataTtl()} that covers every cached signature: max(negative TTL, largest data TTL). */
  public Duration required() {
    Duration n = negativeTtl();
    return n.compareTo(largestDataTtl) >= 0 ? n : largestDataTtl;
  }
}
