package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.TransportProtocol;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Signed answers over UDP (RFC 2181 §9, RFC 6891 §6.2.3/§7): an answer that would exceed the
 * requester's UDP payload size once signed, or whose key is TCP only (ML-DSA), comes back
 * truncated and unsigned; over TCP it is signed whatever its size.
 */
class Sig0UdpAnswerTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T05:00:00Z"), ZoneOffset.UTC);
  static final Name OWNER = Name.fromConstantString("updater.parent.example.");
  static final Name QNAME = Name.fromConstantString("child.parent.example.");
  final Sig0Config config = Sig0Config.builder().clock(CLOCK).build();
  final Sig0Signer signer = Sig0Signer.create(config);

  static byte[] query(int ednsSize) {
    Message q = Message.newQuery(Record.newRecord(QNAME, Type.TXT, DClass.IN));
    if (ednsSize >= 0) {
      q.addRecord(new OPTRecord(ednsSize, 0, 0, 0), Section.ADDITIONAL);
    }
    return q.toWire();
  }

  /** An unsigned answer to {@code query} with TXT strings of {@code textLength} octets in all. */
  static byte[] answer(byte[] query, int textLength) throws Exception {
    Message a = new Message(query);
    a.getHeader().setFlag(Flags.QR);
    a.removeAllRecords(Section.ADDITIONAL);
    java.util.List<String> strings = new java.util.ArrayList<>();
    for (int left = textLength; left > 0; left -= 200) {
      strings.add("x".repeat(Math.min(200, left)));
    }
    a.addRecord(new TXTRecord(QNAME, DClass.IN, 60, strings), Section.ANSWER);
    return a.toWire();
  }

  boolean verifies(Sig0KeyPair key, byte[] answer, byte[] query) {
    return Sig0Verifier.builder(Sig0KeyLookup.of(key.publicKey())).config(config)
        .insecureWithoutReplayGuard().build().verifyResponse(answer, query)
        instanceof Sig0Outcome.Verified;
  }

  static void assertTruncated(byte[] out, byte[] query) throws Exception {
    Message m = new Message(out);
    assertThat(m.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(m.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(m.getHeader().getID()).isEqualTo(new Message(query).getHeader().getID());
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getQuestion().getName()).isEqualTo(QNAME);
    assertThat(m.getSectionArray(Section.ANSWER)).isEmpty();
    assertThat(m.getSectionArray(Section.ADDITIONAL)).isEmpty();
    assertThat(out.length).isLessThanOrEqualTo(512);
  }

  @Test
  void theLimitIsTheEdnsSizeOr512() {
    assertThat(Sig0Signer.udpPayloadLimit(query(-1))).isEqualTo(512);
    assertThat(Sig0Signer.udpPayloadLimit(query(1232))).isEqualTo(1232);
    assertThat(Sig0Signer.udpPayloadLimit(query(100))).isEqualTo(512); // RFC 6891 §6.2.5
    assertThat(Sig0Signer.udpPayloadLimit(new byte[5])).isEqualTo(512);
  }

  @Test
  void anAnswerThatOutgrowsTheRequestersSizeOnceSignedComesBackTruncated() throws Exception {
    Sig0KeyPair key = Sig0KeyPair.generate(OWNER, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    byte[] noEdns = query(-1);
    byte[] unsigned = answer(noEdns, 400);
    assertThat(unsigned.length).isLessThan(512);
    byte[] overUdp = signer.signResponse(unsigned, noEdns, key, Sig0ResponseForm.WITH_QUERY,
        TransportProtocol.UDP);
    assertTruncated(overUdp, noEdns);
    // Over TCP, or to a requester that takes 1232 octets, the same answer goes out signed.
    byte[] overTcp = signer.signResponse(unsigned, noEdns, key, Sig0ResponseForm.WITH_QUERY,
        TransportProtocol.TCP);
    assertThat(overTcp.length).isGreaterThan(512);
    assertThat(verifies(key, overTcp, noEdns)).isTrue();
    byte[] edns = query(1232);
    byte[] big = signer.signResponse(answer(edns, 400), edns, key, Sig0ResponseForm.WITH_QUERY,
        TransportProtocol.UDP);
    assertThat(new Message(big).getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(verifies(key, big, edns)).isTrue();
    // A small answer fits 512 octets signed.
    byte[] small = signer.signResponse(answer(noEdns, 10), noEdns, key,
        Sig0ResponseForm.WITH_QUERY, TransportProtocol.UDP);
    assertThat(verifies(key, small, noEdns)).isTrue();
  }

  @Test
  void anMlDsaKeyNeverSignsAUdpAnswer() throws Exception {
    Sig0KeyPair key = Sig0KeyPair.generate(OWNER, Sig0Algorithm.of(199), Sig0PublicKey.FLAGS_HOST);
    assertThat(signer.isTcpOnly(key)).isTrue();
    byte[] edns = query(4096);
    byte[] unsigned = answer(edns, 10);
    byte[] overUdp = signer.signResponse(unsigned, edns, key, Sig0ResponseForm.WITH_QUERY,
        TransportProtocol.UDP);
    assertTruncated(overUdp, edns);
    byte[] overTcp = signer.signResponse(unsigned, edns, key, Sig0ResponseForm.WITH_QUERY,
        TransportProtocol.TCP);
    assertThat(overTcp.length).isGreaterThan(2420);
    assertThat(verifies(key, overTcp, edns)).isTrue();
    Sig0KeyPair ed = Sig0KeyPair.generate(OWNER, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    assertThat(signer.isTcpOnly(ed)).isFalse();
  }

  @Test
  void aTruncatedAnswerOfAMalformedQuestionIsHeaderOnly() {
    byte[] req = new byte[14];
    req[2] = (byte) (5 << 3);
    req[5] = 1;
    req[12] = 40; // a label running past the end
    byte[] a = Sig0Signer.truncatedAnswer(req);
    assertThat(a).hasSize(12);
    assertThat(a[2] & 0x82).isEqualTo(0x82);
    assertThat(a[5]).isZero();
    assertThat(Sig0Signer.truncatedAnswer(new byte[3])).isEmpty();
  }
}
