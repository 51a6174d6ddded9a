package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping by PID file hits only what the harness started: leftovers of a dead run are stopped
 * and removed, a live run's directory is left alone, and a PID whose command line does not name
 * the testnet directory (a recycled PID) is never signalled. Uses {@code sleep} stand-ins.
 */
class LeftoverServersTest {

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killStandIns() {
    started.forEach(Process::destroyForcibly);
  }

  /**
   * One process (no child to orphan) whose command line contains {@code marker}, like {@code
   * named -c DIR/…}.
   */
  private Process standIn(String marker) throws IOException {
    Process p = new ProcessBuilder("perl", "-e", "sleep 300", marker).start();
    started.add(p);
    return p;
  }

  private static Path fakeTestnet(Path workDir, String name, long ownerPid) throws IOException {
    Path dir = Files.createDirectories(workDir.resolve(name).resolve("net/tld"));
    Files.writeString(workDir.resolve(name).resolve("owner.pid"), Long.toString(ownerPid));
    return dir.getParent();
  }

  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor(10, TimeUnit.SECONDS);
    return p.pid();
  }

  @Test
  void leftoversOfADeadRunAreStoppedAndRemoved(@TempDir Path workDir) throws Exception {
    Path net = fakeTestnet(workDir, "testnet-dead", deadPid());
    Process server = standIn(net.toString());
    Files.writeString(net.resolve("tld/named.pid"), server.pid() + "\n");

    Testnet.stopLeftovers(workDir);

    assertThat(server.waitFor(10, TimeUnit.SECONDS)).as("stand-in stopped").isTrue();
    assertThat(workDir.resolve("testnet-dead")).doesNotExist();
  }

  @Test
  void aLiveRunIsLeftAlone(@TempDir Path workDir) throws Exception {
    Path net = fakeTestnet(workDir, "testnet-live", ProcessHandle.current().pid());
    Process server = standIn(net.toString());
    Files.writeString(net.resolve("tld/named.pid"), Long.toString(server.pid()));

    Testnet.stopLeftovers(workDir);

    assertThat(server.isAlive()).isTrue();
    assertThat(net.resolve("tld/named.pid")).exists();
  }

  @Test
  void aPidThatIsNotOursIsNeverSignalled(@TempDir Path workDir) throws Exception {
    Process stranger = standIn("/somewhere/else");

    Peers.stopAll(List.of(stranger.pid()), workDir.toString(), Duration.ofSeconds(1));

    assertThat(stranger.isAlive()).isTrue();
  }
}
