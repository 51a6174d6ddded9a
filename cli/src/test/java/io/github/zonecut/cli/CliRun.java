package io.github.zonecut.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;

/** Runs {@code zonecut} in process with captured output: what every CLI test uses. */
public final class CliRun {
  /** What a run printed and returned. */
  public record Result(int exitCode, String out, String err) {}

  private CliRun() {}

  /** Runs {@code args} on the system environment. */
  public static Result run(String... args) {
    return run(Environment.system(), args);
  }

  /** Runs {@code args} with {@code clock}. */
  public static Result run(Clock clock, String... args) {
    return run(Environment.system().withClock(clock), args);
  }

  /** Runs {@code args} on {@code environment}. */
  public static Result run(Environment environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Zonecut.commandLine(environment);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
