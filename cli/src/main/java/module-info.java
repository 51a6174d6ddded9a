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

  exports io.github.zonecut.cli;
  // picocli fills the commands' annotated fields reflectively
  opens io.github.zonecut.cli to info.picocli;
  opens io.github.zonecut.cli.command to info.picocli;
}
