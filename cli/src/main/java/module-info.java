/**
 * The zonecut command line ({@code zonecut}): every protocol of the SDK from a shell, with
 * {@code --json} output for scripts and one table of exit codes ({@link
 * io.github.zonecut.cli.ExitCode}).
 */
module io.github.zonecut.cli {
  requires io.github.zonecut.core;
  requires io.github.zonecut.sig0;
  requires io.github.zonecut.keystate;
  requires io.github.zonecut.dsync;
  requires io.github.zonecut.multisigner;
  requires io.github.zonecut.testkit;
  requires io.github.zonecut.examples;
  requires org.dnsjava;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires static org.jspecify;
  requires java.sql;
  requires jdk.httpserver;
  requires micrometer.core;
  requires micrometer.registry.prometheus;

  exports io.github.zonecut.cli;
  // the meters a host embedding the receivers can bind too
  exports io.github.zonecut.cli.metrics;
  // picocli fills the commands' annotated fields reflectively
  opens io.github.zonecut.cli to info.picocli;
  opens io.github.zonecut.cli.command to info.picocli;
  opens io.github.zonecut.cli.ops to info.picocli;
}
