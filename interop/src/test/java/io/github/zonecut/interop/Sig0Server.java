package io.github.zonecut.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running {@code sig0tool serve}: miekg/dns verifying SIG(0) on UPDATEs sent to {@link
 * #address()} over UDP or TCP. Made by {@link Sig0Peers#miekgServe}; close it (try-with-resources) to stop it.
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

  /** Waits until the UDP and TCP ports are bound: then our own binds fail. Bounded to 10 s. */
  private void awaitListening() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("sig0tool serve exited early: " + output());
      }
      if (taken(false) && taken(true)) {
        return;
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

  private boolean taken(boolean tcp) {
    try {
      if (tcp) {
        try (ServerSocket probe = new ServerSocket()) {
          probe.bind(address);
        }
      } else {
        try (DatagramSocket probe = new DatagramSocket(null)) {
          probe.bind(address);
        }
      }
      return false;
    } catch (BindException e) {
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where to send the UPDATEs (UDP or TCP, same port). */
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
