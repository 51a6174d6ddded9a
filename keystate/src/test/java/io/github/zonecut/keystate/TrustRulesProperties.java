package io.github.zonecut.keystate;

import static io.github.zonecut.keystate.Keys.CHILD;
import static io.github.zonecut.keystate.Keys.T0;
import static io.github.zonecut.keystate.Keys.id;
import static io.github.zonecut.keystate.Keys.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.xbill.DNS.KEYRecord;

/**
 * The bootstrap safety rules as properties over random request sequences (ddns §9.4.1, §11.2),
 * including hostile ones: unsigned uploads, uploads signed by another key, bare deletes.
 */
class TrustRulesProperties {

  /** One request: kind 0–7, the key it concerns, the key that signed it, DEL ANY KEY or not. */
  record Op(int kind, int key, int signer, boolean del) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    return Combinators.combine(Arbitraries.integers().between(0, 7),
            Arbitraries.integers().between(0, 3), Arbitraries.integers().between(-1, 3),
            Arbitraries.of(true, false))
        .as(Op::new).list().ofMinSize(1).ofMaxSize(25);
  }

  @Property(tries = 200)
  void trustedKeysOnlyGoWhenAReplacementBecomesTrusted(@ForAll("ops") List<Op> ops)
      throws Exception {
    KEYRecord[] keys = {key(1), key(2), key(3), key(4)};
    InMemoryTrustStore store = new InMemoryTrustStore();
    RegistryPolicy policy = RegistryPolicy.of(VerificationPolicy.of(
        BootstrapMethod.AT_APEX, BootstrapMethod.UNSIGNED, BootstrapMethod.MANUAL));
    TrustRegistry r = new TrustRegistry(store, policy, Clock.fixed(T0, ZoneOffset.UTC));
    Set<KeyIdentity> everSelfUploaded = new HashSet<>();

    for (Op op : ops) {
      Map<KeyIdentity, TrustState> before = states(r);
      KEYRecord k = keys[op.key()];
      KEYRecord signer = op.signer() < 0 ? null : keys[op.signer()];
      RegistryOutcome outcome = switch (op.kind()) {
        case 0 -> r.upload(Keys.signedBy(k, op.del(), signer), "child");
        case 1 -> r.upload(Keys.selfSigned(k, op.del()), "child");
        case 2 -> r.upload(new UploadEvidence(CHILD, List.of(), true,
            signer == null ? null : id(signer), T0), "stranger");
        case 3 -> r.startValidation(id(k), op.del() ? BootstrapMethod.AT_APEX
            : BootstrapMethod.UNSIGNED, "verifier");
        case 4 -> r.validated(id(k), "verifier", "ok");
        case 5 -> r.validationFailed(id(k), "verifier", "bogus");
        case 6 -> r.approve(id(k), "operator", "ticket");
        default -> r.requireManual(id(k), "verifier", "inconclusive");
      };
      if (op.kind() == 0 && signer != null && id(signer).equals(id(k))
          || op.kind() == 1) {
        everSelfUploaded.add(id(k));
      }
      Map<KeyIdentity, TrustState> after = states(r);

      // proof of possession: a key only ever appears through its own self-signed upload
      assertThat(everSelfUploaded).containsAll(after.keySet());
      // a trusted key never goes unless another key became trusted in the same step
      Set<KeyIdentity> lostTrusted = before.entrySet().stream()
          .filter(e -> e.getValue() == TrustState.TRUSTED && !after.containsKey(e.getKey()))
          .map(Map.Entry::getKey).collect(Collectors.toSet());
      if (!lostTrusted.isEmpty()) {
        assertThat(after.entrySet()).as("promotion in the step that removed %s", lostTrusted)
            .anyMatch(e -> e.getValue() == TrustState.TRUSTED
                && before.get(e.getKey()) != TrustState.TRUSTED);
      }
      // trusted stays trusted while present
      before.forEach((id, s) -> {
        if (s == TrustState.TRUSTED && after.containsKey(id)) {
          assertThat(after.get(id)).isEqualTo(TrustState.TRUSTED);
        }
      });
      // a rejected request changes nothing
      if (outcome instanceof RegistryOutcome.Rejected) {
        assertThat(after).isEqualTo(before);
      }
      // every state is explained by the audit trail's last word on that key
      Map<KeyIdentity, TrustState> lastAudit = new HashMap<>();
      for (AuditEvent e : r.history(CHILD)) {
        lastAudit.put(e.key(), e.to());
      }
      after.forEach((id, s) -> assertThat(lastAudit.get(id)).isEqualTo(s));
      before.keySet().stream().filter(id -> !after.containsKey(id))
          .forEach(id -> assertThat(lastAudit.get(id)).isNull());
    }
  }

  @Property(tries = 100)
  void movesFollowTheTransitionTable(@ForAll TrustState from, @ForAll TrustState to) {
    KeyEntry e = new KeyEntry(id(key(1)), 0, from, null, false, T0, null);
    TrustRules.Decision d = TrustRules.refuse(e, T0, "op", "why");
    assertThat(d.outcome() instanceof RegistryOutcome.Applied)
        .isEqualTo(from.canMoveTo(TrustState.REFUSED));
    assertThat(TrustState.TRUSTED.canMoveTo(to)).as("trusted is left only by removal").isFalse();
    assertThat(from.canMoveTo(from)).isFalse();
  }

  private static Map<KeyIdentity, TrustState> states(TrustRegistry r) throws Exception {
    Map<KeyIdentity, TrustState> m = new HashMap<>();
    for (KeyEntry e : r.keysOf(CHILD)) {
      m.put(e.id(), e.state());
    }
    return m;
  }
}
