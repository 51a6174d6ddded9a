package io.github.zonecut.keystate;

import static io.github.zonecut.keystate.Keys.T0;
import static io.github.zonecut.keystate.Keys.id;
import static io.github.zonecut.keystate.Keys.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** What every {@link TrustStore} must do; each implementation's test extends this. */
abstract class TrustStoreContract {

  abstract TrustStore store() throws Exception;

  private static KeyEntry entry(long seed, TrustState state) {
    return new KeyEntry(id(key(seed)), 0x0200, state, BootstrapMethod.UNSIGNED, true,
        T0.plusSeconds(seed),
        state == TrustState.VALIDATING ? new VerificationProgress(2, "digest", T0) : null);
  }

  @Test
  void storesFindsAndRemovesEntriesWithEveryField() throws Exception {
    TrustStore s = store();
    KeyEntry a = entry(1, TrustState.VALIDATING);
    KeyEntry b = new KeyEntry(id(key(2)), 0x0201, TrustState.KNOWN, null, false,
        T0.plusSeconds(2), null);
    AuditEvent ev = new AuditEvent(a.id(), null, TrustState.KNOWN, T0, "who", "why");
    s.apply(new RegistryChange(List.of(a, b), List.of(), List.of(ev)));
    assertThat(s.find(a.id())).contains(a);
    assertThat(s.find(b.id())).contains(b);
    assertThat(s.keysOf(Keys.CHILD)).containsExactly(a, b);
    assertThat(s.inState(TrustState.VALIDATING)).containsExactly(a);
    assertThat(s.history(Keys.CHILD)).containsExactly(ev);

    KeyEntry a2 = new KeyEntry(a.id(), a.flags(), TrustState.TRUSTED, a.method(), true,
        T0.plusSeconds(9), null);
    AuditEvent ev2 = new AuditEvent(a.id(), TrustState.VALIDATING, TrustState.TRUSTED,
        T0.plusSeconds(9), "v", "ok");
    AuditEvent ev3 = new AuditEvent(b.id(), TrustState.KNOWN, null, T0.plusSeconds(9), "v",
        "superseded");
    s.apply(new RegistryChange(List.of(a2), List.of(b.id()), List.of(ev2, ev3)));
    assertThat(s.keysOf(Keys.CHILD)).containsExactly(a2);
    assertThat(s.find(b.id())).isEmpty();
    assertThat(s.history(Keys.CHILD)).containsExactly(ev, ev2, ev3);
  }

  @Test
  void ownersCompareCaseInsensitivelyAndApart() throws Exception {
    TrustStore s = store();
    KeyEntry a = entry(1, TrustState.KNOWN);
    KeyEntry other = new KeyEntry(id(key(Name.fromConstantString("other.example."), 5)), 0,
        TrustState.KNOWN, null, false, T0, null);
    s.apply(new RegistryChange(List.of(a, other), List.of(), List.of()));
    assertThat(s.keysOf(Name.fromConstantString("Child.PARENT.example."))).containsExactly(a);
    assertThat(s.keysOf(Name.fromConstantString("parent.example."))).isEmpty();
    assertThat(s.find(new KeyIdentity(Name.fromConstantString("CHILD.parent.example."),
        a.id().algorithm(), a.id().publicKey()))).contains(a);
  }

  @Test
  void storesTheKeyThatVouchedForARolledKey() throws Exception {
    TrustStore s = store();
    KeyEntry old = entry(1, TrustState.TRUSTED);
    KeyEntry rolled = new KeyEntry(id(key(2)), 0x0200, TrustState.TRUSTED, null, false,
        T0.plusSeconds(2), null, old.id());
    s.apply(new RegistryChange(List.of(old, rolled), List.of(), List.of()));
    assertThat(s.find(rolled.id())).contains(rolled);
    assertThat(s.find(rolled.id()).orElseThrow().rolledFrom()).isEqualTo(old.id());
    assertThat(s.find(old.id()).orElseThrow().rolledFrom()).isNull();
    s.apply(new RegistryChange(List.of(), List.of(old.id()), List.of()));
    assertThat(s.find(rolled.id()).orElseThrow().rolledFrom())
        .as("kept after the old key is retired").isEqualTo(old.id());
  }

  @Test
  void anEmptyChangeChangesNothing() throws Exception {
    TrustStore s = store();
    s.apply(RegistryChange.NONE);
    assertThat(s.keysOf(Keys.CHILD)).isEmpty();
    assertThat(s.history(Keys.CHILD)).isEmpty();
  }
}
