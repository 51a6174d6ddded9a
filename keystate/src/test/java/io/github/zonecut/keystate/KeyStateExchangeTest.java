package io.github.zonecut.keystate;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.Codepoints.KeyStateTable;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsRequest;
import io.github.zonecut.core.DnsResponse;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.DnsTransportException;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.keystate.InquiryResult.Answered;
import io.github.zonecut.keystate.InquiryResult.NoKeyState;
import io.github.zonecut.keystate.InquiryResult.NoReceiverKey;
import io.github.zonecut.keystate.InquiryResult.Rejected;
import io.github.zonecut.keystate.InquiryResult.Unreachable;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0ReplayGuard;
import io.github.zonecut.sig0.Sig0ResponseForm;
import io.github.zonecut.sig0.Sig0Signer;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The inquiry client against the responder, in one JVM through an in-memory transport that a
 * test can turn hostile (spec/specs.md §9.4, KeyState and mutual-authentication rows).
 */
class KeyStateExchangeTest {
  static final Name CHILD = Name.fromConstantString("child.parent.example.");
  static final Name RECEIVER = Name.fromConstantString("updater.parent.example.");
  static final DnsEndpoint A1 = DnsEndpoint.of("127.0.0.1", 5302);
  static final DnsEndpoint A2 = DnsEndpoint.of("127.0.0.2", 5302);
  static final InetAddress SOURCE = InetAddress.getLoopbackAddress();

  static Sig0KeyPair receiverKey;
  static Sig0KeyPair childKey;
  static Sig0KeyPair strangerAtReceiverName;

  final List<Duration> delays = new ArrayList<>();
  final Delayer recordingDelayer = d -> {
    delays.add(d);
    return CompletableFuture.completedFuture(null);
  };
  final List<DnsEndpoint> asked = new ArrayList<>();
  final List<Message> queries = new ArrayList<>();
  InMemoryTrustStore store;
  TrustRegistry registry;

  @BeforeEach
  void setUp() throws Exception {
    if (receiverKey == null) {
      receiverKey = Sig0KeyPair.generate(RECEIVER, Sig0Algorithm.ED25519,
          Sig0PublicKey.FLAGS_HOST);
      childKey = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
      strangerAtReceiverName = Sig0KeyPair.generate(RECEIVER, Sig0Algorithm.ED25519,
          Sig0PublicKey.FLAGS_HOST);
    }
    store = new InMemoryTrustStore();
    registry = new TrustRegistry(store, RegistryPolicy.of(VerificationPolicy.of(
        BootstrapMethod.AT_APEX, BootstrapMethod.MANUAL)), Clock.systemUTC());
  }

  KeyStateResponder responder(Codepoints cp) {
    return KeyStateResponder.builder(registry, receiverKey).codepoints(cp).build();
  }

  /** A transport that hands the request to {@code server} and maps its answer. */
  DnsTransport via(KeyStateResponder server, UnaryOperator<byte[]> tamper) {
    return new DnsTransport() {
      @Override
      public CompletionStage<DnsResponse> exchange(DnsEndpoint ep, DnsRequest req,
          TransportProtocol protocol, Duration timeout) {
        asked.add(ep);
        assertThat(protocol).isEqualTo(TransportProtocol.TCP);
        try {
          queries.add(new Message(req.wire()));
          byte[] answer = tamper.apply(server.respond(req.wire(), SOURCE).orElseThrow());
          return CompletableFuture.completedFuture(
              new DnsResponse(answer, new Message(answer), ep, protocol));
        } catch (Exception e) {
          return CompletableFuture.failedFuture(e);
        }
      }
    };
  }

  KeyStateInquiryClient client(DnsTransport t, Codepoints cp) {
    return KeyStateInquiryClient.builder(t, recordingDelayer).codepoints(cp).build();
  }

  InquiryResult inquire(DnsTransport t, List<DnsEndpoint> addrs) throws Exception {
    return client(t, Codepoints.DEFAULT).inquire(childKey,
        new KeyStateInquiryClient.Target(RECEIVER, addrs, List.of(receiverKey.publicKey())))
        .toCompletableFuture().get();
  }

  KeyIdentity childId() {
    return KeyIdentity.of(childKey.publicKey().toKeyRecord(3600));
  }

  void upload() throws Exception {
    registry.upload(new UploadEvidence(CHILD, List.of(childKey.publicKey().toKeyRecord(3600)),
        true, childId(), Instant.now()), "child");
  }

