package io.github.zonecut.keystate;

import io.github.zonecut.keystate.RegistryOutcome.Applied;
import io.github.zonecut.keystate.RegistryOutcome.Rejected;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;

/**
 * The bootstrap safety rules of draft-ietf-dnsop-delegation-mgmt-via-ddns §9.4 and §11.2 as pure
 * functions: given the owner's keys as stored and a request, each returns the outcome and the
 * {@link RegistryChange} that a {@link TrustStore} applies. No I/O, no clock, no signatures:
 * {@link TrustRegistry} reads the store, calls a rule and writes its change.
 *
 * <ul>
 *   <li>A bootstrap upload must be signed by the key it uploads (proof of possession).
 *   <li>{@code DEL child ANY KEY} + {@code ADD child KEY} never removes a key at upload; the
 *       owner's other keys go only when the new key becomes trusted.
 *   <li>A failed or abandoned validation leaves the old keys in place.
 *   <li>A KEY delete without an added key is refused unless signed by a trusted key of the owner
 *       and the policy allows management by UPDATE; even then the signer itself stays.
 *   <li>A key roll (ddns §9.6, when the policy allows management by UPDATE) takes two steps,
 *       each signed by a key that is trusted when it arrives: {@link #rollTo} adds the new key,
 *       vouched for by the trusted old key, which stays trusted; {@link #retire} then removes
 *       the old key, signed by another trusted key (the new one). An owner is never left without
 *       a trusted key by a retirement.
 * </ul>
 */
public final class TrustRules {
  private TrustRules() {}

  /**
   * A rule's verdict.
   *
   * @param outcome what the caller is told
   * @param change what the store must apply ({@link RegistryChange#NONE} when rejected)
   */
  public record Decision(RegistryOutcome outcome, RegistryChange change) {
    /** Checks the fields. */
    public Decision {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(change, "change");
    }

    static Decision rejected(String reason) {
      return new Decision(new Rejected(reason), RegistryChange.NONE);
    }
  }

  /**
   * A KEY UPDATE for {@code upload.child()}.
   *
   * @param ownerKeys every stored key of the child
   * @param actor recorded in the audit trail, e.g. the UPDATE's source address
   */
  public static Decision upload(List<KeyEntry> ownerKeys, UploadEvidence upload,
      RegistryPolicy policy, String actor) {
    Name child = upload.child();
    KeyIdentity signer = upload.signer();
    if (upload.added().isEmpty()) {
      return upload.deletesKeyRrset()
          ? deleteOthers(ownerKeys, signer, policy, upload.verifiedAt(), actor)
          : Decision.rejected("the UPDATE adds no KEY for " + child);
    }
    if (signer == null) {
      return Decision.rejected("unsigned KEY upload for " + child
          + ": a bootstrap must be signed by the uploaded key (proof of possession)");
    }
    if (!signer.owner().equals(child)) {
      return Decision.rejected("KEY upload for " + child + " signed by a key of " + signer.owner());
    }
    Optional<KEYRecord> self =
        upload.added().stream().filter(signer::matches).findFirst();
    if (self.isPresent()) {
      return bootstrap(ownerKeys, self.get(), upload, policy, actor);
    }
    Optional<KeyEntry> trustedSigner = find(ownerKeys, signer)
        .filter(e -> e.state() == TrustState.TRUSTED);
    if (trustedSigner.isEmpty()) {
      return Decision.rejected("KEY upload for " + child + " is not signed by the uploaded key "
          + "(no proof of possession) nor by a trusted key of " + child);
    }
    if (!policy.allowRolloverByTrustedKey()) {
      return Decision.rejected("key rollover by UPDATE is not allowed by policy; bootstrap the "
          + "new key with a self-signed upload");
    }
    return rollover(ownerKeys, upload, policy, actor);
  }

  private static Decision bootstrap(List<KeyEntry> ownerKeys, KEYRecord key,
      UploadEvidence upload, RegistryPolicy policy, String actor) {
    KeyIdentity id = KeyIdentity.of(key);
    Instant at = upload.verifiedAt();
    TrustState initial = !policy.algorithms().contains(id.algorithm()) ? TrustState.REFUSED
        : policy.manualOnly() ? TrustState.MANUAL_REQUIRED : TrustState.KNOWN;
    String why = initial == TrustState.REFUSED
        ? "algorithm " + id.algorithm() + " not accepted by policy"
        : "self-signed bootstrap upload" + (upload.deletesKeyRrset() ? " with DEL ANY KEY" : "");
    Optional<KeyEntry> existing = find(ownerKeys, id);
    if (existing.isEmpty()) {
      KeyEntry entry = new KeyEntry(id, key.getFlags(), initial, null, upload.deletesKeyRrset(),
          at, null);
      return new Decision(new Applied(entry, List.of()), new RegistryChange(List.of(entry),
          List.of(), List.of(new AuditEvent(id, null, initial, at, actor, why))));
    }
    KeyEntry old = existing.get();
    if (old.state() == TrustState.TRUSTED || old.state() == TrustState.KNOWN
        || old.state() == TrustState.VALIDATING || old.state() == initial) {
      // Already where a re-upload would put it: nothing to redo, progress is kept.
      return new Decision(new Applied(old, List.of()), RegistryChange.NONE);
    }
    KeyEntry entry = new KeyEntry(id, key.getFlags(), initial, null,
        old.supersedesOthers() || upload.deletesKeyRrset(), at, null);
    return new Decision(new Applied(entry, List.of()), new RegistryChange(List.of(entry),
        List.of(), List.of(new AuditEvent(id, old.state(), initial, at, actor,
            "re-bootstrap: " + why))));
  }

