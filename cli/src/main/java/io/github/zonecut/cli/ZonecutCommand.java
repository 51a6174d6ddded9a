package io.github.zonecut.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import org.jspecify.annotations.Nullable;

/**
 * The base of every {@code zonecut} command that does something: it opens the run's {@link
 * Session} and {@link Output}, calls {@link #run}, closes the session and turns the returned
 * {@link ExitCode} into the process status. Failures are thrown (a {@link CliException} with its
 * exit code, or any exception {@link Failures} classifies).
 */
public abstract class ZonecutCommand implements Callable<Integer> {

  @Spec private @Nullable CommandSpec spec; // injected by picocli before call()

  /** For subclasses. */
  protected ZonecutCommand() {}

  /**
   * Does the command's work.
   *
   * @return {@link ExitCode#OK} or the code of a negative verdict
   * @throws Exception whatever went wrong; {@link Failures} reports it on one line
   */
  protected abstract ExitCode run(Session session, Output out) throws Exception;

  @Override
  public final Integer call() throws Exception {
    Zonecut root = Zonecut.root(spec());
    Output out = new Output(spec().commandLine().getOut(), root.options().json());
    try (Session session = new Session(root.environment(), root.options())) {
      return run(session, out).code();
    }
  }

  /** This command's picocli model (its name, its writers). */
  protected final CommandSpec spec() {
    CommandSpec s = spec;
    if (s == null) {
      throw new IllegalStateException("not run by picocli");
    }
    return s;
  }
}
