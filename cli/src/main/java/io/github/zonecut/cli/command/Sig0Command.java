package io.github.zonecut.cli.command;

import io.github.zonecut.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code zonecut sig0}: SIG(0) (RFC 2931): make keys, sign and verify DNS messages. */
@Command(name = "sig0", mixinStandardHelpOptions = true,
    description = "SIG(0) (RFC 2931): make keys, sign and verify DNS messages.")
public final class Sig0Command extends CommandGroup {

  /** For picocli. */
  public Sig0Command() {}
}
