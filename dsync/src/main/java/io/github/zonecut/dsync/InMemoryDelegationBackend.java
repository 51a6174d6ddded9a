package io.github.zonecut.dsync;

import io.github.zonecut.core.Delegation;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * A {@link DelegationBackend} in memory, for tests, examples and hosts that publish from their
 * own snapshot: atomic (one lock), idempotent by {@link DelegationChange#id()} (the last 100,000
 * ids are remembered) and compare-and-set on {@link DelegationChange#expected()}.
 */
public final class InMemoryDelegationBackend implements DelegationBackend {
  private static final int REMEMBERED_IDS = 100_000;

  private final Map<Name, Delegation> delegations = new HashMap<>();
  private final Map<String, Boolean> applied = new LinkedHashMap<>(16, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED_IDS;
    }
  };

  /** An empty backend. */
  public InMemoryDelegationBackend() {}

  /** Sets (or replaces) the delegation of {@code delegation.child()}, as a registry would. */
  public synchronized void put(Delegation delegation) {
    delegations.put(delegation.child(), delegation);
  }

  /** Removes the delegation of {@code child}. */
  public synchronized void remove(Name child) {
    delegations.remove(child);
  }

  @Override
  public synchronized Optional<Delegation> current(Name child) {
    return Optional.ofNullable(delegations.get(child));
  }

  @Override
  public synchronized ApplyResult apply(DelegationChange change) {
    if (applied.containsKey(change.id())) {
      return new ApplyResult.AlreadyApplied(change.id());
    }
    Delegation now = delegations.get(change.child());
    if (now == null) {
      return new ApplyResult.Rejected(change.id(), change.child() + " is not delegated");
    }
    if (!now.equals(change.expected())) {
      return new ApplyResult.Conflict(change.id(),
          "the delegation of " + change.child() + " changed since the decision");
    }
    delegations.put(change.child(), change.desired());
    applied.put(change.id(), Boolean.TRUE);
    return new ApplyResult.Applied(change.id());
  }

  @Override
  public synchronized String toString() {
    return "InMemoryDelegationBackend[" + delegations.size() + " delegations]";
  }
}
