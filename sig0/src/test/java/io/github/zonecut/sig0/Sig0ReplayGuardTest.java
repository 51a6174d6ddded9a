package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class Sig0ReplayGuardTest {

  /** A clock the test can move. */
  static final class MutableClock extends Clock {
    final AtomicReference<Instant> now;

    MutableClock(Instant start) {
      now = new AtomicReference<>(start);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  @Test
  void secondVerificationOfTheSameBytesIsAReplay() throws Exception {
    Sig0KeyPair key = Sig0SignVerifyTest.key(15);
    byte[] wire = Sig0Signer.create(Sig0SignVerifyTest.CONFIG).sign(Sig0SignVerifyTest.update(), key);
    Sig0Verifier v = Sig0SignVerifyTest.verifier(key);
    assertThat(v.verify(wire)).isInstanceOf(Sig0Outcome.Verified.class);
    Sig0Outcome again = v.verify(wire);
    assertThat(again).isEqualTo(new Sig0Outcome.Replayed(key.publicKey()));
    assertThat(again.rcode()).isEqualTo(18);
  }

  @Test
  void withoutTheGuardTheSameBytesVerifyAgain() throws Exception {
    Sig0KeyPair key = Sig0SignVerifyTest.key(15);
    byte[] wire = Sig0Signer.create(Sig0SignVerifyTest.CONFIG).sign(Sig0SignVerifyTest.update(), key);
    Sig0Verifier v = Sig0Verifier.builder(Sig0KeyLookup.of(key.publicKey()))
        .config(Sig0SignVerifyTest.CONFIG).insecureWithoutReplayGuard().build();
    assertThat(v.verify(wire)).isInstanceOf(Sig0Outcome.Verified.class);
    assertThat(v.verify(wire)).isInstanceOf(Sig0Outcome.Verified.class);
    assertThat(v.toString()).contains("NO replay guard");
  }

  @Test
  void aBadSignatureIsNotRecorded() throws Exception {
    Sig0KeyPair key = Sig0SignVerifyTest.key(15);
    byte[] wire = Sig0Signer.create(Sig0SignVerifyTest.CONFIG).sign(Sig0SignVerifyTest.update(), key);
    byte[] bad = wire.clone();
    bad[0] ^= 1;
    Sig0ReplayGuard guard = Sig0ReplayGuard.create();
    Sig0Verifier v = Sig0Verifier.builder(Sig0KeyLookup.of(key.publicKey()))
        .config(Sig0SignVerifyTest.CONFIG).replayGuard(guard).build();
    assertThat(v.verify(bad)).isInstanceOf(Sig0Outcome.BadSignature.class);
    assertThat(guard.size()).isZero();
    assertThat(v.verify(wire)).isInstanceOf(Sig0Outcome.Verified.class);
    assertThat(guard.size()).isEqualTo(1);
  }

  @Test
  void aSignatureAcceptedAgainAfterItsWindowIsBadTimeNotReplay() throws Exception {
    Sig0KeyPair key = Sig0SignVerifyTest.key(15);
    byte[] wire = Sig0Signer.create(Sig0SignVerifyTest.CONFIG).sign(Sig0SignVerifyTest.update(), key);
    MutableClock clock = new MutableClock(Sig0SignVerifyTest.NOW);
    Sig0Verifier v = Sig0Verifier.builder(Sig0KeyLookup.of(key.publicKey()))
        .config(Sig0Config.builder().clock(clock).build()).replayGuard(Sig0ReplayGuard.create()).build();
    assertThat(v.verify(wire)).isInstanceOf(Sig0Outcome.Verified.class);
    clock.now.set(Sig0SignVerifyTest.NOW.plusSeconds(601));
    assertThat(v.verify(wire)).isInstanceOf(Sig0Outcome.BadTime.class);
  }

  @Test
  void capacityMustBePositive() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sig0ReplayGuard.withCapacity(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
