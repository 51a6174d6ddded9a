package io.github.zonecut.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The provider labels of HSYNC and HSYNCPARAM: one DNS label, not a name. zonecut accepts
 * letters, digits, hyphen and underscore, 1–63 octets, so a label can never be mistaken for a
 * name (no dot), needs no escaping in presentation form, and fits in any DNS name.
 */
public final class Labels {
  private Labels() {}

  /** The problem with {@code label}, or null when it is a valid provider label. */
  public static @Nullable String problem(byte[] label) {
    if (label.length < 1 || label.length > 63) {
      return "label length " + label.length + " outside 1..63";
    }
    for (byte b : label) {
      if (!(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-'
          || b == '_')) {
        return "label octet 0x" + Integer.toHexString(b & 0xFF)
            + " is not a letter, digit, '-' or '_'";
      }
    }
    return null;
  }

  /** {@link #problem(byte[])} for a Java string (which must be ASCII to be valid). */
  public static @Nullable String problem(String label) {
    for (int i = 0; i < label.length(); i++) {
      if (label.charAt(i) > 0x7E) {
        return "non-ASCII character in label \"" + label + "\"";
      }
    }
    return problem(label.getBytes(StandardCharsets.US_ASCII));
  }

  /** Checks a label given to a constructor. */
  public static String check(String field, String label) {
    String p = problem(Objects.requireNonNull(label, field));
    if (p != null) {
      throw new IllegalArgumentException(field + ": " + p);
    }
    return label;
  }
}
