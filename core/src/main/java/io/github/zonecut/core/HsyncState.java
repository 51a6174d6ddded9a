package io.github.zonecut.core;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The State field of HSYNC (draft-leon-dnsop-signaling-zone-owner-intent; tdns HSYNC3).
 *
 * <p>ON is 1 everywhere. OFF is 2 in the draft and 0 in tdns, so both are read as OFF (and so is
 * the profile's {@link Codepoints#hsyncStateOff()}), and OFF is written as the profile says.
 * Any other number (the draft leaves 3–127 undefined and 128–255 private) is kept as it is:
 * printed as a decimal number and parsed back, never an error.
 */
public final class HsyncState {
  private static final int OFF_MARK = -1;

  /** The provider is designated (or being onboarded). */
  public static final HsyncState ON = new HsyncState(1);

  /** The provider is being offboarded or not yet set up. */
  public static final HsyncState OFF = new HsyncState(OFF_MARK);

  private final int code;

  private HsyncState(int code) {
    this.code = code;
  }

  /**
   * The state a wire value stands for in {@code codepoints}: 1 is ON; 0, 2 and the profile's
   * OFF value are OFF; anything else is an unnamed state with that number.
   *
   * @throws IllegalArgumentException outside 0–255
   */
  public static HsyncState fromWire(int value, Codepoints codepoints) {
    if (value < 0 || value > 0xFF) {
      throw new IllegalArgumentException("HSYNC state out of range 0..255: " + value);
    }
    if (value == 1) {
      return ON;
    }
    if (value == 0 || value == 2 || value == codepoints.hsyncStateOff()) {
      return OFF;
    }
    return new HsyncState(value);
  }

  /** The wire value in {@code codepoints}. */
  public int toWire(Codepoints codepoints) {
    return code == OFF_MARK ? codepoints.hsyncStateOff() : code;
  }

  public boolean isOn() {
    return code == 1;
  }

  public boolean isOff() {
    return code == OFF_MARK;
  }

  /**
   * Parses {@code ON}, {@code OFF} (any case) or a decimal 0–255 read as by {@link #fromWire}.
   *
   * @throws MalformedDataException otherwise
   */
  public static HsyncState parse(String text, Codepoints codepoints)
      throws MalformedDataException {
    switch (text.toUpperCase(Locale.ROOT)) {
      case "ON":
        return ON;
      case "OFF":
        return OFF;
      default:
        break;
    }
    if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new MalformedDataException("HSYNC state", -1, "not ON, OFF or 0..255: \"" + text
          + "\"");
    }
    int v = Integer.parseInt(text);
    if (v > 0xFF) {
      throw new MalformedDataException("HSYNC state", -1, "out of range 0..255: " + v);
    }
    return fromWire(v, codepoints);
  }

  /** {@code ON}, {@code OFF}, or the decimal number of an unnamed state. */
  @Override
  public String toString() {
    return code == 1 ? "ON" : code == OFF_MARK ? "OFF" : Integer.toString(code);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof HsyncState && ((HsyncState) o).code == code;
  }

  @Override
  public int hashCode() {
    return code;
  }
}