  private static Decision rollover(List<KeyEntry> ownerKeys, UploadEvidence upload,
      RegistryPolicy policy, String actor) {
    Instant at = upload.verifiedAt();
    KeyIdentity signer = Objects.requireNonNull(upload.signer());
    List<KeyEntry> upserts = new ArrayList<>();
    List<AuditEvent> events = new ArrayList<>();
    for (KEYRecord k : upload.added()) {
      KeyIdentity id = KeyIdentity.of(k);
      if (!policy.algorithms().contains(id.algorithm())) {
        return Decision.rejected("algorithm " + id.algorithm() + " not accepted by policy");
      }
      Optional<KeyEntry> old = find(ownerKeys, id);
      if (old.isPresent() && old.get().state() == TrustState.TRUSTED) {
        continue;
      }
      upserts.add(new KeyEntry(id, k.getFlags(), TrustState.TRUSTED, null, false, at, null,
          id.equals(signer) ? null : signer));
      events.add(new AuditEvent(id, old.map(KeyEntry::state).orElse(null), TrustState.TRUSTED,
          at, actor, "added by UPDATE signed by trusted key " + signer));
    }
    List<KeyIdentity> removals = new ArrayList<>();
    if (upload.deletesKeyRrset()) {
      for (KeyEntry e : ownerKeys) {
        if (upload.added().stream().noneMatch(e.id()::matches)) {
          removals.add(e.id());
          events.add(new AuditEvent(e.id(), e.state(), null, at, actor,
              "replaced by UPDATE signed by trusted key " + signer));
        }
      }
    }
    KeyEntry subject = upserts.isEmpty()
        ? find(ownerKeys, KeyIdentity.of(upload.added().get(0))).orElseThrow()
        : upserts.get(0);
    return new Decision(new Applied(subject, removals),
        new RegistryChange(upserts, removals, events));
  }

  private static Decision deleteOthers(List<KeyEntry> ownerKeys, @Nullable KeyIdentity signer,
      RegistryPolicy policy, Instant at, String actor) {
    Optional<KeyEntry> trusted = signer == null ? Optional.empty()
        : find(ownerKeys, signer).filter(e -> e.state() == TrustState.TRUSTED);
    if (trusted.isEmpty()) {
      return Decision.rejected("a KEY delete without a replacement must be signed by a trusted "
          + "key of the child (ddns §11.2)");
    }
    if (!policy.allowRolloverByTrustedKey()) {
      return Decision.rejected("key management by UPDATE is not allowed by policy");
    }
    List<KeyIdentity> removals = new ArrayList<>();
    List<AuditEvent> events = new ArrayList<>();
    for (KeyEntry e : ownerKeys) {
      if (!e.id().equals(signer)) {
        removals.add(e.id());
        events.add(new AuditEvent(e.id(), e.state(), null, at, actor,
            "deleted by UPDATE signed by trusted key " + signer));
      }
    }
    return new Decision(new Applied(trusted.get(), removals),
        new RegistryChange(List.of(), removals, events));
  }

