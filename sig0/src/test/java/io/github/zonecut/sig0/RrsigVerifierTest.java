package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.zonecut.core.DnsKeyData;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * {@link RrsigVerifier} against dnsjava's signer and verifier: every IANA algorithm zonecut
 * supports, under the default provider selection and under Bouncy Castle only, agrees with
 * {@code DNSSEC.verify} on good signatures, and refuses bit flips, expired and not-yet-valid
 * signatures, a wrong signer, a non-zone key, and an RRset that was changed.
 */
class RrsigVerifierTest {
  private static final Name ZONE = Name.fromConstantString("child.example.");
  private static final Instant NOW = Instant.parse("2026-12-05T00:00:00Z");

  private record Signed(RRset rrset, RRSIGRecord sig, DNSKEYRecord key) {}

  /** Keys from the JDK's own providers and dnsjava's signer: nothing of zonecut on this side. */
  private static Signed sign(int alg, int flags) throws Exception {
    KeyPairGenerator g;
    switch (alg) {
      case 8:
      case 10:
        g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        break;
      case 13:
        g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        break;
      case 14:
        g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        break;
      default:
        g = KeyPairGenerator.getInstance(alg == 15 ? "Ed25519" : "Ed448");
    }
    KeyPair pair = g.generateKeyPair();
    DNSKEYRecord key = new DNSKEYRecord(ZONE, DClass.IN, 3600, flags, 3, alg, pair.getPublic());
    RRset rrset = new RRset();
    rrset.addRR(new NSRecord(ZONE, DClass.IN, 3600, Name.fromConstantString("ns1.example.")));
    rrset.addRR(new NSRecord(ZONE, DClass.IN, 3600, Name.fromConstantString("ns2.example.")));
    RRSIGRecord sig = DNSSEC.sign(rrset, key, pair.getPrivate(), NOW.minusSeconds(3600),
        NOW.plusSeconds(3600));
    return new Signed(rrset, sig, key);
  }

  private static List<RrsigVerifier> verifiers() {
    return List.of(RrsigVerifier.defaults(),
        RrsigVerifier.create(Sig0Config.builder().pinBouncyCastleOnly().build()));
  }

  @ParameterizedTest
  @ValueSource(ints = {8, 10, 13, 14, 15, 16})
  void agreesWithDnsjavaOnGoodSignaturesAndRefusesBitFlips(int alg) throws Exception {
    Signed s = sign(alg, DnsKeyData.ZONE_FLAG | DnsKeyData.SEP_FLAG);
    DNSSEC.verify(s.rrset(), s.sig(), s.key(), NOW); // dnsjava's own verdict: good
    for (RrsigVerifier v : verifiers()) {
      assertThat(v.problem(s.rrset(), s.sig(), s.key(), NOW)).as(v.toString()).isEmpty();
      byte[] bad = s.sig().getSignature().clone();
      bad[bad.length / 2] ^= 0x01;
      RRSIGRecord flipped = withSignature(s.sig(), bad);
      assertThat(v.verifies(s.rrset(), flipped, s.key(), NOW)).as(v.toString()).isFalse();
    }
  }

