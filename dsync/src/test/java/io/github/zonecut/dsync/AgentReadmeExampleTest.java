package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DsyncRecord;
import io.github.zonecut.core.DsyncScheme;
import io.github.zonecut.core.EndpointOverrides;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.keystate.Delayer;
import io.github.zonecut.sig0.InMemorySig0KeyStore;
import io.github.zonecut.sig0.PrivateKeyAccess;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0KeyFiles;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0KeyState;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.testkit.Fault;
import io.github.zonecut.testkit.ParentDs;
import io.github.zonecut.testkit.TestHierarchy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** The README's child-agent program, run against the testkit hierarchy. */
class AgentReadmeExampleTest {

  /** The README program (the hierarchy's resolver, anchors and overrides stand in for real ones). */
  static String syncOnce(DnsEndpoint resolver, List<? extends Record> trustAnchors,
      Path keyFileBase, EndpointOverrides overrides) throws Exception {
    Name child = Name.fromString("child.parent.test.");
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try (NioDnsTransport transport = NioDnsTransport.create(executor)) {
      ValidatingLookup validated = ValidatingLookup.builder(transport, resolver, executor)
          .trustAnchors(trustAnchors).build();
      InMemorySig0KeyStore keys = InMemorySig0KeyStore.create();
      keys.store(Sig0KeyFiles.read(keyFileBase), Sig0KeyState.ACTIVE);

      DelegationAgent agent = DelegationAgent.builder(transport, validated, keys,
              Delayer.using(executor))
          .endpointOverrides(overrides) // omit outside a test harness
          .build();

      AgentResult result = agent.sync(child).toCompletableFuture().join();
      if (result instanceof AgentResult.InSync) {
        return "in sync";
      }
      if (result instanceof AgentResult.Sent) {
        UpdateOutcome outcome = ((AgentResult.Sent) result).outcome();
        if (outcome instanceof UpdateOutcome.Accepted) {
          return "accepted";
        }
        if (outcome instanceof UpdateOutcome.Refused) {
          return "refused: " + ((UpdateOutcome.Refused) outcome).reason();
        }
        if (outcome instanceof UpdateOutcome.UnknownKey) {
          return "the parent does not know our key (re-bootstrapped once)";
        }
        return "not accepted: " + outcome;
      }
      return "nothing sent: " + result;
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void theReadmeProgramSyncsTheDelegation(@TempDir Path dir) throws Exception {
    Name target = Name.fromConstantString("updater.parent.test.");
    Sig0KeyPair receiverKey = Sig0KeyPair.generate(target, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_HOST);
    FakeReceiver receiver = new FakeReceiver(receiverKey, receiverKey);
    try (TestHierarchy h = TestHierarchy.builder()
        .zone("test.")
        .zone("parent.test.", z -> z.records(receiverKey.publicKey().toKeyRecord(300),
            DsyncRecord.of(Name.fromConstantString("_dsync.parent.test."), 300, Type.ANY,
                DsyncScheme.update(Codepoints.DEFAULT), 5302, target)))
        .zone("child.parent.test.", z -> z.parentDs(ParentDs.ABSENT))
        .zone("receiver.test.", z -> z.nameservers("ns.receiver.test."))
        .start()) {
      h.nameserver("ns.receiver.test.").setFault(Fault.script(receiver));
      EndpointOverrides.Builder o = EndpointOverrides.builder();
      h.nameservers().forEach((n, e) -> o.name(n, e.dnsEndpoint()));
      o.name(target, h.nameserver("ns.receiver.test.").dnsEndpoint());
      Sig0KeyPair childKey = Sig0KeyPair.generate(Name.fromConstantString("child.parent.test."),
          Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
      Path base = Sig0KeyFiles.write(dir, childKey, PrivateKeyAccess.exposingPrivateKeys());

      assertThat(syncOnce(h.recursive().dnsEndpoint(), h.trustAnchors(), base, o.build()))
          .isEqualTo("accepted");
      assertThat(receiver.updates).hasSize(1);
    }
  }
}
