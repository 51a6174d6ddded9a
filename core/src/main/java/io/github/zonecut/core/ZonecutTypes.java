package io.github.zonecut.core;

/**
 * Registers zonecut's record types (DSYNC, CSYNC, HSYNC, HSYNCPARAM) in dnsjava's global type
 * registry. Idempotent and thread-safe; every zonecut entry point calls {@link #register()}.
 */
public final class ZonecutTypes {
  private ZonecutTypes() {}

  /** Registers the record types with the {@link Codepoints#DEFAULT} type codes, once. */
  public static void register() {
    // filled in with the record types
  }
}
