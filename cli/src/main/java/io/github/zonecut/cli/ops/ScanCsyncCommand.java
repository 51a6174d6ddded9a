package io.github.zonecut.cli.ops;

import io.github.zonecut.core.CsyncRecord;
import picocli.CommandLine.Command;

/** {@code zonecut scan csync}: see {@link ScanTypeCommand}. */
@Command(name = "csync", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Check the children's CSYNC signals (RFC 7477) and apply accepted NS and glue "
        + "changes to the backend.")
public final class ScanCsyncCommand extends ScanTypeCommand {
  /** For picocli. */
  public ScanCsyncCommand() {}

  @Override
  int type() {
    return CsyncRecord.TYPE;
  }
}
