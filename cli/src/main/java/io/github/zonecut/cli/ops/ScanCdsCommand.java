package io.github.zonecut.cli.ops;

import org.xbill.DNS.Type;
import picocli.CommandLine.Command;

/** {@code zonecut scan cds}: see {@link ScanTypeCommand}. */
@Command(name = "cds", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Check the children's CDS/CDNSKEY signals (RFC 7344, RFC 8078, RFC 9615) and "
        + "apply accepted DS changes to the backend.")
public final class ScanCdsCommand extends ScanTypeCommand {
  /** For picocli. */
  public ScanCdsCommand() {}

  @Override
  int type() {
    return Type.CDS;
  }
}
