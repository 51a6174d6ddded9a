package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.sig0.RrsigVerifier;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsLookup;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.core.Verdict;
import io.github.zonecut.testkit.Fault;
import io.github.zonecut.testkit.TestHierarchy;
import io.github.zonecut.testkit.TestZone;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The Observer's default for a secure delegation: the parent's own DS set anchors the child's
 * keys (RFC 7344 §4.1, RFC 4035 §5.2–5.3), the validating resolver is asked only for what that
 * cannot prove. Each world is observed both ways (anchored, and every question through the
 * resolver as before) and must be decided alike; the anchored way must not ask the resolver
 * about the child when the servers prove everything themselves, and must fall back to it when
 * they cannot.
 */
class AnchoredObservationTest {
  static final Name CHILD = Name.fromConstantString("child.test.");
  static final Name NS1 = Name.fromConstantString("ns1.nsop.test.");
  static final Name NS2 = Name.fromConstantString("ns2.nsop.test.");

  ExecutorService executor;
  NioDnsTransport transport;
  TestHierarchy h;
  TestZone child;
  Delegation current;
  /** The questions the resolver was asked, as "name/TYPE". */
  final List<String> asked = new CopyOnWriteArrayList<>();
  /** What the anchored observation of the last {@link #decidedAlike} asked. */
  List<String> askedAnchored = List.of();

