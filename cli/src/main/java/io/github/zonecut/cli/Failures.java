package io.github.zonecut.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.zonecut.core.DnsTransportException;
import io.github.zonecut.core.MalformedDataException;
import io.github.zonecut.core.ZonecutException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns whatever went wrong into ONE line on standard error, {@code zonecut: <what was wrong>},
 * and the {@link ExitCode} it stands for; the stack trace follows only with {@code --debug}.
 */
public final class Failures implements IExecutionExceptionHandler, IParameterExceptionHandler {

  /** What a failure means: its exit code and its one-line description. */
  public record Classified(ExitCode exitCode, String message) {}

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    String path = commandPath(cmd);
    err.println("zonecut: " + Inputs.oneLine(ex.getMessage()) + " (see '" + path + " --help')");
    if (hasDebug(args)) {
      err.print(stackTrace(ex));
    }
    err.flush();
    return ExitCode.USAGE.code();
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    Classified c = classify(ex);
    PrintWriter err = cmd.getErr();
    err.println("zonecut: " + c.message());
    if (debug(parseResult)) {
      err.print(stackTrace(ex));
    }
    err.flush();
    return c.exitCode().code();
  }

  /** The exit code and one-line message of {@code failure}. */
  public static Classified classify(Throwable failure) {
    Throwable t = unwrap(failure);
    String msg = message(t);
    if (t instanceof CliException e) {
      return new Classified(e.exitCode(), msg);
    }
    if (t instanceof ParameterException) {
      return new Classified(ExitCode.USAGE, msg);
    }
    if (t instanceof DnsTransportException) {
      return new Classified(ExitCode.NETWORK, msg);
    }
    if (t instanceof MalformedDataException) {
      return new Classified(ExitCode.USAGE, msg);
    }
    if (t instanceof ZonecutException) {
      return new Classified(ExitCode.USAGE, msg);
    }
    if (t instanceof JsonProcessingException j) {
      return new Classified(ExitCode.USAGE, "bad JSON: " + Inputs.jsonProblem(j.getOriginalMessage())
          + (j.getLocation() == null ? ""
              : " (line " + j.getLocation().getLineNr() + ", column "
                  + j.getLocation().getColumnNr() + ")"));
    }
    if (t instanceof NoSuchFileException e) {
      return new Classified(ExitCode.USAGE, "no such file: " + e.getFile());
    }
    if (t instanceof AccessDeniedException e) {
      return new Classified(ExitCode.USAGE, "cannot read " + e.getFile() + ": permission denied");
    }
    if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
      return new Classified(ExitCode.NETWORK, "timed out" + (msg.isEmpty() ? "" : ": " + msg));
    }
    if (t instanceof ConnectException || t instanceof PortUnreachableException
        || t instanceof NoRouteToHostException || t instanceof UnknownHostException
        || t instanceof SocketException) {
      return new Classified(ExitCode.NETWORK, "unreachable: " + msg);
    }
    if (t instanceof IOException) {
      return new Classified(ExitCode.USAGE, msg);
    }
    if (t instanceof IllegalArgumentException || t instanceof DateTimeParseException) {
      return new Classified(ExitCode.USAGE, msg);
    }
    return new Classified(ExitCode.INTERNAL,
        "internal error: " + t.getClass().getName() + (msg.isEmpty() ? "" : ": " + msg));
  }

  /** {@code t}'s stack trace with its causes, as Java prints it (for {@code --debug}). */
  public static String stackTrace(Throwable t) {
    StringBuilder sb = new StringBuilder();
    Throwable cur = t;
    String prefix = "";
    for (int depth = 0; depth < 20; depth++) {
      sb.append(prefix).append(cur).append(System.lineSeparator());
      for (StackTraceElement e : cur.getStackTrace()) {
        sb.append("\tat ").append(e).append(System.lineSeparator());
      }
      Throwable cause = cur.getCause();
      if (cause == null || cause == cur) {
        break;
      }
      cur = cause;
      prefix = "Caused by: ";
    }
    return sb.toString();
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cur = t;
    for (int i = 0; i < 10; i++) {
      Throwable cause = cur.getCause();
      if ((cur instanceof CompletionException || cur instanceof ExecutionException)
          && cause != null) {
        cur = cause;
      } else {
        return cur;
      }
    }
    return cur;
  }

  private static String message(Throwable t) {
    String m = Inputs.oneLine(t.getMessage());
    return m.isEmpty() ? t.getClass().getSimpleName() : m;
  }

  private static boolean debug(ParseResult parseResult) {
    for (CommandLine c : parseResult.asCommandLineList()) {
      if (c.getCommand() instanceof Zonecut z && z.options().debug()) {
        return true;
      }
    }
    ParseResult p = parseResult;
    for (int i = 0; i < 20; i++) {
      if (p.hasMatchedOption("--debug")) {
        return true;
      }
      ParseResult sub = p.subcommand();
      if (sub == null) {
        return false;
      }
      p = sub;
    }
    return false;
  }

  private static boolean hasDebug(String[] args) {
    for (String a : args) {
      if (a.equals("--debug")) {
        return true;
      }
    }
    return false;
  }

  private static String commandPath(CommandLine cmd) {
    return cmd.getCommandSpec().qualifiedName(" ");
  }
}
