package io.github.zonecut.core;

import java.net.InetAddress;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which addresses the DNS may steer zonecut to: the screen {@link DsyncDiscovery} applies to a
 * DSYNC target's A and AAAA records before it hands them out as NOTIFY or UPDATE endpoints. The
 * parent's DNS data decides where a child sends signed messages, so without a screen a hostile or
 * careless parent zone could point them at the child's own loopback services, its internal
 * network or a broadcast address.
 *
 * <p>Special-purpose addresses (RFC 6890 and the IANA special-purpose registries) fall into the
 * {@link AddressClass classes} below. Unspecified, broadcast, multicast and reserved addresses are
 * never a unicast DNS server and are always refused. Loopback, link-local, private (RFC 1918, ULA)
 * and shared (RFC 6598 CGN) addresses are refused by {@link #publicOnly()}, the default; test
 * harnesses and labs whose servers live on such addresses say so with {@link
 * #allowLoopbackAndPrivateForTesting()}, a private deployment with {@link
 * #alsoAllowing(AddressClass...)}. An IPv4-mapped IPv6 address ({@code ::ffff:127.0.0.1}) is
 * judged by the IPv4 address it carries, since that is where a socket sends.
 *
 * <p>Immutable and thread-safe.
 */
public final class AddressPolicy {

  /** A class of special-purpose addresses, with the rule that puts an address into it. */
  public enum AddressClass {
    /** {@code 0.0.0.0/8} (RFC 1122 §3.2.1.3, "this network"), {@code ::/128} (RFC 4291). */
    UNSPECIFIED(true),
    /** {@code 255.255.255.255/32}, the limited broadcast address (RFC 919, RFC 8190). */
    BROADCAST(true),
    /** {@code 224.0.0.0/4} (RFC 5771), {@code ff00::/8} (RFC 4291 §2.7). */
    MULTICAST(true),
    /**
     * {@code 240.0.0.0/4} reserved for future use (RFC 1112 §4), and the deprecated
     * IPv4-compatible IPv6 addresses {@code ::/96} (RFC 4291 §2.5.5.1).
     */
    RESERVED(true),
    /** {@code 127.0.0.0/8} (RFC 1122 §3.2.1.3), {@code ::1/128} (RFC 4291 §2.5.3). */
    LOOPBACK(false),
    /** {@code 169.254.0.0/16} (RFC 3927), {@code fe80::/10} (RFC 4291 §2.5.6). */
    LINK_LOCAL(false),
    /**
     * {@code 10.0.0.0/8}, {@code 172.16.0.0/12}, {@code 192.168.0.0/16} (RFC 1918), {@code
     * fc00::/7} unique local (RFC 4193) and the deprecated site-local {@code fec0::/10} (RFC 3879).
     */
    PRIVATE(false),
    /** {@code 100.64.0.0/10}, carrier-grade NAT shared address space (RFC 6598). */
    SHARED(false);

    private final boolean alwaysRefused;

    AddressClass(boolean alwaysRefused) {
      this.alwaysRefused = alwaysRefused;
    }

    /** Whether no policy may allow this class (no unicast DNS server can have such an address). */
    public boolean isAlwaysRefused() {
      return alwaysRefused;
    }
  }

  private static final AddressPolicy PUBLIC_ONLY =
      new AddressPolicy(EnumSet.noneOf(AddressClass.class));

  private static final AddressPolicy LAB = new AddressPolicy(EnumSet.of(AddressClass.LOOPBACK,
      AddressClass.LINK_LOCAL, AddressClass.PRIVATE, AddressClass.SHARED));

  private final Set<AddressClass> allowed;

  private AddressPolicy(EnumSet<AddressClass> allowed) {
    this.allowed = Collections.unmodifiableSet(allowed);
  }

  /**
   * The default: only ordinary (global unicast) addresses; every {@link AddressClass} is refused.
   */
  public static AddressPolicy publicOnly() {
    return PUBLIC_ONLY;
  }

  /**
   * Allows loopback, link-local, private and shared addresses, for test harnesses (the testkit
   * hierarchy runs on {@code 127.0.0.x}) and labs. Never for production: it lets a parent zone
   * point a child's signed UPDATEs and NOTIFYs at the child's own host or network. Unspecified,
   * broadcast, multicast and reserved addresses stay refused.
   */
  public static AddressPolicy allowLoopbackAndPrivateForTesting() {
    return LAB;
  }

  /**
   * This policy, also allowing {@code classes}: for a deployment whose parent is reached on an
   * internal network (for instance {@link AddressClass#PRIVATE}).
   *
   * @throws IllegalArgumentException for a class that {@link AddressClass#isAlwaysRefused() is
   *     always refused}
   */
  public AddressPolicy alsoAllowing(AddressClass... classes) {
    EnumSet<AddressClass> set = allowed.isEmpty() ? EnumSet.noneOf(AddressClass.class)
        : EnumSet.copyOf(allowed);
    for (AddressClass c : classes) {
      Objects.requireNonNull(c, "address class");
      if (c.isAlwaysRefused()) {
        throw new IllegalArgumentException(c + " addresses are never a DNS server's address");
      }
      set.add(c);
    }
    return new AddressPolicy(set);
  }

  /** The special-purpose classes this policy allows; empty for {@link #publicOnly()}. */
  public Set<AddressClass> allowed() {
    return allowed;
  }

  /**
   * Why {@code address} is refused: the class it belongs to, if this policy does not allow it;
   * empty if the address may be used.
   */
  public Optional<AddressClass> refusal(InetAddress address) {
    Optional<AddressClass> c = classify(address);
    return c.isPresent() && !allowed.contains(c.get()) ? c : Optional.empty();
  }

  /** The special-purpose class of {@code address}, or empty for an ordinary unicast address. */
  public static Optional<AddressClass> classify(InetAddress address) {
    Objects.requireNonNull(address, "address");
    byte[] a = address.getAddress();
    if (a.length == 16) {
      byte[] v4 = embeddedIpv4(a);
      return Optional.ofNullable(v4 != null ? ipv4(v4) : ipv6(a));
    }
    return Optional.ofNullable(ipv4(a));
  }

  /** The IPv4 address in an IPv4-mapped IPv6 address ({@code ::ffff:0:0/96}), else null. */
  private static byte @Nullable [] embeddedIpv4(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return null;
      }
    }
    if (a[10] != (byte) 0xff || a[11] != (byte) 0xff) {
      return null;
    }
    return new byte[] {a[12], a[13], a[14], a[15]};
  }

  private static @Nullable AddressClass ipv4(byte[] a) {
    int b0 = a[0] & 0xFF;
    int b1 = a[1] & 0xFF;
    if (b0 == 0) {
      return AddressClass.UNSPECIFIED;
    }
    if (b0 == 255 && (a[1] & a[2] & a[3] & 0xFF) == 0xFF) {
      return AddressClass.BROADCAST;
    }
    if (b0 >= 224 && b0 <= 239) {
      return AddressClass.MULTICAST;
    }
    if (b0 >= 240) {
      return AddressClass.RESERVED;
    }
    if (b0 == 127) {
      return AddressClass.LOOPBACK;
    }
    if (b0 == 169 && b1 == 254) {
      return AddressClass.LINK_LOCAL;
    }
    if (b0 == 10 || (b0 == 172 && (b1 & 0xF0) == 16) || (b0 == 192 && b1 == 168)) {
      return AddressClass.PRIVATE;
    }
    if (b0 == 100 && (b1 & 0xC0) == 64) {
      return AddressClass.SHARED;
    }
    return null;
  }

  private static @Nullable AddressClass ipv6(byte[] a) {
    int b0 = a[0] & 0xFF;
    int b1 = a[1] & 0xFF;
    boolean first96Zero = true;
    for (int i = 0; i < 12; i++) {
      first96Zero &= a[i] == 0;
    }
    if (first96Zero) {
      int last = ((a[12] | a[13] | a[14]) & 0xFF);
      if (last == 0 && a[15] == 0) {
        return AddressClass.UNSPECIFIED;
      }
      if (last == 0 && a[15] == 1) {
        return AddressClass.LOOPBACK;
      }
      return AddressClass.RESERVED;
    }
    if (b0 == 0xFF) {
      return AddressClass.MULTICAST;
    }
    if (b0 == 0xFE && (b1 & 0xC0) == 0x80) {
      return AddressClass.LINK_LOCAL;
    }
    if ((b0 & 0xFE) == 0xFC || (b0 == 0xFE && (b1 & 0xC0) == 0xC0)) {
      return AddressClass.PRIVATE;
    }
    return null;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof AddressPolicy && ((AddressPolicy) o).allowed.equals(allowed);
  }

  @Override
  public int hashCode() {
    return allowed.hashCode();
  }

  @Override
  public String toString() {
    return allowed.isEmpty() ? "AddressPolicy[publicOnly]" : "AddressPolicy[also " + allowed + "]";
  }
}
