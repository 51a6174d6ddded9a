package io.github.zonecut.core;

/**
 * Input that does not follow its format: truncated or trailing RDATA, an out-of-range field, a
 * compressed name where none is allowed, unparseable presentation text. The message names the
 * field and, for wire input, the octet offset at which the problem was found.
 */
public final class MalformedDataException extends ZonecutException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final int offset;
  private final String problem;

  /**
   * @param field the field that was wrong (e.g. {@code "DSYNC target"})
   * @param offset octet offset into the wire input, or -1 for presentation (text) input
   * @param problem what was wrong
   */
  public MalformedDataException(String field, int offset, String problem) {
    super(field + (offset >= 0 ? " at offset " + offset : "") + ": " + problem);
    this.field = field;
    this.offset = offset;
    this.problem = problem;
  }

  /** Like {@link #MalformedDataException(String, int, String)} with the underlying cause. */
  public MalformedDataException(String field, int offset, String problem, Throwable cause) {
    super(field + (offset >= 0 ? " at offset " + offset : "") + ": " + problem, cause);
    this.field = field;
    this.offset = offset;
    this.problem = problem;
  }

  /** What was wrong, without the field and offset. */
  public String problem() {
    return problem;
  }

  /**
   * The same problem, located in {@code source} (a file path, say): the message then reads
   * {@code source: field: problem}, naming where, what and why once.
   */
  public MalformedDataException in(String source) {
    MalformedDataException located =
        new MalformedDataException(source + ": " + field, offset, problem);
    located.setStackTrace(getStackTrace());
    return located;
  }

  /** The field that was wrong. */
  public String field() {
    return field;
  }

  /** The octet offset into the wire input, or -1 when the input was presentation text. */
  public int offset() {
    return offset;
  }
}
