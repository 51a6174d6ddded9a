package io.github.zonecut.keystate;

import static io.github.zonecut.keystate.KeyStateResponderAuthTest.CHILD;
import static io.github.zonecut.keystate.KeyStateResponderAuthTest.CLOCK;
import static io.github.zonecut.keystate.KeyStateResponderAuthTest.RECEIVER;
import static io.github.zonecut.keystate.KeyStateResponderAuthTest.SOURCE;
import static io.github.zonecut.keystate.KeyStateResponderAuthTest.id;
import static io.github.zonecut.keystate.KeyStateResponderAuthTest.inquiry;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyLookup;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0Outcome;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0ReplayGuard;
import io.github.zonecut.sig0.Sig0Signer;
import io.github.zonecut.sig0.Sig0Verifier;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * A responder whose own SIG(0) key is ML-DSA (kilobyte signatures, TCP only, ddns §9.1): an
 * inquiry over UDP is answered truncated (TC, RFC 2181 §9), unsigned, without spending its
 * signature in the replay guard, and the same inquiry over TCP gets the signed key state.
 */
class KeyStateResponderUdpTest {

  @ParameterizedTest
  @ValueSource(ints = {199, 228})
  void anMlDsaResponderAnswersUdpTruncatedAndTcpSigned(int alg) throws Exception {
    Sig0KeyPair receiver = Sig0KeyPair.generate(RECEIVER, Sig0Algorithm.of(alg),
        Sig0PublicKey.FLAGS_HOST);
    Sig0KeyPair child = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_HOST);
    TrustRegistry registry = new TrustRegistry(new InMemoryTrustStore(), RegistryPolicy.of(
        VerificationPolicy.of(BootstrapMethod.AT_APEX, BootstrapMethod.MANUAL)), CLOCK);
    registry.upload(new UploadEvidence(CHILD, List.of(child.publicKey().toKeyRecord(3600)), false,
        id(child), CLOCK.instant()), "child");
    registry.approve(id(child), "alice", "ticket");
    Sig0Config config = Sig0Config.builder().clock(CLOCK).build();
    Sig0Signer signer = Sig0Signer.create(config);
    KeyStateResponder responder = KeyStateResponder.builder(registry, receiver).clock(CLOCK)
        .signer(signer).replayGuard(Sig0ReplayGuard.create()).build();
    byte[] query = signer.sign(inquiry(CHILD, child.publicKey().keyTag(), 2), child);

    byte[] overUdp = responder.respond(query, SOURCE, TransportProtocol.UDP).orElseThrow();
    Message u = new Message(overUdp);
    assertThat(u.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(u.getHeader().getID()).isEqualTo(new Message(query).getHeader().getID());
    assertThat(overUdp.length).isLessThanOrEqualTo(Sig0Signer.udpPayloadLimit(query));
    assertThat(u.getSectionArray(Section.ADDITIONAL)).isEmpty();

    byte[] overTcp = responder.respond(query, SOURCE, TransportProtocol.TCP).orElseThrow();
    Message t = new Message(overTcp);
    assertThat(t.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(t.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(KeyStateOption.find(t, Codepoints.DEFAULT)).isPresent();
    assertThat(Sig0Verifier.builder(Sig0KeyLookup.of(receiver.publicKey())).config(config)
        .insecureWithoutReplayGuard().build().verifyResponse(overTcp, query))
        .isInstanceOf(Sig0Outcome.Verified.class);
  }
}
