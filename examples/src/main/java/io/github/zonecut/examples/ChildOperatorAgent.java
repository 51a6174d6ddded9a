package io.github.zonecut.examples;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.DsyncRecord;
import io.github.zonecut.core.DsyncScheme;
import io.github.zonecut.core.EndpointOverrides;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.dsync.DelegationAgent;
import io.github.zonecut.dsync.UpdateTarget;
import io.github.zonecut.keystate.Delayer;
import io.github.zonecut.keystate.InquiryResult;
import io.github.zonecut.keystate.KeyLookup;
import io.github.zonecut.keystate.KeyStateCode;
import io.github.zonecut.keystate.KeyStateInquiryClient;
import io.github.zonecut.sig0.InMemorySig0KeyStore;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0KeyState;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.testkit.Endpoint;
import io.github.zonecut.testkit.TestHierarchy;
import io.github.zonecut.testkit.TestZone;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.sqlite.SQLiteDataSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Example 2, a DNS operator keeping its child's delegation in sync, against the {@link
 * RegistryParent} of example 1: discover the parent's UPDATE target (RFC 9859 §4.1), upload the
 * child's SIG(0) key self-signed (ddns §9, validated at the apex), poll KeyState until the parent
 * trusts it (draft-berra-dnsop-keystate), then change the NS set and roll the DS to SHA-384 (from
 * the child's CDS, RFC 7344) by signed UPDATE with the {@link DelegationAgent}.
 *
 * <p>Run it with {@code java -cp examples/target/zonecut-demo.jar
 * io.github.zonecut.examples.ChildOperatorAgent} (after {@code ./mvnw -B -q -pl examples -am
 * package -DskipTests}); {@code ExamplesTest} runs it and checks the outcome.
 */
public final class ChildOperatorAgent {
  static final Name PARENT = RegistryParent.PARENT;
  static final Name CHILD = RegistryParent.CHILD;
  static final Name TARGET = RegistryParent.TARGET;
  static final Name NEW_NS = Name.fromConstantString("ns2.provider.test.");

  /**
   * What happened, in order, and the registry's delegation afterwards.
   *
   * @param steps one line per step
   * @param keyStates the KeyState codes polled, in order
   * @param delegation what the registry holds for the child at the end
   */
  public record Result(List<String> steps, List<KeyStateCode> keyStates, Delegation delegation) {}

  private ChildOperatorAgent() {}

  /** Runs the agent in a temporary directory and prints its steps. */
  public static void main(String[] args) throws Exception {
    Result r = run(Files.createTempDirectory("child-agent"));
    r.steps().forEach(System.out::println);
    System.out.println("registry now holds: " + r.delegation());
  }

  /** Runs the whole story; the registry's database and audit log go to {@code dir}. */
  public static Result run(Path dir) throws Exception {
    ZonecutTypes.register();
    Sig0KeyPair receiverKey =
        Sig0KeyPair.generate(TARGET, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    Sig0KeyPair childKey =
        Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_ZONE);
    Name dsyncOwner = Name.fromConstantString("_dsync.parent.test.");
    ExecutorService executor = Executors.newFixedThreadPool(2);
    SQLiteDataSource database = new SQLiteDataSource();
    database.setUrl("jdbc:sqlite:" + dir.resolve("registry.db"));
    List<String> steps = new ArrayList<>();
    List<KeyStateCode> states = new ArrayList<>();
    try (TestHierarchy dns = TestHierarchy.builder().zone("test.")
            .zone("parent.test.", z -> z.records(receiverKey.publicKey().toKeyRecord(300),
                DsyncRecord.of(dsyncOwner, 300, Type.ANY, DsyncScheme.update(Codepoints.DEFAULT),
                    53, TARGET)))
            .zone("child.parent.test.", z -> z.nameservers("ns1", NEW_NS.toString())
                .records(childKey.publicKey().toKeyRecord(300)))
            .zone("provider.test.")
            .start();
        NioDnsTransport transport = NioDnsTransport.create(executor);
        RegistryParent parent = RegistryParent.start(PARENT, receiverKey, database,
            dir.resolve("audit.jsonl"),
            KeyLookup.of(dns.validatingLookup(transport, executor).build()), executor,
            dns.clock())) {
      ValidatingLookup validated = dns.validatingLookup(transport, executor).build();
      TestZone child = dns.zone("child.parent.test.");
      // a second provider's server already serves the zone but is not in its NS set yet
      child.replace("@ 3600 IN NS ns1.child.parent.test.");
      Name ns1 = Name.fromConstantString("ns1.child.parent.test.");
      parent.seed(List.of(Delegation.builder(CHILD).nameservers(ns1)
          .glue(ns1, InetAddress.getLoopbackAddress()).ds(ds(child, 2)).build()));
      // every name in the hierarchy resolves to 127.0.0.1: point each at its real loopback port
      EndpointOverrides.Builder overrides = EndpointOverrides.builder();
      dns.nameservers().forEach((name, server) -> overrides.name(name, server.dnsEndpoint()));
      overrides.name(TARGET, parent.endpoint());
      InMemorySig0KeyStore keys = InMemorySig0KeyStore.create();
      keys.store(childKey, Sig0KeyState.ACTIVE);
      DelegationAgent agent = DelegationAgent.builder(transport, validated, keys,
              Delayer.using(executor))
          .endpointOverrides(overrides.build())
          .sig0Config(Sig0Config.builder().clock(dns.clock()).build())
          .build();

      // RFC 9859 §4.1 discovery, DNSSEC required, and the receiver's KEY (ddns §9.3)
      DelegationAgent.Located located = await(agent.locate(CHILD));
      UpdateTarget target = located.target();
      if (target == null) {
        throw new IllegalStateException("no UPDATE target: " + located.failure());
      }
      steps.add("discovered " + target);
      steps.add("bootstrap: " + await(agent.bootstrap(CHILD)));
      KeyStateInquiryClient inquiries = KeyStateInquiryClient.builder(transport,
          Delayer.using(executor)).verifierConfig(Sig0Config.builder().clock(dns.clock()).build())
          .build();
      for (int i = 0; i < 600 && !states.contains(KeyStateCode.KEY_TRUSTED); i++) {
        InquiryResult answer = await(inquiries.inquire(childKey, target.inquiryTarget()));
        Optional<KeyStateCode> code = answer instanceof InquiryResult.Answered a
            ? a.code(Codepoints.DEFAULT.keyStateTable()) : Optional.empty();
        code.filter(c -> states.isEmpty() || states.get(states.size() - 1) != c)
            .ifPresent(states::add); // each new state once: BOOTSTRAP_AUTO, then KEY_TRUSTED
        if (!states.contains(KeyStateCode.KEY_TRUSTED)) {
          Thread.sleep(50);
        }
      }
      steps.add("KeyState: " + states);

      // The registry publishes what it applied: its servers keep today's zone until it
      // regenerates it (in the testkit the parent would otherwise mirror the child at once).
      List<Endpoint> parentServers = dns.nameservers().values().stream()
          .filter(e -> e.zones().contains(PARENT)).toList();
      parentServers.forEach(Endpoint::freeze);
      child.add("@ 3600 IN NS " + NEW_NS);
      steps.add("NS change: " + await(agent.sync(CHILD)));
      parentServers.forEach(Endpoint::thaw); // the registry's zone now carries the new NS
      parentServers.forEach(Endpoint::freeze);
      DsData sha384 = ds(child, 4);
      child.add("@ 300 IN CDS " + sha384.keyTag() + " " + sha384.algorithm() + " 4 "
          + HexFormat.of().formatHex(sha384.digest()));
      steps.add("DS roll: " + await(agent.sync(CHILD)));
      parentServers.forEach(Endpoint::thaw);
      return new Result(steps, states, parent.delegation(CHILD));
    } finally {
      executor.shutdownNow();
    }
  }

  private static DsData ds(TestZone child, int digestType) {
    return DsData.of(new DSRecord(CHILD, DClass.IN, 3600, digestType, child.dnskeys().get(0)));
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
