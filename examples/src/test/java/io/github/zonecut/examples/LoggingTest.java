package io.github.zonecut.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.sig0.DirectorySig0KeyStore;
import io.github.zonecut.sig0.Sig0Config;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A program that depends on zonecut and adds an SLF4J 2 backend (here slf4j-simple 2, as a user
 * would) sees zonecut's log lines: the build manages slf4j-api 2, so the backend binds instead of
 * SLF4J falling back to its no-op logger (issue 14, item 1).
 */
class LoggingTest {

  @Test
  void aZonecutLogLineReachesAnSlf4j2Backend(@TempDir Path dir) throws Exception {
    assertThat(LoggerFactory.getILoggerFactory().getClass().getName())
        .as("bound SLF4J backend").isEqualTo("org.slf4j.simple.SimpleLoggerFactory");

    Files.writeString(dir.resolve("Kchild.example.+015+12345.key"), "not a key\n");
    PrintStream saved = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      DirectorySig0KeyStore.open(dir, Sig0Config.defaults());
    } finally {
      System.setErr(saved);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("WARN")
        .contains("Kchild.example.+015+12345.key");
  }
}
