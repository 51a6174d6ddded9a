package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** The harness's own rules, without any peer: skip vs. fail, PATH lookup, ports, env parsing. */
class PeersTest {

  @Test
  void missingPeerSkipsOutsideCi() {
    assertThatThrownBy(() -> Peers.unavailable("`named` not found on PATH", "bind9", false))
        .isInstanceOf(TestAbortedException.class)
        .hasMessageStartingWith("interop: skipped, `named` not found on PATH — install bind9");
  }

  @Test
  void missingPeerFailsUnderCi() {
    assertThatThrownBy(() -> Peers.unavailable("`named` not found on PATH", "bind9", true))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("interop: FAILED, `named` not found on PATH")
        .hasMessageContaining("CI=true");
  }

  @Test
  void whichFindsOnlyExecutableFilesOnThePath(@TempDir Path a, @TempDir Path b) throws IOException {
    Files.createFile(a.resolve("tool"));
    Path exe = Files.createFile(b.resolve("tool"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    Files.createDirectory(a.resolve("dir"));

    assertThat(Peers.which("tool", a + ":" + b)).contains(exe);
    assertThat(Peers.which("dir", a.toString())).isEmpty();
    assertThat(Peers.which("tool", "")).isEmpty();
    assertThat(Peers.which("tool", null)).isEmpty();
  }

  @Test
  void takenPortsFailClearly() throws IOException {
    try (ServerSocket tcp = new ServerSocket(0, 1, Peers.LOOPBACK)) {
      assertThatThrownBy(() -> Peers.requireFreePort(tcp.getLocalPort(), "knotd"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("port " + tcp.getLocalPort() + "/tcp")
          .hasMessageContaining("knotd")
          .hasMessageContaining(TestnetPorts.PORT_BASE_PROPERTY);
    }
    try (DatagramSocket udp = udpPortFreeOnTcp()) {
      assertThatThrownBy(() -> Peers.requireFreePort(udp.getLocalPort(), "unbound"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("port " + udp.getLocalPort() + "/udp");
    }
  }

  // An ephemeral UDP port whose TCP twin is free, so the check can only fail on UDP (a CI run
  // once drew a UDP port that another socket held on TCP, and the message named TCP instead).
  private static DatagramSocket udpPortFreeOnTcp() throws IOException {
    for (int i = 0; i < 50; i++) {
      DatagramSocket udp = new DatagramSocket(new InetSocketAddress(Peers.LOOPBACK, 0));
      try (ServerSocket tcp = new ServerSocket(udp.getLocalPort(), 1, Peers.LOOPBACK)) {
        return udp;
      } catch (IOException taken) {
        udp.close();
      }
    }
    throw new IOException("no ephemeral UDP port with a free TCP twin in 50 tries");
  }

  @Test
  void freePortIsUsableForBothProtocols() {
    int port = Peers.freePort();
    Peers.requireFreePort(port, "test");
  }

  @Test
  void portsDeriveFromABaseAndMustDiffer() {
    assertThat(TestnetPorts.DEFAULT).isEqualTo(new TestnetPorts(5310, 5320, 5330, 5353, 5340));
    assertThat(TestnetPorts.ofBase(5400).resolver()).isEqualTo(5453);
    assertThat(TestnetPorts.ofBase(5400).knotChild()).isEqualTo(5440);
    assertThatThrownBy(() -> new TestnetPorts(5310, 5310, 5330, 5353, 5340))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TestnetPorts(5310, 5320, 5330, 5353, 5330))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TestnetPorts(53, 5320, 5330, 5353, 5340))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void envFileValuesMayBeQuoted(@TempDir Path dir) throws IOException {
    Path env = Files.writeString(dir.resolve("env.sh"), "# source me\nA=1\nB=\"x y\"\n\nC=\n");

    assertThat(Testnet.parseEnv(env)).isEqualTo(Map.of("A", "1", "B", "x y", "C", ""));
  }

  @Test
  void runCapturesOutputAndExitCode() {
    ToolResult r = Peers.run(Duration.ofSeconds(10), null, Map.of("X", "42"), "in\n",
        List.of("sh", "-c", "cat; echo $X; echo err >&2; exit 3"));

    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.stdoutLines()).containsExactly("in", "42");
    assertThat(r.stderr()).isEqualTo("err\n");
    assertThatThrownBy(r::orThrow).hasMessageContaining("exited with 3");
  }

  @Test
  void runKillsACommandThatOverstaysItsTimeout() {
    assertThatThrownBy(() -> Peers.run(Duration.ofMillis(200), null, Map.of(), List.of("sleep", "30")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not finish");
  }

  @Test
  void pidFilesAreReadDefensively(@TempDir Path dir) throws IOException {
    assertThat(Peers.readPid(dir.resolve("none"))).isEmpty();
    assertThat(Peers.readPid(Files.writeString(dir.resolve("a"), "1234\n"))).contains(1234L);
    assertThat(Peers.readPid(Files.writeString(dir.resolve("b"), "garbage"))).isEmpty();
    assertThat(Peers.readPid(Files.writeString(dir.resolve("c"), ""))).isEmpty();
  }
}
