/** The {@code zonecut} subcommands, one class per command group. */
@NullMarked
package io.github.zonecut.cli.command;

import org.jspecify.annotations.NullMarked;
