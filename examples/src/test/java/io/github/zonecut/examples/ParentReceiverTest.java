package io.github.zonecut.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.DnsRequest;
import io.github.zonecut.core.DnsResponse;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.keystate.BootstrapMethod;
import io.github.zonecut.keystate.InMemoryTrustStore;
import io.github.zonecut.keystate.RegistryPolicy;
import io.github.zonecut.keystate.TrustRegistry;
import io.github.zonecut.keystate.TrustState;
import io.github.zonecut.keystate.VerificationPolicy;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyLookup;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0Outcome;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0ReplayGuard;
import io.github.zonecut.sig0.Sig0Signer;
import io.github.zonecut.sig0.Sig0Verifier;
import io.github.zonecut.testkit.Endpoint;
import io.github.zonecut.testkit.Fault;
import io.github.zonecut.testkit.TestHierarchy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/** The demo's parent receiver over real TCP and UDP on loopback: every answer it can give. */
class ParentReceiverTest {
  static final Name PARENT = Demo.PARENT;
  static final Name CHILD = Demo.CHILD;

  static ExecutorService executor;
  static NioDnsTransport transport;
  static TestHierarchy dns;
  static Sig0KeyPair receiverKey;
  static Sig0KeyPair childKey;

  TrustRegistry registry;
  ParentReceiver receiver;
  Endpoint endpoint;

  @BeforeAll
  static void start() throws Exception {
    executor = Executors.newFixedThreadPool(2);
    transport = NioDnsTransport.create(executor);
    receiverKey = Sig0KeyPair.generate(Demo.RECEIVER, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_HOST);
    childKey = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    dns = TestHierarchy.builder()
        .zone("test.")
        .zone("parent.test.", z -> z.nameservers("ns1.parent.test.", "ddns.parent.test."))
        .zone("child.parent.test.")
        .start();
  }

  @AfterAll
  static void stop() throws Exception {
    transport.close();
    dns.close();
    executor.shutdownNow();
    assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @BeforeEach
  void install() {
    registry = new TrustRegistry(new InMemoryTrustStore(),
        RegistryPolicy.of(VerificationPolicy.of(BootstrapMethod.AT_APEX)), dns.clock());
    receiver = new ParentReceiver(PARENT, List.of(CHILD), registry, receiverKey,
        Sig0Config.builder().clock(dns.clock()).build(), Codepoints.DEFAULT);
    endpoint = dns.nameserver("ddns.parent.test.");
    endpoint.setFault(Fault.script(receiver::respond));
  }

  private DnsResponse send(byte[] wire, TransportProtocol protocol) throws Exception {
    return transport.exchange(endpoint.dnsEndpoint(), DnsRequest.ofWire(wire), protocol,
        Duration.ofSeconds(5)).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static byte[] signedBootstrap() throws Exception {
    return Sig0Signer.create().sign(Demo.bootstrapMessage(childKey), childKey);
  }

  private static Sig0Outcome answerSignature(DnsResponse r, byte[] query) {
    return Sig0Verifier.builder(Sig0KeyLookup.of(receiverKey.publicKey())).replayGuard(Sig0ReplayGuard.create()).build()
        .verifyResponse(r.wire(), query);
  }

  @Test
  void aSelfSignedBootstrapIsRecordedAndTheAnswerIsSigned() throws Exception {
    byte[] wire = signedBootstrap();

    DnsResponse r = send(wire, TransportProtocol.TCP);

    assertThat(r.message().getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(answerSignature(r, wire)).isInstanceOf(Sig0Outcome.Verified.class);
    assertThat(registry.keysOf(CHILD)).singleElement()
        .satisfies(k -> assertThat(k.state()).isEqualTo(TrustState.KNOWN));
    assertThat(receiver.drainJournal()).anyMatch(l -> l.contains("SIG(0) verified"));
  }

  @Test
  void aReplayIsRefusedAsNotAuthoritative() throws Exception {
    byte[] wire = signedBootstrap();
    send(wire, TransportProtocol.TCP);
    receiver.drainJournal();

    DnsResponse again = send(wire, TransportProtocol.TCP);

    assertThat(again.message().getRcode()).isEqualTo(Rcode.NOTAUTH);
    assertThat(receiver.drainJournal()).anyMatch(l -> l.contains("Replayed"));
  }

  @Test
  void aTamperedUpdateIsNotAuthoritativeAndNothingIsRecorded() throws Exception {
    byte[] wire = signedBootstrap();
    wire[1] ^= 0x01;

    DnsResponse r = send(wire, TransportProtocol.TCP);

    assertThat(r.message().getRcode()).isEqualTo(Rcode.NOTAUTH);
    assertThat(registry.keysOf(CHILD)).isEmpty();
    assertThat(receiver.drainJournal()).anyMatch(l -> l.contains("BadSignature"));
  }

  @Test
  void anUpdateOverUdpIsRefused() throws Exception {
    DnsResponse r = send(signedBootstrap(), TransportProtocol.UDP);

    assertThat(r.message().getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(registry.keysOf(CHILD)).isEmpty();
  }

  @Test
  void anUpdateForAnotherZoneIsNotAuthoritative() throws Exception {
    Update u = new Update(Name.fromConstantString("test."));
    u.add(childKey.publicKey().toKeyRecord(3600));
    byte[] wire = Sig0Signer.create().sign(u, childKey);

    assertThat(send(wire, TransportProtocol.TCP).message().getRcode()).isEqualTo(Rcode.NOTAUTH);
  }

  @Test
  void anUpdateWithoutAKeyOfADelegationIsRefused() throws Exception {
    Update u = new Update(PARENT);
    u.add(new TXTRecord(CHILD, DClass.IN, 300, "no key here"));
    byte[] wire = Sig0Signer.create().sign(u, childKey);

    assertThat(send(wire, TransportProtocol.TCP).message().getRcode()).isEqualTo(Rcode.REFUSED);

    Update stranger = new Update(PARENT);
    Sig0KeyPair other = Sig0KeyPair.generate(Name.fromConstantString("other.parent.test."),
        Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    stranger.add(other.publicKey().toKeyRecord(3600));
    byte[] strangerWire = Sig0Signer.create().sign(stranger, other);
    assertThat(send(strangerWire, TransportProtocol.TCP).message().getRcode())
        .as("not a delegation of the parent").isEqualTo(Rcode.REFUSED);
  }

  @Test
  void anUnsignedUpdateIsRefused() throws Exception {
    byte[] wire = Demo.bootstrapMessage(childKey).toWire();

    DnsResponse r = send(wire, TransportProtocol.TCP);

    assertThat(r.message().getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(receiver.drainJournal()).anyMatch(l -> l.contains("Unsigned"));
  }

  @Test
  void ordinaryQueriesGetTheZonesAnswer() throws Exception {
    Message q = Message.newQuery(Record.newRecord(PARENT, Type.SOA, DClass.IN));

    DnsResponse r = send(q.toWire(), TransportProtocol.UDP);

    assertThat(r.message().getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(r.message().getSection(Section.ANSWER)).anyMatch(rr -> rr.getType() == Type.SOA);
  }
}
