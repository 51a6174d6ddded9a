package io.github.zonecut.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.AddressPolicy.AddressClass;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {

  private static InetAddress mapped(int a, int b, int c, int d) throws Exception {
    return Inet6Address.getByAddress(null, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff,
        (byte) 0xff, (byte) a, (byte) b, (byte) c, (byte) d}, -1);
  }

  @Test
  void anIpv4MappedIpv6AddressIsJudgedByItsIpv4Address() throws Exception {
    // an Inet6Address that Java did not collapse (as Delegation keeps AAAA glue) still goes to
    // the IPv4 address it carries
    assertThat(AddressPolicy.classify(mapped(127, 0, 0, 1))).contains(AddressClass.LOOPBACK);
    assertThat(AddressPolicy.classify(mapped(10, 0, 0, 1))).contains(AddressClass.PRIVATE);
    assertThat(AddressPolicy.classify(mapped(255, 255, 255, 255)))
        .contains(AddressClass.BROADCAST);
    assertThat(AddressPolicy.classify(mapped(192, 0, 2, 1))).isEmpty();
    // the deprecated IPv4-compatible form ::a.b.c.d is reserved
    assertThat(AddressPolicy.classify(InetAddress.getByName("::192.0.2.1")))
        .contains(AddressClass.RESERVED);
  }

  @Test
  void policiesCompareByWhatTheyAllow() {
    assertThat(AddressPolicy.publicOnly().allowed()).isEmpty();
    assertThat(AddressPolicy.allowLoopbackAndPrivateForTesting().allowed())
        .containsExactlyInAnyOrder(AddressClass.LOOPBACK, AddressClass.LINK_LOCAL,
            AddressClass.PRIVATE, AddressClass.SHARED);
    assertThat(AddressPolicy.publicOnly().alsoAllowing(AddressClass.LOOPBACK,
        AddressClass.LINK_LOCAL, AddressClass.PRIVATE, AddressClass.SHARED))
        .isEqualTo(AddressPolicy.allowLoopbackAndPrivateForTesting());
    for (AddressClass c : AddressClass.values()) {
      assertThat(AddressPolicy.allowLoopbackAndPrivateForTesting().allowed().contains(c))
          .as(c.toString()).isEqualTo(!c.isAlwaysRefused());
    }
  }
}
