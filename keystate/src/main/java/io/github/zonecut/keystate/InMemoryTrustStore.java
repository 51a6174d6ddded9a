package io.github.zonecut.keystate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;

/** A {@link TrustStore} in memory: thread-safe, lost when the process ends. */
public final class InMemoryTrustStore implements TrustStore {
  private final Map<KeyIdentity, KeyEntry> entries = new LinkedHashMap<>();
  private final List<AuditEvent> audit = new ArrayList<>();

  @Override
  public synchronized Optional<KeyEntry> find(KeyIdentity id) {
    return Optional.ofNullable(entries.get(id));
  }

  @Override
  public synchronized List<KeyEntry> keysOf(Name owner) {
    return entries.values().stream().filter(e -> e.id().owner().equals(owner)).toList();
  }

  @Override
  public synchronized List<KeyEntry> inState(TrustState state) {
    return entries.values().stream().filter(e -> e.state() == state).toList();
  }

  @Override
  public synchronized void apply(RegistryChange change) {
    for (KeyIdentity id : change.removals()) {
      entries.remove(id);
    }
    for (KeyEntry e : change.upserts()) {
      entries.put(e.id(), e);
    }
    audit.addAll(change.events());
  }

  @Override
  public synchronized List<AuditEvent> history(Name owner) {
    return audit.stream().filter(e -> e.key().owner().equals(owner)).toList();
  }
}
