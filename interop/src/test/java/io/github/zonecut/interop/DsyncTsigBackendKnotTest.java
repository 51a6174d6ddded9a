package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.dsync.DelegationBackend.ApplyResult;
import io.github.zonecut.dsync.DelegationChange;
import io.github.zonecut.dsync.TsigDelegationBackend;
import io.github.zonecut.dsync.TsigKey;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * dsync's {@link TsigDelegationBackend} writing into Knot's {@code parent.test.} (the testnet's
 * primary, TSIG key {@code upd}): an NS change with new glue and a DS change applied by TSIG
 * UPDATE and read back with {@code dig} from the primary; a stale change refused by the backend's
 * read and, when the zone changes between read and UPDATE, by Knot's own RFC 2136 prerequisite
 * check. The test child is created and removed by the test: the testnet is shared.
 */
@ExtendWith(TestnetExtension.class)
class DsyncTsigBackendKnotTest {
  private static final Name ZONE = Name.fromConstantString("parent.test.");
  private static final Name CHILD = Name.fromConstantString("tsig-backend.parent.test.");
  private static final Name NS1 = Name.fromConstantString("ns1.tsig-backend.parent.test.");
  private static final Name NS2 = Name.fromConstantString("ns2.tsig-backend.parent.test.");
  private static final Name OUTSIDE = Name.fromConstantString("ns.example.net.");
  private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

  private ExecutorService pool;
  private NioDnsTransport transport;

  @BeforeEach
  void startTransport() throws Exception {
    pool = Executors.newSingleThreadExecutor();
    transport = NioDnsTransport.create(pool);
  }

  @AfterEach
  void stopTransport() throws Exception {
    transport.close();
    pool.shutdownNow();
    pool.awaitTermination(5, TimeUnit.SECONDS);
  }

  private static TsigKey key(Testnet net) {
    return TsigKey.of(net.tsigName(), net.tsigAlgorithm(), net.tsigSecret());
  }

  private static TsigDelegationBackend backend(Testnet net, DnsTransport transport) {
    return TsigDelegationBackend.builder(transport, DnsEndpoint.of(net.parent()), ZONE, key(net))
        .timeout(Duration.ofSeconds(5)).build();
  }

  // an empty DS RRset has no TTL in DNS: the backend reads it as Delegation.DEFAULT_TTL
  private static Delegation initial() throws Exception {
    return Delegation.builder(CHILD).glue(NS1, InetAddress.getByName("192.0.2.53"))
        .nameservers(OUTSIDE).nsTtl(60).dsTtl(Delegation.DEFAULT_TTL).glueTtl(60).build();
  }

  private static Delegation withNs2() throws Exception {
    return Delegation.builder(CHILD).glue(NS1, InetAddress.getByName("192.0.2.53"))
        .glue(NS2, InetAddress.getByName("192.0.2.54"), InetAddress.getByName("2001:db8::54"))
        .nameservers(OUTSIDE).nsTtl(60).dsTtl(Delegation.DEFAULT_TTL).glueTtl(60).build();
  }

  private static final byte[] DIGEST = HexFormat.of().parseHex(
      "2BB183AF5F22588179A53B0A98631FAD1A292118C8A4C6F4D1E5B4A3A2B1C0D9");

  private static Delegation withNs2AndDs() throws Exception {
    return Delegation.builder(CHILD).glue(NS1, InetAddress.getByName("192.0.2.53"))
        .glue(NS2, InetAddress.getByName("192.0.2.54"), InetAddress.getByName("2001:db8::54"))
        .nameservers(OUTSIDE).ds(new DsData(4711, 13, 2, DIGEST))
        .nsTtl(60).dsTtl(60).glueTtl(60).build();
  }

  private static DelegationChange change(String id, Delegation from, Delegation to) {
    return new DelegationChange(id, CHILD, from, to, DelegationChange.Source.UPDATE, T0);
  }

  /** Removes the test child entirely (raw TSIG UPDATE), then optionally loads {@code d}. */
  private static void reset(Testnet net, Delegation d) {
    Update u = new Update(ZONE);
    for (Name host : List.of(NS1, NS2)) {
      u.delete(host, Type.A);
      u.delete(host, Type.AAAA);
    }
    u.delete(CHILD, Type.DS);
    u.delete(CHILD, Type.NS);
    if (d != null) {
      for (Record r : d.toRecords()) {
        u.add(r);
      }
    }
    assertThat(net.update(net.parent(), u).getRcode()).as("reset " + CHILD)
        .isEqualTo(Rcode.NOERROR);
  }

