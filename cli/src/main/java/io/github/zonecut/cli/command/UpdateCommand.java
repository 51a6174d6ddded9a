package io.github.zonecut.cli.command;

import io.github.zonecut.cli.CommandGroup;
import io.github.zonecut.cli.ops.UpdateSendCommand;
import picocli.CommandLine.Command;

/** {@code zonecut update}: Send a signed delegation UPDATE to the parent (draft-ietf-dnsop-delegation-mgmt-via-ddns). */
@Command(name = "update", mixinStandardHelpOptions = true,
    subcommands = {UpdateSendCommand.class},
    description = "Send a signed delegation UPDATE to the parent (draft-ietf-dnsop-delegation-mgmt-via-ddns).")
public final class UpdateCommand extends CommandGroup {

  /** For picocli. */
  public UpdateCommand() {}
}
