package io.github.zonecut.cli.command;

import io.github.zonecut.cli.CommandGroup;
import io.github.zonecut.cli.ops.KeystateInquireCommand;
import picocli.CommandLine.Command;

/** {@code zonecut keystate}: Ask the parent's KeyState service about a child's SIG(0) key. */
@Command(name = "keystate", mixinStandardHelpOptions = true,
    subcommands = {KeystateInquireCommand.class},
    description = "Ask the parent's KeyState service about a child's SIG(0) key.")
public final class KeystateCommand extends CommandGroup {

  /** For picocli. */
  public KeystateCommand() {}
}
