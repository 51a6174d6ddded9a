package io.github.zonecut.cli.command;

import io.github.zonecut.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code zonecut plan}: Plan an RFC 8901 multi-signer change and check it for glitches. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "Plan an RFC 8901 multi-signer change and check it for glitches.")
public final class PlanCommand extends CommandGroup {

  /** For picocli. */
  public PlanCommand() {}
}
