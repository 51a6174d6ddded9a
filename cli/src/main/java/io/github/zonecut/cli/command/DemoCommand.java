package io.github.zonecut.cli.command;

import io.github.zonecut.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code zonecut demo}: Play the whole zonecut story on an in-process DNS hierarchy (127.0.0.1), step by step. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Play the whole zonecut story on an in-process DNS hierarchy (127.0.0.1), step by step.")
public final class DemoCommand extends CommandGroup {

  /** For picocli. */
  public DemoCommand() {}
}
