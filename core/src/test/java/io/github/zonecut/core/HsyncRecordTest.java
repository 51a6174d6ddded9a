package io.github.zonecut.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.UNKRecord;

class HsyncRecordTest {
  private static final Name OWNER = Name.fromConstantString("customer.zone.");
  private static final Codepoints CP = Codepoints.DEFAULT;
  // specs.md §5.3, tdns HSYNC3: "ON netnod agent.netnod.se. ."
  private static final String NETNOD_TEXT = "ON netnod agent.netnod.se. .";
  private static final String NETNOD_WIRE =
      "01" + "066e65746e6f64" + "056167656e74066e65746e6f6402736500" + "012e";

  @BeforeAll
  static void register() {
    ZonecutTypes.register();
  }

  @Test
  void tdnsExampleBothWays() throws Exception {
    HsyncRecord r = HsyncRecord.parse(OWNER, DClass.IN, 3600, NETNOD_TEXT, CP);
    assertThat(Hex.hex(r.rdataToWireCanonical())).isEqualTo(NETNOD_WIRE);
    HsyncRecord d = HsyncRecord.fromRdata(OWNER, DClass.IN, 3600, Hex.bytes(NETNOD_WIRE), CP);
    assertThat(d.rdataToString()).isEqualTo(NETNOD_TEXT);
    assertThat(d.getState()).isEqualTo(HsyncState.ON);
    assertThat(d.getLabel()).isEqualTo("netnod");
    assertThat(d.getIdentity()).isEqualTo(Name.fromConstantString("agent.netnod.se."));
    assertThat(d.getUpstream()).isEmpty();
    assertThat(d.getType()).isEqualTo(65285);
  }

  @Test
  void upstreamLabelAndDnsjavaText() throws Exception {
    Record r = Record.fromString(OWNER, Type.value("HSYNC"), DClass.IN, 3600,
        "ON cloudflare agent.cloudflare.com. netnod", Name.root);
    assertThat(r).isInstanceOf(HsyncRecord.class);
    assertThat(((HsyncRecord) r).getUpstream()).contains("netnod");
    assertThat(Record.fromWire(r.toWire(1), 1)).isEqualTo(r);
  }

  @Test
  void offIsReadFromZeroAndTwoAndWrittenAsTheProfileSays() throws Exception {
    String rest = "066e65746e6f64" + "056167656e74066e65746e6f6402736500" + "012e";
    Codepoints draftOff = Codepoints.builder().hsyncStateOff(2).build();
    for (String state : new String[] {"00", "02"}) {
      for (Codepoints cp : new Codepoints[] {CP, draftOff}) {
        HsyncRecord r = HsyncRecord.fromRdata(OWNER, DClass.IN, 1, Hex.bytes(state + rest), cp);
        assertThat(r.getState().isOff()).isTrue();
        assertThat(r.rdataToString()).startsWith("OFF ");
        // a received record renders back as received, whatever the profile
        assertThat(Hex.hex(r.rdataToWireCanonical())).isEqualTo(state + rest);
      }
    }
    // built from values, OFF is written as the profile says
    Name agent = Name.fromConstantString("agent.netnod.se.");
    assertThat(Hex.hex(HsyncRecord.of(OWNER, 1, HsyncState.OFF, "netnod", agent,
        Optional.empty()).rdataToWireCanonical())).isEqualTo("00" + rest);
    assertThat(Hex.hex(new HsyncRecord(OWNER, DClass.IN, 1, HsyncState.OFF, "netnod", agent,
        Optional.empty(), draftOff).rdataToWireCanonical())).isEqualTo("02" + rest);
  }

  @Test
  void receivedOctetsAreKeptSoAnRrsigOverThemStillVerifies() throws Exception {
    // state 2, a mixed-case identity with an escaped dot inside a label, tdns's dotted labels
    String odd = "02" + "076e65746e6f642e" + "0641672e656e74" + "024e65" + "00" + "02782e";
    // the root as identity and a one-letter upstream that prints like a relative name
    String root = "02" + "0178" + "00" + "0178";
    for (String hex : new String[] {odd, root}) {
      HsyncRecord r = HsyncRecord.fromRdata(OWNER, DClass.IN, 1, Hex.bytes(hex), CP);
      assertThat(Hex.hex(r.rdataToWireCanonical())).as(hex).isEqualTo(hex);
      // and through dnsjava's message path, as a validator would re-render it
      Record viaMessage = Record.fromWire(r.toWire(1), 1);
      assertThat(Hex.hex(viaMessage.rdataToWireCanonical())).as(hex).isEqualTo(hex);
    }
    HsyncRecord r = HsyncRecord.fromRdata(OWNER, DClass.IN, 1, Hex.bytes(odd), CP);
    assertThat(r.getLabel()).isEqualTo("netnod");
    assertThat(r.getUpstream()).contains("x");
    assertThat(r.getIdentity().toString()).isEqualTo("Ag\\.ent.Ne.");
  }

