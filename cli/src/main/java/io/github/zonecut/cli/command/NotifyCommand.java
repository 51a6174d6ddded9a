package io.github.zonecut.cli.command;

import io.github.zonecut.cli.CommandGroup;
import io.github.zonecut.cli.ops.NotifySendCommand;
import picocli.CommandLine.Command;

/** {@code zonecut notify}: Send a generalized NOTIFY (CDS or CSYNC) to the parent's DSYNC target (RFC 9859). */
@Command(name = "notify", mixinStandardHelpOptions = true,
    subcommands = {NotifySendCommand.class},
    description = "Send a generalized NOTIFY (CDS or CSYNC) to the parent's DSYNC target (RFC 9859).")
public final class NotifyCommand extends CommandGroup {

  /** For picocli. */
  public NotifyCommand() {}
}