  @Test
  void theStateFollowsTheRegistry() throws Exception {
    DnsTransport t = via(responder(Codepoints.DEFAULT), UnaryOperator.identity());
    // An inquiry signed by the key it asks about, not held: this used to be a signed
    // KEY_UNKNOWN; the parent could not check the signature, so it now signs nothing (issue 9
    // item 2) and the client reports the unauthenticated BADKEY after asking once.
    assertThat(inquire(t, List.of(A1))).isEqualTo(new InquiryResult.Unauthenticated(
        Rcode.BADKEY, A1));
    assertThat(asked).containsExactly(A1);
    queries.clear();
    upload();
    assertThat(((Answered) inquire(t, List.of(A1))).code(KeyStateTable.DRAFT_03))
        .contains(KeyStateCode.BOOTSTRAP_AUTO);
    registry.startValidation(childId(), BootstrapMethod.AT_APEX, "v");
    registry.validationFailed(childId(), "v", "bogus");
    assertThat(((Answered) inquire(t, List.of(A1))).code(KeyStateTable.DRAFT_03))
        .contains(KeyStateCode.KEY_VALIDATION_FAILED);
    registry.approve(childId(), "alice", "ticket 1");
    Answered a = (Answered) inquire(t, List.of(A1));
    assertThat(a.code(KeyStateTable.DRAFT_03)).contains(KeyStateCode.KEY_TRUSTED);
    assertThat(a.option().keyId()).isEqualTo(childKey.publicKey().keyTag());
    assertThat(a.option().extraText()).isEqualTo("KEY_TRUSTED");
    assertThat(a.from()).isEqualTo(A1);
    Message q = queries.get(0);
    assertThat(q.getQuestion().getType()).as("-03 inquiry QTYPE").isEqualTo(Type.KEY);
    assertThat(q.getQuestion().getName()).isEqualTo(CHILD);
    assertThat(q.getSection(Section.ADDITIONAL)).last()
        .extracting(Record::getType).as("the inquiry is SIG(0)-signed").isEqualTo(Type.SIG);
    assertThat(delays).isEmpty();
  }

  @Test
  void the02TableAsksWithQtypeAny() throws Exception {
    Codepoints v02 = Codepoints.builder().keyStateTable(KeyStateTable.DRAFT_02).build();
    DnsTransport t = via(responder(v02), UnaryOperator.identity());
    upload();
    InquiryResult r = client(t, v02).inquire(childKey, new KeyStateInquiryClient.Target(
        RECEIVER, List.of(A1), List.of(receiverKey.publicKey()))).toCompletableFuture().get();
    assertThat(((Answered) r).code(KeyStateTable.DRAFT_02))
        .contains(KeyStateCode.BOOTSTRAP_AUTO);
    assertThat(queries.get(0).getQuestion().getType()).isEqualTo(Type.ANY);
  }

  @Test
  void anUnsignedAnswerIsRejectedAndTheNextAddressTried() throws Exception {
    KeyStateResponder server = responder(Codepoints.DEFAULT);
    DnsTransport t = new DnsTransport() {
      @Override
      public CompletionStage<DnsResponse> exchange(DnsEndpoint ep, DnsRequest req,
          TransportProtocol p, Duration timeout) {
        asked.add(ep);
        try {
          byte[] answer = ep.equals(A1) ? forgedUnsigned(req.wire())
              : server.respond(req.wire(), SOURCE).orElseThrow();
          return CompletableFuture.completedFuture(
              new DnsResponse(answer, new Message(answer), ep, p));
        } catch (Exception e) {
          return CompletableFuture.failedFuture(e);
        }
      }
    };
    upload();
    InquiryResult r = inquire(t, List.of(A1, A2));
    assertThat(r).isInstanceOf(Answered.class);
    assertThat(((Answered) r).from()).isEqualTo(A2);
    assertThat(((Answered) r).code(KeyStateTable.DRAFT_03)).contains(KeyStateCode.BOOTSTRAP_AUTO);
    assertThat(asked).containsExactly(A1, A2);
  }

  @Test
  void anUnsignedRefusalFromEveryAddressIsUnauthenticatedAfterOneRound() throws Exception {
    DnsTransport t = via(responder(Codepoints.DEFAULT), UnaryOperator.identity());
    // not held: every address answers an unsigned BADKEY; asking again would get the same
    InquiryResult r = inquire(t, List.of(A1, A2));
    assertThat(r).isEqualTo(new InquiryResult.Unauthenticated(Rcode.BADKEY, A2));
    assertThat(asked).containsExactly(A1, A2);
  }

