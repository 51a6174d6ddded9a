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
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class LookupTest {
  private static final Instant SIGNED_AT = Instant.parse("2026-01-01T00:00:00Z");
  private static final Clock IN_WINDOW = Clock.fixed(SIGNED_AT.plusSeconds(3600), ZoneOffset.UTC);

  private ExecutorService executor;
  private TestDnsServer server;
  private NioDnsTransport transport;

  @BeforeEach
  void setUp() throws IOException {
    executor = Executors.newFixedThreadPool(2);
    server = new TestDnsServer();
    transport = NioDnsTransport.builder(executor).udpSockets(2).build();
  }

  @AfterEach
  void tearDown() {
    transport.close();
    server.close();
    executor.shutdownNow();
  }

  private void serve(Function<Message, Message> zone) {
    server.onUdp((s, q, w, from) -> s.sendUdp(zone.apply(q), from));
  }

  private static LookupResult await(DnsLookup lookup, String name, int type) throws Exception {
    return lookup.lookup(Name.fromString(name), type).toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  static Message reply(Message q, int rcode) {
    Message r = new Message(q.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.getHeader().setRcode(rcode);
    r.addRecord(q.getQuestion(), Section.QUESTION);
    return r;
  }

  static SOARecord soa(String zone) throws IOException {
    Name z = Name.fromString(zone);
    return new SOARecord(z, DClass.IN, 300, Name.fromString("ns." + zone),
        Name.fromString("hostmaster." + zone), 1, 3600, 600, 86400, 300);
  }

  static ARecord a(String name, String address) throws IOException {
    return new ARecord(Name.fromString(name), DClass.IN, 300, InetAddress.getByName(address));
  }

  // ------------------------------------------------------------------ direct lookups

  @Test
  void directLookupSendsRdZeroWithDoAndReturnsTheAnswer() throws Exception {
    serve(q -> {
      Message r = reply(q, Rcode.NOERROR);
      r.getHeader().setFlag(Flags.AA);
      r.addRecord(TestDnsServer.answer(q, "192.0.2.10").getSection(Section.ANSWER).get(0),
          Section.ANSWER);
      return r;
    });

    LookupResult result = await(DirectLookup.of(transport, server.endpoint()), "a.example.",
        Type.A);

    assertThat(result).isInstanceOf(LookupResult.Answer.class);
    LookupResult.Answer answer = (LookupResult.Answer) result;
    assertThat(answer.verdict()).isEqualTo(Verdict.UNVALIDATED);
    assertThat(answer.rrset().size()).isEqualTo(1);
    Message sent = new Message(server.receivedWire.get(0));
    assertThat(sent.getHeader().getFlag(Flags.RD)).isFalse();
    assertThat(sent.getOPT()).isNotNull();
    assertThat(sent.getOPT().getFlags() & ExtendedFlags.DO).isNotZero();
  }

  @Test
  void directLookupNegativeAnswersCarryTheSoa() throws Exception {
    serve(q -> {
      try {
        boolean nx = q.getQuestion().getName().toString().startsWith("nx.");
        Message r = reply(q, nx ? Rcode.NXDOMAIN : Rcode.NOERROR);
        r.getHeader().setFlag(Flags.AA);
        r.addRecord(soa("example."), Section.AUTHORITY);
        return r;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    DirectLookup lookup = DirectLookup.of(transport, server.endpoint());

    LookupResult nx = await(lookup, "nx.example.", Type.A);
    LookupResult nodata = await(lookup, "here.example.", Type.AAAA);

    assertThat(nx).isInstanceOfSatisfying(LookupResult.NxDomain.class,
        r -> assertThat(r.soa().getName().toString()).isEqualTo("example."));
    assertThat(nodata).isInstanceOfSatisfying(LookupResult.NoData.class,
        r -> assertThat(r.soa().getName().toString()).isEqualTo("example."));
  }

  @Test
  void directLookupReportsReferralCnameAndForeignRecordsAsUnexpected() throws Exception {
    serve(q -> {
      try {
        String qn = q.getQuestion().getName().toString();
        Message r = reply(q, Rcode.NOERROR);
        if (!qn.startsWith("referral.")) {
          r.getHeader().setFlag(Flags.AA);
        }
        if (qn.startsWith("referral.")) {
          r.addRecord(new NSRecord(Name.fromString("referral.example."), DClass.IN, 300,
              Name.fromString("ns.elsewhere.")), Section.AUTHORITY);
        } else if (qn.startsWith("alias.")) {
          r.addRecord(new CNAMERecord(q.getQuestion().getName(), DClass.IN, 300,
              Name.fromString("target.example.")), Section.ANSWER);
          r.addRecord(a("target.example.", "192.0.2.1"), Section.ANSWER);
        } else {
          r.addRecord(a("someone-else.example.", "192.0.2.1"), Section.ANSWER);
        }
        return r;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    DirectLookup lookup = DirectLookup.of(transport, server.endpoint());

    for (String name : List.of("referral.example.", "alias.example.", "foreign.example.")) {
      LookupResult r = await(lookup, name, Type.A);
      assertThat(r).as(name).isInstanceOfSatisfying(LookupResult.Failed.class,
          f -> assertThat(f.problem()).isEqualTo(LookupResult.Problem.UNEXPECTED_ANSWER));
    }
  }

  @Test
  void directLookupRefusesAnswersWithoutAa() throws Exception {
    serve(q -> {
      try {
        String qn = q.getQuestion().getName().toString();
        Message r = reply(q, qn.startsWith("nx.") ? Rcode.NXDOMAIN : Rcode.NOERROR);
        // no AA anywhere: a lame server, or one answering from its cache
        if (qn.startsWith("answer.")) {
          r.addRecord(a(qn, "192.0.2.1"), Section.ANSWER);
        } else if (qn.startsWith("nodata.") || qn.startsWith("nx.")) {
          r.addRecord(soa("example."), Section.AUTHORITY);
        }
        // "lame.": an empty NOERROR, nothing in any section
        return r;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    DirectLookup lookup = DirectLookup.of(transport, server.endpoint());

    for (String name : List.of("answer.example.", "nodata.example.", "nx.example.",
        "lame.example.")) {
      LookupResult r = await(lookup, name, Type.CDS);
      assertThat(r).as(name).isInstanceOfSatisfying(LookupResult.Failed.class, f -> {
        assertThat(f.problem()).isEqualTo(LookupResult.Problem.NOT_AUTHORITATIVE);
        assertThat(f.detail()).contains("not authoritative");
      });
    }
  }

  @Test
  void directLookupTakesAnAaReferralForAReferralNotNodata() throws Exception {
    serve(q -> {
      try {
        Message r = reply(q, Rcode.NOERROR);
        r.getHeader().setFlag(Flags.AA);
        r.addRecord(new NSRecord(Name.fromString("child.example."), DClass.IN, 300,
            Name.fromString("ns.elsewhere.")), Section.AUTHORITY);
        return r;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });

    LookupResult r = await(DirectLookup.of(transport, server.endpoint()), "child.example.",
        Type.CDS);

    assertThat(r).isInstanceOfSatisfying(LookupResult.Failed.class, f -> {
      assertThat(f.problem()).isEqualTo(LookupResult.Problem.UNEXPECTED_ANSWER);
      assertThat(f.detail()).startsWith("referral");
    });
  }

  @Test
  void directLookupErrorRcodes() throws Exception {
    serve(q -> reply(q, q.getQuestion().getName().toString().startsWith("sf.")
        ? Rcode.SERVFAIL : Rcode.REFUSED));
    DirectLookup lookup = DirectLookup.of(transport, server.endpoint());

    assertThat(await(lookup, "sf.example.", Type.A)).isInstanceOf(LookupResult.ServFail.class);
    assertThat(await(lookup, "refused.example.", Type.A)).isInstanceOfSatisfying(
        LookupResult.Failed.class, f -> {
          assertThat(f.problem()).isEqualTo(LookupResult.Problem.ERROR_RCODE);
          assertThat(f.rcode()).isEqualTo(Rcode.REFUSED);
        });
  }

  @Test
  void directLookupTimeoutIsAResultNotAnException() throws Exception {
    server.onUdp((s, q, w, from) -> { });
    DirectLookup lookup = DirectLookup.builder(transport, server.endpoint())
        .timeout(Duration.ofMillis(200)).build();

    assertThat(await(lookup, "slow.example.", Type.A)).isInstanceOf(LookupResult.Timeout.class);
  }

  // ------------------------------------------------------------------ validated lookups

  /** A zone {@code example.} signed with one ECDSA P-256 key, answering as a recursor would. */
  static final class SignedZone implements Function<Message, Message> {
    final Name apex;
    final DNSKEYRecord dnskey;
    final KeyPair keys;
    final Instant inception;
    final Instant expiration;
    volatile boolean corrupt;

    SignedZone(String apex, Instant inception, Instant expiration) throws Exception {
      this.apex = Name.fromString(apex);
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      keys = g.generateKeyPair();
      dnskey = new DNSKEYRecord(this.apex, DClass.IN, 3600, 257, 3, 13, keys.getPublic());
      this.inception = inception;
      this.expiration = expiration;
    }

    DSRecord ds() {
      return new DSRecord(apex, DClass.IN, 3600, DNSSEC.Digest.SHA256, dnskey);
    }

    private void addSigned(Message r, Record... records) throws Exception {
      RRset set = new RRset();
      for (Record rec : records) {
        set.addRR(rec);
        r.addRecord(rec, Section.ANSWER);
      }
      Record sig = DNSSEC.sign(set, dnskey, keys.getPrivate(), inception, expiration);
      if (corrupt) {
        // a signature over other data: verification must fail
        RRset other = new RRset(a(apex.toString(), "203.0.113.66"));
        sig = DNSSEC.sign(other, dnskey, keys.getPrivate(), inception, expiration);
        sig = Record.fromWire(sig.toWireCanonical(), Section.ANSWER).withName(set.getName());
      }
      r.addRecord(sig, Section.ANSWER);
    }

    @Override
    public Message apply(Message q) {
      try {
        Record question = q.getQuestion();
        Message r = reply(q, Rcode.NOERROR);
        r.getHeader().setFlag(Flags.RA);
        if (question.getType() == Type.DNSKEY && question.getName().equals(apex)) {
          boolean was = corrupt;
          corrupt = false;
          addSigned(r, dnskey);
          corrupt = was;
        } else if (question.getType() == Type.A
            && question.getName().equals(Name.fromString("www", apex))) {
          addSigned(r, a("www." + apex, "192.0.2.80"));
        } else if (question.getName().subdomain(apex)) {
          r.getHeader().setRcode(Rcode.SERVFAIL);
        } else {
          // outside the signed zone: an unsigned NXDOMAIN
          r.getHeader().setRcode(Rcode.NXDOMAIN);
          r.addRecord(soa("test."), Section.AUTHORITY);
        }
        return r;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private ValidatingLookup validating(SignedZone zone, Clock clock, List<? extends Record> anchors)
      throws ZonecutException {
    return ValidatingLookup.builder(transport, server.endpoint(), executor)
        .trustAnchors(anchors)
        .clock(clock)
        .keyCacheMaxSize(50_000)
        .build();
  }

  @Test
  void signedAnswerUnderTheAnchorIsSecure() throws Exception {
    SignedZone zone = new SignedZone("example.", SIGNED_AT, SIGNED_AT.plusSeconds(86400));
    serve(zone);

    LookupResult r = await(validating(zone, IN_WINDOW, List.of(zone.ds())), "www.example.",
        Type.A);

    assertThat(r).isInstanceOfSatisfying(LookupResult.Answer.class, a -> {
      assertThat(a.verdict()).isEqualTo(Verdict.SECURE);
      assertThat(a.rrset().first().rdataToString()).isEqualTo("192.0.2.80");
    });
    // the validator's queries carry CD and DO (RFC 4035 §3.2.1, §3.2.2)
    for (byte[] wire : server.receivedWire) {
      Message sent = new Message(wire);
      assertThat(sent.getHeader().getFlag(Flags.CD)).isTrue();
      assertThat(sent.getOPT().getFlags() & ExtendedFlags.DO).isNotZero();
    }
  }

  @Test
  void dnskeyTrustAnchorWorksToo() throws Exception {
    SignedZone zone = new SignedZone("example.", SIGNED_AT, SIGNED_AT.plusSeconds(86400));
    serve(zone);

    LookupResult r = await(validating(zone, IN_WINDOW, List.of(zone.dnskey)), "www.example.",
        Type.A);

    assertThat(r).isInstanceOfSatisfying(LookupResult.Answer.class,
        a -> assertThat(a.verdict()).isEqualTo(Verdict.SECURE));
  }

  @Test
  void theInjectedClockDecidesSignatureValidity() throws Exception {
    SignedZone zone = new SignedZone("example.", SIGNED_AT, SIGNED_AT.plusSeconds(86400));
    serve(zone);
    Clock later = Clock.fixed(SIGNED_AT.plusSeconds(10 * 86400), ZoneOffset.UTC);

    LookupResult r = await(validating(zone, later, List.of(zone.ds())), "www.example.", Type.A);

    assertThat(r).isInstanceOfSatisfying(LookupResult.Bogus.class, b -> {
      assertThat(b.edeCode()).isIn(ExtendedErrorCodeOption.SIGNATURE_EXPIRED,
          ExtendedErrorCodeOption.DNSSEC_BOGUS, ExtendedErrorCodeOption.DNSKEY_MISSING);
      // the DNSKEY RRset's own signature expired, so the chain breaks at the key set
      assertThat(b.reason()).contains("chain of trust");
    });
  }

  @Test
  void badSignatureIsBogusWithReason() throws Exception {
    SignedZone zone = new SignedZone("example.", SIGNED_AT, SIGNED_AT.plusSeconds(86400));
    zone.corrupt = true;
    serve(zone);

    LookupResult r = await(validating(zone, IN_WINDOW, List.of(zone.ds())), "www.example.",
        Type.A);

    assertThat(r).isInstanceOfSatisfying(LookupResult.Bogus.class,
        b -> assertThat(b.reason()).contains("failed ANSWER rrset"));
  }

  @Test
  void wrongTrustAnchorIsBogus() throws Exception {
    SignedZone zone = new SignedZone("example.", SIGNED_AT, SIGNED_AT.plusSeconds(86400));
    SignedZone impostor = new SignedZone("example.", SIGNED_AT, SIGNED_AT.plusSeconds(86400));
    serve(zone);

    LookupResult r = await(validating(zone, IN_WINDOW, List.of(impostor.ds())), "www.example.",
        Type.A);

    assertThat(r).isInstanceOf(LookupResult.Bogus.class);
  }

  @Test
  void nameUnderNoAnchorIsInsecureAndKeepsTheSoa() throws Exception {
    SignedZone zone = new SignedZone("example.", SIGNED_AT, SIGNED_AT.plusSeconds(86400));
    serve(zone);

    LookupResult r = await(validating(zone, IN_WINDOW, List.of(zone.ds())), "nx.test.", Type.A);

    assertThat(r).isInstanceOfSatisfying(LookupResult.NxDomain.class, nx -> {
      assertThat(nx.verdict()).isEqualTo(Verdict.INSECURE);
      assertThat(nx.soa()).isNotNull();
      assertThat(nx.soa().getName().toString()).isEqualTo("test.");
    });
  }

  @Test
  void upstreamServfailIsServFailNotBogus() throws Exception {
    SignedZone zone = new SignedZone("example.", SIGNED_AT, SIGNED_AT.plusSeconds(86400));
    serve(zone);

    LookupResult r = await(validating(zone, IN_WINDOW, List.of(zone.ds())), "broken.example.",
        Type.A);

    assertThat(r).isInstanceOf(LookupResult.ServFail.class);
  }

  @Test
  void upstreamTimeoutIsTimeout() throws Exception {
    server.onUdp((s, q, w, from) -> { });
    ValidatingLookup lookup = ValidatingLookup.builder(transport, server.endpoint(), executor)
        .timeout(Duration.ofMillis(200))
        .build();

    assertThat(await(lookup, "www.example.", Type.A)).isInstanceOf(LookupResult.Timeout.class);
  }

  @Test
  void builderRejectsWhatCannotBeAnAnchorOrSetting() throws Exception {
    ValidatingLookup.Builder b = ValidatingLookup.builder(transport, server.endpoint(), executor);
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> b.trustAnchors(List.of(a("x.example.", "192.0.2.1"))))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> b.validatorProperty("dnsjava.nio.selector_timeout", "1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
