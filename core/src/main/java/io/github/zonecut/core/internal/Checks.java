package io.github.zonecut.core.internal;

import java.time.Duration;

/** Argument checks shared by the builders. */
public final class Checks {
  private Checks() {}

  /** Returns {@code d} if it is positive, else throws naming {@code what}. */
  public static Duration positive(String what, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
    return d;
  }
}