  @Test
  void aForgedUnsignedRefusalDoesNotHideASignedAnswer() throws Exception {
    KeyStateResponder server = responder(Codepoints.DEFAULT);
    upload();
    DnsTransport t = (ep, req, p, timeout) -> {
      asked.add(ep);
      try {
        Message q = new Message(req.wire());
        byte[] answer;
        if (ep.equals(A1)) {
          Message forged = new Message(q.getHeader().getID());
          forged.getHeader().setFlag(Flags.QR);
          forged.getHeader().setRcode(Rcode.BADKEY & 0xF);
          forged.addRecord(q.getQuestion(), Section.QUESTION);
          forged.addRecord(new OPTRecord(1232, Rcode.BADKEY >>> 4, 0, 0), Section.ADDITIONAL);
          answer = forged.toWire();
        } else {
          answer = server.respond(req.wire(), SOURCE).orElseThrow();
        }
        return CompletableFuture.completedFuture(
            new DnsResponse(answer, new Message(answer), ep, p));
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    };
    InquiryResult r = inquire(t, List.of(A1, A2));
    assertThat(r).isInstanceOf(Answered.class);
    assertThat(((Answered) r).code(KeyStateTable.DRAFT_03)).contains(KeyStateCode.BOOTSTRAP_AUTO);
  }

  @Test
  void onlyUnsignedAnswersAreRejectedNeverActedOn() throws Exception {
    DnsTransport t = via(responder(Codepoints.DEFAULT), q -> forgedUnsigned(q));
    // the hostile answer claims KEY_TRUSTED
    InquiryResult r = inquire(t, List.of(A1));
    assertThat(r).isInstanceOf(Rejected.class);
    assertThat(((Rejected) r).problems()).hasSize(5).allMatch(p -> p.contains("Unsigned"));
  }

  private byte[] forgedUnsigned(byte[] ignoredAnswer) {
    Message fake = new Message(0);
    try {
      Message q = new Message(queries.isEmpty() ? ignoredAnswer : queries.get(0).toWire());
      fake = new Message(q.getHeader().getID());
      fake.getHeader().setFlag(Flags.QR);
      fake.addRecord(q.getQuestion(), Section.QUESTION);
      fake.addRecord(new OPTRecord(1232, 0, 0, 0, KeyStateOption.of(
          childKey.publicKey().keyTag(), KeyStateCode.KEY_TRUSTED, KeyStateTable.DRAFT_03, "")
          .toEdnsOption(Codepoints.DEFAULT)), Section.ADDITIONAL);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return fake.toWire();
  }

  @Test
  void anAnswerSignedByAnotherKeyIsRejected() throws Exception {
    upload();
    KeyStateResponder impostor = KeyStateResponder.builder(registry, strangerAtReceiverName)
        .build();
    InquiryResult r = inquire(via(impostor, UnaryOperator.identity()), List.of(A1));
    assertThat(r).isInstanceOf(Rejected.class);
    assertThat(((Rejected) r).problems().get(0)).contains("UnknownKey");
  }

  @Test
  void aTamperedSignedAnswerIsRejected() throws Exception {
    upload();
    InquiryResult r = inquire(via(responder(Codepoints.DEFAULT), a -> {
      byte[] b = a.clone();
      b[b.length - 1] ^= 1;
      return b;
    }), List.of(A1));
    assertThat(r).isInstanceOf(Rejected.class);
    assertThat(((Rejected) r).problems().get(0)).contains("BadSignature");
  }

  @Test
  void aSignedAnswerAboutAnotherKeyIsRejected() throws Exception {
    Sig0Signer signer = Sig0Signer.create();
    DnsTransport t = new DnsTransport() {
      @Override
      public CompletionStage<DnsResponse> exchange(DnsEndpoint ep, DnsRequest req,
          TransportProtocol p, Duration timeout) {
        try {
          Message q = new Message(req.wire());
          Message a = new Message(q.getHeader().getID());
          a.getHeader().setFlag(Flags.QR);
          a.addRecord(q.getQuestion(), Section.QUESTION);
          a.addRecord(new OPTRecord(1232, 0, 0, 0, new KeyStateOption(
              (childKey.publicKey().keyTag() + 1) & 0xFFFF, 4, 0, "")
              .toEdnsOption(Codepoints.DEFAULT)), Section.ADDITIONAL);
          byte[] w = signer.signResponse(a.toWire(), req.wire(), receiverKey,
              Sig0ResponseForm.REQUEST_STYLE);
          return CompletableFuture.completedFuture(new DnsResponse(w, new Message(w), ep, p));
        } catch (Exception e) {
          return CompletableFuture.failedFuture(e);
        }
      }
    };
    InquiryResult r = inquire(t, List.of(A1));
    assertThat(((Rejected) r).problems().get(0)).contains("asked about");
  }

  @Test
  void aSilentReceiverIsRetriedWithDoublingBackoffThenUnreachable() throws Exception {
    List<Duration> timeouts = new ArrayList<>();
    DnsTransport refused = (ep, req, p, timeout) -> {
      asked.add(ep);
      timeouts.add(timeout);
      return CompletableFuture.failedFuture(new DnsTransportException(
          DnsTransportException.Reason.NETWORK, "connection refused"));
    };
    InquiryResult r = inquire(refused, List.of(A1, A2));
    assertThat(r).isInstanceOf(Unreachable.class);
    assertThat(asked).containsExactly(A1, A2, A1, A2, A1);
    assertThat(timeouts).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(20), Duration.ofSeconds(40), Duration.ofSeconds(80));
    assertThat(delays).as("an immediate failure waits out its backoff")
        .containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20),
            Duration.ofSeconds(40));
    delays.clear();
    DnsTransport silent = (ep, req, p, timeout) -> CompletableFuture.failedFuture(
        new DnsTransportException(DnsTransportException.Reason.TIMEOUT, "timed out"));
    assertThat(inquire(silent, List.of(A1))).isInstanceOf(Unreachable.class);
    assertThat(delays).as("a timeout has already waited").isEmpty();
  }

  @Test
  void withoutASecureReceiverKeyNothingIsSent() throws Exception {
    DnsTransport t = via(responder(Codepoints.DEFAULT), UnaryOperator.identity());
    Sig0KeyPair elsewhere = Sig0KeyPair.generate(Name.fromConstantString("other.example."),
        Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    InquiryResult r = client(t, Codepoints.DEFAULT).inquire(childKey,
        new KeyStateInquiryClient.Target(RECEIVER, List.of(A1), List.of(elsewhere.publicKey())))
        .toCompletableFuture().get();
    assertThat(r).isEqualTo(new NoReceiverKey(RECEIVER));
    assertThat(asked).isEmpty();
  }

  // --- the responder on its own, with unsigned queries (KeyStateResponderAuthTest: signed) ---

  KeyStateResponder.Builder lenient() {
    return KeyStateResponder.builder(registry, receiverKey).requireSignedInquiries(false);
  }

  byte[] query(int state, int keyData, int qtype) {
    Message q = Message.newQuery(Record.newRecord(CHILD, qtype, DClass.IN));
    q.addRecord(new OPTRecord(1232, 0, 0, 0, new KeyStateOption(4242, state, keyData, "")
        .toEdnsOption(Codepoints.DEFAULT)), Section.ADDITIONAL);
    return q.toWire();
  }

  static Message parse(byte[] w) throws Exception {
    return new Message(w);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 11, 99})
  void a03ResponderAnswersOtherRequestCodesWithZeroSigned(int code) throws Exception {
    byte[] q = query(code, 0, Type.KEY);
    byte[] a = lenient().build().respond(q, SOURCE).orElseThrow();
    Message m = parse(a);
    assertThat(KeyStateOption.find(m, Codepoints.DEFAULT))
        .contains(new KeyStateOption(4242, 0, 0, ""));
    assertThat(m.getSection(Section.ADDITIONAL)).last().extracting(Record::getType)
        .isEqualTo(Type.SIG);
    assertThat(io.github.zonecut.sig0.Sig0Verifier.builder(
            io.github.zonecut.sig0.Sig0KeyLookup.of(receiverKey.publicKey())).replayGuard(Sig0ReplayGuard.create()).build()
        .verifyResponse(a, q)).isInstanceOf(io.github.zonecut.sig0.Sig0Outcome.Verified.class);
  }

  @Test
  void a02ResponderAnswersMalformedRequestsWithoutTheOption() throws Exception {
    Codepoints v02 = Codepoints.builder().keyStateTable(KeyStateTable.DRAFT_02).build();
    Message m = parse(lenient().codepoints(v02).build().respond(query(99, 0, Type.ANY), SOURCE)
        .orElseThrow());
    assertThat(m.getRcode()).isEqualTo(Rcode.FORMERR);
    assertThat(KeyStateOption.find(m, v02)).isEmpty();
  }

  @Test
  void failsClosedWhenItCannotSign() throws Exception {
    Sig0Signer broken = Sig0Signer.create(Sig0Config.builder()
        .provider(java.security.Security.getProvider("SunRsaSign")).build());
    KeyStateResponder r = lenient().signer(broken).build();
    Message m = parse(r.respond(query(2, 0, Type.KEY), SOURCE).orElseThrow());
    assertThat(KeyStateOption.find(m, Codepoints.DEFAULT)).isEmpty();
    assertThat(m.getSectionArray(Section.ADDITIONAL)).noneMatch(x -> x.getType() == Type.SIG);
  }

  @Test
  void aStoreFailureIsTemporaryFailureSigned() throws Exception {
    TrustRegistry broken = new TrustRegistry(new KeyStateResponderAuthTest.FailingStore(),
        registry.policy(), Clock.systemUTC());
    byte[] a = KeyStateResponder.builder(broken, receiverKey).requireSignedInquiries(false)
        .build()
        .respond(query(2, 0, Type.KEY), SOURCE).orElseThrow();
    assertThat(KeyStateOption.find(parse(a), Codepoints.DEFAULT))
        .contains(new KeyStateOption(4242, 1, 0, ""));
  }

  @Test
  void unsignedInquiriesAreLimitedPerSourcePrefixOnly() throws Exception {
    Clock fixed = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    KeyStateResponder r = lenient().clock(fixed)
        .childRateLimit(1, Duration.ofMinutes(1)).sourceRateLimit(3, Duration.ofMinutes(1))
        .build();
    byte[] q = query(2, 0, Type.KEY);
    // Issue 9 item 3: the child's bucket is charged only for verified inquiries, so unsigned
    // ones (answered here because the host allowed them) never lock the child out.
    for (int i = 0; i < 3; i++) {
      assertThat(KeyStateOption.find(parse(r.respond(q, SOURCE).orElseThrow()),
          Codepoints.DEFAULT)).isPresent();
    }
    assertThat(r.respond(q, SOURCE)).as("over the source limit: dropped").isEmpty();
    InetAddress sameSlash24 = InetAddress.getByAddress(new byte[] {127, 0, 0, 9});
    assertThat(r.respond(q, sameSlash24)).as("the same /24: the same bucket").isEmpty();
    InetAddress other = InetAddress.getByAddress(new byte[] {127, 0, 9, 9});
    assertThat(KeyStateOption.find(parse(r.respond(q, other).orElseThrow()),
        Codepoints.DEFAULT)).as("another /24 is answered").isPresent();
  }

  @Test
  void ignoresWhatIsNotAnInquiry() throws Exception {
    KeyStateResponder r = responder(Codepoints.DEFAULT);
    assertThat(r.respond(new byte[] {1, 2, 3}, SOURCE)).isEmpty();
    Message plain = Message.newQuery(Record.newRecord(CHILD, Type.KEY, DClass.IN));
    Message a = parse(r.respond(plain.toWire(), SOURCE).orElseThrow());
    assertThat(a.getRcode()).isEqualTo(Rcode.REFUSED);
    assertThat(a.getOPT()).as("no option for a message that carried none").isNull();
    plain.getHeader().setFlag(Flags.QR);
    assertThat(r.respond(plain.toWire(), SOURCE)).isEmpty();
  }

  @Test
  void aSignedAnswerWithoutOptionIsNoKeyState() throws Exception {
    Sig0Signer signer = Sig0Signer.create();
    DnsTransport t = (ep, req, p, timeout) -> {
      try {
        Message q = new Message(req.wire());
        Message a = new Message(q.getHeader().getID());
        a.getHeader().setFlag(Flags.QR);
        a.getHeader().setRcode(Rcode.REFUSED);
        a.addRecord(q.getQuestion(), Section.QUESTION);
        byte[] w = signer.signResponse(a.toWire(), req.wire(), receiverKey,
            Sig0ResponseForm.WITH_QUERY);
        return CompletableFuture.completedFuture(new DnsResponse(w, new Message(w), ep, p));
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    };
    assertThat(inquire(t, List.of(A1))).isEqualTo(new NoKeyState(Rcode.REFUSED, A1));
  }
}
