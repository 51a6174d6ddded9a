package io.github.zonecut.keystate;

import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Name;

/**
 * Where the {@link TrustRegistry} keeps child keys and its audit trail. Implementations: {@link
 * InMemoryTrustStore} for tests and single-process hosts, {@link JdbcTrustStore} for anything
 * that must survive a restart. A host can implement it over its own database in a few methods.
 *
 * <p>Owner names compare case-insensitively. {@link #apply} is atomic: after a failure nothing of
 * the change is visible.
 */
public interface TrustStore {

  /** The entry of {@code id}, or empty. */
  Optional<KeyEntry> find(KeyIdentity id) throws StoreException;

  /** Every entry owned by {@code owner}, in a stable order. */
  List<KeyEntry> keysOf(Name owner) throws StoreException;

  /** Every entry in {@code state} (a restarted parent resumes the VALIDATING ones). */
  List<KeyEntry> inState(TrustState state) throws StoreException;

  /** Applies the whole change or, on failure, none of it. */
  void apply(RegistryChange change) throws StoreException;

  /** The audit trail of keys owned by {@code owner}, oldest first. */
  List<AuditEvent> history(Name owner) throws StoreException;
}