  @BeforeEach
  void start() throws Exception {
    executor = Executors.newFixedThreadPool(2);
    transport = NioDnsTransport.create(executor);
    h = TestHierarchy.builder()
        .zone("test.")
        .zone("child.test.", z -> z.nameservers("ns1.nsop.test.", "ns2.nsop.test."))
        .start();
    child = h.zone("child.test.");
    current = Delegation.builder(CHILD).nameservers(NS1, NS2)
        .ds(DsData.of(child.ds().get(0))).build();
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
    transport.close();
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** An observer with a fresh validator (no cache shared between the two ways). */
  private Observer observer(boolean anchored) throws Exception {
    ValidatingLookup validating = ValidatingLookup.builder(transport,
        DnsEndpoint.of(h.recursive().address()), executor)
        .trustAnchors(h.trustAnchors()).clock(h.clock()).build();
    DnsLookup counting = new DnsLookup() {
      @Override
      public CompletionStage<LookupResult> lookup(Name name, int type) {
        asked.add(name + "/" + Type.string(type));
        return validating.lookup(name, type);
      }

      @Override
      public void flush() {
        validating.flush();
      }

      @Override
      public void flush(Name zone) {
        validating.flush(zone);
      }
    };
    return Observer.builder(transport, counting).overrides(h.endpointOverrides())
        .clock(h.clock()).timeout(Duration.ofSeconds(2)).parentDsAnchors(anchored).build();
  }

  private Observations observe(boolean anchored, Delegation delegation) throws Exception {
    return observer(anchored).observe(CHILD, Optional.of(delegation)).toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  private DNSKEYRecord ksk() {
    return child.dnskeys().stream().filter(k -> k.getFlags() == 257).findFirst().orElseThrow();
  }

  private void publishCds(DsData... ds) {
    child.edit(e -> {
      for (DsData d : ds) {
        e.add(new CDSRecord(CHILD, DClass.IN, 300, d.keyTag(), d.algorithm(), d.digestType(),
            d.digest()));
      }
    });
  }

  /** The decision both ways (anchored, then through the resolver); asserts they agree. */
  private Decision decidedAlike(AcceptancePolicy policy, Delegation delegation) throws Exception {
    AcceptanceChecks checks = AcceptanceChecks.of(policy);
    asked.clear();
    Decision anchored = checks.cds(observe(true, delegation));
    askedAnchored = List.copyOf(asked);
    Decision resolved = checks.cds(observe(false, delegation));
    assertThat(anchored.getClass()).as("anchored %s vs resolver %s", anchored, resolved)
        .isEqualTo(resolved.getClass());
    if (anchored instanceof Decision.Refused) {
      assertThat(((Decision.Refused) anchored).reason())
          .isEqualTo(((Decision.Refused) resolved).reason());
    }
    if (anchored instanceof Decision.Pending) {
      assertThat(((Decision.Pending) anchored).reason())
          .isEqualTo(((Decision.Pending) resolved).reason());
    }
    if (anchored instanceof Decision.Accept) {
      assertThat(((Decision.Accept) anchored).desired())
          .isEqualTo(((Decision.Accept) resolved).desired());
    }
    return anchored;
  }

  @Test
  void aSecureDelegationIsValidatedFromTheParentsDsWithoutAskingTheResolver() throws Exception {
    publishCds(DsData.compute(CHILD, ksk(), DsData.SHA256),
        DsData.compute(CHILD, ksk(), DsData.SHA384));

    Observations obs = observe(true, current);

    assertThat(asked).as("nothing about the child goes to the resolver").isEmpty();
    assertThat(obs.validated(CHILD, Type.CDS)).hasValueSatisfying(r -> {
      assertThat(r).isInstanceOf(LookupResult.Answer.class);
      assertThat(((LookupResult.Answer) r).verdict()).isEqualTo(Verdict.SECURE);
    });
    assertThat(obs.validated(CHILD, Type.CDNSKEY)).as("absent everywhere: not asked").isEmpty();
    Decision d = AcceptanceChecks.of(AcceptancePolicy.cdsWithDsboot()).cds(obs);
    assertThat(d).isInstanceOf(Decision.Accept.class);
  }

  @Test
  void aConsistentCdsIsAcceptedAlike() throws Exception {
    publishCds(DsData.compute(CHILD, ksk(), DsData.SHA256),
        DsData.compute(CHILD, ksk(), DsData.SHA384));
    assertThat(decidedAlike(AcceptancePolicy.cdsWithDsboot(), current))
        .isInstanceOf(Decision.Accept.class);
  }

  @Test
  void theObserverAndTheChecksVerifyWithTheVerifierTheyAreGivenAndKeepItsBound()
      throws Exception {
    publishCds(DsData.compute(CHILD, ksk(), DsData.SHA384));
    // Bouncy Castle only, a cache of one key: the child's KSK and ZSK take turns in it
    RrsigVerifier verifier =
        RrsigVerifier.create(Sig0Config.builder().pinBouncyCastleOnly().build(), 1);
    Observer observer = Observer.builder(transport, h.validatingLookup(transport, executor)
            .build()).overrides(h.endpointOverrides()).clock(h.clock())
        .timeout(Duration.ofSeconds(2)).rrsigVerifier(verifier).build();
    Observations obs = observer.observe(CHILD, Optional.of(current)).toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    assertThat(verifier.cachedKeys()).as("the observer's signatures went through it").isOne();

    Decision decision = AcceptanceChecks.of(AcceptancePolicy.cdsWithDsboot(), verifier).cds(obs);

    assertThat(decision).isInstanceOf(Decision.Accept.class);
    assertThat(verifier.cachedKeys()).isOne();
  }

  @Test
  void noCdsIsNoChangeAlike() throws Exception {
    assertThat(decidedAlike(AcceptancePolicy.cdsWithDsboot(), current))
        .isInstanceOf(Decision.NoChange.class);
  }

  @Test
  void aDivergentServerIsRefusedAlike() throws Exception {
    h.nameserver("ns2.nsop.test.").freeze();
    publishCds(DsData.compute(CHILD, ksk(), DsData.SHA384));
    assertThat(decidedAlike(AcceptancePolicy.cdsWithDsboot(), current))
        .isInstanceOf(Decision.Refused.class);
  }

  @Test
  void corruptedSignaturesAreRefusedAlikeAfterTheResolverIsAsked() throws Exception {
    publishCds(DsData.compute(CHILD, ksk(), DsData.SHA384));
    child.setSignaturesCorrupted(true);

    Decision d = decidedAlike(AcceptancePolicy.cdsWithDsboot(), current);

    assertThat(d).isInstanceOf(Decision.Refused.class);
    assertThat(((Decision.Refused) d).reason()).isEqualTo(Reason.BOGUS);
    assertThat(askedAnchored).as("the anchored way could prove nothing, so it asked")
        .contains(CHILD + "/CDS");
  }

  @Test
  void aCdsWithoutContinuityIsRefusedAlike() throws Exception {
    // a DS for a key the child does not have
    DsData stranger = DsData.of(ksk().getFootprint() ^ 1, ksk().getAlgorithm(), DsData.SHA256,
        new byte[32]);
    publishCds(stranger);
    Decision d = decidedAlike(AcceptancePolicy.cdsWithDsboot(), current);
    assertThat(d).isInstanceOf(Decision.Refused.class);
    assertThat(askedAnchored).as("the servers proved the CDS themselves").isEmpty();
  }

  @Test
  void aParentDsThatMatchesNoKeyFallsBackToTheResolver() throws Exception {
    publishCds(DsData.compute(CHILD, ksk(), DsData.SHA384));
    Delegation unanchored = Delegation.builder(CHILD).nameservers(NS1, NS2)
        .ds(DsData.of(ksk().getFootprint(), ksk().getAlgorithm(), DsData.SHA256, new byte[32]))
        .build();

    decidedAlike(AcceptancePolicy.cdsWithDsboot(), unanchored);

    assertThat(askedAnchored).contains(CHILD + "/CDS", CHILD + "/NS");
  }

  @Test
  void aSilentServerIsPendingAlike() throws Exception {
    publishCds(DsData.compute(CHILD, ksk(), DsData.SHA384));
    h.nameserver("ns2.nsop.test.").setFault(Fault.silence());
    Decision d = decidedAlike(AcceptancePolicy.cdsWithDsboot(), current);
    assertThat(d).isInstanceOf(Decision.Pending.class);
  }

  @Test
  void theDeleteSentinelIsDecidedAlike() throws Exception {
    child.edit(e -> e.add(new CDSRecord(CHILD, DClass.IN, 300, 0, 0, 0, new byte[] {0})));
    decidedAlike(AcceptancePolicy.cdsWithDsboot(), current);
    child.edit(e -> e.add(new CDSRecord(CHILD, DClass.IN, 300, ksk().getFootprint(),
        ksk().getAlgorithm(), DsData.SHA384, DsData.compute(CHILD, ksk(), DsData.SHA384)
            .digest())));
    Decision mixed = decidedAlike(AcceptancePolicy.cdsWithDsboot(), current);
    assertThat(mixed).isInstanceOf(Decision.Refused.class);
    assertThat(((Decision.Refused) mixed).reason()).isEqualTo(Reason.MIXED_DELETE);
  }
}
