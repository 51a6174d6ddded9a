package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.DnsTransportException;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.keystate.Delayer;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;

/** The retry schedule in virtual time: a fault-injected transport, a recording delayer. */
class UpdateSenderTest {
  static final Name PARENT = Name.fromConstantString("parent.test.");
  static final Name CHILD = Name.fromConstantString("child.parent.test.");
  static final Name TARGET = Name.fromConstantString("updater.parent.test.");
  static final DnsEndpoint A = DnsEndpoint.of("127.0.0.1", 5302);
  static final DnsEndpoint B = DnsEndpoint.of("127.0.0.2", 5302);

  record Try(DnsEndpoint endpoint, TransportProtocol protocol, Duration timeout) {}

  final List<Try> tries = new ArrayList<>();
  final List<Duration> pauses = new ArrayList<>();
  final Delayer delayer = d -> {
    pauses.add(d);
    return CompletableFuture.completedFuture(null);
  };

  DnsTransport failing(DnsTransportException.Reason reason) {
    return (endpoint, request, protocol, timeout) -> {
      tries.add(new Try(endpoint, protocol, timeout));
      return CompletableFuture.failedFuture(new DnsTransportException(reason, "injected"));
    };
  }

  UpdateTarget target() throws Exception {
    Sig0KeyPair receiver = Sig0KeyPair.generate(TARGET, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_HOST);
    return new UpdateTarget(PARENT, TARGET, List.of(A, B), List.of(receiver.publicKey()));
  }

  Message update(Sig0KeyPair key) {
    return UpdateBuilder.of(PARENT).keyBootstrap(key.publicKey());
  }

  @Test
  void aSilentReceiverGetsTheDraftScheduleOverTcpAlternatingAddresses() throws Exception {
    Sig0KeyPair key = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    UpdateOutcome o = UpdateSender.builder(failing(DnsTransportException.Reason.TIMEOUT), delayer)
        .build().send(target(), update(key), key).toCompletableFuture().get();
    assertThat(o).isInstanceOf(UpdateOutcome.NoAnswer.class);
    assertThat(((UpdateOutcome.NoAnswer) o).tries()).isEqualTo(5);
    assertThat(tries).extracting(Try::timeout).containsExactly(Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
        Duration.ofSeconds(80));
    assertThat(tries).extracting(Try::endpoint).containsExactly(A, B, A, B, A);
    assertThat(tries).extracting(Try::protocol).containsOnly(TransportProtocol.TCP);
    // a timeout has already waited: no extra pause
    assertThat(pauses).isEmpty();
  }

  @Test
  void anImmediateFailureWaitsOutItsTimeoutBeforeTheNextTry() throws Exception {
    Sig0KeyPair key = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    UpdateOutcome o = UpdateSender.builder(failing(DnsTransportException.Reason.NETWORK), delayer)
        .build().send(target(), update(key), key).toCompletableFuture().get();
    assertThat(o).isInstanceOf(UpdateOutcome.NoAnswer.class);
    assertThat(pauses).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(20), Duration.ofSeconds(40));
  }

  @Test
  void withoutAReceiverKeyNothingIsSent() throws Exception {
    Sig0KeyPair key = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    UpdateOutcome o = UpdateSender.builder(failing(DnsTransportException.Reason.TIMEOUT), delayer)
        .build().send(target().withReceiverKeys(List.of()), update(key), key)
        .toCompletableFuture().get();
    assertThat(o).isInstanceOf(UpdateOutcome.NoReceiverKey.class);
    assertThat(tries).isEmpty();
  }

  @Test
  void schedulesBelowTheDraftNeedTheLoudMethod() {
    assertThatThrownBy(() -> RetrySchedule.of(Duration.ofSeconds(1), Duration.ofSeconds(8), 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RetrySchedule.of(Duration.ofSeconds(5), Duration.ofSeconds(80), 6))
        .isInstanceOf(IllegalArgumentException.class);
    RetrySchedule fast = RetrySchedule.belowDraftGuidance(Duration.ofMillis(10),
        Duration.ofMillis(40), 4);
    UpdateSender.Builder b = UpdateSender.builder(failing(DnsTransportException.Reason.TIMEOUT),
        delayer);
    assertThatThrownBy(() -> b.retrySchedule(fast)).isInstanceOf(IllegalArgumentException.class);
    assertThat(b.retryScheduleBelowDraftGuidance(fast).build().schedule()).isEqualTo(fast);
    assertThat(fast.timeout(3)).isEqualTo(Duration.ofMillis(40));
    assertThat(RetrySchedule.draftDefault().withinDraftGuidance()).isTrue();
  }

  @Test
  void refusalReasonsFollowTheProfilesEdeCodes() {
    var cp = io.github.zonecut.core.Codepoints.DEFAULT;
    assertThat(RefusalReason.of(cp.edeKeyKnownNotTrusted(), cp))
        .isEqualTo(RefusalReason.KEY_KNOWN_NOT_TRUSTED);
    assertThat(RefusalReason.of(cp.edeKeyValidationFailed(), cp))
        .isEqualTo(RefusalReason.KEY_VALIDATION_FAILED);
    assertThat(RefusalReason.of(cp.edeManualBootstrapRequired(), cp))
        .isEqualTo(RefusalReason.MANUAL_BOOTSTRAP_REQUIRED);
    assertThat(RefusalReason.of(18, cp)).isEqualTo(RefusalReason.POLICY);
  }
}
