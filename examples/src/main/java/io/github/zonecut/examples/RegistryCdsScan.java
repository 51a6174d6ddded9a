package io.github.zonecut.examples;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.dsync.AcceptanceChecks;
import io.github.zonecut.dsync.AcceptancePolicy;
import io.github.zonecut.dsync.InMemoryDelegationBackend;
import io.github.zonecut.dsync.Observer;
import io.github.zonecut.dsync.ScanEvent;
import io.github.zonecut.dsync.ScanService;
import io.github.zonecut.dsync.Scanner;
import io.github.zonecut.dsync.SecDnsMapping;
import io.github.zonecut.testkit.TestHierarchy;
import io.github.zonecut.testkit.TestZone;
import io.github.zonecut.sig0.RrsigVerifier;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * Example 3, a registry's periodic CDS scan (RFC 7344 §4, RFC 8078): every child's servers are
 * asked for CDS/CDNSKEY over DNSSEC, the change is judged by {@link AcceptanceChecks} with a
 * policy preset (here the .ch/.li one: DS from CDS, SHA-256 and SHA-384 accepted), and each
 * accepted change becomes the {@code <secDNS:update>} of an EPP domain update (RFC 5910 §5.2.5)
 * for the registry system. Three children: one adds a SHA-384 DS for its key, one publishes a
 * CDS matching no key (refused), one publishes nothing.
 *
 * <p>Run it with {@code java -cp examples/target/zonecut-demo.jar
 * io.github.zonecut.examples.RegistryCdsScan} (after {@code ./mvnw -B -q -pl examples -am package
 * -DskipTests}); {@code ExamplesTest} runs it and checks the outcome.
 */
public final class RegistryCdsScan {
  static final List<Name> CHILDREN = List.of(Name.fromConstantString("alpha.test."),
      Name.fromConstantString("bravo.test."), Name.fromConstantString("charlie.test."));

  /**
   * The scan's results.
   *
   * @param outcomes the scanner's outcome word per child ({@code Applied}, {@code NoChange},
   *     {@code Refused:<reason>}…)
   * @param secDns the EPP {@code <secDNS:update>} per accepted child
   * @param progress the run's counters
   */
  public record Result(Map<String, String> outcomes, Map<String, String> secDns,
      Scanner.Progress progress) {}

  private RegistryCdsScan() {}

  /** Scans and prints each child's outcome and the EPP extension of accepted changes. */
  public static void main(String[] args) throws Exception {
    Result r = run();
    r.outcomes().forEach((child, outcome) -> System.out.println(child + " " + outcome));
    r.secDns().forEach((child, xml) -> System.out.println("EPP update " + child + ": " + xml));
  }

  /** Starts the children, scans them once with two workers, and returns what was decided. */
  public static Result run() throws Exception {
    ZonecutTypes.register();
    TestHierarchy.Builder zones = TestHierarchy.builder().zone("test.");
    CHILDREN.forEach(c -> zones.zone(c.toString(), z -> z.nameservers("ns1.nsop.test.",
        "ns2.nsop.test.")));
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try (TestHierarchy dns = zones.start();
        NioDnsTransport transport = NioDnsTransport.create(executor)) {
      // the registry's database: what test. delegates today (NS, and DS of each child's key)
      InMemoryDelegationBackend registry = new InMemoryDelegationBackend();
      for (Name child : CHILDREN) {
        registry.put(Delegation.builder(child).nameservers(Name.fromConstantString(
                "ns1.nsop.test."), Name.fromConstantString("ns2.nsop.test."))
            .ds(DsData.of(dns.zone(child.toString()).ds().get(0))).build());
      }
      TestZone alpha = dns.zone("alpha.test.");
      DNSKEYRecord ksk = alpha.dnskeys().get(0);
      alpha.edit(zone -> { // RFC 7344 §4.1: the CDS RRset is the whole DS set wanted
        for (int digest : new int[] {DsData.SHA256, DsData.SHA384}) {
          DsData ds = DsData.compute(alpha.origin(), ksk, digest);
          zone.add(new CDSRecord(alpha.origin(), DClass.IN, 300, ds.keyTag(), ds.algorithm(),
              ds.digestType(), ds.digest()));
        }
      });
      dns.zone("bravo.test.").add("@ 300 IN CDS 4711 13 2 " + "ab".repeat(32));

      ValidatingLookup validated = dns.validatingLookup(transport, executor).build();
      // one RRSIG verifier (and its bounded key cache) for the observer and the checks
      RrsigVerifier verifier = RrsigVerifier.defaults();
      Observer observer = Observer.builder(transport, validated)
          .overrides(dns.endpointOverrides()).clock(dns.clock()).rrsigVerifier(verifier).build();
      Map<String, String> secDns = new ConcurrentSkipListMap<>(); // workers write
      ScanService scans = ScanService.builder(observer,
              AcceptanceChecks.of(AcceptancePolicy.cdsWithDsboot(), verifier), registry)
          .clock(dns.clock())
          .listener(event -> {
            if (event instanceof ScanEvent.Accepted accepted) { // before the backend applies it
              secDns.put(accepted.child().toString(), SecDnsMapping.secDns(accepted.change(),
                  SecDnsMapping.Style.DELTA).toXml());
            }
          })
          .build();
      Map<String, String> outcomes = new ConcurrentSkipListMap<>();
      Scanner.Progress progress = Scanner.builder(child -> scans.scan(child, Type.CDS))
          .concurrency(2).timeout(Duration.ofSeconds(30)).clock(dns.clock()).build()
          .run(CHILDREN.iterator(), CHILDREN.size(),
              r -> outcomes.put(r.child(), r.outcome()));
      return new Result(Collections.unmodifiableMap(new TreeMap<>(outcomes)),
          Collections.unmodifiableMap(new TreeMap<>(secDns)), progress);
    } finally {
      executor.shutdownNow();
    }
  }
}