  /** {@code dig +norec} against Knot itself: the primary's data, not a cache's. */
  private static ToolResult digPrimary(Testnet net, String... args) {
    List<String> cmd = new java.util.ArrayList<>(List.of("dig",
        "@" + net.parent().getAddress().getHostAddress(), "-p",
        Integer.toString(net.parent().getPort()), "+norec", "+time=2", "+tries=2", "+tcp"));
    cmd.addAll(List.of(args));
    return Peers.run(Duration.ofSeconds(20), null, Map.of(), cmd).orThrow();
  }

  @Test
  void nsAndDsChangesAreAppliedInKnotAndIdempotent(Testnet net) throws Exception {
    reset(net, initial());
    try {
      TsigDelegationBackend b = backend(net, transport);
      assertThat(b.current(CHILD)).contains(initial());

      assertThat(b.apply(change("ns-1", initial(), withNs2())))
          .isEqualTo(new ApplyResult.Applied("ns-1"));
      String referral = digPrimary(net, "+noall", "+authority", "+additional",
          CHILD.toString(), "NS").stdout().toLowerCase(Locale.ROOT);
      assertThat(referral).contains("ns2.tsig-backend.parent.test.")
          .contains("192.0.2.54").contains("2001:db8::54").contains("ns.example.net.");

      assertThat(b.apply(change("ds-1", withNs2(), withNs2AndDs())))
          .isEqualTo(new ApplyResult.Applied("ds-1"));
      String ds = digPrimary(net, "+short", CHILD.toString(), "DS").stdout()
          .replaceAll("\\s", "").toUpperCase(Locale.ROOT);
      assertThat(ds).isEqualTo("4711132" + HexFormat.of().withUpperCase().formatHex(DIGEST));
      assertThat(b.current(CHILD)).contains(withNs2AndDs());

      // the same change again: the desired delegation is there, nothing is sent twice
      assertThat(b.apply(change("ds-1", withNs2(), withNs2AndDs())))
          .isEqualTo(new ApplyResult.AlreadyApplied("ds-1"));

      // back to the start in one change (NS, glue and DS removed together)
      assertThat(b.apply(change("undo", withNs2AndDs(), initial())))
          .isEqualTo(new ApplyResult.Applied("undo"));
      assertThat(b.current(CHILD)).contains(initial());
      assertThat(digPrimary(net, "+short", CHILD.toString(), "DS").stdout()).isBlank();
    } finally {
      reset(net, null);
    }
  }

  @Test
  void aStaleChangeIsAConflict(Testnet net) throws Exception {
    reset(net, withNs2());
    try {
      TsigDelegationBackend b = backend(net, transport);
      ApplyResult r = b.apply(change("stale", initial(), withNs2AndDs()));
      assertThat(r).isInstanceOf(ApplyResult.Conflict.class);
      assertThat(b.current(CHILD)).contains(withNs2());
    } finally {
      reset(net, null);
    }
  }

  /**
   * Another writer changes the DS between the backend's read and its UPDATE (a transport that
   * does that write just before forwarding the UPDATE): Knot itself refuses the UPDATE on the
   * prerequisites (YXRRSET), the backend reports a conflict, and the other writer's data stays.
   */
  @Test
  void knotRefusesAChangeThatWentStaleBetweenReadAndUpdate(Testnet net) throws Exception {
    reset(net, withNs2());
    try {
      AtomicBoolean interfered = new AtomicBoolean();
      DnsTransport racing = (endpoint, request, protocol, timeout) -> {
        try {
          if (new Message(request.wire()).getHeader().getOpcode() == Opcode.UPDATE
              && interfered.compareAndSet(false, true)) {
            Update other = new Update(ZONE);
            other.add(new DsData(999, 13, 2, DIGEST).toRecord(CHILD, 60));
            assertThat(net.update(net.parent(), other).getRcode()).isEqualTo(Rcode.NOERROR);
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        return transport.exchange(endpoint, request, protocol, timeout);
      };
      TsigDelegationBackend b = backend(net, racing);

      ApplyResult r = b.apply(change("raced", withNs2(), withNs2AndDs()));

      assertThat(interfered).isTrue();
      assertThat(r).isInstanceOf(ApplyResult.Conflict.class);
      // expected DS empty → "RRset does not exist" prerequisite → YXRRSET (RFC 2136 §3.2.5)
      assertThat(((ApplyResult.Conflict) r).reason()).contains("YXRRSET");
      assertThat(b.current(CHILD).orElseThrow().ds()).extracting(DsData::keyTag)
          .containsExactly(999);
    } finally {
      reset(net, null);
    }
  }
}
