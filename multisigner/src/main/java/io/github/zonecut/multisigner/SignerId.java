package io.github.zonecut.multisigner;

import java.util.Objects;

/**
 * Names one signer (DNS provider) of a multi-signer group, as the zone owner's configuration or
 * an HSYNC record's provider label names it. Compared exactly (labels are case-folded on
 * creation).
 *
 * @param label the provider label: 1 to 63 characters, no dots or whitespace
 */
public record SignerId(String label) implements Comparable<SignerId> {

  /** Validates the label and folds it to lower case, as DNS labels compare case-insensitively. */
  public SignerId {
    Objects.requireNonNull(label, "label");
    if (label.isEmpty() || label.length() > 63) {
      throw new IllegalArgumentException("signer label must be 1..63 characters: '" + label + "'");
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      if (c == '.' || Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException("signer label must be one label: '" + label + "'");
      }
    }
    label = label.toLowerCase(java.util.Locale.ROOT);
  }

  /** Returns the signer named {@code label}. */
  public static SignerId of(String label) {
    return new SignerId(label);
  }

  @Override
  public int compareTo(SignerId other) {
    return label.compareTo(other.label);
  }

  @Override
  public String toString() {
    return label;
  }
}
