package io.github.zonecut.keystate;

import java.util.Optional;

/**
 * The SIG(0) key bootstrap methods of draft-ietf-dnsop-delegation-mgmt-via-ddns §9.4.1, with the
 * tokens of the "DSYNC SIG(0) Bootstrap Mechanisms" registry (§12).
 *
 * <p>The constants are declared strongest first: the two DNSSEC-anchored methods, then the
 * consistency-based {@code unsigned}, then {@code manual} (ddns §9.5: the child prefers the
 * strongest method it can satisfy).
 */
public enum BootstrapMethod {
  /** The child's KEY RRset at its apex, DNSSEC-validated: as strong as DNSSEC. */
  AT_APEX("at-apex", 3),
  /**
   * {@code _sig0key.{child}._signal.{ns}.} KEY under each out-of-domain nameserver, validated
   * (the RFC 9615 model): as strong as DNSSEC.
   */
  AT_NS("at-ns", 3),
  /**
   * The child's KEY RRset asked of every authoritative server over TCP, repeatedly, always the
   * same: authenticates the child's current operator only.
   */
  UNSIGNED("unsigned", 2),
  /** Out of band, approved by an operator. */
  MANUAL("manual", 1);

  private final String token;
  private final int strength;

  BootstrapMethod(String token, int strength) {
    this.token = token;
    this.strength = strength;
  }

  /** The registry token, e.g. {@code at-apex} (case-sensitive). */
  public String token() {
    return token;
  }

  /** Relative strength: higher is stronger; at-apex and at-ns are equally strong. */
  public int strength() {
    return strength;
  }

  /** The method with this exact (case-sensitive) token, or empty for a token not known here. */
  public static Optional<BootstrapMethod> fromToken(String token) {
    for (BootstrapMethod m : values()) {
      if (m.token.equals(token)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return token;
  }
}
