package io.github.zonecut.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * {@link ValidatingLookup} on a zone served by two signers in RFC 8901 model 2: each signer's
 * DNSKEY RRset holds both ZSKs but only its own KSK, and is signed by that KSK only; the DS RRset
 * holds both KSKs. A recursive resolver in front may hand the stub validator either signer's
 * DNSKEY RRset, and a different one on the next query. An apex DNSKEY RRset must be judged
 * against the DS RRset (RFC 4035 §5.2), not against another DNSKEY RRset the validator happens to
 * hold (dnsjava's validator does the latter: this is the interop migration test's one BOGUS).
 */
class ValidatingLookupMultiSignerTest {
  private static final Instant SIGNED_AT = Instant.parse("2026-01-01T00:00:00Z");
  private static final Clock IN_WINDOW = Clock.fixed(SIGNED_AT.plusSeconds(3600), ZoneOffset.UTC);
  private static final Name APEX = Name.fromConstantString("ms.example.");
  private static final Name WWW = Name.fromConstantString("www.ms.example.");
  private static final DnsEndpoint RESOLVER = DnsEndpoint.of("127.0.0.1", 53);

  private final ExecutorService executor = Executors.newFixedThreadPool(2);

  @AfterEach
  void tearDown() {
    executor.shutdownNow();
  }

  /** One signer: its own KSK and ZSK. */
  static final class Signer {
    final DNSKEYRecord ksk;
    final DNSKEYRecord zsk;
    final KeyPair kskPair;
    final KeyPair zskPair;

    Signer() throws Exception {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      kskPair = g.generateKeyPair();
      zskPair = g.generateKeyPair();
      ksk = new DNSKEYRecord(APEX, DClass.IN, 5, 257, 3, 13, kskPair.getPublic());
      zsk = new DNSKEYRecord(APEX, DClass.IN, 5, 256, 3, 13, zskPair.getPublic());
    }

    DSRecord ds() {
      return new DSRecord(APEX, DClass.IN, 5, DNSSEC.Digest.SHA256, ksk);
    }
  }

  /**
   * A recursive resolver's view of the model-2 zone: DNSKEY answers come from the signer named by
   * the next entry of {@link #dnskeyFrom} (or {@link #current} once it is empty), other answers
   * from {@link #current}.
   */
  static final class Upstream implements DnsTransport {
    final Signer a;
    final Signer b;
    volatile Signer current;
    final Deque<Signer> dnskeyFrom = new ArrayDeque<>();
    /** Signers whose DNSKEY RRset signature is broken. */
    volatile Set<Signer> corrupt = Set.of();
    final List<String> asked = java.util.Collections.synchronizedList(new ArrayList<>());

    Upstream(Signer a, Signer b) {
      this.a = a;
      this.b = b;
      this.current = a;
    }

