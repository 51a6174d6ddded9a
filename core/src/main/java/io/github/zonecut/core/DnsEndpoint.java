package io.github.zonecut.core;

import io.github.zonecut.core.internal.Endpoints;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import org.xbill.DNS.Address;

/**
 * One DNS server endpoint: an IP address and a port. Never a host name, so building an endpoint
 * never triggers a name lookup.
 *
 * @param address the server's IP address
 * @param port the server's port, 1–65535
 */
public record DnsEndpoint(InetAddress address, int port) {

  /** The standard DNS port (RFC 1035 §4.2). */
  public static final int DNS_PORT = 53;

  /** Validates the port range. */
  public DnsEndpoint {
    Objects.requireNonNull(address, "address");
    if (port < 1 || port > 0xFFFF) {
      throw new IllegalArgumentException("port out of range 1..65535: " + port);
    }
  }

  /** The endpoint {@code address:port}. */
  public static DnsEndpoint of(InetAddress address, int port) {
    return new DnsEndpoint(address, port);
  }

  /**
   * The endpoint for an IP address literal ({@code "127.0.0.1"}, {@code "::1"}) and a port.
   *
   * @throws IllegalArgumentException if {@code ipLiteral} is not an IPv4 or IPv6 literal (host
   *     names are refused, never resolved)
   */
  public static DnsEndpoint of(String ipLiteral, int port) {
    try {
      return new DnsEndpoint(Address.getByAddress(ipLiteral), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address literal: " + ipLiteral, e);
    }
  }

  /** The endpoint of a resolved socket address. */
  public static DnsEndpoint of(InetSocketAddress socketAddress) {
    if (socketAddress.isUnresolved()) {
      throw new IllegalArgumentException("unresolved socket address: " + socketAddress);
    }
    return new DnsEndpoint(socketAddress.getAddress(), socketAddress.getPort());
  }

  /** This endpoint as a socket address. */
  public InetSocketAddress socketAddress() {
    return new InetSocketAddress(address, port);
  }

  /** {@code 192.0.2.1:53} or {@code [2001:db8::1]:53} (IPv6 in RFC 5952 form). */
  @Override
  public String toString() {
    return Endpoints.format(address, port);
  }
}