  /**
   * The first step of a key roll (ddns §9.6): the child adds {@code newKey} by an UPDATE signed
   * by its trusted {@code oldKey}. The new key is trusted at once, vouched for by the old one
   * ({@link KeyEntry#rolledFrom()}); the old key stays trusted until it is {@link #retire
   * retired}, so the child is never without a trusted key. Idempotent: a repeated roll to a key
   * already trusted changes nothing.
   *
   * @param ownerKeys every stored key of the owner
   * @param oldKey the key whose SIG(0) verified on the UPDATE
   * @param newKey the KEY record added
   * @return rejected when the old key is not held and trusted, the new key belongs to another
   *     owner or is the old key, its algorithm is not accepted, it was refused, or the policy
   *     does not allow key management by UPDATE
   */
  public static Decision rollTo(List<KeyEntry> ownerKeys, KeyIdentity oldKey, KEYRecord newKey,
      RegistryPolicy policy, Instant at, String actor) {
    KeyIdentity id = KeyIdentity.of(newKey);
    if (!id.owner().equals(oldKey.owner())) {
      return Decision.rejected("key roll from a key of " + oldKey.owner() + " to a key of "
          + id.owner() + ": a key vouches only for keys of its own owner");
    }
    if (id.equals(oldKey)) {
      return Decision.rejected("key roll from " + oldKey + " to itself");
    }
    Optional<KeyEntry> signer = find(ownerKeys, oldKey);
    if (signer.isEmpty() || signer.get().state() != TrustState.TRUSTED) {
      return Decision.rejected("key roll for " + id.owner() + " signed by " + oldKey + ", which is "
          + signer.map(e -> e.state().toString()).orElse("not held") + ", not TRUSTED");
    }
    if (!policy.allowRolloverByTrustedKey()) {
      return Decision.rejected("key rollover by UPDATE is not allowed by policy; bootstrap the "
          + "new key with a self-signed upload");
    }
    if (!policy.algorithms().contains(id.algorithm())) {
      return Decision.rejected("algorithm " + id.algorithm() + " not accepted by policy");
    }
    Optional<KeyEntry> existing = find(ownerKeys, id);
    if (existing.isPresent() && existing.get().state() == TrustState.TRUSTED) {
      return new Decision(new Applied(existing.get(), List.of()), RegistryChange.NONE);
    }
    if (existing.isPresent() && existing.get().state() == TrustState.REFUSED) {
      // An operator's or the policy's refusal is not overridden by the child's other key.
      return Decision.rejected("key " + id + " was refused; a roll does not override that");
    }
    KeyEntry entry = new KeyEntry(id, newKey.getFlags(), TrustState.TRUSTED, null, false, at,
        null, oldKey);
    return new Decision(new Applied(entry, List.of()), new RegistryChange(List.of(entry),
        List.of(), List.of(new AuditEvent(id, existing.map(KeyEntry::state).orElse(null),
            TrustState.TRUSTED, at, actor, "key roll: vouched for by trusted key " + oldKey
                + ", which stays trusted until retired"))));
  }

  /**
   * The second step of a key roll (ddns §9.6): the child deletes {@code oldKey} by an UPDATE
   * signed by another of its trusted keys (the new one). Idempotent: retiring a key no longer
   * held changes nothing.
   *
   * @param ownerKeys every stored key of the owner
   * @param oldKey the key deleted
   * @param signedBy the key whose SIG(0) verified on the UPDATE
   * @return rejected when the signer is not a trusted key of the same owner, is the key being
   *     retired (that would leave the owner without the trusted replacement the retirement
   *     needs), or the policy does not allow key management by UPDATE
   */
  public static Decision retire(List<KeyEntry> ownerKeys, KeyIdentity oldKey,
      KeyIdentity signedBy, RegistryPolicy policy, Instant at, String actor) {
    if (!signedBy.owner().equals(oldKey.owner())) {
      return Decision.rejected("retiring a key of " + oldKey.owner() + " signed by a key of "
          + signedBy.owner());
    }
    if (signedBy.equals(oldKey)) {
      return Decision.rejected("key " + oldKey + " cannot retire itself: the retirement must be "
          + "signed by its trusted replacement (ddns §9.6, §11.2)");
    }
    Optional<KeyEntry> signer = find(ownerKeys, signedBy);
    if (signer.isEmpty() || signer.get().state() != TrustState.TRUSTED) {
      return Decision.rejected("retiring " + oldKey + " signed by " + signedBy + ", which is "
          + signer.map(e -> e.state().toString()).orElse("not held") + ", not TRUSTED: the "
          + "replacement must be trusted first");
    }
    if (!policy.allowRolloverByTrustedKey()) {
      return Decision.rejected("key management by UPDATE is not allowed by policy");
    }
    Optional<KeyEntry> old = find(ownerKeys, oldKey);
    if (old.isEmpty()) {
      return new Decision(new Applied(signer.get(), List.of()), RegistryChange.NONE);
    }
    return new Decision(new Applied(signer.get(), List.of(oldKey)), new RegistryChange(List.of(),
        List.of(oldKey), List.of(new AuditEvent(oldKey, old.get().state(), null, at, actor,
            "key roll: retired by UPDATE signed by trusted key " + signedBy))));
  }

