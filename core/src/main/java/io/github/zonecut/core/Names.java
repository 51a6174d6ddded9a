package io.github.zonecut.core;

import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;

/**
 * Relations between domain names, label by label and case-insensitively (RFC 4343), never by
 * string suffix: {@code ns.notchild.example.} is not inside {@code child.example.}, although the
 * one string ends with the other. Also the RFC 9859 §4.1 {@code _dsync} lookup names.
 *
 * <p>Every method takes absolute names only and refuses a relative one with an {@link
 * IllegalArgumentException}; the root zone is an ordinary zone here.
 */
public final class Names {
  /** The {@code _dsync} label (RFC 9859 §6.3), as a relative name. */
  private static final Name DSYNC = Name.fromConstantString("_dsync");

  private Names() {}

  /**
   * Returns {@code name} if it is absolute.
   *
   * @throws IllegalArgumentException naming {@code what} if the name is relative
   */
  public static Name requireAbsolute(String what, Name name) {
    Objects.requireNonNull(name, what);
    if (!name.isAbsolute()) {
      throw new IllegalArgumentException(what + " must be an absolute name (ending in a dot): "
          + name);
    }
    return name;
  }

  /** Whether {@code name} equals {@code zone} or lies below it, comparing whole labels. */
  public static boolean isAtOrBelow(Name name, Name zone) {
    requireAbsolute("name", name);
    requireAbsolute("zone", zone);
    // dnsjava's subdomain compares the trailing labels case-insensitively, label by label
    return name.subdomain(zone);
  }

  /** Whether {@code name} lies strictly below {@code zone}. */
  public static boolean isBelow(Name name, Name zone) {
    return isAtOrBelow(name, zone) && name.labels() > zone.labels();
  }

  /**
   * Whether glue for the name server {@code host} belongs to the delegation of {@code child}:
   * the host is at or below the child (in bailiwick). A parent takes A/AAAA for such hosts only
   * (RFC 7477 §3.2, delegation-mgmt-via-ddns §6); sibling and out-of-zone hosts resolve through
   * their own delegations.
   */
  public static boolean isInBailiwick(Name host, Name child) {
    return isAtOrBelow(host, child);
  }

  /**
   * The first DSYNC lookup name for a delegation (RFC 9859 §4.1 step 1): {@code _dsync}
   * inserted after the first label, {@code child.example.} → {@code child._dsync.example.}.
   *
   * @throws IllegalArgumentException for the root (it has no delegation) or a relative name
   * @throws MalformedDataException if the result would be longer than 255 octets
   */
  public static Name dsyncLookupName(Name child) throws MalformedDataException {
    requireAbsolute("child", child);
    if (child.labels() < 2) {
      throw new IllegalArgumentException("the root zone has no parent to notify");
    }
    return insertDsync(child, new Name(child, 1));
  }

  /**
   * The DSYNC lookup name once the parent zone is known (RFC 9859 §4.1 step 3): {@code _dsync}
   * inserted just before the parent's labels, {@code subsub.sub.child.example.} under {@code
   * example.} → {@code subsub.sub.child._dsync.example.}.
   *
   * @throws IllegalArgumentException if {@code child} is not strictly below {@code parent}
   * @throws MalformedDataException if the result would be longer than 255 octets
   */
  public static Name dsyncLookupName(Name child, Name parent) throws MalformedDataException {
    if (!isBelow(child, parent)) {
      throw new IllegalArgumentException(child + " is not below " + parent);
    }
    return insertDsync(child, parent);
  }

  /**
   * {@code _dsync.<zone>}: where a parent without wildcards publishes its default DSYNC RRset
   * (RFC 9859 §3.1, §4.1 step 3, last branch); {@code _dsync.} for the root.
   *
   * @throws MalformedDataException if the result would be longer than 255 octets
   */
  public static Name dsyncApex(Name zone) throws MalformedDataException {
    requireAbsolute("zone", zone);
    return concatenate(DSYNC, zone);
  }

  private static Name insertDsync(Name child, Name parent) throws MalformedDataException {
    Name prefix = child.relativize(parent);
    return concatenate(prefix, concatenate(DSYNC, parent));
  }

  private static Name concatenate(Name prefix, Name suffix) throws MalformedDataException {
    try {
      return Name.concatenate(prefix, suffix);
    } catch (NameTooLongException e) {
      throw new MalformedDataException("name", -1, prefix + " + " + suffix
          + " is longer than 255 octets", e);
    }
  }
}