  @Test
  void keepsAtMostItsKeyCacheSizeOfDecodedKeysAndSharesNothingWithOtherInstances()
      throws Exception {
    RrsigVerifier small = RrsigVerifier.create(Sig0Config.defaults(), 4);
    RrsigVerifier other = RrsigVerifier.defaults();
    assertThat(RrsigVerifier.defaults()).isNotSameAs(other);
    for (int i = 0; i < 11; i++) {
      Signed s = sign(13, DnsKeyData.ZONE_FLAG);
      assertThat(small.verifies(s.rrset(), s.sig(), s.key(), NOW)).isTrue();
      // the same key again: served from the cache, still verified
      assertThat(small.verifies(s.rrset(), s.sig(), s.key(), NOW)).isTrue();
      assertThat(small.cachedKeys()).isBetween(1, 4);
    }
    assertThat(other.cachedKeys()).isZero();
    assertThat(RrsigVerifier.create(Sig0Config.defaults()).cachedKeys()).isZero();
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RrsigVerifier.create(Sig0Config.defaults(), 0))
        .withMessageContaining("key cache");
  }

  @Test
  void refusesOutsideTheValidityWindow() throws Exception {
    Signed s = sign(13, DnsKeyData.ZONE_FLAG);
    RrsigVerifier v = RrsigVerifier.defaults();
    assertThat(v.problem(s.rrset(), s.sig(), s.key(), NOW.plusSeconds(7200)))
        .hasValueSatisfying(p -> assertThat(p).contains("expired"));
    assertThat(v.problem(s.rrset(), s.sig(), s.key(), NOW.minusSeconds(7200)))
        .hasValueSatisfying(p -> assertThat(p).contains("not yet valid"));
  }

  @Test
  void refusesANonZoneKeyAndAnotherOwnersKey() throws Exception {
    Signed s = sign(15, 0);
    assertThat(RrsigVerifier.defaults().problem(s.rrset(), s.sig(), s.key(), NOW))
        .hasValueSatisfying(p -> assertThat(p).contains("not a zone key"));
    Signed z = sign(15, DnsKeyData.ZONE_FLAG);
    DNSKEYRecord elsewhere = DnsKeyData.of(z.key()).toDnskey(
        Name.fromConstantString("other.example."), 3600);
    assertThat(RrsigVerifier.defaults().verifies(z.rrset(), z.sig(), elsewhere, NOW)).isFalse();
  }

  @Test
  void refusesAChangedRRsetAndAnotherType() throws Exception {
    Signed s = sign(13, DnsKeyData.ZONE_FLAG);
    RRset changed = new RRset(s.rrset());
    changed.addRR(new NSRecord(ZONE, DClass.IN, 3600, Name.fromConstantString("ns3.example.")));
    assertThat(RrsigVerifier.defaults().verifies(changed, s.sig(), s.key(), NOW)).isFalse();
    RRset other = new RRset(new ARecord(ZONE, DClass.IN, 3600,
        InetAddress.getByAddress(new byte[] {127, 0, 0, 1})));
    assertThat(RrsigVerifier.defaults().problem(other, s.sig(), s.key(), NOW))
        .hasValueSatisfying(p -> assertThat(p).contains("does not cover"));
  }

  @Test
  void aTtlChangeDoesNotMatterTheOriginalTtlIsSigned() throws Exception {
    Signed s = sign(15, DnsKeyData.ZONE_FLAG);
    RRset decremented = new RRset();
    s.rrset().rrs().forEach(r -> decremented.addRR(
        new NSRecord(ZONE, DClass.IN, 17, ((NSRecord) r).getTarget())));
    assertThat(RrsigVerifier.defaults().verifies(decremented, s.sig(), s.key(), NOW)).isTrue();
  }

  /** Keys in turn, from racing threads, on fresh verifiers (see Sig0AlternatingKeysTest). */
  @ParameterizedTest
  @ValueSource(ints = {8, 13, 15})
  void keysInTurnFromRacingThreadsAllVerify(int alg) throws Exception {
    for (RrsigVerifier v : List.of(RrsigVerifier.create(Sig0Config.defaults()),
        RrsigVerifier.create(Sig0Config.builder().pinBouncyCastleOnly().build()))) {
      List<Signed> signed = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        signed.add(sign(alg, DnsKeyData.ZONE_FLAG));
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      AtomicInteger failures = new AtomicInteger();
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          done.add(pool.submit(() -> {
            for (int i = 0; i < 100; i++) {
              Signed s = signed.get(i % signed.size());
              if (!v.verifies(s.rrset(), s.sig(), s.key(), NOW)) {
                failures.incrementAndGet();
              }
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(failures.get()).as(v.toString()).isZero();
    }
  }

  private static RRSIGRecord withSignature(RRSIGRecord s, byte[] signature) {
    return new RRSIGRecord(s.getName(), s.getDClass(), s.getTTL(), s.getTypeCovered(),
        s.getAlgorithm(), s.getOrigTTL(), s.getExpire(), s.getTimeSigned(), s.getFootprint(),
        s.getSigner(), signature);
  }
}
