package io.github.zonecut.core;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Type;

/**
 * Registers zonecut's record types (DSYNC, CSYNC, HSYNC, HSYNCPARAM) in dnsjava's type registry,
 * so that dnsjava's {@code Message}, {@code Record.fromString}, {@code Record.fromWire} and zone
 * file reader produce {@link DsyncRecord}, {@link CsyncRecord}, {@link HsyncRecord} and {@link
 * HsyncParamRecord} instead of {@code UNKRecord}.
 *
 * <p><b>dnsjava's registry is global to the JVM</b> (more exactly, to the class loader that
 * loaded dnsjava) and unsynchronised: {@code Type.register} replaces a factory in a plain hash
 * map. This class therefore registers at most once, under a lock, and every zonecut entry point
 * calls {@link #register()} before it parses anything. A host whose dnsjava threads are already
 * parsing messages should call it early, before starting them.
 *
 * <p>The HSYNC and HSYNCPARAM type codes are draft numbers taken from a {@link Codepoints}
 * profile. Because the registry is global, only one profile can be registered: a host using
 * another profile calls {@link #register(Codepoints)} before any other zonecut code runs; asking
 * for a different profile afterwards fails loudly instead of silently re-numbering records
 * other threads are reading. The strict {@code fromRdata}/{@code parse} factories of each record
 * type need no registration and take any profile.
 */
public final class ZonecutTypes {
  private static final Object LOCK = new Object();
  private static @Nullable Codepoints registered;

  private ZonecutTypes() {}

  /**
   * Registers the record types with the {@link Codepoints#DEFAULT} codes, unless a profile is
   * already registered (then this does nothing). Idempotent and thread-safe.
   */
  public static void register() {
    synchronized (LOCK) {
      if (registered == null) {
        doRegister(Codepoints.DEFAULT);
      }
    }
  }

  /**
   * Registers the record types with the type codes and mnemonics of {@code codepoints}.
   * Idempotent for an equal profile.
   *
   * @throws IllegalStateException if a different profile is already registered
   */
  public static void register(Codepoints codepoints) {
    Objects.requireNonNull(codepoints, "codepoints");
    synchronized (LOCK) {
      Codepoints current = registered;
      if (current == null) {
        doRegister(codepoints);
      } else if (!current.equals(codepoints)) {
        throw new IllegalStateException("dnsjava's type registry is global and already holds "
            + "zonecut's types for another Codepoints profile (" + current + "); register the "
            + "host's profile before any other zonecut code runs");
      }
    }
  }

  /** The profile registered with dnsjava, if any. */
  public static Optional<Codepoints> registered() {
    synchronized (LOCK) {
      return Optional.ofNullable(registered);
    }
  }

  private static void doRegister(Codepoints cp) {
    Type.register(DsyncRecord.TYPE, "DSYNC", () -> new DsyncRecord(cp));
    Type.register(CsyncRecord.TYPE, "CSYNC", () -> new CsyncRecord(cp));
    Type.register(cp.hsyncType(), "HSYNC", () -> new HsyncRecord(cp));
    Type.register(cp.hsyncParamType(), "HSYNCPARAM", () -> new HsyncParamRecord(cp));
    registered = cp;
  }
}
