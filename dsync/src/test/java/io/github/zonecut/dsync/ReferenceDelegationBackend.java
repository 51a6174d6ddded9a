package io.github.zonecut.dsync;

import io.github.zonecut.core.Delegation;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * The contract's reference model: the simplest {@link DelegationBackend} with the required
 * semantics, a map under one lock, so that {@link DelegationBackendContract} is shown to hold for
 * an in-memory backend and not only for the JDBC one. {@link State} is the "storage" a restart
 * keeps; a backend built with {@code failMidApply} writes the new NS data and then fails before
 * recording the change, and the state is restored (as a transaction would be).
 */
final class ReferenceDelegationBackend implements DelegationBackend {

  /** What survives a "restart": the delegations and the applied change ids. */
  static final class State {
    final Map<Name, Delegation> delegations = new HashMap<>();
    final Map<String, Name> applied = new HashMap<>();
  }

  private final State state;
  private final boolean failMidApply;

  ReferenceDelegationBackend(State state, boolean failMidApply) {
    this.state = state;
    this.failMidApply = failMidApply;
  }

  void put(Delegation d) {
    synchronized (state) {
      state.delegations.put(d.child(), d);
    }
  }

  @Override
  public Optional<Delegation> current(Name child) {
    synchronized (state) {
      return Optional.ofNullable(state.delegations.get(child));
    }
  }

  @Override
  public ApplyResult apply(DelegationChange change) throws BackendException {
    synchronized (state) {
      Name appliedFor = state.applied.get(change.id());
      if (appliedFor != null) {
        return appliedFor.equals(change.child())
            ? new ApplyResult.AlreadyApplied(change.id())
            : new ApplyResult.Rejected(change.id(), "change id already used for another child");
      }
      Delegation stored = state.delegations.get(change.child());
      if (stored == null || !stored.equals(change.expected())) {
        return new ApplyResult.Conflict(change.id(), "stored delegation differs");
      }
      state.delegations.put(change.child(), change.desired());
      if (failMidApply) {
        state.delegations.put(change.child(), stored); // the "rollback"
        throw new BackendException("injected failure mid-apply");
      }
      state.applied.put(change.id(), change.child());
      return new ApplyResult.Applied(change.id());
    }
  }
}
