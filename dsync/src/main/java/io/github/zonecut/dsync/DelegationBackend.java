package io.github.zonecut.dsync;

import io.github.zonecut.core.Delegation;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * Where the parent's delegation data lives: a registry database, an EPP backend, a DNS primary
 * reached by TSIG UPDATE. The receivers and the scanner read the current delegation through it and
 * hand it accepted changes; "accepted" and "applied" are separate states (the draft's reference
 * implementation answered NOERROR before applying, spec/anchors.md §1).
 *
 * <p>Implementations apply a {@link DelegationChange} atomically (all of it or nothing) and
 * idempotently (the same {@link DelegationChange#id()} applied twice is applied once), and only
 * while the stored delegation equals {@link DelegationChange#expected()}.
 *
 * <p>Implementations here: {@link JdbcDelegationBackend} (SQLite or PostgreSQL; change ids
 * recorded in the same transaction as the data) and {@link TsigDelegationBackend} (a DNS primary
 * written by RFC 2136 UPDATE with TSIG; a zone has no place for change ids, so a change whose
 * desired delegation is already in place is reported {@link ApplyResult.AlreadyApplied}). A
 * backend's test extends the contract test {@code DelegationBackendContract} (dsync's test-jar).
 * Implementations are safe for concurrent use: of two changes decided against the same
 * delegation, at most one is applied and the other is a {@link ApplyResult.Conflict}.
 */
public interface DelegationBackend {

  /**
   * The delegation the parent publishes now for {@code child}, or empty when the parent does not
   * delegate it.
   *
   * @throws BackendException when the backend cannot be read
   */
  Optional<Delegation> current(Name child) throws BackendException;

  /**
   * Applies {@code change} atomically and idempotently.
   *
   * @return what happened to the change
   * @throws BackendException when the backend failed in a way that left nothing applied
   */
  ApplyResult apply(DelegationChange change) throws BackendException;

  /** What a backend did with a change. */
  sealed interface ApplyResult {
    /** The change is in effect. */
    record Applied(String changeId) implements ApplyResult {}

    /** The change is durably queued and will be applied (counts as success for NOERROR). */
    record Queued(String changeId) implements ApplyResult {}

    /** The change id was applied before; nothing was done now. */
    record AlreadyApplied(String changeId) implements ApplyResult {}

    /** The stored delegation is no longer the one the change was decided against. */
    record Conflict(String changeId, String reason) implements ApplyResult {}

    /** The backend refused the change (a registry rule, a lock); nothing was applied. */
    record Rejected(String changeId, String reason) implements ApplyResult {}
  }
}
