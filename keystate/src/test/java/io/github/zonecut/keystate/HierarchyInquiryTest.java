package io.github.zonecut.keystate;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Codepoints.KeyStateTable;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.testkit.Fault;
import io.github.zonecut.testkit.TestHierarchy;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/**
 * Mutual authentication on the in-process hierarchy: the receiver's KEY is published at the DSYNC
 * target in the signed parent, the child finds it SECURE, and the responder runs behind a
 * hostile-peer hook on a real loopback TCP endpoint.
 */
class HierarchyInquiryTest {
  static final Name CHILD = Name.fromConstantString("child.parent.test.");
  static final Name TARGET = Name.fromConstantString("updater.parent.test.");
  static final Name UNSIGNED_TARGET = Name.fromConstantString("updater.plain.test.");

  static ExecutorService executor;
  static NioDnsTransport transport;
  static TestHierarchy h;
  static Sig0KeyPair receiver;
  static Sig0KeyPair child;
  static KeyLookup validated;
  static TrustRegistry registry;

  @BeforeAll
  static void start() throws Exception {
    executor = Executors.newFixedThreadPool(2);
    transport = NioDnsTransport.create(executor);
    receiver = Sig0KeyPair.generate(TARGET, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    child = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    Sig0KeyPair plainReceiver = Sig0KeyPair.generate(UNSIGNED_TARGET, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_HOST);
    h = TestHierarchy.builder()
        .zone("test.")
        .zone("parent.test.", z -> z.records(receiver.publicKey().toKeyRecord(300),
            BootstrapParameter.of(BootstrapMethod.AT_APEX, BootstrapMethod.AT_NS,
                BootstrapMethod.MANUAL).toSvcb(TARGET, 300, 1, Name.root,
                io.github.zonecut.core.Codepoints.DEFAULT)))
        .zone("plain.test.", z -> z.unsigned()
            .records(plainReceiver.publicKey().toKeyRecord(300)))
        .zone("receiver.test.", z -> z.nameservers("ns.receiver.test."))
        .start();
    validated = KeyLookup.validating(h.newValidatingResolver(), executor);
    registry = new TrustRegistry(new InMemoryTrustStore(), RegistryPolicy.of(
        VerificationPolicy.of(BootstrapMethod.AT_APEX)), Clock.systemUTC());
    KeyStateResponder responder = KeyStateResponder.builder(registry, receiver).build();
    h.nameserver("ns.receiver.test.").setFault(Fault.script(
        q -> responder.respond(q.wire(), InetAddress.getLoopbackAddress())));
  }

  @AfterAll
  static void stop() {
    h.close();
    transport.close();
    executor.shutdownNow();
  }

  KeyStateInquiryClient client() {
    return KeyStateInquiryClient.builder(transport, d -> CompletableFuture.completedFuture(null))
        .maxTries(2).build();
  }

  DnsEndpoint responderEndpoint() {
    return DnsEndpoint.of(h.nameserver("ns.receiver.test.").address());
  }

  @Test
  void theChildLearnsTheStateFromASignedAnswerOverTcp() throws Exception {
    List<Sig0PublicKey> keys = KeyStateInquiryClient.receiverKeys(validated, TARGET)
        .toCompletableFuture().get();
    assertThat(keys).containsExactly(receiver.publicKey());
    KeyIdentity id = KeyIdentity.of(child.publicKey().toKeyRecord(300));
    registry.upload(new UploadEvidence(CHILD, List.of(child.publicKey().toKeyRecord(300)), true,
        id, Instant.now()), "child");
    InquiryResult r = client().inquire(child, new KeyStateInquiryClient.Target(TARGET,
        List.of(responderEndpoint()), keys)).toCompletableFuture().get();
    assertThat(r).isInstanceOf(InquiryResult.Answered.class);
    assertThat(((InquiryResult.Answered) r).code(KeyStateTable.DRAFT_03))
        .contains(KeyStateCode.BOOTSTRAP_AUTO);
    assertThat(h.nameserver("ns.receiver.test.").queryCount()).isPositive();
  }

  /**
   * An ML-DSA-44 child key (experimental, algorithm 199): the KeyState round runs over TCP with
   * no change in the caller, its kilobyte SIG(0) verified by the responder.
   */
  @Test
  void anMlDsa44ChildLearnsTheStateOverTcpWithNoChangeInTheCaller() throws Exception {
    Sig0KeyPair pq = Sig0KeyPair.generate(CHILD, Sig0Algorithm.of(199), Sig0PublicKey.FLAGS_HOST);
    List<Sig0PublicKey> keys = KeyStateInquiryClient.receiverKeys(validated, TARGET)
        .toCompletableFuture().get();
    KeyIdentity id = KeyIdentity.of(pq.publicKey().toKeyRecord(300));
    registry.upload(new UploadEvidence(CHILD, List.of(pq.publicKey().toKeyRecord(300)), true,
        id, Instant.now()), "child");
    InquiryResult r = client().inquire(pq, new KeyStateInquiryClient.Target(TARGET,
        List.of(responderEndpoint()), keys)).toCompletableFuture().get();
    assertThat(r).isInstanceOf(InquiryResult.Answered.class);
    assertThat(((InquiryResult.Answered) r).code(KeyStateTable.DRAFT_03))
        .contains(KeyStateCode.BOOTSTRAP_AUTO);
  }

  @Test
  void theChildReadsTheAnnouncedMethodsAndPicksTheStrongestItCanSatisfy() throws Exception {
    io.github.zonecut.core.DnsLookup lookup = io.github.zonecut.core.ValidatingLookup.builder(
        transport, DnsEndpoint.of(h.recursive().address()), executor)
        .trustAnchors(h.trustAnchors()).build();
    BootstrapParameter p = BootstrapParameter.lookup(lookup, TARGET,
        io.github.zonecut.core.Codepoints.DEFAULT).toCompletableFuture().get().orElseThrow();
    assertThat(p.value()).isEqualTo("at-apex,at-ns,manual");
    assertThat(p.choose(java.util.EnumSet.of(BootstrapMethod.AT_NS, BootstrapMethod.MANUAL)))
        .contains(BootstrapMethod.AT_NS);
    assertThat(BootstrapParameter.lookup((name, type) -> java.util.concurrent.CompletableFuture
        .completedFuture(new io.github.zonecut.core.LookupResult.Bogus(name, type, 6, "bogus")),
        TARGET, io.github.zonecut.core.Codepoints.DEFAULT).toCompletableFuture().get()).isEmpty();
  }

  @Test
  void aReceiverKeyInAnUnsignedZoneAuthenticatesNothing() throws Exception {
    assertThat(KeyStateInquiryClient.receiverKeys(validated, UNSIGNED_TARGET)
        .toCompletableFuture().get()).isEmpty();
    InquiryResult r = client().inquire(child, new KeyStateInquiryClient.Target(UNSIGNED_TARGET,
        List.of(responderEndpoint()), List.of())).toCompletableFuture().get();
    assertThat(r).isEqualTo(new InquiryResult.NoReceiverKey(UNSIGNED_TARGET));
  }

  @Test
  void anInquiryByAKeyTheRegistryDoesNotHoldGetsAnUnsignedBadKeyOverTheWire() throws Exception {
    Sig0KeyPair stranger = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_HOST);
    InquiryResult r = client().inquire(stranger, new KeyStateInquiryClient.Target(TARGET,
        List.of(responderEndpoint()), List.of(receiver.publicKey()))).toCompletableFuture().get();
    // This used to be a signed KEY_UNKNOWN (code 5). Issue 9 item 2: the parent could not check
    // the signature (the key is not held), so anyone could have sent this inquiry and the
    // parent signs nothing; BADKEY tells the child to (re-)bootstrap (ddns §8), unauthenticated.
    assertThat(r).isInstanceOfSatisfying(InquiryResult.Unauthenticated.class,
        u -> assertThat(u.rcode()).isEqualTo(org.xbill.DNS.Rcode.BADKEY));
  }

