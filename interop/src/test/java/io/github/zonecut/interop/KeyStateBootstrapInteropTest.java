package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.keystate.AtApexVerifier;
import io.github.zonecut.keystate.AtNsVerifier;
import io.github.zonecut.keystate.BootstrapMethod;
import io.github.zonecut.keystate.BootstrapVerifier;
import io.github.zonecut.keystate.KeyIdentity;
import io.github.zonecut.keystate.KeyLookup;
import io.github.zonecut.keystate.UnsignedVerifier;
import io.github.zonecut.keystate.VerificationPolicy;
import io.github.zonecut.keystate.VerificationProgress;
import io.github.zonecut.keystate.VerificationRequest;
import io.github.zonecut.keystate.VerificationResult;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The SIG(0) key bootstrap verifiers against real servers: BIND serves the children and the
 * signed operator zone, Knot the parent, Unbound validates (ddns §9.4.1).
 */
@ExtendWith(TestnetExtension.class)
class KeyStateBootstrapInteropTest {
  static final Name OPERATOR_NS = Name.fromConstantString("ns1.operator.test.");

  static ExecutorService executor;
  static NioDnsTransport transport;

  @BeforeAll
  static void start() throws Exception {
    executor = Executors.newFixedThreadPool(2);
    transport = NioDnsTransport.create(executor);
  }

  @AfterAll
  static void stop() {
    transport.close();
    executor.shutdownNow();
  }

  /** Validation in zonecut (core's ValidatingLookup) over Unbound, anchored at test.'s KSK. */
  static KeyLookup zonecutValidated(Testnet net) throws Exception {
    return KeyLookup.of(ValidatingLookup.builder(transport, DnsEndpoint.of(net.resolver()),
        executor).trustAnchors(List.of(net.trustAnchorRecord())).build());
  }

  /** Validation by Unbound itself: its AD bit. */
  static KeyLookup unboundValidated(Testnet net) {
    return KeyLookup.validating(new SimpleResolver(net.resolver()), executor);
  }

  static KEYRecord key(BindKeyFiles files) {
    return (KEYRecord) Testnet.parseRecord(files.keyRecordText(), Type.KEY);
  }

  static VerificationResult verify(BootstrapVerifier v, KEYRecord k, List<Name> ns,
      List<DnsEndpoint> servers, VerificationProgress p) throws Exception {
    return v.verify(new VerificationRequest(KeyIdentity.of(k), ns, servers, p))
        .toCompletableFuture().get();
  }

  @Test
  void atApexSucceedsForTheSecureChild(Testnet net) throws Exception {
    KEYRecord k = key(net.sig0Child());
    assertThat(verify(new AtApexVerifier(zonecutValidated(net)), k, List.of(), List.of(), null))
        .isInstanceOf(VerificationResult.Verified.class);
    assertThat(verify(new AtApexVerifier(unboundValidated(net)), k, List.of(), List.of(), null))
        .isInstanceOf(VerificationResult.Verified.class);
  }

  @Test
  void atApexStepsAsideForTheInsecureChild(Testnet net) throws Exception {
    assertThat(verify(new AtApexVerifier(zonecutValidated(net)), key(net.sig0New()), List.of(),
        List.of(), null)).isInstanceOf(VerificationResult.NotApplicable.class);
  }

  @Test
  void atApexFailsUnderTheBogusDelegation(Testnet net) throws Exception {
    KEYRecord real = key(net.sig0Child());
    KEYRecord underBogus = new KEYRecord(Name.fromString("bogus.parent.test."), real.getDClass(),
        300, real.getFlags(), real.getProtocol(), real.getAlgorithm(), real.getKey());
    assertThat(verify(new AtApexVerifier(zonecutValidated(net)), underBogus, List.of(),
        List.of(), null)).isInstanceOf(VerificationResult.Failed.class);
  }

  @Test
  void atNsSucceedsThroughTheSignedOperatorZone(Testnet net) throws Exception {
    List<Name> ns = List.of(Name.fromString("ns1.new.parent.test."), OPERATOR_NS);
    assertThat(verify(new AtNsVerifier(zonecutValidated(net)), key(net.sig0New()), ns, List.of(),
        null)).isInstanceOf(VerificationResult.Verified.class);
    assertThat(verify(new AtNsVerifier(unboundValidated(net)), key(net.sig0Child()),
        List.of(OPERATOR_NS), List.of(), null))
        .isInstanceOf(VerificationResult.Verified.class);
  }

  @Test
  void atNsFailsForAKeyTheOperatorDoesNotPublish(Testnet net) throws Exception {
    KEYRecord child = key(net.sig0Child());
    KEYRecord wrongKeyForNew = new KEYRecord(Name.fromString("new.parent.test."),
        child.getDClass(), 300, child.getFlags(), child.getProtocol(), child.getAlgorithm(),
        child.getKey());
    assertThat(verify(new AtNsVerifier(zonecutValidated(net)), wrongKeyForNew,
        List.of(OPERATOR_NS), List.of(), null)).isInstanceOf(VerificationResult.Failed.class);
  }

  @Test
  void unsignedAsksBindDirectlyOverTcpForEveryRound(Testnet net) throws Exception {
    UnsignedVerifier v = new UnsignedVerifier(
        s -> KeyLookup.direct(transport, s, Duration.ofSeconds(5)),
        VerificationPolicy.of(BootstrapMethod.UNSIGNED), Clock.systemUTC());
    KEYRecord k = key(net.sig0New());
    List<DnsEndpoint> servers = List.of(DnsEndpoint.of(net.child()));
    VerificationResult r = verify(v, k, List.of(), servers, null);
    for (int i = 0; i < 2 && r instanceof VerificationResult.Pending p; i++) {
      r = verify(v, k, List.of(), servers, p.progress());
    }
    assertThat(r).isInstanceOf(VerificationResult.Verified.class);
  }
}
