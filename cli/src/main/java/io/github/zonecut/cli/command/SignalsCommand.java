package io.github.zonecut.cli.command;

import io.github.zonecut.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code zonecut signals}: What a DNS operator should publish for a child (CDS/CDNSKEY/CSYNC/_dsboot/_sig0key) and whether every server serves it. */
@Command(name = "signals", mixinStandardHelpOptions = true,
    description = "What a DNS operator should publish for a child (CDS/CDNSKEY/CSYNC/_dsboot/_sig0key) and whether every server serves it.")
public final class SignalsCommand extends CommandGroup {

  /** For picocli. */
  public SignalsCommand() {}
}
