package io.github.zonecut.keystate;

import static io.github.zonecut.keystate.Keys.CHILD;
import static io.github.zonecut.keystate.Keys.T0;
import static io.github.zonecut.keystate.Keys.id;
import static io.github.zonecut.keystate.Keys.key;
import static io.github.zonecut.keystate.Keys.selfSigned;
import static io.github.zonecut.keystate.Keys.signedBy;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.keystate.RegistryOutcome.Applied;
import io.github.zonecut.keystate.RegistryOutcome.Rejected;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;

/**
 * A SIG(0) key roll as a first-class transition (ddns §9.6; issue 10): the child adds a new KEY
 * by an UPDATE signed by its trusted old key, the registry trusts the new key as vouched for by
 * the old one, the old one stays trusted, then the child deletes the old key by an UPDATE signed
 * by the new one.
 */
class KeyRollTest {
  private final Clock clock = Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC);
  private final RegistryPolicy policy = new RegistryPolicy(VerificationPolicy.of(
      BootstrapMethod.AT_APEX, BootstrapMethod.MANUAL), RegistryPolicy.DEFAULT_ALGORITHMS, true);
  private InMemoryTrustStore store;
  private TrustRegistry registry;
  private KEYRecord old;
  private KEYRecord next;

  @BeforeEach
  void trustTheOldKey() throws Exception {
    store = new InMemoryTrustStore();
    registry = new TrustRegistry(store, policy, clock);
    old = key(1);
    next = key(2);
    registry.upload(selfSigned(old, false), "child");
    registry.approve(id(old), "alice", "ticket 1");
    assertThat(registry.isTrusted(id(old))).isTrue();
  }

  @Test
  void theWholeRollKeepsATrustedKeyAtEveryStepAndIsAudited() throws Exception {
    RegistryOutcome added = registry.rollTo(id(old), next, "192.0.2.7");
    assertThat(added).isInstanceOfSatisfying(Applied.class, a -> {
      assertThat(a.key().id()).isEqualTo(id(next));
      assertThat(a.key().state()).isEqualTo(TrustState.TRUSTED);
      assertThat(a.key().rolledFrom()).as("vouched for by the old key").isEqualTo(id(old));
      assertThat(a.removed()).isEmpty();
    });
    assertThat(registry.isTrusted(id(old))).as("the old key stays trusted").isTrue();
    assertThat(registry.isTrusted(id(next))).isTrue();

    RegistryOutcome retired = registry.retire(id(old), id(next), "192.0.2.7");
    assertThat(retired).isInstanceOfSatisfying(Applied.class,
        a -> assertThat(a.removed()).containsExactly(id(old)));
    assertThat(registry.keysOf(CHILD)).singleElement().satisfies(e -> {
      assertThat(e.id()).isEqualTo(id(next));
      assertThat(e.state()).isEqualTo(TrustState.TRUSTED);
    });

    List<AuditEvent> history = registry.history(CHILD);
    assertThat(history).hasSize(4); // upload, approval, roll, retirement
    assertThat(history.get(2)).satisfies(e -> {
      assertThat(e.key()).isEqualTo(id(next));
      assertThat(e.from()).isNull();
      assertThat(e.to()).isEqualTo(TrustState.TRUSTED);
      assertThat(e.actor()).isEqualTo("192.0.2.7");
      assertThat(e.reason()).contains("key roll").contains(id(old).toString());
    });
    assertThat(history.get(3)).satisfies(e -> {
      assertThat(e.key()).isEqualTo(id(old));
      assertThat(e.from()).isEqualTo(TrustState.TRUSTED);
      assertThat(e.to()).isNull();
      assertThat(e.reason()).contains("retired").contains(id(next).toString());
    });
  }

  @Test
  void bothStepsAreIdempotentSoARetriedUpdateChangesNothing() throws Exception {
    registry.rollTo(id(old), next, "child");
    int events = registry.history(CHILD).size();
    assertThat(registry.rollTo(id(old), next, "child")).isInstanceOf(Applied.class);
    registry.retire(id(old), id(next), "child");
    assertThat(registry.retire(id(old), id(next), "child")).isInstanceOf(Applied.class);
    assertThat(registry.history(CHILD)).hasSize(events + 1);
  }

  @Test
  void aKnownKeyIsPromotedByTheRollOfItsTrustedSibling() throws Exception {
    registry.upload(selfSigned(next, false), "child");
    assertThat(registry.rollTo(id(old), next, "child")).isInstanceOfSatisfying(Applied.class,
        a -> assertThat(a.key().state()).isEqualTo(TrustState.TRUSTED));
    assertThat(registry.history(CHILD)).last()
        .satisfies(e -> assertThat(e.from()).isEqualTo(TrustState.KNOWN));
  }

  @Test
  void aRollSignedByAKeyThatIsNotTrustedIsRefused() throws Exception {
    KEYRecord known = key(3);
    registry.upload(selfSigned(known, false), "stranger");
    assertUnchangedAfter(() -> registry.rollTo(id(known), next, "stranger"), "not TRUSTED");
    assertUnchangedAfter(() -> registry.rollTo(id(key(4)), next, "stranger"), "not held");
  }

  @Test
  void retiringTheLastTrustedKeyWithoutATrustedReplacementIsRefused() throws Exception {
    assertUnchangedAfter(() -> registry.retire(id(old), id(old), "child"), "itself");
    registry.upload(selfSigned(next, false), "child");
    assertUnchangedAfter(() -> registry.retire(id(old), id(next), "child"), "not TRUSTED");
    assertUnchangedAfter(() -> registry.retire(id(old), id(key(5)), "child"), "not held");
    assertThat(registry.isTrusted(id(old))).isTrue();
  }

  @Test
  void aRollToAKeyOfAnotherOwnerIsRefused() throws Exception {
    KEYRecord elsewhere = key(Name.fromConstantString("other.parent.example."), 2);
    assertUnchangedAfter(() -> registry.rollTo(id(old), elsewhere, "child"), "its own owner");
    KEYRecord sibling = key(Name.fromConstantString("sibling.parent.example."), 6);
    assertUnchangedAfter(() -> registry.retire(id(old), id(sibling), "child"), "signed by a key");
  }

  @Test
  void aRollToItselfARefusedKeyOrAnAlgorithmOutsidePolicyIsRefused() throws Exception {
    assertUnchangedAfter(() -> registry.rollTo(id(old), old, "child"), "itself");
    registry.upload(selfSigned(next, false), "child");
    registry.refuse(id(next), "alice", "compromised");
    assertUnchangedAfter(() -> registry.rollTo(id(old), next, "child"), "refused");
    TrustRegistry narrow = new TrustRegistry(store, new RegistryPolicy(policy.verification(),
        java.util.Set.of(13), true), clock);
    assertUnchangedAfter(() -> narrow.rollTo(id(old), key(7), "child"), "algorithm");
  }

  @Test
  void withoutThePolicyNeitherStepIsAllowed() throws Exception {
    TrustRegistry strict = new TrustRegistry(store, RegistryPolicy.of(policy.verification()),
        clock);
    assertUnchangedAfter(() -> strict.rollTo(id(old), next, "child"), "policy");
    registry.rollTo(id(old), next, "child");
    assertUnchangedAfter(() -> strict.retire(id(old), id(next), "child"), "policy");
  }

  @Test
  void anUpdateAddingAKeySignedByTheTrustedKeyRecordsTheRoll() throws Exception {
    RegistryOutcome o = registry.upload(signedBy(next, false, old), "child");
    assertThat(o).isInstanceOfSatisfying(Applied.class,
        a -> assertThat(a.key().rolledFrom()).isEqualTo(id(old)));
    assertThat(registry.isTrusted(id(old))).isTrue();
  }

  private interface Step {
    RegistryOutcome run() throws Exception;
  }

  private void assertUnchangedAfter(Step step, String why) throws Exception {
    List<KeyEntry> keys = registry.keysOf(CHILD);
    int events = registry.history(CHILD).size();
    assertThat(step.run()).isInstanceOfSatisfying(Rejected.class,
        r -> assertThat(r.reason()).contains(why));
    assertThat(registry.keysOf(CHILD)).containsExactlyElementsOf(keys);
    assertThat(registry.history(CHILD)).hasSize(events);
  }
}
