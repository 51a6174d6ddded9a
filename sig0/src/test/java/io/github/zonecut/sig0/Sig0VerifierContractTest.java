package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.sig0.internal.WireScan;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Issue 9 items 6, 7, 8 and 10: window cap, a full guard, guard required, TTL 0, null. */
class Sig0VerifierContractTest {

  private static Sig0Verifier unguarded(Sig0PublicKey key, Sig0Config config) {
    return Sig0Verifier.builder(Sig0KeyLookup.of(key)).config(config)
        .insecureWithoutReplayGuard().build();
  }

  private static Sig0Config signingWindow(Duration before, Duration after) {
    return Sig0Config.builder().clock(Sig0SignVerifyTest.CONFIG.clock())
        .signingWindow(before, after).build();
  }

  @Test
  void aWindowLongerThanTheCapIsBadTimeBeforeAnyCrypto() throws Exception {
    Sig0KeyPair key = Sig0SignVerifyTest.key(15);
    // Ten years on each side: inside its window at any clock of this decade.
    Duration tenYears = Duration.ofDays(3650);
    byte[] wire = Sig0Signer.create(signingWindow(tenYears, tenYears))
        .sign(Sig0SignVerifyTest.update(), key);
    Sig0Outcome out = unguarded(key.publicKey(), Sig0SignVerifyTest.CONFIG).verify(wire);
    assertThat(out).isEqualTo(new Sig0Outcome.WindowTooLong(tenYears.multipliedBy(2),
        Sig0Config.DEFAULT_MAX_VALIDITY, Sig0SignVerifyTest.NOW.minus(tenYears),
        Sig0SignVerifyTest.NOW.plus(tenYears)));
    assertThat(out.rcode()).isEqualTo(Sig0Outcome.BADTIME);
    // Checked before any key lookup: a stranger's long window is refused the same way.
    Sig0PublicKey other = Sig0SignVerifyTest.key(13).publicKey();
    assertThat(unguarded(other, Sig0SignVerifyTest.CONFIG).verify(wire))
        .isInstanceOf(Sig0Outcome.WindowTooLong.class);
    // A host may raise the cap.
    Sig0Config lenient = Sig0Config.builder().clock(Sig0SignVerifyTest.CONFIG.clock())
        .maxValidity(Duration.ofDays(7300)).build();
    assertThat(unguarded(key.publicKey(), lenient).verify(wire))
        .isInstanceOf(Sig0Outcome.Verified.class);
  }

  @Test
  void aWindowOfExactlyTheCapIsAccepted() throws Exception {
    Sig0KeyPair key = Sig0SignVerifyTest.key(15);
    Duration half = Sig0Config.DEFAULT_MAX_VALIDITY.dividedBy(2);
    byte[] exact = Sig0Signer.create(signingWindow(half, half))
        .sign(Sig0SignVerifyTest.update(), key);
    assertThat(unguarded(key.publicKey(), Sig0SignVerifyTest.CONFIG).verify(exact))
        .isInstanceOf(Sig0Outcome.Verified.class);
    byte[] oneMore = Sig0Signer.create(signingWindow(half, half.plusSeconds(1)))
        .sign(Sig0SignVerifyTest.update(), key);
    assertThat(unguarded(key.publicKey(), Sig0SignVerifyTest.CONFIG).verify(oneMore))
        .isInstanceOf(Sig0Outcome.WindowTooLong.class);
  }

  @Test
  void maxValidityMustBePositiveWholeSeconds() {
    assertThatThrownBy(() -> Sig0Config.builder().maxValidity(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Sig0Config.builder().maxValidity(Duration.ofMillis(1500)).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Sig0Config.defaults().maxValidity()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void aFullGuardRefusesNewSignaturesAndStillCatchesReplays() throws Exception {
    Sig0KeyPair key = Sig0SignVerifyTest.key(15);
    Sig0Signer signer = Sig0Signer.create(Sig0SignVerifyTest.CONFIG);
    org.xbill.DNS.Message m = Sig0SignVerifyTest.update();
    m.getHeader().setID(1);
    byte[] first = signer.sign(m, key);
    m.getHeader().setID(2);
    byte[] second = signer.sign(m, key);
    Sig0ReplayGuard guard = Sig0ReplayGuard.withCapacity(1);
    Sig0Verifier v = Sig0Verifier.builder(Sig0KeyLookup.of(key.publicKey()))
        .config(Sig0SignVerifyTest.CONFIG).replayGuard(guard).build();
    assertThat(v.verify(first)).isInstanceOf(Sig0Outcome.Verified.class);
    Sig0Outcome full = v.verify(second);
    assertThat(full).isInstanceOf(Sig0Outcome.ReplayGuardUnavailable.class);
    assertThat(((Sig0Outcome.ReplayGuardUnavailable) full).full()).isTrue();
    assertThat(full.rcode()).isEqualTo(Sig0Outcome.SERVFAIL);
    // The first is never forgotten to make room.
    assertThat(v.verify(first)).isInstanceOf(Sig0Outcome.Replayed.class);
    assertThat(guard.size()).isEqualTo(1);
  }

  @Test
  void aVerifierWithoutAChosenReplayGuardCannotBeBuilt() {
    Sig0PublicKey key = Sig0SignVerifyTest.key(15).publicKey();
    assertThatThrownBy(() -> Sig0Verifier.builder(Sig0KeyLookup.of(key)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("replayGuard(guard)")
        .hasMessageContaining("insecureWithoutReplayGuard()");
  }

  @Test
  void aSig0WithANonZeroTtlIsMalformed() throws Exception {
    String vector = "sig0-nsupdate-ed25519";
    byte[] wire = TestVectors.wire(vector);
    Sig0Verifier v = unguarded(TestVectors.publicKey(TestVectors.KEY_ED25519),
        Sig0Config.builder().clock(TestVectors.insideWindow(vector)).build());
    assertThat(v.verify(wire)).isInstanceOf(Sig0Outcome.Verified.class);
    int ttl = WireScan.scan(wire).sigStart + 1 + 4; // after the root owner, type and class
    for (int octet : new int[] {0, 3}) {
      byte[] reencoded = wire.clone();
      reencoded[ttl + octet] = (byte) (octet == 0 ? 0x80 : 0x01); // 0x80000000, then 1
      Sig0Outcome out = v.verify(reencoded);
      assertThat(out).isInstanceOf(Sig0Outcome.Malformed.class);
      assertThat(((Sig0Outcome.Malformed) out).what()).contains("TTL");
      assertThat(out.rcode()).isEqualTo(Sig0Outcome.FORMERR);
    }
  }

  @Test
  @SuppressWarnings("NullAway")
  void nullIsAProgrammingErrorNotInput() {
    Sig0Verifier v = Sig0SignVerifyTest.verifier(Sig0SignVerifyTest.key(15));
    assertThatThrownBy(() -> v.verify(null))
        .isExactlyInstanceOf(NullPointerException.class).hasMessage("wire");
    assertThatThrownBy(() -> v.verifyResponse(null, new byte[12]))
        .isExactlyInstanceOf(NullPointerException.class).hasMessage("response");
    assertThatThrownBy(() -> v.verifyResponse(new byte[12], null))
        .isExactlyInstanceOf(NullPointerException.class).hasMessage("query");
  }
}
