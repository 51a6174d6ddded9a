package io.github.zonecut.keystate;

import static io.github.zonecut.keystate.Keys.CHILD;
import static io.github.zonecut.keystate.Keys.T0;
import static io.github.zonecut.keystate.Keys.id;
import static io.github.zonecut.keystate.Keys.key;
import static io.github.zonecut.keystate.Keys.selfSigned;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever rolls and retirements a child (or a stranger) sends, the child keeps a trusted key. */
class KeyRollProperties {

  /** One request: roll from key {@code a} to key {@code b}, or retire {@code a} signed by {@code b}. */
  record Op(boolean roll, int a, int b) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    return Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 4),
        Arbitraries.integers().between(0, 4)).as(Op::new).list().ofMaxSize(30);
  }

  @Property(tries = 300)
  void aTrustedKeyIsAlwaysLeftAndARollKeepsTheOldKeyTrusted(@ForAll("ops") List<Op> ops)
      throws Exception {
    TrustRegistry registry = new TrustRegistry(new InMemoryTrustStore(), new RegistryPolicy(
        VerificationPolicy.of(BootstrapMethod.MANUAL), RegistryPolicy.DEFAULT_ALGORITHMS, true),
        Clock.fixed(T0, ZoneOffset.UTC));
    registry.upload(selfSigned(key(0), false), "child");
    registry.approve(id(key(0)), "alice", "ticket");
    for (Op op : ops) {
      boolean signerTrusted = registry.isTrusted(id(key(op.a())));
      RegistryOutcome o = op.roll()
          ? registry.rollTo(id(key(op.a())), key(op.b()), "child")
          : registry.retire(id(key(op.a())), id(key(op.b())), "child");
      assertThat(registry.keysOf(CHILD)).as("a trusted key is left")
          .anyMatch(e -> e.state() == TrustState.TRUSTED);
      if (op.roll() && o instanceof RegistryOutcome.Applied) {
        assertThat(signerTrusted).as("only a trusted key vouches").isTrue();
        assertThat(registry.isTrusted(id(key(op.a())))).as("the old key stays trusted").isTrue();
        assertThat(registry.isTrusted(id(key(op.b())))).isTrue();
      }
      if (!op.roll() && o instanceof RegistryOutcome.Applied) {
        assertThat(registry.isTrusted(id(key(op.b())))).as("retired by a trusted key").isTrue();
        assertThat(registry.find(id(key(op.a())))).isEmpty();
      }
    }
  }
}
