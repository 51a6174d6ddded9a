package io.github.zonecut.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import org.jspecify.annotations.Nullable;

/**
 * The base of a command group ({@code zonecut sig0}, {@code zonecut dsync}, …): run without a
 * subcommand, it is a usage error naming the subcommands.
 */
public abstract class CommandGroup implements Callable<Integer> {

  @Spec private @Nullable CommandSpec spec; // injected by picocli before call()

  /** For subclasses. */
  protected CommandGroup() {}

  @Override
  public Integer call() {
    CommandSpec spec = this.spec;
    if (spec == null) {
      throw new IllegalStateException("not run by picocli");
    }
    throw new ParameterException(spec.commandLine(), "missing subcommand: one of "
        + String.join(", ", spec.subcommands().keySet()));
  }
}
