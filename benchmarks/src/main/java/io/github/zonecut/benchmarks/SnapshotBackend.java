package io.github.zonecut.benchmarks;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.dsync.DelegationBackend;
import io.github.zonecut.dsync.DelegationChange;
import io.github.zonecut.dsync.InMemoryDelegationBackend;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.Name;

/**
 * The scan benchmarks' registry: the delegations loaded before the scan, as a registry's database
 * holds them, and applied changes checked (compare-and-set on {@link DelegationChange#expected()})
 * and counted but not kept. Unlike {@link InMemoryDelegationBackend}, which stores every applied
 * delegation and remembers 100,000 change ids, it holds nothing per applied change, so the heap a
 * scan retains is the scanner's own, and a second pass over the same children (the warm-up)
 * meets the same state as the first.
 */
final class SnapshotBackend implements DelegationBackend {
  private final Map<Name, Delegation> delegations = new HashMap<>();
  private final LongAdder applied = new LongAdder();

  /** Loads (or replaces) the delegation of {@code delegation.child()}; before the scan only. */
  void put(Delegation delegation) {
    delegations.put(delegation.child(), delegation);
  }

  @Override
  public Optional<Delegation> current(Name child) {
    return Optional.ofNullable(delegations.get(child));
  }

  @Override
  public ApplyResult apply(DelegationChange change) {
    Delegation now = delegations.get(change.child());
    if (now == null) {
      return new ApplyResult.Rejected(change.id(), change.child() + " is not delegated");
    }
    if (!now.equals(change.expected())) {
      return new ApplyResult.Conflict(change.id(),
          "the delegation of " + change.child() + " is not the one the decision saw");
    }
    applied.increment();
    return new ApplyResult.Applied(change.id());
  }

  /** Changes applied so far. */
  long applied() {
    return applied.sum();
  }
}
