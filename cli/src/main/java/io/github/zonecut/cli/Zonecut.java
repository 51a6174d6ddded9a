package io.github.zonecut.cli;

import io.github.zonecut.cli.command.DemoCommand;
import io.github.zonecut.cli.command.DsyncCommand;
import io.github.zonecut.cli.command.KeystateCommand;
import io.github.zonecut.cli.command.NotifyCommand;
import io.github.zonecut.cli.command.PlanCommand;
import io.github.zonecut.cli.command.ReceiverCommand;
import io.github.zonecut.cli.command.ScanCommand;
import io.github.zonecut.cli.command.Sig0Command;
import io.github.zonecut.cli.command.UpdateCommand;
import io.github.zonecut.cli.ops.ChildSignalsCommand;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code zonecut} command: the SDK's protocols from a shell. Subcommand groups are listed in
 * {@link #commandGroups()}; every command takes the {@link GlobalOptions} and exits with an
 * {@link ExitCode}.
 */
@Command(
    name = "zonecut",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    usageHelpAutoWidth = true,
    description = "The protocols that cross the DNS zone cut: DSYNC (RFC 9859), SIG(0) "
        + "(RFC 2931), KeyState, UPDATE/NOTIFY delegation management, CDS/CDNSKEY/CSYNC and "
        + "RFC 8901 multi-signer plans.")
public final class Zonecut implements Callable<Integer> {

  @Mixin private GlobalOptions options = new GlobalOptions();

  @Spec private @Nullable CommandSpec spec;

  private final Environment environment;

  /** The command with the given outside world (the clock and the DNS transport). */
  public Zonecut(Environment environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  /**
   * The command groups, in {@code --help} order: the ONE place where a group is registered (a new
   * group is one more element here).
   */
  static List<Object> commandGroups() {
    return List.of(
        new DemoCommand(),
        new DsyncCommand(),
        new Sig0Command(),
        new UpdateCommand(),
        new NotifyCommand(),
        new KeystateCommand(),
        new ChildSignalsCommand(),
        new ReceiverCommand(),
        new ScanCommand(),
        new PlanCommand());
  }

  /** Runs {@code zonecut} with {@code args} and exits with its {@link ExitCode}. */
  public static void main(String[] args) {
    // the libraries log through SLF4J: warnings and errors only, on standard error
    quietLogging(List.of(args).contains("--debug"));
    System.exit(commandLine(Environment.system()).execute(args));
  }

  /**
   * The whole command tree on {@code environment}, with the exit-code footer and the one-line
   * error handlers: what {@link #main} runs, and what tests run with their own writers.
   */
  public static CommandLine commandLine(Environment environment) {
    CommandLine cl = new CommandLine(new Zonecut(environment));
    for (Object group : commandGroups()) {
      cl.addSubcommand(group);
    }
    Failures failures = new Failures();
    cl.setExecutionExceptionHandler(failures);
    cl.setParameterExceptionHandler(failures);
    cl.getCommandSpec().usageMessage().footer(ExitCode.helpFooter());
    for (CommandLine sub : cl.getSubcommands().values()) {
      footer(sub);
    }
    return cl;
  }

  private static void footer(CommandLine cl) {
    cl.getCommandSpec().usageMessage().footer("", "Exit codes: see 'zonecut --help'.");
    for (CommandLine sub : cl.getSubcommands().values()) {
      footer(sub);
    }
  }

  private static void quietLogging(boolean debug) {
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", debug ? "debug" : "warn");
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** The {@code zonecut} command at the root of {@code spec}'s tree. */
  static Zonecut root(CommandSpec spec) {
    Object root = spec.root().userObject();
    if (root instanceof Zonecut z) {
      return z;
    }
    throw new IllegalStateException("not under the zonecut command: " + spec.qualifiedName());
  }

  /** The global options (shared by every subcommand). */
  public GlobalOptions options() {
    return options;
  }

  /** The outside world of this command tree. */
  public Environment environment() {
    return environment;
  }

  @Override
  public Integer call() {
    CommandSpec s = spec;
    if (s == null) {
      throw new IllegalStateException("not run by picocli");
    }
    throw new ParameterException(s.commandLine(), "missing command: one of "
        + String.join(", ", s.subcommands().keySet()));
  }
}
