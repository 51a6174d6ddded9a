package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.EndpointOverrides;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.dsync.AcceptanceChecks;
import io.github.zonecut.dsync.AcceptancePolicy;
import io.github.zonecut.dsync.Observer;
import io.github.zonecut.dsync.ScanEvent;
import io.github.zonecut.dsync.ScanRequest;
import io.github.zonecut.dsync.ScanService;
import io.github.zonecut.dsync.TsigDelegationBackend;
import io.github.zonecut.dsync.TsigKey;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Issue 11 against real software: BIND's {@code nsupdate} adds an in-bailiwick name server with
 * its address and a CSYNC (RFC 7477, {@code immediate} and {@code soaminimum}, types A NS AAAA) to
 * the signed BIND child {@code child.parent.test.}; the zonecut {@link ScanService} observes it
 * through Unbound and on the child's server, accepts it ({@link
 * AcceptancePolicy#cdsWithCsync()}) and writes the new NS and its glue into Knot's {@code
 * parent.test.} through the {@link TsigDelegationBackend}. The child and Knot are put back
 * afterwards (the testnet is shared).
 */
@ExtendWith(TestnetExtension.class)
class CsyncScanInteropTest {
  private static final Name PARENT = Name.fromConstantString("parent.test.");
  private static final Name CHILD = Name.fromConstantString("child.parent.test.");
  private static final Name CHILD_NS = Name.fromConstantString("ns1.operator.test.");
  private static final Name NS3 = Name.fromConstantString("ns3.child.parent.test.");

  @Test
  void nsupdatesCsyncIsScannedAndAppliedToKnot(Testnet net) throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(2);
    List<ScanEvent> scans = new CopyOnWriteArrayList<>();
    try (NioDnsTransport transport = NioDnsTransport.create(executor)) {
      TsigDelegationBackend backend = TsigDelegationBackend.builder(transport,
              DnsEndpoint.of(net.parent()), PARENT,
              TsigKey.of(net.tsigName(), net.tsigAlgorithm(), net.tsigSecret()))
          .timeout(Duration.ofSeconds(5)).build();
      Delegation before = backend.current(CHILD).orElseThrow();
      ValidatingLookup validated = ValidatingLookup.builder(transport,
              DnsEndpoint.of(net.resolver()), executor)
          .trustAnchors(List.of(net.trustAnchorRecord())).build();
      Observer observer = Observer.builder(transport, validated)
          .overrides(EndpointOverrides.builder()
              .name(CHILD_NS, DnsEndpoint.of(net.child()))
              .name(NS3, DnsEndpoint.of(net.child()))
              .build())
          .timeout(Duration.ofSeconds(5)).build();
      ScanService service = ScanService.builder(observer,
              AcceptanceChecks.of(AcceptancePolicy.cdsWithCsync()), backend)
          .listener(scans::add).build();

      long serial = ((SOARecord) Testnet.query(net.child(), CHILD.toString(), Type.SOA, false)
          .getSection(Section.ANSWER).get(0)).getSerial();
      nsupdate(net, "update add ns3.child.parent.test. 5 A 127.0.0.1\n"
          + "update add child.parent.test. 5 NS ns3.child.parent.test.\n"
          + "update add child.parent.test. 5 CSYNC " + serial + " 3 A NS AAAA\n");
      try {
        net.flush(CHILD.toString());
        ScanEvent result = service.scan(new ScanRequest(CHILD, Type.CSYNC))
            .toCompletableFuture().get(60, TimeUnit.SECONDS);
        assertThat(result).as("scan events " + scans).isInstanceOf(ScanEvent.Applied.class);
        Delegation after = backend.current(CHILD).orElseThrow();
        assertThat(after.nameservers()).containsExactlyInAnyOrder(CHILD_NS, NS3);
        assertThat(after.glue()).containsOnlyKeys(NS3);
        assertThat(after.glue().get(NS3)).containsExactly(InetAddress.getByName("127.0.0.1"));
        assertThat(after.ds()).isEqualTo(before.ds());
      } finally {
        nsupdate(net, "update delete child.parent.test. CSYNC\n"
            + "update delete child.parent.test. NS ns3.child.parent.test.\n"
            + "update delete ns3.child.parent.test. A\n");
        Update u = new Update(PARENT);
        u.delete(CHILD, Type.NS);
        u.delete(NS3, Type.A);
        for (Record r : before.toRecords()) {
          if (r.getType() == Type.NS) {
            u.add(r);
          }
        }
        assertThat(net.update(net.parent(), u).getRcode()).as("restore Knot NS")
            .isEqualTo(Rcode.NOERROR);
        net.flush(CHILD.toString());
      }
      assertThat(backend.current(CHILD)).contains(before);
    } finally {
      executor.shutdownNow();
      executor.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** {@code nsupdate -y TSIG FILE} against the child's named, for {@code child.parent.test.}. */
  private static void nsupdate(Testnet net, String updates) throws Exception {
    Path file = Files.createTempFile(net.dir(), "csync-", ".txt");
    Files.writeString(file, "server 127.0.0.1 " + net.child().getPort() + "\n"
        + "zone child.parent.test.\n" + updates + "send\n");
    Peers.run(Duration.ofSeconds(20), null, Map.of(),
        List.of("nsupdate", "-y", net.tsigSpec(), file.toString())).orThrow();
  }
}
