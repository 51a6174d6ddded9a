package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.dsync.DsyncServer;
import io.github.zonecut.dsync.TsigDelegationBackend;
import io.github.zonecut.dsync.TsigKey;
import io.github.zonecut.dsync.UpdateEvent;
import io.github.zonecut.dsync.UpdateReceiver;
import io.github.zonecut.keystate.AtApexVerifier;
import io.github.zonecut.keystate.BootstrapCoordinator;
import io.github.zonecut.keystate.BootstrapMethod;
import io.github.zonecut.keystate.Delayer;
import io.github.zonecut.keystate.InMemoryTrustStore;
import io.github.zonecut.keystate.KeyIdentity;
import io.github.zonecut.keystate.KeyLookup;
import io.github.zonecut.keystate.RegistryPolicy;
import io.github.zonecut.keystate.TrustRegistry;
import io.github.zonecut.keystate.VerificationPolicy;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0KeyLookup;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0Outcome;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0ReplayGuard;
import io.github.zonecut.sig0.Sig0Verifier;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Issue 10 against real software: BIND's {@code nsupdate -k} and a miekg/dns-signed UPDATE, sent
 * to a zonecut {@link UpdateReceiver} behind a {@link DsyncServer}, which verifies them, bootstraps
 * the child's SIG(0) key at-apex through Unbound, and applies the delegation change to the Knot
 * primary of {@code parent.test.} through its {@link TsigDelegationBackend}. Unbound then serves
 * the new DS SECURE (AD) and the old one is gone; every receiver answer is signed by the
 * receiver key. The test puts Knot's data back afterwards (the testnet is shared).
 */
@ExtendWith({TestnetExtension.class, Sig0PeersExtension.class})
class DsyncReceiverInteropTest {
  static final Name PARENT = Name.fromConstantString("parent.test.");
  static final Name CHILD = Name.fromConstantString("child.parent.test.");

