package io.github.zonecut.keystate;

import java.util.List;

/**
 * One atomic change of the trust registry: entries written, entries removed, and the audit
 * events that explain them. A {@link TrustStore} applies all of it or none.
 *
 * @param upserts entries to insert or replace (by identity)
 * @param removals identities to remove
 * @param events audit events to append, in order
 */
public record RegistryChange(List<KeyEntry> upserts, List<KeyIdentity> removals,
    List<AuditEvent> events) {

  /** The change that changes nothing. */
  public static final RegistryChange NONE = new RegistryChange(List.of(), List.of(), List.of());

  /** Copies the lists. */
  public RegistryChange {
    upserts = List.copyOf(upserts);
    removals = List.copyOf(removals);
    events = List.copyOf(events);
  }

  /** Whether this change does nothing. */
  public boolean isEmpty() {
    return upserts.isEmpty() && removals.isEmpty() && events.isEmpty();
  }
}