  /**
   * A verifier starts on {@code key} with {@code method}.
   *
   * @return rejected when the policy does not accept the method, the method is manual (that is
   *     {@link #approve}), or the key's state does not allow it
   */
  public static Decision startValidation(KeyEntry key, BootstrapMethod method,
      RegistryPolicy policy, Instant at, String actor) {
    if (method == BootstrapMethod.MANUAL) {
      return Decision.rejected("manual bootstrap is an operator approval, not a validation");
    }
    if (!policy.verification().accepts(method)) {
      return Decision.rejected("bootstrap method " + method + " is not accepted by policy");
    }
    if (key.state() == TrustState.VALIDATING && key.method() != method) {
      // the previous method did not apply: switch, starting the new method's count afresh
      KeyEntry switched = new KeyEntry(key.id(), key.flags(), TrustState.VALIDATING, method,
          key.supersedesOthers(), at, null, key.rolledFrom());
      return new Decision(new Applied(switched, List.of()), new RegistryChange(
          List.of(switched), List.of(), List.of(new AuditEvent(key.id(), TrustState.VALIDATING,
              TrustState.VALIDATING, at, actor, "validation switched from " + key.method()
                  + " to " + method))));
    }
    return move(key, TrustState.VALIDATING, method, at, actor, "validation by " + method,
        List.of());
  }

  /** A verifier records progress on a key it is validating; no state changes. */
  public static Decision progress(KeyEntry key, VerificationProgress progress) {
    if (key.state() != TrustState.VALIDATING) {
      return Decision.rejected("key " + key.id() + " is " + key.state() + ", not VALIDATING");
    }
    KeyEntry entry = key.withProgress(progress);
    return new Decision(new Applied(entry, List.of()),
        new RegistryChange(List.of(entry), List.of(), List.of()));
  }

  /**
   * A verifier succeeded: the key becomes trusted and, if its upload carried DEL ANY KEY, the
   * owner's other keys go now, not earlier.
   */
  public static Decision validated(KeyEntry key, List<KeyEntry> ownerKeys, Instant at,
      String actor, String evidence) {
    if (key.state() != TrustState.VALIDATING) {
      return Decision.rejected("key " + key.id() + " is " + key.state() + ", not VALIDATING");
    }
    return move(key, TrustState.TRUSTED, key.method(), at, actor, evidence, ownerKeys);
  }

  /** A verifier failed: the key is marked, every other key stays. */
  public static Decision failed(KeyEntry key, Instant at, String actor, String reason) {
    if (key.state() != TrustState.VALIDATING) {
      return Decision.rejected("key " + key.id() + " is " + key.state() + ", not VALIDATING");
    }
    return move(key, TrustState.VALIDATION_FAILED, key.method(), at, actor, reason, List.of());
  }

  /** Automatic validation cannot decide: only an operator can. */
  public static Decision requireManual(KeyEntry key, Instant at, String actor, String reason) {
    return move(key, TrustState.MANUAL_REQUIRED, key.method(), at, actor, reason, List.of());
  }

  /**
   * An operator approves {@code key} (the {@code manual} method); superseded keys go as after
   * any promotion.
   *
   * @param who the operator, recorded
   * @param why the out-of-band evidence, recorded
   */
  public static Decision approve(KeyEntry key, List<KeyEntry> ownerKeys, RegistryPolicy policy,
      Instant at, String who, String why) {
    if (!policy.verification().accepts(BootstrapMethod.MANUAL)) {
      return Decision.rejected("manual bootstrap is not accepted by policy");
    }
    if (who.isBlank() || why.isBlank()) {
      return Decision.rejected("a manual approval must say who approved it and why");
    }
    return move(key, TrustState.TRUSTED, BootstrapMethod.MANUAL, at, who, "manual approval: "
        + why, ownerKeys);
  }

  /** An operator (or policy) refuses {@code key}. */
  public static Decision refuse(KeyEntry key, Instant at, String who, String why) {
    return move(key, TrustState.REFUSED, key.method(), at, who, why, List.of());
  }

  private static Decision move(KeyEntry key, TrustState to, @Nullable BootstrapMethod method,
      Instant at, String actor, String reason, List<KeyEntry> ownerKeys) {
    if (!key.state().canMoveTo(to)) {
      return Decision.rejected("key " + key.id() + " cannot move from " + key.state() + " to "
          + to);
    }
    KeyEntry moved = key.moved(to, method, at);
    List<AuditEvent> events = new ArrayList<>();
    events.add(new AuditEvent(key.id(), key.state(), to, at, actor, reason));
    List<KeyIdentity> removals = new ArrayList<>();
    if (to == TrustState.TRUSTED && key.supersedesOthers()) {
      for (KeyEntry other : ownerKeys) {
        if (!other.id().equals(key.id())) {
          removals.add(other.id());
          events.add(new AuditEvent(other.id(), other.state(), null, at, actor,
              "superseded by " + key.id()));
        }
      }
    }
    return new Decision(new Applied(moved, removals),
        new RegistryChange(List.of(moved), removals, events));
  }

  private static Optional<KeyEntry> find(List<KeyEntry> keys, KeyIdentity id) {
    return keys.stream().filter(e -> e.id().equals(id)).findFirst();
  }
}