  @Test
  void nsupdateAndMiekgUpdatesReachKnotThroughAZonecutReceiver(Testnet net, Sig0Peers peers)
      throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(2);
    BindKeyFiles childKey = net.sig0Child();
    KEYRecord key = (KEYRecord) Testnet.parseRecord(childKey.keyRecordText(), Type.KEY);
    Sig0KeyPair receiverKey = Sig0KeyPair.generate(Name.fromConstantString("ns1.parent.test."),
        Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    DNSKEYRecord ksk = (DNSKEYRecord) Testnet.query(net.child(), CHILD.toString(), Type.DNSKEY,
        false).getSection(Section.ANSWER).stream()
        .filter(r -> r instanceof DNSKEYRecord k && (k.getFlags() & DNSKEYRecord.Flags.SEP_KEY) != 0)
        .findFirst().orElseThrow();
    DSRecord sha384 = new DSRecord(CHILD, DClass.IN, 60, DNSSEC.Digest.SHA384, ksk);
    List<CopyOnWriteArrayList<UpdateEvent>> audit = List.of(new CopyOnWriteArrayList<>());
    try (NioDnsTransport transport = NioDnsTransport.create(executor)) {
      TsigDelegationBackend backend = TsigDelegationBackend.builder(transport,
              DnsEndpoint.of(net.parent()), PARENT,
              TsigKey.of(net.tsigName(), net.tsigAlgorithm(), net.tsigSecret()))
          .timeout(Duration.ofSeconds(5)).build();
      Delegation before = backend.current(CHILD).orElseThrow();
      ValidatingLookup validated = ValidatingLookup.builder(transport,
          DnsEndpoint.of(net.resolver()), executor)
          .trustAnchors(List.of(net.trustAnchorRecord())).build();
      TrustRegistry registry = new TrustRegistry(new InMemoryTrustStore(), new RegistryPolicy(
          VerificationPolicy.of(BootstrapMethod.AT_APEX), RegistryPolicy.DEFAULT_ALGORITHMS, true),
          Clock.systemUTC());
      BootstrapCoordinator coordinator = new BootstrapCoordinator(registry,
          List.of(new AtApexVerifier(KeyLookup.of(validated))), Delayer.using(executor),
          Clock.systemUTC());
      UpdateReceiver receiver = UpdateReceiver.builder(Set.of(PARENT), receiverKey, registry,
              backend, Sig0ReplayGuard.create())
          .bootstrap(coordinator, c -> new BootstrapCoordinator.Delegation(List.of(), List.of()))
          .listener(audit.get(0)::add)
          .build();
      Sig0Verifier answers = Sig0Verifier.builder(Sig0KeyLookup.of(receiverKey.publicKey()))
          .insecureWithoutReplayGuard().build();
      try (DsyncServer server = DsyncServer.builder(receiver)
          .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).start()) {
        String head = "server 127.0.0.1 " + server.address().getPort() + "\nzone parent.test.\n";

        // 1. nsupdate's self-signed key bootstrap, verified at-apex through Unbound
        ToolResult boot = peers.nsupdate(head
            + "update delete child.parent.test. KEY\n"
            + "update add child.parent.test. 3600 " + childKey.keyRecordText()
                .replaceFirst("^\\S+\\s+(\\d+\\s+)?(IN\\s+)?", "") + "\n"
            + "send\n", "-v", "-k", childKey.privateFile().toString());
        assertThat(boot.exitCode()).as("bootstrap: " + boot).isZero();
        KeyIdentity id = KeyIdentity.of(key);
        for (int i = 0; i < 400 && !registry.isTrusted(id); i++) {
          Thread.sleep(25);
        }
        assertThat(registry.isTrusted(id)).as("child key trusted at-apex").isTrue();

        // 2. nsupdate's delegation change: DS SHA-256 → SHA-384 of the same KSK, plus an NS
        StringBuilder change = new StringBuilder(head);
        for (DsData ds : before.ds()) {
          change.append("update delete child.parent.test. DS ")
              .append(ds.toRecord(CHILD, before.dsTtl()).rdataToString()).append('\n');
        }
        change.append("update add child.parent.test. ").append(before.dsTtl()).append(" DS ")
            .append(sha384.rdataToString()).append('\n');
        change.append("update add child.parent.test. ").append(before.nsTtl())
            .append(" NS ns.example.net.\nsend\n");
        ToolResult nsupdate = peers.nsupdate(change.toString(), "-v", "-k",
            childKey.privateFile().toString());
        assertThat(nsupdate.exitCode()).as("delegation UPDATE: " + nsupdate).isZero();

        Delegation after = backend.current(CHILD).orElseThrow();
        assertThat(after.ds()).containsExactly(DsData.of(sha384));
        assertThat(after.nameservers()).contains(Name.fromConstantString("ns.example.net."));

        // 3. Unbound: the new DS is SECURE, the old one gone
        net.flush("child.parent.test.");
        Message ds = net.query("child.parent.test.", Type.DS);
        assertThat(ds.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(ds.getHeader().getFlag(Flags.AD)).as("DS validated by Unbound").isTrue();
        assertThat(ds.getSection(Section.ANSWER).stream().filter(r -> r.getType() == Type.DS)
            .map(r -> ((DSRecord) r).getDigestID())).containsExactly(DNSSEC.Digest.SHA384);
        Message soa = net.query("child.parent.test.", Type.SOA);
        assertThat(soa.getHeader().getFlag(Flags.AD)).as("child still SECURE").isTrue();

        // 4. an UPDATE signed by miekg/dns is accepted too, and its answer is signed
        byte[] miekg = peers.miekgSign(childKey, "parent.test.",
            "child.parent.test. " + before.nsTtl() + " IN NS ns2.example.net.");
        byte[] answer = tcp(server.address(), miekg);
        assertThat(new Message(answer).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(answers.verifyResponse(answer, miekg)).isInstanceOf(Sig0Outcome.Verified.class);
        assertThat(backend.current(CHILD).orElseThrow().nameservers())
            .contains(Name.fromConstantString("ns2.example.net."));

        assertThat(audit.get(0)).as("one audit event per request").hasSize(3);
        assertThat(audit.get(0)).allMatch(UpdateEvent::signed);
      } finally {
        restore(net, before, sha384);
      }
    } finally {
      executor.shutdownNow();
    }
  }

  /** Puts Knot's delegation of the child back as it was (TSIG UPDATE), then flushes Unbound. */
  private static void restore(Testnet net, Delegation before, DSRecord added) {
    Update u = new Update(PARENT);
    u.delete(added);
    u.delete(CHILD, Type.NS);
    for (Record r : before.toRecords()) {
      if (r.getType() == Type.NS || r.getType() == Type.DS) {
        u.add(r);
      }
    }
    assertThat(net.update(net.parent(), u).getRcode()).isEqualTo(Rcode.NOERROR);
    net.flush("child.parent.test.");
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
