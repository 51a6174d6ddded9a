package io.github.zonecut.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Type;

/** The JUnit extension starts the hierarchy; close() releases every socket and thread. */
class ExtensionLifecycleTest {
  @RegisterExtension
  static final TestHierarchyExtension HIERARCHY =
      TestHierarchyExtension.of(b -> b.clock(Dns.CLOCK).zone(".", z -> z.nameservers("a.root-servers.test.")).zone("test."));

  @Test
  void extensionProvidesARunningHierarchyUnderAFakeRoot() throws Exception {
    TestHierarchy h = HIERARCHY.get();
    assertThat(h.trustAnchors()).extracting(r -> r.getName().toString()).containsExactly(".");
    assertThat(Dns.send(h.newValidatingResolver(), "test.", Type.SOA).getHeader().getFlag(Flags.AD)).isTrue();
  }

  @Test
  void closeReleasesSocketsAndThreads() throws Exception {
    long threadsBefore = testkitThreads();
    TestHierarchy h = TestHierarchy.builder().zone("test.").start();
    assertThat(testkitThreads()).isGreaterThan(threadsBefore); // the delay thread starts on first use
    InetSocketAddress ns = h.nameserver("ns1.test.").address();
    InetSocketAddress rec = h.recursive().address();
    h.close();
    h.close(); // idempotent
    for (InetSocketAddress a : new InetSocketAddress[] {ns, rec}) {
      try (DatagramSocket udp = new DatagramSocket(a);
          ServerSocket tcp = new ServerSocket(a.getPort(), 1, a.getAddress())) {
        assertThat(udp.isBound()).isTrue();
        assertThat(tcp.isBound()).isTrue();
      }
    }
    assertThat(testkitThreads()).isEqualTo(threadsBefore); // close() joined both threads
  }

  private static long testkitThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("zonecut-testkit"))
        .count();
  }

  @Test
  void getOutsideTheLifetimeFails() {
    TestHierarchyExtension unused = TestHierarchyExtension.of(b -> b.zone("test."));
    assertThatThrownBy(unused::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("not running");
  }

  @Test
  void builderRejectsMistakes() {
    assertThatThrownBy(() -> TestHierarchy.builder().start()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TestHierarchy.builder().zone("test.").zone("TEST."))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> TestHierarchy.builder().zone("test.", z -> z.records("www.other. A 192.0.2.1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside zone");
    assertThatThrownBy(() -> TestHierarchy.builder().zone("test.", z -> z.records("www A nonsense")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
