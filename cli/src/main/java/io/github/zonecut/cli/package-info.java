/**
 * The zonecut command line: the top command {@link io.github.zonecut.cli.Zonecut}, the exit-code
 * table {@link io.github.zonecut.cli.ExitCode}, and what every command shares (global options,
 * output, error reporting, the clock and transport a test can inject).
 */
@NullMarked
package io.github.zonecut.cli;

import org.jspecify.annotations.NullMarked;
