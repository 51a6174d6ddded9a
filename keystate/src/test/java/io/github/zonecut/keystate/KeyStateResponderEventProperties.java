package io.github.zonecut.keystate;

import static io.github.zonecut.keystate.KeyStateResponderAuthTest.CHILD;
import static io.github.zonecut.keystate.KeyStateResponderAuthTest.CLOCK;
import static io.github.zonecut.keystate.KeyStateResponderAuthTest.RECEIVER;
import static io.github.zonecut.keystate.KeyStateResponderAuthTest.SOURCE;
import static io.github.zonecut.keystate.KeyStateResponderAuthTest.inquiry;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Whatever octets arrive, {@link KeyStateResponder#respond} never throws and emits one event. */
class KeyStateResponderEventProperties {
  private final KeyStateResponder.Builder builder;
  private final List<KeyStateEvent> events = new ArrayList<>();
  private final byte[] inquiry = inquiry(CHILD, 4242, 2).toWire();

  KeyStateResponderEventProperties() throws Exception {
    TrustRegistry registry = new TrustRegistry(new InMemoryTrustStore(), RegistryPolicy.of(
        VerificationPolicy.of(BootstrapMethod.AT_APEX, BootstrapMethod.MANUAL)), CLOCK);
    Sig0KeyPair receiver = Sig0KeyPair.generate(RECEIVER, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_HOST);
    builder = KeyStateResponder.builder(registry, receiver).clock(CLOCK)
        .sourceRateLimit(100_000, java.time.Duration.ofMinutes(1)).listener(events::add);
  }

  @Property(tries = 300)
  void randomOctetsGetOneEvent(@ForAll @Size(max = 80) byte[] octets, @ForAll boolean udp) {
    check(octets, udp);
  }

  @Property(tries = 300)
  void aMutatedInquiryGetsOneEvent(@ForAll @IntRange(min = 0, max = 200) int at,
      @ForAll byte value, @ForAll @IntRange(min = 0, max = 200) int cut, @ForAll boolean udp) {
    byte[] q = inquiry.clone();
    q[at % q.length] = value;
    check(java.util.Arrays.copyOf(q, Math.max(0, q.length - cut % 8)), udp);
  }

  private void check(byte[] octets, boolean udp) {
    events.clear();
    KeyStateResponder r = builder.build();
    Optional<byte[]> answer = r.respond(octets, SOURCE,
        udp ? TransportProtocol.UDP : TransportProtocol.TCP);
    assertThat(events).hasSize(1);
    assertThat(answer.isPresent()).isEqualTo(events.get(0).rcode() >= 0);
  }
}
