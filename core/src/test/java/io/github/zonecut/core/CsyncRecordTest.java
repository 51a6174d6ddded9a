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

class CsyncRecordTest {
  private static final Name OWNER = Name.fromConstantString("example.com.");
  // RFC 7477 §2.1.2
  private static final String RFC_TEXT = "66 3 A NS AAAA";
  private static final String RFC_WIRE = "000000420003000460000008";

  @BeforeAll
  static void register() {
    ZonecutTypes.register();
  }

  @Test
  void rfc7477ExampleBothWays() throws Exception {
    CsyncRecord parsed = CsyncRecord.parse(OWNER, DClass.IN, 3600, RFC_TEXT);
    assertThat(Hex.hex(parsed.rdataToWireCanonical())).isEqualTo(RFC_WIRE);
    CsyncRecord decoded = CsyncRecord.fromRdata(OWNER, DClass.IN, 3600,
        Hex.bytes(RFC_WIRE));
    assertThat(decoded.rdataToString()).isEqualTo(RFC_TEXT);
    assertThat(decoded.getSerial()).isEqualTo(66);
    assertThat(decoded.isImmediate()).isTrue();
    assertThat(decoded.isSoaMinimum()).isTrue();
    assertThat(decoded.getTypes()).containsExactly(Type.A, Type.NS, Type.AAAA);
  }

  @Test
  void dnsjavaParsesItAsOurClass() throws Exception {
    Record r = Record.fromString(OWNER, Type.CSYNC, DClass.IN, 3600, RFC_TEXT, Name.root);
    assertThat(r).isInstanceOf(CsyncRecord.class);
    assertThat(Record.fromWire(r.toWire(1), 1)).isEqualTo(r);
  }

  @Test
  void constructorSortsTypesAndChecksRanges() {
    CsyncRecord r = new CsyncRecord(OWNER, DClass.IN, 1, 4294967295L, 0,
        List.of(Type.AAAA, Type.NS, 65535, Type.A));
    assertThat(r.rdataToString()).isEqualTo("4294967295 0 A NS AAAA TYPE65535");
    assertThatThrownBy(() -> new CsyncRecord(OWNER, DClass.IN, 1, -1, 0, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("serial");
    assertThatThrownBy(() -> new CsyncRecord(OWNER, DClass.IN, 1, 1, 0x10000, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flags");
    assertThatThrownBy(() -> new CsyncRecord(OWNER, DClass.IN, 1, 1, 0, List.of(65536)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type");
  }

  @Test
  void emptyBitmapIsAllowed() throws Exception {
    CsyncRecord r = CsyncRecord.fromRdata(OWNER, DClass.IN, 1, Hex.bytes("000000010000"));
    assertThat(r.getTypes()).isEmpty();
    assertThat(r.rdataToString()).isEqualTo("1 0");
  }

  @Test
  void bitmapRulesOfRfc4034() {
    String h = "00000042" + "0003";
    assertMalformed(h + "0000", 7, "outside 1..32");                       // zero-length block
    assertMalformed(h + "0021" + "40".repeat(33), 7, "outside 1..32");     // 33 octets
    assertMalformed(h + "00026000", 9, "trailing zero");                  // last octet zero
    assertMalformed(h + "000160" + "000140", 9, "not after window 0");      // window repeated
    assertMalformed(h + "010140" + "000140", 9, "not after window 1");      // window decreasing
    assertMalformed(h + "00", 7, "truncated");                               // length missing
    assertMalformed(h + "0003ff", 8, "truncated");                          // bitmap short
    assertMalformed("000000", 0, "truncated");                               // serial short
  }

  private static void assertMalformed(String hex, int offset, String problem) {
    assertThatThrownBy(() -> CsyncRecord.fromRdata(OWNER, DClass.IN, 1, Hex.bytes(hex)))
        .as(hex)
        .isInstanceOfSatisfying(MalformedDataException.class,
            e -> assertThat(e.offset()).isEqualTo(offset))
        .hasMessageContaining(problem);
  }

  @Test
  void type0BitIsRefused() {
    // window 0, first octet 0x80: TYPE0; with A (0x40) beside it
    assertMalformed("00000042" + "0003" + "0001c0", 8, "TYPE0");
    assertThatThrownBy(() -> CsyncRecord.parse(OWNER, DClass.IN, 1, "66 3 TYPE0 A"))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("TYPE0");
    assertThatThrownBy(() -> new CsyncRecord(OWNER, DClass.IN, 1, 66, 3, List.of(0, Type.A)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TYPE0");
  }

  @Test
  void badText() {
    assertThatThrownBy(() -> CsyncRecord.parse(OWNER, DClass.IN, 1, "66 3 A BOGUS"))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("CSYNC type");
    assertThatThrownBy(() -> CsyncRecord.parse(OWNER, DClass.IN, 1, "4294967296 3 A"))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("CSYNC serial");
    assertThatThrownBy(() -> CsyncRecord.parse(OWNER, DClass.IN, 1, "66"))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("CSYNC flags");
  }
}
