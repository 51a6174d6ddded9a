package io.github.zonecut.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running {@code sig0tool serve}: miekg/dns verifying SIG(0) on UDP UPDATEs sent to {@link
 * #address()}. Made by {@link Sig0Peers#miekgServe}; close it (try-with-resources) to stop it.
 */
public final class Sig0Server implements AutoCloseable {

  private final Process process;
  private final InetSocketAddress address;
  private final Path log;

  private Sig0Server(Process process, InetSocketAddress address, Path log) {
    this.process = process;
    this.address = address;
    this.log = log;
  }

  static Sig0Server start(List<String> command, int port, Path dir) {
    try {
      Path log = Files.createTempFile(dir, "serve-", ".log");
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      InetSocketAddress address = new InetSocketAddress(Peers.LOOPBACK, port);
      Sig0Server server = new Sig0Server(process, address, log);
      server.awaitListening();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** Waits until the UDP port is bound: then our own bind attempt fails. Bounded to 10 s. */
  private void awaitListening() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("sig0tool serve exited early: " + output());
      }
      try (DatagramSocket probe = new DatagramSocket(null)) {
        probe.bind(address);
      } catch (BindException e) {
        return;
      } catch (SocketException e) {
        throw new UncheckedIOException(e);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    close();
    throw new IllegalStateException("sig0tool serve did not bind " + address + " within 10 s");
  }

  /** Where to send the UPDATEs (UDP). */
  public InetSocketAddress address() {
    return address;
  }

  /**
   * Waits until the server has handled its {@code count} messages and exited, then returns its
   * lines (one per message: {@code … VERIFIED name}, {@code … BADSIG: …}, {@code … UNKNOWN-KEY
   * name}, {@code … UNSIGNED}).
   *
   * @throws IllegalStateException if it is still running after {@code timeout} (it is stopped)
   */
  public List<String> awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        close();
        throw new IllegalStateException("sig0tool serve still running after " + timeout
            + " (fewer messages than -count?); output: " + output());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    String out = output().strip();
    return out.isEmpty() ? List.of() : List.of(out.split("\\R"));
  }

  /** What the server printed so far. */
  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Stops the server (SIGTERM, then SIGKILL after 5 s). */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
