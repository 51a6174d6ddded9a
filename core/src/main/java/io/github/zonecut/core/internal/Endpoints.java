package io.github.zonecut.core.internal;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Endpoints as people write them: {@code 192.0.2.1:53} and {@code [2001:db8::1]:53} (RFC 5952
 * §4 and §6), never {@link InetSocketAddress#toString()}'s {@code /192.0.2.1:53} or {@code
 * host/192.0.2.1:53}.
 */
public final class Endpoints {
  private Endpoints() {}

  /** {@code 192.0.2.1:53} or {@code [2001:db8::1]:53}. */
  public static String format(InetAddress address, int port) {
    String host = address(address);
    return (address instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
  }

  /** {@code 192.0.2.1:53} or {@code [2001:db8::1]:53}; an unresolved address as its name. */
  public static String format(InetSocketAddress socketAddress) {
    InetAddress a = socketAddress.getAddress();
    if (a == null) {
      return socketAddress.getHostString() + ":" + socketAddress.getPort();
    }
    return format(a, socketAddress.getPort());
  }

  /** The address alone, IPv6 in the RFC 5952 §4 canonical text form ({@code 2001:db8::1}). */
  public static String address(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] b = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
    }
    // RFC 5952 §4.2: "::" replaces the longest run of two or more zero groups, the first on a tie
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      // RFC 5952 §4.1 and §4.3: no leading zeros, lower case
      sb.append(Integer.toHexString(groups[i]));
    }
    int scope = ((Inet6Address) address).getScopeId();
    if (scope != 0) {
      sb.append('%').append(scope);
    }
    return sb.toString();
  }
}
