package io.github.zonecut.cli.command;

import io.github.zonecut.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code zonecut dsync}: DSYNC (RFC 9859): discover where a child sends its delegation changes. */
@Command(name = "dsync", mixinStandardHelpOptions = true,
    description = "DSYNC (RFC 9859): discover where a child sends its delegation changes.")
public final class DsyncCommand extends CommandGroup {

  /** For picocli. */
  public DsyncCommand() {}
}
