package io.github.zonecut.interop;

import java.util.List;

/**
 * What an external tool printed and how it exited.
 *
 * @param command the command line that was run
 * @param exitCode the process exit code
 * @param stdout everything written to standard output (UTF-8)
 * @param stderr everything written to standard error (UTF-8)
 */
public record ToolResult(List<String> command, int exitCode, String stdout, String stderr) {

  /** Copies the command line. */
  public ToolResult {
    command = List.copyOf(command);
  }

  /** Whether the tool exited with status 0. */
  public boolean succeeded() {
    return exitCode == 0;
  }

  /** Standard output split into lines, without trailing empty lines. */
  public List<String> stdoutLines() {
    return stdout.isBlank() ? List.of() : List.of(stdout.strip().split("\\R"));
  }

  /**
   * Returns this result if the tool exited with status 0.
   *
   * @throws IllegalStateException naming the command, its exit code and its output otherwise
   */
  public ToolResult orThrow() {
    if (!succeeded()) {
      throw new IllegalStateException(describe());
    }
    return this;
  }

  /** A one-paragraph description for failure messages. */
  public String describe() {
    return "`" + String.join(" ", command) + "` exited with " + exitCode
        + (stdout.isBlank() ? "" : "\nstdout: " + stdout.strip())
        + (stderr.isBlank() ? "" : "\nstderr: " + stderr.strip());
  }
}
