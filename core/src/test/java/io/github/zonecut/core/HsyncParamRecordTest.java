package io.github.zonecut.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class HsyncParamRecordTest {
  private static final Name OWNER = Name.fromConstantString("example.com.");
  private static final Codepoints CP = Codepoints.DEFAULT;
  // specs.md §5.3
  private static final String EXAMPLE_TEXT =
      "nsmgmt=\"agent\" servers=\"alpha,echo\" signers=\"alpha\" auditors=\"audit\"";
  private static final String EXAMPLE_WIRE = "0000000102"
      + "0002000a616c7068612c6563686f"
      + "00030005616c706861"
      + "000700056175646974";

  @BeforeAll
  static void register() {
    ZonecutTypes.register();
  }

  @Test
  void tdnsExampleBothWays() throws Exception {
    HsyncParamRecord r = HsyncParamRecord.parse(OWNER, DClass.IN, 3600, EXAMPLE_TEXT, CP);
    assertThat(Hex.hex(r.rdataToWireCanonical())).isEqualTo(EXAMPLE_WIRE);
    HsyncParamRecord d = HsyncParamRecord.fromRdata(OWNER, DClass.IN, 3600,
        Hex.bytes(EXAMPLE_WIRE), CP);
    assertThat(d.rdataToString()).isEqualTo(EXAMPLE_TEXT);
    assertThat(d.getNsmgmt()).contains(HsyncParam.Role.AGENT);
    assertThat(d.getParentsync()).isEmpty();
    assertThat(d.getServers()).containsExactly("alpha", "echo");
    assertThat(d.getSigners()).containsExactly("alpha");
    assertThat(d.getAuditors()).containsExactly("audit");
    assertThat(d.isPubkey()).isFalse();
    assertThat(d.getType()).isEqualTo(65286);
  }

  @Test
  void flagsSuffixParentsyncAndAnyKeyOrderInText() throws Exception {
    HsyncParamRecord r = HsyncParamRecord.parse(OWNER, DClass.IN, 1,
        "suffix=prov pubcds parentsync=\"owner\" pubkey nsmgmt=OWNER", CP);
    assertThat(r.rdataToString())
        .isEqualTo("nsmgmt=\"owner\" parentsync=\"owner\" pubkey pubcds suffix=\"prov\"");
    // tdns numbering: nsmgmt owner=1, parentsync owner=0
    assertThat(Hex.hex(r.rdataToWireCanonical()))
        .isEqualTo("0000000101" + "0001000100" + "00040000" + "00050000" + "0006000470726f76");
    assertThat(r.isPubkey()).isTrue();
    assertThat(r.isPubcds()).isTrue();
    assertThat(r.getSuffix()).contains("prov");
    assertThat(r.getParentsync()).contains(HsyncParam.Role.OWNER);
    HsyncParamRecord agent = HsyncParamRecord.parse(OWNER, DClass.IN, 1, "parentsync=agent", CP);
    assertThat(Hex.hex(agent.rdataToWireCanonical())).isEqualTo("0001000101");
  }

  @Test
  void unknownKeysAreKeptAndPrintedGenerically() throws Exception {
    HsyncParamRecord r = HsyncParamRecord.fromRdata(OWNER, DClass.IN, 1,
        Hex.bytes("0008000361220a" + "fffe0000"), CP);
    assertThat(r.rdataToString()).isEqualTo("key8=\"a\\\"\\010\" key65534");
    HsyncParamRecord back = HsyncParamRecord.parse(OWNER, DClass.IN, 1, r.rdataToString(), CP);
    assertThat(back).isEqualTo(r);
    assertThat(back.get(8).orElseThrow().value()).containsExactly(0x61, 0x22, 0x0a);
  }

  @Test
  void dnsjavaTextAndWire() throws Exception {
    Record r = Record.fromString(OWNER, Type.value("HSYNCPARAM"), DClass.IN, 3600, EXAMPLE_TEXT,
        Name.root);
    assertThat(r).isInstanceOf(HsyncParamRecord.class);
    assertThat(Record.fromWire(r.toWire(1), 1)).isEqualTo(r);
  }

  @Test
  void strictWire() {
    assertBad("000000010200000001", 5, "strictly increasing");
    assertBad("0001000100" + "0000000101", 5, "strictly increasing");
    assertBad("ffff0000", 0, "65534");
    assertBad("0000000103", 4, "nsmgmt");
    assertBad("0001000102", 4, "parentsync");
    assertBad("000400016e", 4, "flag");
    assertBad("00020004612c62", 4, "truncated");
    assertBad("00020003612c2c", 4, "servers");
    assertBad("0006000161" + "00", 5, "truncated");
    assertBad("00020000", 4, "at least one");
  }

  private static void assertBad(String hex, int offset, String problem) {
    assertThatThrownBy(() -> HsyncParamRecord.fromRdata(OWNER, DClass.IN, 1, Hex.bytes(hex), CP))
        .as(hex)
        .isInstanceOfSatisfying(MalformedDataException.class,
            e -> assertThat(e.offset()).isEqualTo(offset))
        .hasMessageContaining(problem);
  }

  @Test
  void strictText() {
    assertBadText("nsmgmt=\"boss\"", "owner");
    assertBadText("pubkey=\"yes\"", "flag");
    assertBadText("servers=\"a,,b\"", "servers");
    assertBadText("bogus=1", "unknown key");
    assertBadText("servers=a servers=b", "twice");
    assertBadText("key65535=\"\"", "out of range");
    assertBadText("nsmgmt", "owner");
  }

  private static void assertBadText(String text, String problem) {
    assertThatThrownBy(() -> HsyncParamRecord.parse(OWNER, DClass.IN, 1, text, CP))
        .as(text).isInstanceOf(MalformedDataException.class).hasMessageContaining(problem);
  }

  @Test
  void builtFromValues() {
    HsyncParamRecord r = HsyncParamRecord.of(OWNER, 3600, List.of(
        HsyncParam.auditors(List.of("audit")), HsyncParam.nsmgmt(HsyncParam.Role.AGENT),
        HsyncParam.signers(List.of("alpha")), HsyncParam.servers(List.of("alpha", "echo"))));
    assertThat(r.rdataToString()).isEqualTo(EXAMPLE_TEXT);
    assertThatThrownBy(() -> HsyncParamRecord.of(OWNER, 1,
        List.of(HsyncParam.pubkey(), HsyncParam.pubkey())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    assertThatThrownBy(() -> HsyncParam.servers(List.of("a.b")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HsyncParam(65535, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
