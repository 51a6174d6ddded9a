package io.github.zonecut.examples;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.DiscoveryResult;
import io.github.zonecut.core.DsyncDiscovery;
import io.github.zonecut.core.DsyncRecord;
import io.github.zonecut.core.DsyncScheme;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.testkit.Endpoint;
import io.github.zonecut.testkit.Fault;
import io.github.zonecut.testkit.HostilePeer;
import io.github.zonecut.testkit.Service;
import io.github.zonecut.testkit.TestHierarchy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Example 5, a researcher's harness: the same DSYNC discovery (RFC 9859 §4.1, DNSSEC required)
 * run against an in-process hierarchy while the resolver path misbehaves, one fault at a time —
 * a man in the middle rewriting the DSYNC target (a {@link HostilePeer} installed as a {@link
 * Service}), signatures that do not verify, a resolver answering SERVFAIL ({@link Fault}s) — and
 * the verdict of each: the child must act only on the honest answer.
 *
 * <p>Run it with {@code java -cp examples/target/zonecut-demo.jar
 * io.github.zonecut.examples.ResearcherHarness} (after {@code ./mvnw -B -q -pl examples -am package
 * -DskipTests}); {@code ExamplesTest} runs it and checks the outcome.
 */
public final class ResearcherHarness {
  static final Name CHILD = Name.fromConstantString("child.parent.test.");
  static final Name TARGET = Name.fromConstantString("scanner.parent.test.");
  static final Name ATTACKER = Name.fromConstantString("attacker.example.");

  private ResearcherHarness() {}

  /** Runs every scenario and prints one verdict per line. */
  public static void main(String[] args) throws Exception {
    run().forEach((scenario, verdict) -> System.out.printf("%-28s %s%n", scenario, verdict));
  }

  /**
   * Runs discovery of the child's NOTIFY(CDS) endpoint once per scenario.
   *
   * @return the verdict per scenario, in order: {@code FOUND <target>} or {@code REFUSED
   *     <reason>}, then the verdict of each lookup step
   */
  public static Map<String, String> run() throws Exception {
    ZonecutTypes.register();
    // a MITM on the resolver path: the DSYNC answer with its target swapped, signatures kept
    HostilePeer rewriteTarget = q -> q.standardAnswer().map(m -> {
      for (Record r : new ArrayList<>(m.getSection(Section.ANSWER))) {
        if (r instanceof DsyncRecord d) {
          m.removeRecord(d, Section.ANSWER);
          m.addRecord(DsyncRecord.of(d.getName(), d.getTTL(), d.getRRType(), d.getScheme(),
              d.getPort(), ATTACKER), Section.ANSWER);
        }
      }
      return m.toWire();
    });
    Map<String, Consumer<Endpoint>> scenarios = new LinkedHashMap<>();
    scenarios.put("honest resolver", resolver -> { });
    scenarios.put("DSYNC target rewritten", resolver -> resolver.install(Service.of(
        q -> q.message().getQuestion().getType() == DsyncRecord.TYPE, rewriteTarget)));
    scenarios.put("signatures bogus", resolver -> resolver.setFault(Fault.bogusSignatures()));
    scenarios.put("resolver SERVFAIL", resolver -> resolver.setFault(Fault.servfail()));

    Map<String, String> verdicts = new LinkedHashMap<>();
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try (TestHierarchy dns = TestHierarchy.builder().zone("test.")
            .zone("parent.test.", z -> z.records(DsyncRecord.of(
                Name.fromConstantString("_dsync.parent.test."), 300, Type.CDS,
                DsyncScheme.NOTIFY, 5359, TARGET), DsyncRecord.of(
                Name.fromConstantString("_dsync.parent.test."), 300, Type.ANY,
                DsyncScheme.update(Codepoints.DEFAULT), 53, TARGET))
                .records("scanner 300 IN A 127.0.0.1"))
            .zone("child.parent.test.")
            .start();
        NioDnsTransport transport = NioDnsTransport.create(executor)) {
      for (Map.Entry<String, Consumer<Endpoint>> scenario : scenarios.entrySet()) {
        Endpoint resolver = dns.recursive();
        scenario.getValue().accept(resolver);
        try {
          // a fresh validator per scenario: nothing validated under one fault is cached
          // (every address here is loopback, which production discovery refuses as a target)
          DsyncDiscovery discovery =
              dns.dsyncDiscovery(dns.validatingLookup(transport, executor).build()).build();
          DiscoveryResult result = discovery.discoverNotify(CHILD, Type.CDS)
              .toCompletableFuture().get(60, TimeUnit.SECONDS);
          verdicts.put(scenario.getKey(), verdict(result));
        } finally {
          resolver.clearFault();
          resolver.uninstall();
        }
      }
    } finally {
      executor.shutdownNow();
    }
    return verdicts;
  }

  private static String verdict(DiscoveryResult result) {
    List<DiscoveryResult.Step> steps;
    String head;
    if (result instanceof DiscoveryResult.Found found) {
      head = "FOUND " + found.record().getTarget();
      steps = found.steps();
    } else if (result instanceof DiscoveryResult.Refused refused) {
      head = "REFUSED " + refused.reason();
      steps = refused.steps();
    } else {
      head = "NOT FOUND";
      steps = ((DiscoveryResult.NotFound) result).steps();
    }
    StringBuilder b = new StringBuilder(head).append(" |");
    steps.forEach(s -> b.append(' ').append(s.name()).append('=')
        .append(s.verdict().map(Enum::name).orElse("-")));
    return b.toString();
  }
}
