package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The hierarchy behaves as the other interop tests assume, checked with plain dnsjava and dig only
 * (no zonecut code): Unbound validates the secure parts (AD), treats the unsigned delegation as
 * insecure and the wrong DS as bogus.
 */
@ExtendWith(TestnetExtension.class)
class TestnetResolutionTest {

  /** DSYNC, RFC 9859; the record class is zonecut's, so plain dnsjava sees an unknown type. */
  static final int DSYNC = 66;

  static List<Record> answers(Message m, int type) {
    return m.getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
  }

  static boolean ad(Message m) {
    return m.getHeader().getFlag(Flags.AD);
  }

  /** Expected DSYNC RDATA: RRtype(16) Scheme(8) Port(16) Target (uncompressed ns1.parent.test.). */
  static String dsyncRdataHex(String typeAndScheme, int port) {
    return typeAndScheme + String.format("%04x", port) + "036e733106706172656e74047465737400";
  }

  @Test
  void dsyncAtTheParentIsValidated(Testnet net) {
    Message m = net.query("_dsync.parent.test.", DSYNC);

    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(ad(m)).as("AD on _dsync.parent.test. DSYNC").isTrue();
    int port = net.parent().getPort();
    assertThat(answers(m, DSYNC))
        .extracting(r -> HexFormat.of().formatHex(r.rdataToWireCanonical()))
        .containsExactlyInAnyOrder(
            dsyncRdataHex("003b01", port), // CDS NOTIFY
            dsyncRdataHex("003e01", port), // CSYNC NOTIFY
            dsyncRdataHex("00ff02", port)); // ANY 2 (UPDATE)
  }

  @Test
  void digPrintsTheDsyncRecordsInPresentationForm(Testnet net) {
    int port = net.parent().getPort();

    List<String> lines = net.dig("+short", "_dsync.parent.test.", "DSYNC").stdoutLines();

    // dig 9.18 has a mnemonic for scheme 1 (NOTIFY) only; scheme 2 (UPDATE) prints as a number
    assertThat(lines).containsExactlyInAnyOrder(
        "CDS NOTIFY " + port + " ns1.parent.test.",
        "CSYNC NOTIFY " + port + " ns1.parent.test.",
        "ANY 2 " + port + " ns1.parent.test.");
  }

  @Test
  void digSeesTheAdFlagOnTheSecureChildKey(Testnet net) {
    String out = net.dig("+dnssec", "child.parent.test.", "KEY").stdout();

    assertThat(out).containsPattern(";; flags: qr rd ra ad;").contains("status: NOERROR");
  }

  /** A NOERROR answer with exactly {@code key}'s KEY record, validated or not as {@code secure} says. */
  static void assertKeyAnswer(Message m, boolean secure, BindKeyFiles key) {
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(ad(m)).as("AD flag").isEqualTo(secure);
    assertThat(answers(m, Type.KEY)).singleElement().satisfies(r -> {
      assertThat(((KEYRecord) r).getAlgorithm()).isEqualTo(key.algorithm());
      assertThat(((KEYRecord) r).getFootprint()).isEqualTo(key.keyTag());
    });
  }

  @Test
  void keyAtTheSecureChildApexIsValidated(Testnet net) {
    assertKeyAnswer(net.query("child.parent.test.", Type.KEY), true, net.sig0Child());
  }

  @Test
  void keyAtTheChildWithoutDsIsInsecure(Testnet net) {
    assertKeyAnswer(net.query("new.parent.test.", Type.KEY), false, net.sig0New());
  }

  @Test
  void childWithAWrongDsIsBogus(Testnet net) {
    Message m = net.query("bogus.parent.test.", Type.SOA);

    assertThat(m.getRcode()).isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void signalKeyUnderTheOperatorIsValidated(Testnet net) {
    Message m = net.query("_sig0key.new.parent.test._signal.ns1.operator.test.", Type.KEY);

    assertKeyAnswer(m, true, net.sig0New());
  }

  @Test
  void trustAnchorIsTheDsOfTheTldKsk(Testnet net) {
    assertThat(net.trustAnchor()).matches("test\\. IN DS \\d+ 13 2 [0-9A-F]{64}");
    DSRecord anchor = net.trustAnchorRecord();
    DNSKEYRecord ksk = net.trustAnchorDnskeyRecord();

    Message m = Testnet.query(net.tld(), "test.", Type.DNSKEY, false);

    assertThat(answers(m, Type.DNSKEY)).hasSize(2).contains(ksk);
    assertThat(new DSRecord(ksk.getName(), DClass.IN, 3600, DNSSEC.Digest.SHA256, ksk)).isEqualTo(anchor);
  }

  @Test
  void theSecureChildsDsInTheParentMatchesItsKey(Testnet net) {
    List<Record> inParent = answers(Testnet.query(net.parent(), "child.parent.test.", Type.DS, false),
        Type.DS);

    assertThat(List.<Record>copyOf(net.childDs("child.parent.test."))).hasSize(1)
        .containsExactlyElementsOf(inParent);
    assertThat(answers(Testnet.query(net.parent(), "new.parent.test.", Type.DS, false), Type.DS))
        .isEmpty();
  }

  /**
   * The Knot child {@code kchild.parent.test.} (knotd #2) is SECURE through Unbound, and the
   * parent's knotd answers its NS with a referral (NS and glue, not authoritative) while the child
   * server answers authoritatively: the two views a CSYNC scan compares. (On the parent's own
   * knotd, {@code knot.parent.test.}'s NS comes from the child zone, with AA.)
   */
  @Test
  void theKnotChildIsSecureAndItsParentAnswersWithAReferral(Testnet net) {
    Message soa = net.query("kchild.parent.test.", Type.SOA);
    assertThat(soa.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(ad(soa)).as("kchild.parent.test. SECURE").isTrue();

    Message referral = Testnet.query(net.parent(), "kchild.parent.test.", Type.NS, false);
    assertThat(referral.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(referral.getSection(Section.AUTHORITY)).anyMatch(r -> r.getType() == Type.NS);
    assertThat(referral.getSection(Section.ADDITIONAL)).anyMatch(r -> r.getType() == Type.A
        && r.getName().equals(Name.fromConstantString("ns1.kchild.parent.test.")));
    Message apex = Testnet.query(net.knotChild(), "kchild.parent.test.", Type.NS, false);
    assertThat(apex.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(answers(apex, Type.NS)).hasSize(1);
  }

  @Test
  void authoritativeServersAnswerWithoutRecursion(Testnet net) {
    assertThat(Testnet.query(net.parent(), "parent.test.", Type.SOA, false).getRcode())
        .isEqualTo(Rcode.NOERROR);
    assertThat(answers(Testnet.query(net.child(), "child.parent.test.", Type.SOA, false), Type.SOA))
        .hasSize(1);
  }
}
