package io.github.zonecut.multisigner.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.core.DsData;
import io.github.zonecut.multisigner.KeyRole;
import io.github.zonecut.multisigner.SignerId;
import io.github.zonecut.multisigner.Signing;
import io.github.zonecut.multisigner.Step;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

class DnsUpdateStepExecutorTest {
  private static final Name ZONE = Name.fromConstantString("example.com.");
  private static final SignerId ALPHA = SignerId.of("alpha");
  private static final String SECRET = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA==";

  private final TSIG key = new TSIG(TSIG.HMAC_SHA256, "alpha-key.", SECRET);
  private ExecutorService pool;
  private NioDnsTransport transport;
  private TinyUpdateServer server;
  private DnsUpdateStepExecutor executor;

  @BeforeEach
  void start() throws Exception {
    pool = Executors.newSingleThreadExecutor();
    transport = NioDnsTransport.create(pool);
    server = new TinyUpdateServer(ZONE, key);
    executor = DnsUpdateStepExecutor.of(transport, Map.of(ALPHA,
        new DnsUpdateStepExecutor.Target(DnsEndpoint.of("127.0.0.1", server.port()), key)))
        .with(Duration.ofSeconds(5), 300);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    transport.close();
    pool.shutdownNow();
    pool.awaitTermination(5, TimeUnit.SECONDS);
  }

  private StepResult run(Step step) throws Exception {
    return executor.execute(ZONE, step).toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void appliesDnskeyCdsCsyncAndNsStepsIdempotently() throws Exception {
    DnsKeyData zsk = KeyRole.ZSK.key(13, new byte[64]);
    DnsKeyData ksk = KeyRole.KSK.key(13, new byte[] {1, 2, 3});
    assertThat(run(new Step.AddDnskeys(ALPHA, Set.of(zsk, ksk)))).isInstanceOf(StepResult.Applied.class);
    int afterAdd = server.updates;
    // repeated: the RRset is read first and nothing is sent
    assertThat(run(new Step.AddDnskeys(ALPHA, Set.of(zsk, ksk)))).isInstanceOf(StepResult.AlreadyApplied.class);
    assertThat(server.updates).isEqualTo(afterAdd);
    assertThat(server.rrset(Type.DNSKEY)).hasSize(2).allMatch(r -> r.getTTL() == 300);
    assertThat(run(new Step.RemoveDnskeys(ALPHA, Set.of(zsk)))).isInstanceOf(StepResult.Applied.class);
    assertThat(run(new Step.RemoveDnskeys(ALPHA, Set.of(zsk)))).isInstanceOf(StepResult.AlreadyApplied.class);
    assertThat(server.rrset(Type.DNSKEY)).hasSize(1);

    DsData ds = DsData.compute(ZONE, ksk, DsData.SHA256);
    assertThat(run(new Step.SetCds(ALPHA, Set.of(ds), Set.of(ksk)))).isInstanceOf(StepResult.Applied.class);
    assertThat(run(new Step.SetCds(ALPHA, Set.of(ds), Set.of(ksk)))).isInstanceOf(StepResult.AlreadyApplied.class);
    assertThat(server.rrset(Type.CDS)).singleElement()
        .satisfies(r -> assertThat(((CDSRecord) r).getDigest()).isEqualTo(ds.digest()));
    assertThat(server.rrset(Type.CDNSKEY)).hasSize(1);
    run(new Step.SetCds(ALPHA, Set.of(), Set.of()));
    assertThat(server.rrset(Type.CDS)).isEmpty();
    assertThat(server.rrset(Type.CDNSKEY)).isEmpty();

    assertThat(run(new Step.SetCsync(ALPHA, true))).isInstanceOf(StepResult.Applied.class);
    assertThat(run(new Step.SetCsync(ALPHA, true))).isInstanceOf(StepResult.AlreadyApplied.class);
    assertThat(server.rrset(Type.CSYNC)).hasSize(1);
    run(new Step.SetCsync(ALPHA, false));
    assertThat(server.rrset(Type.CSYNC)).isEmpty();

    Name a = Name.fromConstantString("ns1.alpha.net.");
    Name b = Name.fromConstantString("ns1.bravo.net.");
    synchronized (server) {
      server.records.add(new NSRecord(ZONE, DClass.IN, 3600, Name.fromConstantString("old.example.")));
    }
    assertThat(run(new Step.SetNs(ALPHA, Set.of(a, b)))).isInstanceOf(StepResult.Applied.class);
    assertThat(server.rrset(Type.NS)).extracting(r -> ((NSRecord) r).getTarget()).containsExactlyInAnyOrder(a, b);
    int updates = server.updates;
    assertThat(run(new Step.SetNs(ALPHA, Set.of(a, b)))).isInstanceOf(StepResult.AlreadyApplied.class);
    assertThat(server.updates).isEqualTo(updates);
  }

  @Test
  void signerInternalStepsAreUnsupported() throws Exception {
    assertThat(run(new Step.StopServing(ALPHA))).isInstanceOf(StepResult.Unsupported.class);
    assertThat(run(new Step.GenerateKey(ALPHA, KeyRole.ZSK, 13, Set.of())))
        .isInstanceOf(StepResult.Unsupported.class);
    assertThat(run(new Step.SetSigning(ALPHA, Signing.of(Set.of(), Set.of()))))
        .isInstanceOf(StepResult.Unsupported.class);
  }

  @Test
  void aWrongKeyIsRejectedAndAnUnknownSignerToo() throws Exception {
    TSIG wrong = new TSIG(TSIG.HMAC_SHA256, "alpha-key.", "d3Jvbmctd3Jvbmctd3Jvbmctd3Jvbmc=");
    DnsUpdateStepExecutor bad = DnsUpdateStepExecutor.of(transport, Map.of(ALPHA,
        new DnsUpdateStepExecutor.Target(DnsEndpoint.of("127.0.0.1", server.port()), wrong)));
    StepResult r = bad.execute(ZONE, new Step.SetCsync(ALPHA, true)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(r).isInstanceOfSatisfying(StepResult.Rejected.class,
        x -> assertThat(x.reason()).contains("NOTAUTH"));
    assertThat(server.rrset(Type.CSYNC)).isEmpty();
    assertThat(new DnsUpdateStepExecutor.Target(DnsEndpoint.of("127.0.0.1", 1), wrong).toString())
        .doesNotContain("d3Jvbm");
    assertThat(run(new Step.SetCsync(SignerId.of("bravo"), true)))
        .isInstanceOfSatisfying(StepResult.Rejected.class, x -> assertThat(x.reason()).contains("bravo"));
  }

  @Test
  void anUnreachableSignerIsReportedNotThrown() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    DnsUpdateStepExecutor gone = DnsUpdateStepExecutor.of(transport, Map.of(ALPHA,
        new DnsUpdateStepExecutor.Target(DnsEndpoint.of("127.0.0.1", closedPort), key)))
        .with(Duration.ofSeconds(2), 300);
    StepResult r = gone.execute(ZONE, new Step.SetCsync(ALPHA, true)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(r).isInstanceOf(StepResult.Unreachable.class);
    StepResult ns = gone.execute(ZONE, new Step.SetNs(ALPHA, Set.of(ZONE))).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(ns).isInstanceOf(StepResult.Unreachable.class);
  }
}
