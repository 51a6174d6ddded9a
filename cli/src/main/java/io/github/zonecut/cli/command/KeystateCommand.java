package io.github.zonecut.cli.command;

import io.github.zonecut.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code zonecut keystate}: Ask the parent's KeyState service about a child's SIG(0) key. */
@Command(name = "keystate", mixinStandardHelpOptions = true,
    description = "Ask the parent's KeyState service about a child's SIG(0) key.")
public final class KeystateCommand extends CommandGroup {

  /** For picocli. */
  public KeystateCommand() {}
}
