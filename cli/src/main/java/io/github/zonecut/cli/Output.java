package io.github.zonecut.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Where a command writes its result: human lines, or (with {@code --json}) JSON, one object per
 * line (a command with one result writes one object; a command with a stream of events, such as
 * the demo's steps, writes one object per event). Human-only lines are dropped in JSON mode and
 * JSON-only objects in human mode, so a command calls both and lets the mode decide.
 */
public final class Output {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final PrintWriter out;
  private final boolean json;

  /** Output to {@code out}, as JSON lines when {@code json}. */
  public Output(PrintWriter out, boolean json) {
    this.out = Objects.requireNonNull(out, "out");
    this.json = json;
  }

  /** Whether the output is JSON. */
  public boolean json() {
    return json;
  }

  /** A new, empty JSON object to fill and {@link #emit}. */
  public ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** A new, empty JSON array. */
  public ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /** Writes one human line ({@link String#format} pattern); nothing in JSON mode. */
  public void line(String format, Object... args) {
    if (!json) {
      out.println(args.length == 0 ? format : String.format(format, args));
      out.flush();
    }
  }

  /** Writes {@code node} as one JSON line; nothing in human mode. */
  public void emit(ObjectNode node) {
    if (json) {
      out.println(toJson(node));
      out.flush();
    }
  }

  /** Writes {@code humanLine} in human mode or {@code node} in JSON mode. */
  public void result(String humanLine, ObjectNode node) {
    if (json) {
      emit(node);
    } else {
      line("%s", humanLine);
    }
  }

  /** The shared mapper (for reading JSON input files with the same settings). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  private static String toJson(ObjectNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
