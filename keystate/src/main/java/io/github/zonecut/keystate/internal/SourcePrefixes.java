package io.github.zonecut.keystate.internal;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * How a rate limiter groups source addresses: by their first {@code ipv4Bits} (IPv4) or {@code
 * ipv6Bits} (IPv6) bits. A host that controls one address usually controls its whole /24 or its
 * /64 (an IPv6 host needs no spoofing to send from 2^64 addresses), so per-address buckets cost
 * it nothing; the defaults, IPv4 /24 and IPv6 /56 (a typical end-site assignment), make such a
 * host one key. IPv4-mapped IPv6 addresses arrive as IPv4 ({@link InetAddress} converts them).
 *
 * @param ipv4Bits the IPv4 prefix length, 0–32
 * @param ipv6Bits the IPv6 prefix length, 0–128
 */
public record SourcePrefixes(int ipv4Bits, int ipv6Bits) {
  /** IPv4 /24, IPv6 /56. */
  public static final SourcePrefixes DEFAULT = new SourcePrefixes(24, 56);

  /** Checks the lengths. */
  public SourcePrefixes {
    if (ipv4Bits < 0 || ipv4Bits > 32) {
      throw new IllegalArgumentException("IPv4 prefix length out of 0..32: " + ipv4Bits);
    }
    if (ipv6Bits < 0 || ipv6Bits > 128) {
      throw new IllegalArgumentException("IPv6 prefix length out of 0..128: " + ipv6Bits);
    }
  }

  /** The key of {@code source}'s prefix: equal for two addresses in the same prefix. */
  public Prefix keyOf(InetAddress source) {
    byte[] a = source.getAddress();
    if (source instanceof Inet4Address) {
      long v = ((a[0] & 0xFFL) << 24) | ((a[1] & 0xFFL) << 16) | ((a[2] & 0xFFL) << 8)
          | (a[3] & 0xFFL);
      long mask = ipv4Bits == 0 ? 0 : (0xFFFF_FFFFL << (32 - ipv4Bits)) & 0xFFFF_FFFFL;
      return new Prefix(false, 0, v & mask);
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (a[i] & 0xFFL);
      lo = (lo << 8) | (a[i + 8] & 0xFFL);
    }
    return new Prefix(true, hi & mask(ipv6Bits), lo & mask(ipv6Bits - 64));
  }

  /** A mask of the first {@code bits} bits of a 64-bit word (all when ≥ 64, none when ≤ 0). */
  private static long mask(int bits) {
    return bits <= 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
  }

  /**
   * One source prefix, as a rate-limit key.
   *
   * @param ipv6 whether it is an IPv6 prefix
   * @param hi the first 64 bits of an IPv6 prefix; 0 for IPv4
   * @param lo the last 64 bits of an IPv6 prefix, or the IPv4 prefix
   */
  public record Prefix(boolean ipv6, long hi, long lo) {}
}
