package io.github.zonecut.keystate;

import io.github.zonecut.core.Codepoints.KeyStateTable;
import java.util.Objects;
import java.util.Optional;

/**
 * The meanings a KEY-STATE octet can carry, and the versioned tables that map them to numbers
 * (draft-berra-dnsop-keystate-02 §"KEY-STATE" and -03).
 *
 * <p>The same number means different things in the two tables: code 0 asks the receiver to
 * bootstrap the key in -02 and tells the child its request was malformed in -03. A KEY-STATE
 * octet is therefore never interpreted without its {@link KeyStateTable}; numbers that a table
 * does not assign stay numbers ({@link #of} returns empty) and are printed by {@link
 * #mnemonic(KeyStateTable, int)} as {@code UNASSIGNED<n>} or {@code PRIVATE<n>}.
 */
public enum KeyStateCode {
  /** -02 code 0, sent by the child: please bootstrap this key automatically. */
  REQUEST_AUTO_BOOTSTRAP(0, -1, "REQUEST_AUTO_BOOTSTRAP", ""),
  /** -02 code 1, sent by the child: this key needs manual bootstrap. */
  REQUEST_MANUAL_BOOTSTRAP(1, -1, "REQUEST_MANUAL_BOOTSTRAP", ""),
  /** -03 code 0, sent by the receiver: the request was malformed (like FORMERR). */
  REQUEST_MALFORMED(-1, 0, "", "KEY_REQUEST_MALFORMED"),
  /** -03 code 1, sent by the receiver: the state cannot be determined now (like SERVFAIL). */
  TEMPORARY_FAILURE(-1, 1, "", "KEY_TEMPORARY_FAILURE"),
  /** Code 2 in both tables, sent by the child: report the state of KEY-ID. */
  INQUIRE_KEY(2, 2, "INQUIRY_KEY", "INTENT_INQUIRE_KEY"),
  /** Code 4: the key is known and trusted. */
  KEY_TRUSTED(4, 4, "KEY_TRUSTED", "KEY_TRUSTED"),
  /** Code 5: the key is unknown to the receiver. */
  KEY_UNKNOWN(5, 5, "KEY_UNKNOWN", "KEY_UNKNOWN"),
  /** Code 6: the key is invalid, e.g. its data does not fit its algorithm. */
  KEY_INVALID(6, 6, "KEY_INVALID", "KEY_INVALID"),
  /** Code 7: the key is refused by policy, e.g. its algorithm. */
  KEY_REFUSED(7, 7, "KEY_REFUSED", "KEY_REFUSED"),
  /** Code 8: the key is known but its validation failed. */
  KEY_VALIDATION_FAILED(8, 8, "KEY_VALIDATION_FAIL", "KEY_VALIDATION_FAILED"),
  /** Code 9: the key is known, not yet trusted, automatic bootstrap in progress. */
  BOOTSTRAP_AUTO(9, 9, "BOOTSTRAP_AUTO_ONGOING", "KEY_BOOTSTRAP_AUTO"),
  /** Code 10: the key is known, not trusted, and needs manual bootstrap. */
  BOOTSTRAP_MANUAL(10, 10, "BOOTSTRAP_MANUAL_REQUIRED", "KEY_BOOTSTRAP_MANUAL");

  private final int code02;
  private final int code03;
  private final String mnemonic02;
  private final String mnemonic03;

  KeyStateCode(int code02, int code03, String mnemonic02, String mnemonic03) {
    this.code02 = code02;
    this.code03 = code03;
    this.mnemonic02 = mnemonic02;
    this.mnemonic03 = mnemonic03;
  }

  /**
   * The number of this meaning in {@code table}, or empty when that table has no such code (for
   * example {@link #REQUEST_MALFORMED} in -02).
   */
  public Optional<Integer> code(KeyStateTable table) {
    int c = table == KeyStateTable.DRAFT_02 ? code02 : code03;
    return c < 0 ? Optional.empty() : Optional.of(c);
  }

  /**
   * The number of this meaning in {@code table}.
   *
   * @throws IllegalArgumentException when the table has no such code
   */
  public int requireCode(KeyStateTable table) {
    return code(table)
        .orElseThrow(() -> new IllegalArgumentException(this + " has no code in " + table));
  }

  /** Whether a child sends this code (a request) rather than a receiver (a state). */
  public boolean isRequest() {
    return this == REQUEST_AUTO_BOOTSTRAP || this == REQUEST_MANUAL_BOOTSTRAP
        || this == INQUIRE_KEY;
  }

  /**
   * The meaning of {@code code} in {@code table}, or empty for unassigned and private-use numbers.
   *
   * @throws IllegalArgumentException when {@code code} is not an octet
   */
  public static Optional<KeyStateCode> of(KeyStateTable table, int code) {
    Objects.requireNonNull(table, "table");
    checkOctet(code);
    for (KeyStateCode k : values()) {
      if ((table == KeyStateTable.DRAFT_02 ? k.code02 : k.code03) == code) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /**
   * The draft's mnemonic for {@code code} in {@code table}; {@code PRIVATE<n>} for 128–255 and
   * {@code UNASSIGNED<n>} for the rest, so any octet prints.
   */
  public static String mnemonic(KeyStateTable table, int code) {
    return of(table, code)
        .map(k -> table == KeyStateTable.DRAFT_02 ? k.mnemonic02 : k.mnemonic03)
        .orElse((code >= 128 ? "PRIVATE" : "UNASSIGNED") + code);
  }

  static void checkOctet(int code) {
    if (code < 0 || code > 0xFF) {
      throw new IllegalArgumentException("KEY-STATE out of range 0..255: " + code);
    }
  }
}
