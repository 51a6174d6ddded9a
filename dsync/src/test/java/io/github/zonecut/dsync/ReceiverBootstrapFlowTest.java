package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.keystate.AtApexVerifier;
import io.github.zonecut.keystate.BootstrapCoordinator;
import io.github.zonecut.keystate.BootstrapMethod;
import io.github.zonecut.keystate.Delayer;
import io.github.zonecut.keystate.InMemoryTrustStore;
import io.github.zonecut.keystate.KeyLookup;
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
import io.github.zonecut.testkit.TestHierarchy;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Child and parent in one JVM over the testkit hierarchy: unknown key → BADKEY, self-signed
 * bootstrap → at-apex validation (DNSSEC through the testkit) → trusted → NS change applied →
 * key roll (add new by old, delete old by new) → the new key changes the delegation. Every
 * answer to a verified request is signed by the receiver key (mutual authentication, ddns §9.3).
 */
class ReceiverBootstrapFlowTest {
  static final Name PARENT = Name.fromConstantString("parent.test.");
  static final Name CHILD = Name.fromConstantString("child.parent.test.");
  static final Name NS1 = Name.fromConstantString("ns1.child.parent.test.");

  @Test
  void bootstrapThenChangeThenRoll() throws Exception {
    Sig0KeyPair childKey = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_ZONE);
    Sig0KeyPair receiverKey = Sig0KeyPair.generate(Name.fromConstantString("updater.parent.test."),
        Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try (TestHierarchy h = TestHierarchy.builder().zone("test.").zone("parent.test.")
        .zone("child.parent.test.", z -> z.records(childKey.publicKey().toKeyRecord(300)))
        .start()) {
      Sig0Config config = Sig0Config.builder().clock(h.clock()).build();
      Sig0Signer signer = Sig0Signer.create(config);
      TrustRegistry registry = new TrustRegistry(new InMemoryTrustStore(), new RegistryPolicy(
          VerificationPolicy.of(BootstrapMethod.AT_APEX), RegistryPolicy.DEFAULT_ALGORITHMS,
          true), h.clock());
      BootstrapCoordinator coordinator = new BootstrapCoordinator(registry,
          List.of(new AtApexVerifier(KeyLookup.validating(h.newValidatingResolver(), executor))),
          Delayer.using(executor), h.clock());
      InMemoryDelegationBackend backend = new InMemoryDelegationBackend();
      backend.put(Delegation.builder(CHILD).nameservers(NS1)
          .glue(NS1, InetAddress.getByName("192.0.2.1")).build());
      UpdateReceiver receiver = UpdateReceiver.builder(Set.of(PARENT), receiverKey, registry,
          backend, Sig0ReplayGuard.create()).clock(h.clock())
          .bootstrap(coordinator, c -> new BootstrapCoordinator.Delegation(List.of(), List.of()))
          .build();
      Sig0Verifier answers = Sig0Verifier.builder(Sig0KeyLookup.of(receiverKey.publicKey()))
          .config(config).insecureWithoutReplayGuard().build();
      try (DsyncServer server = DsyncServer.builder(receiver).start()) {
        InetSocketAddress at = server.address();

        byte[] early = signer.sign(nsAdd("ns2.child.parent.test."), childKey);
        byte[] a0 = tcp(at, early);
        assertThat(new Message(a0).getRcode()).isEqualTo(Rcode.BADKEY);
        assertThat(answers.verifyResponse(a0, early)).isNotInstanceOf(Sig0Outcome.Verified.class);

        Update boot = update();
        boot.delete(CHILD, Type.KEY);
        boot.add(childKey.publicKey().toKeyRecord(300));
        byte[] bootWire = signer.sign(boot, childKey);
        byte[] a1 = tcp(at, bootWire);
        assertThat(new Message(a1).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(answers.verifyResponse(a1, bootWire)).isInstanceOf(Sig0Outcome.Verified.class);

        io.github.zonecut.keystate.KeyIdentity id = ReceiverFixture.id(childKey);
        for (int i = 0; i < 400 && !registry.isTrusted(id); i++) {
          Thread.sleep(25);
        }
        assertThat(registry.find(id).orElseThrow().state()).isEqualTo(TrustState.TRUSTED);

        byte[] change = signer.sign(nsAdd("ns2.child.parent.test."), childKey);
        byte[] a2 = tcp(at, change);
        assertThat(new Message(a2).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(answers.verifyResponse(a2, change)).isInstanceOf(Sig0Outcome.Verified.class);
        assertThat(backend.current(CHILD).orElseThrow().nameservers())
            .contains(Name.fromConstantString("ns2.child.parent.test."));

        Sig0KeyPair next = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519,
            Sig0PublicKey.FLAGS_ZONE);
        Update roll = update();
        roll.add(next.publicKey().toKeyRecord(300));
        assertThat(new Message(tcp(at, signer.sign(roll, childKey))).getRcode())
            .isEqualTo(Rcode.NOERROR);
        Update retire = update();
        retire.delete(childKey.publicKey().toKeyRecord(0));
        assertThat(new Message(tcp(at, signer.sign(retire, next))).getRcode())
            .isEqualTo(Rcode.NOERROR);
        assertThat(registry.find(id)).isEmpty();

        byte[] stale = signer.sign(nsAdd("ns3.child.parent.test."), childKey);
        assertThat(new Message(tcp(at, stale)).getRcode()).isEqualTo(Rcode.BADKEY);
        byte[] fresh = signer.sign(nsAdd("ns3.child.parent.test."), next);
        assertThat(new Message(tcp(at, fresh)).getRcode()).isEqualTo(Rcode.NOERROR);
      }
    } finally {
      executor.shutdownNow();
    }
  }

  private static Update update() {
    Update u = new Update(PARENT);
    u.addRecord(new OPTRecord(1232, 0, 0, 0), Section.ADDITIONAL);
    return u;
  }

  private static Update nsAdd(String ns) throws Exception {
    Update u = update();
    u.add(CHILD, Type.NS, 3600, ns);
    return u;
  }

  private static byte[] tcp(InetSocketAddress to, byte[] msg) throws Exception {
    try (Socket s = new Socket(to.getAddress(), to.getPort())) {
      s.setSoTimeout(10_000);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeShort(msg.length);
      out.write(msg);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] answer = new byte[in.readUnsignedShort()];
      in.readFully(answer);
      return answer;
    }
  }
}
