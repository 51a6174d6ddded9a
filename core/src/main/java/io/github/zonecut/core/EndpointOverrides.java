package io.github.zonecut.core;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * Where to really send what the DNS says to send elsewhere: a name (a nameserver or DSYNC target
 * such as {@code ns1.operator.test.}) or an address (such as a glue address {@code 192.0.2.1})
 * mapped to loopback endpoints. Tests and research harnesses use it to run a whole hierarchy on
 * 127.0.0.1 with one port per server; production code uses {@link #none()}.
 *
 * <p>A name override replaces both the address lookup and the port (a DSYNC record's port
 * included); an address override replaces the address and port of that one address.
 */
public final class EndpointOverrides {
  private static final EndpointOverrides NONE = new EndpointOverrides(Map.of(), Map.of());

  private final Map<Name, List<DnsEndpoint>> byName;
  private final Map<InetAddress, DnsEndpoint> byAddress;

  private EndpointOverrides(
      Map<Name, List<DnsEndpoint>> byName, Map<InetAddress, DnsEndpoint> byAddress) {
    this.byName = Map.copyOf(byName);
    this.byAddress = Map.copyOf(byAddress);
  }

  /** No overrides: names resolve through the DNS, addresses stay as they are. */
  public static EndpointOverrides none() {
    return NONE;
  }

  /** A builder of overrides. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The endpoints that replace {@code name}'s address records, if {@code name} is overridden.
   * Names match label-wise and case-insensitively.
   */
  public Optional<List<DnsEndpoint>> forName(Name name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The endpoint to use for {@code address:port}: the override if any, else that endpoint. */
  public DnsEndpoint forAddress(InetAddress address, int port) {
    DnsEndpoint override = byAddress.get(address);
    return override != null ? override : DnsEndpoint.of(address, port);
  }

  /** Whether {@code address} is overridden. */
  public boolean hasAddress(InetAddress address) {
    return byAddress.containsKey(address);
  }

  /** Whether there are no overrides at all. */
  public boolean isEmpty() {
    return byName.isEmpty() && byAddress.isEmpty();
  }

  @Override
  public String toString() {
    return "EndpointOverrides" + byName + byAddress;
  }

  /** Builds {@link EndpointOverrides}; later calls for the same key replace earlier ones. */
  public static final class Builder {
    private final Map<Name, List<DnsEndpoint>> byName = new HashMap<>();
    private final Map<InetAddress, DnsEndpoint> byAddress = new HashMap<>();

    private Builder() {}

    /** Sends whatever targets {@code name} to {@code endpoints} instead. */
    public Builder name(Name name, DnsEndpoint... endpoints) {
      Objects.requireNonNull(name, "name");
      if (!name.isAbsolute()) {
        throw new IllegalArgumentException("name must be absolute: " + name);
      }
      if (endpoints.length == 0) {
        throw new IllegalArgumentException("no endpoints for " + name);
      }
      byName.put(name, List.of(endpoints));
      return this;
    }

    /** Sends whatever targets {@code address} (any port) to {@code endpoint} instead. */
    public Builder address(InetAddress address, DnsEndpoint endpoint) {
      byAddress.put(Objects.requireNonNull(address, "address"),
          Objects.requireNonNull(endpoint, "endpoint"));
      return this;
    }

    /** The overrides. */
    public EndpointOverrides build() {
      return new EndpointOverrides(byName, byAddress);
    }
  }
}
