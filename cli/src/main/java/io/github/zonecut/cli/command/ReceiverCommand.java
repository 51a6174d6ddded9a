package io.github.zonecut.cli.command;

import io.github.zonecut.cli.CommandGroup;
import io.github.zonecut.cli.ops.ReceiverServeCommand;
import picocli.CommandLine.Command;

/** {@code zonecut receiver}: Run a standalone parent: UPDATE, NOTIFY and KeyState receivers. */
@Command(name = "receiver", mixinStandardHelpOptions = true,
    subcommands = {ReceiverServeCommand.class},
    description = "Run a standalone parent: UPDATE, NOTIFY and KeyState receivers.")
public final class ReceiverCommand extends CommandGroup {

  /** For picocli. */
  public ReceiverCommand() {}
}