  @Test
  void unnamedStatesAreKeptAsNumbers() throws Exception {
    HsyncRecord r = HsyncRecord.parse(OWNER, DClass.IN, 1, "77 netnod agent.netnod.se. .", CP);
    assertThat(r.rdataToString()).isEqualTo("77 netnod agent.netnod.se. .");
    assertThat(Hex.hex(r.rdataToWireCanonical())).startsWith("4d");
    assertThat(HsyncState.parse("0", CP)).isEqualTo(HsyncState.OFF);
    assertThat(HsyncState.parse("on", CP)).isEqualTo(HsyncState.ON);
    assertThatThrownBy(() -> HsyncState.parse("256", CP))
        .isInstanceOf(MalformedDataException.class);
    assertThatThrownBy(() -> HsyncState.parse("MAYBE", CP))
        .isInstanceOf(MalformedDataException.class);
  }

  @Test
  void tdnsTrailingDotIsDroppedOnWireInputOnly() throws Exception {
    // label "netnod." as tdns's text parser writes it
    String wire = "01" + "076e65746e6f642e" + "056167656e74066e65746e6f6402736500" + "012e";
    HsyncRecord r = HsyncRecord.fromRdata(OWNER, DClass.IN, 1, Hex.bytes(wire), CP);
    assertThat(r.getLabel()).isEqualTo("netnod");
    // the value drops the dot; the wire form keeps the octets received
    assertThat(Hex.hex(r.rdataToWireCanonical())).isEqualTo(wire);
    assertThat(HsyncRecord.parse(OWNER, DClass.IN, 1, r.rdataToString(), CP)
        .rdataToWireCanonical()).isEqualTo(Hex.bytes(NETNOD_WIRE));
    assertThatThrownBy(() -> HsyncRecord.parse(OWNER, DClass.IN, 1,
        "ON netnod. agent.netnod.se. .", CP))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("HSYNC label");
  }

  @Test
  void labelsAreValidated() {
    assertBadWire("01" + "00" + "00" + "012e", "HSYNC label", 1, "length 0");
    assertBadWire("01" + "03612e62" + "00" + "012e", "HSYNC label", 1, "not a letter");
    assertBadWire("01" + "0161" + "00" + "00", "HSYNC upstream", 4, "length 0");
    assertBadWire("01" + "0161" + "c000" + "012e", "HSYNC identity", 3, "compress");
    assertBadWire("01" + "0161" + "00", "HSYNC upstream length", 4, "truncated");
    assertBadWire("01" + "0161" + "00" + "012e" + "00", "HSYNC RDATA", 6, "trailing");
    String longLabel = "a".repeat(64);
    assertThatThrownBy(() -> HsyncRecord.of(OWNER, 1, HsyncState.ON, longLabel,
        Name.fromConstantString("a."), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..63");
    assertThatThrownBy(() -> HsyncRecord.parse(OWNER, DClass.IN, 1,
        "ON " + longLabel + " a. .", CP))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("1..63");
  }

  private static void assertBadWire(String hex, String field, int offset, String problem) {
    assertThatThrownBy(() -> HsyncRecord.fromRdata(OWNER, DClass.IN, 1, Hex.bytes(hex), CP))
        .as(hex)
        .isInstanceOfSatisfying(MalformedDataException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.offset()).isEqualTo(offset);
        })
        .hasMessageContaining(problem);
  }

  @Test
  void customTypeCodeAndUnknownRecordInput() throws Exception {
    Codepoints custom = Codepoints.builder().hsyncType(65300).hsyncParamType(65301).build();
    // 65300 is not registered with dnsjava, so dnsjava hands out an UNKRecord
    Record unk = Record.newRecord(OWNER, 65300, DClass.IN, 60, Hex.bytes(NETNOD_WIRE));
    assertThat(unk).isInstanceOf(UNKRecord.class);
    HsyncRecord r = HsyncRecord.from(unk, custom);
    assertThat(r.getType()).isEqualTo(65300);
    assertThat(r.getTTL()).isEqualTo(60);
    assertThat(r.rdataToString()).isEqualTo(NETNOD_TEXT);
    assertThatThrownBy(() -> HsyncRecord.from(unk, CP))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("65285");
  }
}