    @Override
    public CompletableFuture<DnsResponse> exchange(DnsEndpoint endpoint, DnsRequest request,
        TransportProtocol protocol, Duration timeout) {
      try {
        Message q = new Message(request.wire());
        Message r = answer(q);
        byte[] wire = r.toWire();
        return CompletableFuture.completedFuture(
            new DnsResponse(wire, new Message(wire), endpoint, protocol));
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    private Message answer(Message q) throws Exception {
      Record question = q.getQuestion();
      asked.add(question.getName() + "/" + Type.string(question.getType()));
      Message r = new Message(q.getHeader().getID());
      r.getHeader().setFlag(Flags.QR);
      r.getHeader().setFlag(Flags.RA);
      r.addRecord(question, Section.QUESTION);
      if (question.getType() == Type.DNSKEY && question.getName().equals(APEX)) {
        Signer s;
        synchronized (dnskeyFrom) {
          s = dnskeyFrom.isEmpty() ? current : dnskeyFrom.poll();
        }
        RRset keys = new RRset();
        keys.addRR(a.zsk);
        keys.addRR(b.zsk);
        keys.addRR(s.ksk);
        // model 2: signed by the serving signer's KSK only
        addSigned(r, keys, s.ksk, s.kskPair, corrupt.contains(s));
      } else if (question.getType() == Type.A && question.getName().equals(WWW)) {
        Signer s = current;
        addSigned(r, new RRset(new ARecord(WWW, DClass.IN, 5, InetAddress.getByName("192.0.2.80"))),
            s.zsk, s.zskPair, false);
      } else {
        r.getHeader().setRcode(Rcode.SERVFAIL);
      }
      return r;
    }

    private static void addSigned(Message r, RRset set, DNSKEYRecord key, KeyPair pair,
        boolean corrupt) throws Exception {
      set.rrs().forEach(rec -> r.addRecord(rec, Section.ANSWER));
      RRSIGRecord sig = DNSSEC.sign(set, key, pair.getPrivate(), SIGNED_AT,
          SIGNED_AT.plusSeconds(86400));
      if (corrupt) {
        // a signature over other data under the same key: verification must fail
        RRset other = new RRset(new ARecord(APEX, DClass.IN, 5, InetAddress.getByName("203.0.113.66")));
        RRSIGRecord wrong = DNSSEC.sign(other, key, pair.getPrivate(), SIGNED_AT,
            SIGNED_AT.plusSeconds(86400));
        sig = new RRSIGRecord(set.getName(), DClass.IN, sig.getTTL(), set.getType(),
            sig.getAlgorithm(), sig.getOrigTTL(), sig.getExpire(), sig.getTimeSigned(),
            sig.getFootprint(), sig.getSigner(), wrong.getSignature());
      }
      r.addRecord(sig, Section.ANSWER);
    }
  }

  private ValidatingLookup lookup(Upstream upstream, Record... anchors) throws ZonecutException {
    return ValidatingLookup.builder(upstream, RESOLVER, executor)
        .trustAnchors(List.of(anchors))
        .clock(IN_WINDOW)
        .keyCacheMaxTtl(Duration.ofSeconds(3600))
        .build();
  }

  private static LookupResult await(ValidatingLookup lookup, Name name, int type) throws Exception {
    return lookup.lookup(name, type).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static Set<Integer> kskTags(LookupResult r) {
    return ((LookupResult.Answer) r).rrset().rrs().stream()
        .map(rec -> (DNSKEYRecord) rec)
        .filter(k -> k.getFlags() == 257)
        .map(DNSKEYRecord::getFootprint)
        .collect(Collectors.toSet());
  }

  private static void assertSecure(LookupResult r) {
    assertThat(r).as("%s", r).isInstanceOfSatisfying(LookupResult.Answer.class,
        ans -> assertThat(ans.verdict()).isEqualTo(Verdict.SECURE));
  }

  @Test
  void theOtherSignersDnskeyRrsetIsSecureWhileTheFirstSignersKeysAreCached() throws Exception {
    Signer a = new Signer();
    Signer b = new Signer();
    Upstream up = new Upstream(a, b);
    ValidatingLookup lookup = lookup(up, a.ds(), b.ds());

    assertSecure(await(lookup, WWW, Type.A)); // caches A's DNSKEY RRset as the zone's keys
    up.current = b; // the resolver's DNSKEY entry expired and was refetched from B

    LookupResult r = await(lookup, APEX, Type.DNSKEY);

    assertSecure(r);
    assertThat(kskTags(r)).containsExactly(b.ksk.getFootprint());
    // data signed by either ZSK still validates with what is cached
    assertSecure(await(lookup, WWW, Type.A));
  }

  @Test
  void aDnskeyAnswerFromOneSignerPrimedFromTheOtherIsSecure() throws Exception {
    Signer a = new Signer();
    Signer b = new Signer();
    Upstream up = new Upstream(a, b);
    // the answer is B's RRset about to expire (TTL 0); the validator's own DNSKEY query that
    // follows meets the refetched RRset, A's
    up.dnskeyFrom.add(b);
    ValidatingLookup lookup = lookup(up, a.ds(), b.ds());

    LookupResult r = await(lookup, APEX, Type.DNSKEY);

    assertSecure(r);
    assertThat(kskTags(r)).containsExactly(b.ksk.getFootprint());
  }

  @Test
  void aDnskeyRrsetSignedByAKskWithoutDsStaysBogus() throws Exception {
    Signer a = new Signer();
    Signer b = new Signer();
    Upstream up = new Upstream(a, b);
    ValidatingLookup lookup = lookup(up, a.ds()); // the parent has no DS for B's KSK yet

    assertSecure(await(lookup, WWW, Type.A));
    up.current = b;

    assertThat(await(lookup, APEX, Type.DNSKEY)).isInstanceOf(LookupResult.Bogus.class);
    Upstream fresh = new Upstream(a, b);
    fresh.current = b;
    assertThat(await(lookup(fresh, a.ds()), APEX, Type.DNSKEY))
        .isInstanceOf(LookupResult.Bogus.class);
  }

  @Test
  void aDnskeyRrsetWithABrokenSignatureStaysBogus() throws Exception {
    Signer a = new Signer();
    Signer b = new Signer();
    Upstream up = new Upstream(a, b);
    ValidatingLookup lookup = lookup(up, a.ds(), b.ds());

    assertSecure(await(lookup, WWW, Type.A));
    up.corrupt = Set.of(b);
    up.current = b;

    assertThat(await(lookup, APEX, Type.DNSKEY)).isInstanceOf(LookupResult.Bogus.class);
  }

  @Test
  void aSecureDnskeyLookupAsksTheResolverNoMoreThanBefore() throws Exception {
    Signer a = new Signer();
    Signer b = new Signer();
    Upstream up = new Upstream(a, b);
    ValidatingLookup lookup = lookup(up, a.ds(), b.ds());
    assertSecure(await(lookup, WWW, Type.A));
    up.asked.clear();

    assertSecure(await(lookup, APEX, Type.DNSKEY));

    // the keys are cached and match: one query, no second opinion
    assertThat(up.asked).containsExactly(APEX + "/DNSKEY");
  }
}
