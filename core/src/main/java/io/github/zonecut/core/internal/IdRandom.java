package io.github.zonecut.core.internal;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The random source of message IDs, source-port choices and 0x20 case (RFC 5452 §9.2): a
 * cryptographically strong generator of its own per owner. The JDK's default {@code new
 * SecureRandom()} on Linux is NativePRNG, which mixes in a read of {@code /dev/urandom} under one
 * JVM-wide lock on every call: at tens of thousands of queries per second the selector threads and
 * every submitting thread queue on that lock. NIST SP 800-90A Hash_DRBG ({@code "DRBG"}), seeded
 * once from the system's entropy, has no shared state and is as unpredictable.
 */
final class IdRandom {
  private IdRandom() {}

  /** A new generator: {@code DRBG} where the JDK has it (JDK 9+), else the default. */
  static SecureRandom create() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }
}
