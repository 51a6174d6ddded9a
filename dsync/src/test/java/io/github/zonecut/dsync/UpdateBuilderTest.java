package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DsData;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0PublicKey;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** Golden tests of the exact sections of every UPDATE the child builds. */
class UpdateBuilderTest {
  static final Name PARENT = Name.fromConstantString("parent.test.");
  static final Name CHILD = Name.fromConstantString("child.parent.test.");
  static final Name NS1 = Name.fromConstantString("ns1.child.parent.test.");
  static final Name NS2 = Name.fromConstantString("ns2.child.parent.test.");
  static final Name EXT = Name.fromConstantString("ns.provider.test.");
  static final DsData DS_A = new DsData(11111, 13, 2, HexFormat.of().parseHex(
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
  static final DsData DS_B = new DsData(22222, 13, 2, HexFormat.of().parseHex(
      "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"));
  static final Sig0PublicKey KEY = Sig0PublicKey.of(CHILD, Sig0PublicKey.FLAGS_HOST,
      Sig0Algorithm.ED25519, new byte[32]);

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  static Delegation current() throws Exception {
    return Delegation.builder(CHILD).glue(NS1, ip("192.0.2.1")).nameservers(EXT).ds(DS_A)
        .build();
  }

  static List<String> section(Message m, int section) {
    return m.getSection(section).stream().map(Record::toString).toList();
  }

  static void assertSkeleton(Message m) {
    assertThat(m.getHeader().getOpcode()).isEqualTo(Opcode.UPDATE);
    assertThat(section(m, Section.ZONE)).containsExactly("parent.test.\t\t0\tIN\tSOA");
    assertThat(m.getSection(Section.PREREQ)).isEmpty();
    List<Record> add = m.getSection(Section.ADDITIONAL);
    assertThat(add).hasSize(1);
    assertThat(add.get(0)).isInstanceOf(OPTRecord.class);
    assertThat(((OPTRecord) add.get(0)).getPayloadSize()).isEqualTo(1232);
  }

  @Test
  void deltaReplacesAnInBailiwickServerWithItsGlueAndAddsADs() throws Exception {
    Delegation desired = Delegation.builder(CHILD).glue(NS2, ip("192.0.2.2"), ip("2001:db8::2"))
        .nameservers(EXT).ds(DS_A, DS_B).build();
    Message m = UpdateBuilder.of(PARENT).delta(current(), desired);
    assertSkeleton(m);
    assertThat(section(m, Section.UPDATE)).containsExactly(
        "child.parent.test.\t0\tNONE\tNS\tns1.child.parent.test.",
        "ns1.child.parent.test.\t0\tANY\tA",
        "ns1.child.parent.test.\t0\tANY\tAAAA",
        "child.parent.test.\t3600\tIN\tNS\tns2.child.parent.test.",
        "child.parent.test.\t3600\tIN\tDS\t22222 13 2 "
            + "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
        "ns2.child.parent.test.\t3600\tIN\tA\t192.0.2.2",
        "ns2.child.parent.test.\t3600\tIN\tAAAA\t2001:db8:0:0:0:0:0:2");
  }

  @Test
  void deltaRemovesOneDsRecordAndRewritesChangedGlue() throws Exception {
    Delegation desired = Delegation.builder(CHILD).glue(NS1, ip("192.0.2.9")).nameservers(EXT)
        .build();
    Message m = UpdateBuilder.of(PARENT).delta(current(), desired);
    assertThat(section(m, Section.UPDATE)).containsExactly(
        "child.parent.test.\t0\tNONE\tDS\t11111 13 2 "
            + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "ns1.child.parent.test.\t0\tANY\tA",
        "ns1.child.parent.test.\t0\tANY\tAAAA",
        "ns1.child.parent.test.\t3600\tIN\tA\t192.0.2.9");
  }

  @Test
  void deltaRewritesAnRRsetWhoseTtlChanges() throws Exception {
    Delegation desired = Delegation.builder(CHILD).glue(NS1, ip("192.0.2.1")).nameservers(EXT)
        .ds(DS_A).nsTtl(600).build();
    Message m = UpdateBuilder.of(PARENT).delta(current(), desired);
    assertThat(section(m, Section.UPDATE)).containsExactly(
        "child.parent.test.\t0\tANY\tNS",
        "child.parent.test.\t600\tIN\tNS\tns1.child.parent.test.",
        "child.parent.test.\t600\tIN\tNS\tns.provider.test.");
  }

  @Test
  void replaceDeletesEveryRRsetThenAddsTheWholeDelegation() throws Exception {
    Delegation desired = Delegation.builder(CHILD).glue(NS2, ip("192.0.2.2")).nameservers(EXT)
        .ds(DS_B).build();
    Message m = UpdateBuilder.builder(PARENT).style(UpdateStyle.REPLACE).build()
        .delegation(current(), desired);
    assertSkeleton(m);
    assertThat(section(m, Section.UPDATE)).containsExactly(
        "child.parent.test.\t0\tANY\tNS",
        "ns1.child.parent.test.\t0\tANY\tA",
        "ns1.child.parent.test.\t0\tANY\tAAAA",
        "ns2.child.parent.test.\t0\tANY\tA",
        "ns2.child.parent.test.\t0\tANY\tAAAA",
        "child.parent.test.\t0\tANY\tDS",
        "child.parent.test.\t3600\tIN\tNS\tns2.child.parent.test.",
        "child.parent.test.\t3600\tIN\tNS\tns.provider.test.",
        "child.parent.test.\t3600\tIN\tDS\t22222 13 2 "
            + "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
        "ns2.child.parent.test.\t3600\tIN\tA\t192.0.2.2");
  }

  @Test
  void keyBootstrapDeletesTheKeyRRsetThenAddsTheKey() {
    Message m = UpdateBuilder.of(PARENT).keyBootstrap(KEY);
    assertSkeleton(m);
    assertThat(section(m, Section.UPDATE)).containsExactly(
        "child.parent.test.\t0\tANY\tKEY",
        "child.parent.test.\t3600\tIN\tKEY\t512 3 15 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  }

  @Test
  void keyRollAddsThenDeletesOneKey() {
    UpdateBuilder b = UpdateBuilder.builder(PARENT).keyTtl(300).build();
    assertThat(section(b.keyRollAdd(KEY), Section.UPDATE)).containsExactly(
        "child.parent.test.\t300\tIN\tKEY\t512 3 15 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    assertThat(section(b.keyRollDelete(KEY), Section.UPDATE)).containsExactly(
        "child.parent.test.\t0\tNONE\tKEY\t512 3 15 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  }

  @Test
  void theChildMustBeBelowTheParentZoneLabelWise() throws Exception {
    UpdateBuilder b = UpdateBuilder.of(Name.fromConstantString("arent.test."));
    // "child.parent.test." ends with the string "arent.test." but is not below that zone
    assertThatThrownBy(() -> b.delta(current(), current()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.keyBootstrap(KEY)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theSignedMessageCarriesTheSig0LastAfterTheOpt() throws Exception {
    var pair = io.github.zonecut.sig0.Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519,
        Sig0PublicKey.FLAGS_HOST);
    byte[] wire = io.github.zonecut.sig0.Sig0Signer.create()
        .sign(UpdateBuilder.of(PARENT).keyBootstrap(pair.publicKey()), pair);
    Message parsed = new Message(wire);
    List<Record> add = parsed.getSection(Section.ADDITIONAL);
    assertThat(add).hasSize(2);
    assertThat(add.get(0)).isInstanceOf(OPTRecord.class);
    assertThat(add.get(1).getType()).isEqualTo(org.xbill.DNS.Type.SIG);
    assertThat(io.github.zonecut.sig0.Sig0Verifier.builder(
        io.github.zonecut.sig0.Sig0KeyLookup.of(pair.publicKey()))
        .replayGuard(io.github.zonecut.sig0.Sig0ReplayGuard.create()).build().verify(wire))
        .isInstanceOf(io.github.zonecut.sig0.Sig0Outcome.Verified.class);
  }
}
