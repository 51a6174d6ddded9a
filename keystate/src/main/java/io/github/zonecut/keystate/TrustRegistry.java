package io.github.zonecut.keystate;

import io.github.zonecut.keystate.TrustRules.Decision;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;

/**
 * The parent's registry of child SIG(0) keys (draft-ietf-dnsop-delegation-mgmt-via-ddns §9.4):
 * applies {@link TrustRules} to the state kept in a {@link TrustStore}, stamping every change
 * with the injected clock and recording it in the audit trail.
 *
 * <p>Requests are serialised per registry instance; run one instance per store (two processes
 * writing one database would need the host's own locking). Every method that changes state
 * returns a {@link RegistryOutcome}; a broken rule is a {@link RegistryOutcome.Rejected}, never
 * an exception. Only store failures throw.
 *
 * <pre>{@code
 * TrustRegistry registry = new TrustRegistry(new InMemoryTrustStore(),
 *     RegistryPolicy.of(VerificationPolicy.of(BootstrapMethod.AT_APEX)), Clock.systemUTC());
 * RegistryOutcome o = registry.upload(evidence, "192.0.2.1");
 * }</pre>
 */
public final class TrustRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(TrustRegistry.class);

  private final TrustStore store;
  private final RegistryPolicy policy;
  private final Clock clock;

  /**
   * @param store where keys and audit trail live
   * @param policy the parent's rules
   * @param clock stamps transitions and audit events
   */
  public TrustRegistry(TrustStore store, RegistryPolicy policy, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The policy this registry enforces. */
  public RegistryPolicy policy() {
    return policy;
  }

  /**
   * A verified KEY UPDATE from a child: a self-signed bootstrap, a rollover or a delete
   * (ddns §9.4.1, §9.6).
   *
   * @param actor who sent it, for the audit trail (e.g. the source address)
   */
  public synchronized RegistryOutcome upload(UploadEvidence upload, String actor)
      throws StoreException {
    return commit(TrustRules.upload(store.keysOf(upload.child()), upload, policy, actor));
  }

  /**
   * The first step of a key roll (ddns §9.6): {@code newKey}, added by an UPDATE whose SIG(0)
   * verified with the trusted {@code oldKey}, becomes trusted, vouched for by the old key, which
   * stays trusted until {@link #retire retired}. See {@link TrustRules#rollTo}.
   *
   * @param actor who sent it, for the audit trail
   */
  public synchronized RegistryOutcome rollTo(KeyIdentity oldKey, KEYRecord newKey, String actor)
      throws StoreException {
    return commit(TrustRules.rollTo(store.keysOf(oldKey.owner()), oldKey, newKey, policy,
        clock.instant(), actor));
  }

  /**
   * The second step of a key roll (ddns §9.6): {@code oldKey} is removed by an UPDATE whose
   * SIG(0) verified with {@code signedBy}, another trusted key of the same owner (the new one).
   * See {@link TrustRules#retire}.
   *
   * @param actor who sent it, for the audit trail
   */
  public synchronized RegistryOutcome retire(KeyIdentity oldKey, KeyIdentity signedBy,
      String actor) throws StoreException {
    return commit(TrustRules.retire(store.keysOf(oldKey.owner()), oldKey, signedBy, policy,
        clock.instant(), actor));
  }

  /** A verifier starts validating {@code key} with {@code method}. */
  public synchronized RegistryOutcome startValidation(KeyIdentity key, BootstrapMethod method,
      String actor) throws StoreException {
    Optional<KeyEntry> e = store.find(key);
    return e.isEmpty() ? unknown(key)
        : commit(TrustRules.startValidation(e.get(), method, policy, clock.instant(), actor));
  }

  /** A multi-round verifier records how far it got, so that a restart resumes there. */
  public synchronized RegistryOutcome recordProgress(KeyIdentity key,
      VerificationProgress progress) throws StoreException {
    Optional<KeyEntry> e = store.find(key);
    return e.isEmpty() ? unknown(key) : commit(TrustRules.progress(e.get(), progress));
  }

  /** Validation of {@code key} succeeded: it becomes trusted; superseded keys go. */
  public synchronized RegistryOutcome validated(KeyIdentity key, String actor, String evidence)
      throws StoreException {
    Optional<KeyEntry> e = store.find(key);
    return e.isEmpty() ? unknown(key) : commit(TrustRules.validated(e.get(),
        store.keysOf(key.owner()), clock.instant(), actor, evidence));
  }

  /** Validation of {@code key} failed: it is marked so, and every other key stays. */
  public synchronized RegistryOutcome validationFailed(KeyIdentity key, String actor,
      String reason) throws StoreException {
    Optional<KeyEntry> e = store.find(key);
    return e.isEmpty() ? unknown(key)
        : commit(TrustRules.failed(e.get(), clock.instant(), actor, reason));
  }

  /** Automatic validation cannot decide for {@code key}: an operator must. */
  public synchronized RegistryOutcome requireManual(KeyIdentity key, String actor, String reason)
      throws StoreException {
    Optional<KeyEntry> e = store.find(key);
    return e.isEmpty() ? unknown(key)
        : commit(TrustRules.requireManual(e.get(), clock.instant(), actor, reason));
  }

  /**
   * The {@code manual} method: an operator approves {@code key}.
   *
   * @param who the operator, recorded in the audit trail
   * @param why the out-of-band evidence, recorded
   */
  public synchronized RegistryOutcome approve(KeyIdentity key, String who, String why)
      throws StoreException {
    Optional<KeyEntry> e = store.find(key);
    return e.isEmpty() ? unknown(key) : commit(TrustRules.approve(e.get(),
        store.keysOf(key.owner()), policy, clock.instant(), who, why));
  }

  /** An operator refuses {@code key}. */
  public synchronized RegistryOutcome refuse(KeyIdentity key, String who, String why)
      throws StoreException {
    Optional<KeyEntry> e = store.find(key);
    return e.isEmpty() ? unknown(key)
        : commit(TrustRules.refuse(e.get(), clock.instant(), who, why));
  }

  /** The entry of {@code key}, or empty. */
  public Optional<KeyEntry> find(KeyIdentity key) throws StoreException {
    return store.find(key);
  }

  /** Whether {@code key} is trusted to sign delegation UPDATEs for its owner. */
  public boolean isTrusted(KeyIdentity key) throws StoreException {
    return store.find(key).map(e -> e.state() == TrustState.TRUSTED).orElse(false);
  }

  /** Every key of {@code owner}. */
  public List<KeyEntry> keysOf(Name owner) throws StoreException {
    return store.keysOf(owner);
  }

  /** Every key in {@code state}; on start-up a host resumes the VALIDATING ones. */
  public List<KeyEntry> inState(TrustState state) throws StoreException {
    return store.inState(state);
  }

  /** The audit trail of {@code owner}'s keys, oldest first. */
  public List<AuditEvent> history(Name owner) throws StoreException {
    return store.history(owner);
  }

  /**
   * The KeyState code of exactly {@code key} (draft-berra-dnsop-keystate; spec state map), or
   * KEY_UNKNOWN when it is not held. This is what answers an inquiry whose SIG(0) verified with
   * {@code key}.
   */
  public KeyStateCode keyState(KeyIdentity key) throws StoreException {
    return store.find(key).map(e -> e.state().keyStateCode(policy.manualOnly()))
        .orElse(KeyStateCode.KEY_UNKNOWN);
  }

  /**
   * The KeyState code for the key of {@code owner} with tag {@code keyTag}; when several keys
   * share the tag, the most advanced state.
   *
   * @deprecated a tag does not identify a key: a self-uploaded key whose tag collides with the
   *     trusted key's (about 80 k Ed25519 key generations) would be answered KEY_TRUSTED. Answer
   *     with the state of the key that verified the inquiry, {@link #keyState(KeyIdentity)}.
   */
  @Deprecated
  public KeyStateCode keyState(Name owner, int keyTag) throws StoreException {
    return keyStateByTag(owner, keyTag);
  }

  /** The tag-based answer, for unsigned inquiries a host chose to answer. */
  KeyStateCode keyStateByTag(Name owner, int keyTag) throws StoreException {
    return store.keysOf(owner).stream()
        .filter(e -> e.keyTag() == keyTag)
        .min(Comparator.comparingInt(e -> rank(e.state())))
        .map(e -> e.state().keyStateCode(policy.manualOnly()))
        .orElse(KeyStateCode.KEY_UNKNOWN);
  }

  private RegistryOutcome commit(Decision d) throws StoreException {
    store.apply(d.change());
    for (AuditEvent e : d.change().events()) {
      // say what a null state means: a key new to the registry, or one it removed
      LOG.info("key {}: {} -> {} by {}: {}", e.key(),
          e.from() == null ? "(not held)" : e.from(), e.to() == null ? "(removed)" : e.to(),
          e.actor(), e.reason());
    }
    if (d.outcome() instanceof RegistryOutcome.Rejected r) {
      LOG.debug("rejected: {}", r.reason());
    }
    return d.outcome();
  }

  /** Which of several keys sharing a tag answers an inquiry: the most advanced first. */
  private static int rank(TrustState s) {
    switch (s) {
      case TRUSTED:
        return 0;
      case VALIDATING:
        return 1;
      case KNOWN:
        return 2;
      case MANUAL_REQUIRED:
        return 3;
      case VALIDATION_FAILED:
        return 4;
      default:
        return 5;
    }
  }

  private static RegistryOutcome unknown(KeyIdentity key) {
    return new RegistryOutcome.Rejected("unknown key " + key);
  }
}
