package io.github.zonecut.cli;

/**
 * The exit codes of every {@code zonecut} command: one table, printed as the footer of {@code
 * zonecut --help}.
 *
 * <table>
 *   <caption>zonecut exit codes</caption>
 *   <tr><th>code</th><th>meaning</th></tr>
 *   <tr><td>0</td><td>{@link #OK}: done, and the verdict (if any) is the positive one</td></tr>
 *   <tr><td>1</td><td>{@link #NEGATIVE}: done, and the verdict is negative (BADSIG, refused,
 *       no DSYNC found, a glitch found, a demo step that did not behave as specified)</td></tr>
 *   <tr><td>2</td><td>{@link #USAGE}: bad usage or bad input (unknown option, malformed RR,
 *       bad JSON, missing or unreadable key file)</td></tr>
 *   <tr><td>3</td><td>{@link #NETWORK}: a server was unreachable or did not answer in
 *       time</td></tr>
 *   <tr><td>4</td><td>{@link #VALIDATION}: DNSSEC validation failed (BOGUS answer, wrong trust
 *       anchor, an insecure answer where a secure one was required)</td></tr>
 *   <tr><td>5</td><td>{@link #INTERNAL}: an internal error (a bug: please report it with the
 *       {@code --debug} output)</td></tr>
 * </table>
 */
public enum ExitCode {
  /** Done, and the verdict (if any) is the positive one. */
  OK(0, "ok: done; the verdict (if any) is positive"),
  /** Done, and the verdict is negative (BADSIG, refused, nothing found, glitch found). */
  NEGATIVE(1, "negative verdict (BADSIG, refused, not found, glitch, demo step failed)"),
  /** Bad usage or bad input: unknown option, malformed RR, bad JSON, bad key file. */
  USAGE(2, "bad usage or input (option, malformed RR, bad JSON, bad key file)"),
  /** A server was unreachable or timed out. */
  NETWORK(3, "network: unreachable server or timeout"),
  /** DNSSEC validation failed: BOGUS, wrong trust anchor, insecure where secure was required. */
  VALIDATION(4, "DNSSEC validation failed (BOGUS, wrong trust anchor, not SECURE)"),
  /** An internal error: a bug. */
  INTERNAL(5, "internal error (a bug: rerun with --debug and report it)");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  /** The process exit status. */
  public int code() {
    return code;
  }

  /** One line saying what the code means (the {@code --help} footer). */
  public String meaning() {
    return meaning;
  }

  /** The {@code --help} footer: the whole table, one code per line. */
  public static String[] helpFooter() {
    ExitCode[] all = values();
    String[] lines = new String[all.length + 2];
    lines[0] = "";
    lines[1] = "Exit codes:";
    for (int i = 0; i < all.length; i++) {
      lines[i + 2] = "  " + all[i].code + "  " + all[i].meaning;
    }
    return lines;
  }
}
