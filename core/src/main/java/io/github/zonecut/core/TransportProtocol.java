package io.github.zonecut.core;

/** How a {@link DnsTransport} carries one exchange (RFC 1035 §4.2, RFC 7766). */
public enum TransportProtocol {
  /**
   * UDP first; an answer with TC=1 is retried over TCP with the same request bytes within the
   * same deadline (RFC 7766 §5, RFC 1035 §4.2.1).
   */
  UDP,
  /** TCP only, with the two-octet length prefix of RFC 1035 §4.2.2. */
  TCP
}
