package io.github.zonecut.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The README's transport/lookup/discovery snippet, compiled and run. */
class TransportReadmeExampleTest {

  /** The README snippet, verbatim between the markers. */
  static String discover(DnsEndpoint recursiveResolver, List<Record> trustAnchors)
      throws Exception {
    // README-BEGIN
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try (NioDnsTransport transport = NioDnsTransport.create(executor)) {
      DnsLookup lookup = ValidatingLookup.builder(transport, recursiveResolver, executor)
          .trustAnchors(trustAnchors) // DS or DNSKEY records, e.g. the root KSK
          .build();
      DsyncDiscovery discovery = DsyncDiscovery.builder(lookup)
          .policy(DsyncDiscovery.Policy.REQUIRE_SECURE)
          .build();
      DiscoveryResult result = discovery
          .discoverNotify(Name.fromString("child.example."), Type.CDS)
          .toCompletableFuture().join();
      if (result instanceof DiscoveryResult.Found) {
        DiscoveryResult.Found found = (DiscoveryResult.Found) result;
        return "send NOTIFY(CDS) to " + found.endpoints();
      } else if (result instanceof DiscoveryResult.Refused) {
        DiscoveryResult.Refused refused = (DiscoveryResult.Refused) result;
        return "refused: " + refused.reason() + " " + refused.detail();
      }
      return "the parent publishes no NOTIFY(CDS) endpoint";
    } finally {
      executor.shutdown();
    }
    // README-END
  }

  @Test
  void snippetRunsAndRefusesAnUnsignedParent() throws Exception {
    try (TestDnsServer server = new TestDnsServer()) {
      server.onUdp((s, q, w, from) -> {
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setRcode(Rcode.NXDOMAIN);
        r.addRecord(q.getQuestion(), Section.QUESTION);
        r.addRecord(LookupTest.soa("example."), Section.AUTHORITY);
        s.sendUdp(r, from);
      });

      String outcome = discover(server.endpoint(), List.of());

      // no trust anchor covers example., so the first negative answer is INSECURE
      assertThat(outcome).startsWith("refused: NOT_SECURE");
    }
  }
}
