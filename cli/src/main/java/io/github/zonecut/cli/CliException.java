package io.github.zonecut.cli;

import java.util.Objects;

/**
 * A command's failure with the exit code it stands for: the CLI prints its message as one line
 * ({@code zonecut: <message>}) and exits with {@link #exitCode()}.
 */
public class CliException extends Exception {
  private static final long serialVersionUID = 1L;

  private final ExitCode exitCode;

  /** A failure meaning {@code exitCode}, described by {@code message}. */
  public CliException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = Objects.requireNonNull(exitCode, "exitCode");
  }

  /** A failure meaning {@code exitCode}, described by {@code message}, caused by {@code cause}. */
  public CliException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = Objects.requireNonNull(exitCode, "exitCode");
  }

  /** Bad usage or input ({@link ExitCode#USAGE}). */
  public static CliException usage(String message) {
    return new CliException(ExitCode.USAGE, message);
  }

  /** The exit code this failure stands for. */
  public ExitCode exitCode() {
    return exitCode;
  }
}
