package io.github.zonecut.interop;

import java.util.List;

/**
 * The fixed loopback ports of the {@link Testnet}. Fixed rather than ephemeral because a DNS
 * delegation cannot carry a port: Unbound's stub-zones and the DSYNC records name them in
 * configuration written before the servers start. The defaults (5310/5320/5330/5353/5340) are below
 * Linux's ephemeral range, so other tests' port-0 sockets never take them.
 *
 * @param tld named #1 serving {@code test.}
 * @param parent knotd serving {@code parent.test.}
 * @param child named #2 serving the children and {@code operator.test.}
 * @param resolver Unbound, the validating resolver
 * @param knotChild knotd #2 serving the Knot child {@code kchild.parent.test.} on a server of its
 *     own (the parent's knotd would answer for the child's apex, not the delegation)
 */
public record TestnetPorts(int tld, int parent, int child, int resolver, int knotChild) {

  /** System property moving all five ports: base+10, base+20, base+30, base+53, base+40. */
  public static final String PORT_BASE_PROPERTY = "zonecut.interop.portBase";

  /** Environment variable doing the same (the system property wins), e.g. one per work tree. */
  public static final String PORT_BASE_ENV = "ZONECUT_INTEROP_PORT_BASE";

  /** The ports of the shared recipe: 5310, 5320, 5330, 5353, 5340. */
  public static final TestnetPorts DEFAULT = ofBase(5300);

  /** Validates that every port is a distinct non-privileged port. */
  public TestnetPorts {
    List<Integer> all = List.of(tld, parent, child, resolver, knotChild);
    for (int p : all) {
      if (p < 1024 || p > 65535) {
        throw new IllegalArgumentException("testnet port out of range 1024..65535: " + p);
      }
    }
    if (all.stream().distinct().count() != all.size()) {
      throw new IllegalArgumentException("testnet ports must differ: " + all);
    }
  }

  /**
   * Ports base+10 (TLD), base+20 (parent), base+30 (child), base+53 (resolver), base+40 (Knot
   * child). Base+39 is the child named's control channel.
   */
  public static TestnetPorts ofBase(int base) {
    return new TestnetPorts(base + 10, base + 20, base + 30, base + 53, base + 40);
  }

  /**
   * {@link #ofBase} of the {@value #PORT_BASE_PROPERTY} system property, else of the {@value
   * #PORT_BASE_ENV} environment variable, else {@link #DEFAULT}.
   */
  public static TestnetPorts configured() {
    String base = System.getProperty(PORT_BASE_PROPERTY);
    if (base == null || base.isBlank()) {
      base = System.getenv(PORT_BASE_ENV);
    }
    if (base == null || base.isBlank()) {
      return DEFAULT;
    }
    try {
      return ofBase(Integer.parseInt(base.strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(PORT_BASE_PROPERTY + " is not a number: " + base, e);
    }
  }
}
