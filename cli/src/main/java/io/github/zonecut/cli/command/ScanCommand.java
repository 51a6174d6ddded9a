package io.github.zonecut.cli.command;

import io.github.zonecut.cli.CommandGroup;
import io.github.zonecut.cli.ops.ScanCdsCommand;
import io.github.zonecut.cli.ops.ScanCsyncCommand;
import picocli.CommandLine.Command;

/** {@code zonecut scan}: Scan children for CDS or CSYNC changes. */
@Command(name = "scan", mixinStandardHelpOptions = true,
    subcommands = {ScanCdsCommand.class, ScanCsyncCommand.class},
    description = "Scan children for CDS or CSYNC changes.")
public final class ScanCommand extends CommandGroup {

  /** For picocli. */
  public ScanCommand() {}
}
