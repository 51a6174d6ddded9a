package io.github.zonecut.core;

/**
 * The one checked exception root of zonecut: malformed input, crypto faults and configuration
 * faults. What a peer may legitimately answer is never an exception; it is a sealed outcome type.
 */
public class ZonecutException extends Exception {
  private static final long serialVersionUID = 1L;

  public ZonecutException(String message) {
    super(message);
  }

  public ZonecutException(String message, Throwable cause) {
    super(message, cause);
  }
}