  @Test
  void aForgingPeerIsRejected() throws Exception {
    Sig0KeyPair forger = Sig0KeyPair.generate(TARGET, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_HOST);
    KeyStateResponder impostor = KeyStateResponder.builder(registry, forger).build();
    var ep = h.nameserver("ns.receiver.test.");
    ep.setFault(Fault.script(q -> impostor.respond(q.wire(), InetAddress.getLoopbackAddress())));
    try {
      InquiryResult r = client().inquire(child, new KeyStateInquiryClient.Target(TARGET,
          List.of(responderEndpoint()), List.of(receiver.publicKey()))).toCompletableFuture()
          .get();
      assertThat(r).isInstanceOf(InquiryResult.Rejected.class);
    } finally {
      KeyStateResponder honest = KeyStateResponder.builder(registry, receiver).build();
      ep.setFault(Fault.script(q -> honest.respond(q.wire(), InetAddress.getLoopbackAddress())));
    }
  }

  @Test
  void aSilentReceiverIsUnreachable() throws Exception {
    var ep = h.nameserver("ns.receiver.test.");
    var before = ep.fault();
    ep.setFault(Fault.script(q -> Optional.empty()));
    try {
      InquiryResult r = KeyStateInquiryClient.builder(transport,
              d -> CompletableFuture.completedFuture(null))
          .maxTries(1).build()
          .inquire(child, new KeyStateInquiryClient.Target(TARGET, List.of(responderEndpoint()),
              List.of(receiver.publicKey()))).toCompletableFuture().get();
      assertThat(r).isInstanceOf(InquiryResult.Unreachable.class);
    } finally {
      ep.setFault(before.orElseThrow());
    }
  }
}
