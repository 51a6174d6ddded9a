package io.github.zonecut.core;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

class DsyncRecordTest {
  private static final Name OWNER = Name.fromConstantString("_dsync.example.");

  // specs.md §1.6 (generated from the RFC 9859 §2.1 layout)
  private static final String CDS_TEXT = "CDS NOTIFY 5359 cds-scanner.example.net.";
  private static final String CDS_WIRE =
      "003b0114ef0b6364732d7363616e6e6572076578616d706c65036e657400";
  private static final String CSYNC_TEXT = "CSYNC NOTIFY 5360 csync-scanner.example.net.";
  private static final String CSYNC_WIRE =
      "003e0114f00d6373796e632d7363616e6e6572076578616d706c65036e657400";
  private static final String UPDATE_TEXT = "ANY UPDATE 5302 ddns-receiver.parent.";
  private static final String UPDATE_WIRE =
      "00ff0214b60d64646e732d726563656976657206706172656e7400";

  @BeforeAll
  static void register() {
    ZonecutTypes.register();
  }

  @Test
  void rfc9859Section23ExamplesMatchTheWireVectorsBothWays() throws Exception {
    String[][] vectors = {{CDS_TEXT, CDS_WIRE}, {CSYNC_TEXT, CSYNC_WIRE},
        {UPDATE_TEXT, UPDATE_WIRE}};
    for (String[] v : vectors) {
      DsyncRecord parsed = DsyncRecord.parse(OWNER, DClass.IN, 300, v[0]);
      assertThat(Hex.hex(parsed.rdataToWireCanonical())).as(v[0]).isEqualTo(v[1]);
      DsyncRecord decoded = DsyncRecord.fromRdata(OWNER, DClass.IN, 300, Hex.bytes(v[1]));
      assertThat(decoded.rdataToString()).isEqualTo(v[0]);
      assertThat(decoded).isEqualTo(parsed);
    }
  }

  @Test
  void fieldsOfTheCdsExample() throws Exception {
    DsyncRecord r = DsyncRecord.fromRdata(OWNER, DClass.IN, 300, Hex.bytes(CDS_WIRE));
    assertThat(r.getType()).isEqualTo(66);
    assertThat(r.getRRType()).isEqualTo(Type.CDS);
    assertThat(r.getScheme()).isEqualTo(DsyncScheme.NOTIFY);
    assertThat(r.getPort()).isEqualTo(5359);
    assertThat(r.getTarget()).isEqualTo(Name.fromConstantString("cds-scanner.example.net."));
    assertThat(r.isIgnored()).isFalse();
  }

  @Test
  void ddnsExamplesParseThroughDnsjavaText() throws Exception {
    // draft-ietf-dnsop-delegation-mgmt-via-ddns-02 §5 (specs.md §2.2)
    String[] lines = {
      "_dsync.parent. IN DSYNC ANY UPDATE 5302 ddns-receiver.parent.",
      "childA._dsync.parent. IN DSYNC ANY UPDATE 5302 ddns-receiver.registrar1.",
      "childB._dsync.parent. IN DSYNC ANY UPDATE 5302 ddns-receiver.registrar3.",
    };
    for (String line : lines) {
      String[] f = line.split(" ", 4);
      Record r = Record.fromString(Name.fromString(f[0]), Type.value(f[2]), DClass.IN, 3600,
          f[3], Name.root);
      assertThat(r).isInstanceOf(DsyncRecord.class);
      DsyncRecord d = (DsyncRecord) r;
      assertThat(d.getRRType()).isEqualTo(Type.ANY);
      assertThat(d.getScheme()).isEqualTo(DsyncScheme.update(Codepoints.DEFAULT));
      assertThat(d.getPort()).isEqualTo(5302);
      assertThat(d.rdataToString()).isEqualTo(f[3]);
    }
  }

  @Test
  void bindAnswerParsesToTheRecordDigShows() throws Exception {
    Message m = new Message(Hex.resource("/vectors/dsync-response-named.hex"));
    Record answer = m.getSection(Section.ANSWER).get(0);
    assertThat(answer).isInstanceOf(DsyncRecord.class);
    assertThat(Type.string(answer.getType()) + " " + answer.rdataToString())
        .isEqualTo("DSYNC CDS NOTIFY 5359 ns1.parent.test.");
    assertThat(answer.rdataToString()).isEqualTo("CDS NOTIFY 5359 ns1.parent.test.");
    assertThat(answer.getName()).isEqualTo(Name.fromConstantString("_dsync.parent.test."));
    assertThat(answer.getTTL()).isEqualTo(300);
    // and the message round-trips through dnsjava's renderer to a record equal to the original
    Message again = new Message(m.toWire());
    assertThat(again.getSection(Section.ANSWER).get(0)).isEqualTo(answer);
  }

  @Test
  void compressedTargetIsRefusedByTheStrictCodec() {
    byte[] rdata = Hex.bytes("003b0114ef" + "c00c");
    assertThatThrownBy(() -> DsyncRecord.fromRdata(OWNER, DClass.IN, 300, rdata))
        .isInstanceOfSatisfying(MalformedDataException.class, e -> {
          assertThat(e.field()).isEqualTo("DSYNC target");
          assertThat(e.offset()).isEqualTo(5);
          assertThat(e.getMessage()).contains("compress");
        });
  }

  @Test
  void compressedTargetInAMessageIsRefusedWithDnsjavasExceptionType() {
    // BIND's answer with the target replaced by a pointer to the owner name at offset 12
    String msg = "123484000001000100000000065f6473796e6306706172656e74047465737400004200"
        + "01c00c004200010000012c0007003b0114efc00c";
    assertThatThrownBy(() -> new Message(Hex.bytes(msg)))
        .isInstanceOf(WireParseException.class)
        .hasCauseInstanceOf(MalformedDataException.class)
        .hasMessageContaining("DSYNC target");
  }

  @Test
  void everyTruncationAndATrailingOctetAreMalformed() throws Exception {
    byte[] full = Hex.bytes(CDS_WIRE);
    for (int len = 0; len < full.length; len++) {
      byte[] cut = Arrays.copyOf(full, len);
      assertThatThrownBy(() -> DsyncRecord.fromRdata(OWNER, DClass.IN, 300, cut))
          .as("length %d", len)
          .isInstanceOf(MalformedDataException.class)
          .hasMessageContaining("truncated");
    }
    byte[] longer = Arrays.copyOf(full, full.length + 1);
    assertThatThrownBy(() -> DsyncRecord.fromRdata(OWNER, DClass.IN, 300, longer))
        .isInstanceOfSatisfying(MalformedDataException.class,
            e -> assertThat(e.offset()).isEqualTo(full.length))
        .hasMessageContaining("trailing");
  }

  @Test
  void targetCaseSurvivesCanonicalForm() throws Exception {
    DsyncRecord mixed = DsyncRecord.parse(OWNER, DClass.IN, 300, "CDS 1 5359 NS1.Parent.Test.");
    DsyncRecord lower = DsyncRecord.parse(OWNER, DClass.IN, 300, "CDS 1 5359 ns1.parent.test.");
    assertThat(new String(mixed.rdataToWireCanonical(), US_ASCII))
        .contains("Parent");
    // RFC 3597 §7: the RDATA differs, so the records (and their DNSSEC canonical forms) differ
    assertThat(mixed).isNotEqualTo(lower);
    assertThat(mixed.getTarget()).isEqualTo(lower.getTarget());
  }

  @Test
  void schemesFollowTheProfile() throws Exception {
    Codepoints custom = Codepoints.builder().dsyncSchemeUpdate(200).build();
    DsyncRecord r = DsyncRecord.parse(OWNER, DClass.IN, 300, "ANY UPDATE 5302 r.parent.", custom);
    assertThat(r.getScheme().value()).isEqualTo(200);
    assertThat(r.rdataToString()).isEqualTo("ANY UPDATE 5302 r.parent.");
    DsyncRecord two = DsyncRecord.parse(OWNER, DClass.IN, 300, "ANY 2 5302 r.parent.", custom);
    assertThat(two.rdataToString()).isEqualTo("ANY 2 5302 r.parent.");
    DsyncRecord unknown = DsyncRecord.parse(OWNER, DClass.IN, 300, "CDS 77 1 r.parent.");
    assertThat(unknown.rdataToString()).isEqualTo("CDS 77 1 r.parent.");
    assertThat(DsyncRecord.parse(OWNER, DClass.IN, 300, "cds notify 1 r.parent.").getScheme())
        .isEqualTo(DsyncScheme.NOTIFY);
    assertThat(DsyncRecord.parse(OWNER, DClass.IN, 300, "TYPE59 1 1 r.parent.").getRRType())
        .isEqualTo(Type.CDS);
  }

  @Test
  void ignoredRecordsAreRecognised() {
    Name t = Name.fromConstantString("t.example.");
    assertThat(DsyncRecord.of(OWNER, 1, Type.CDS, DsyncScheme.NULL, 53, t).isIgnored()).isTrue();
    assertThat(DsyncRecord.of(OWNER, 1, Type.CDS, DsyncScheme.NOTIFY, 0, t).isIgnored()).isTrue();
  }

  @Test
  void badTextNamesTheField() {
    assertMalformedText("CDS NOTIFY 5359 relative.target", "DSYNC target", "relative");
    assertMalformedText("NOSUCHTYPE NOTIFY 5359 t.", "DSYNC RRtype", "unknown");
    assertMalformedText("CDS NOTIFY 65536 t.", "DSYNC port", "out of range");
    assertMalformedText("CDS NOTIFY -1 t.", "DSYNC port", "unsigned");
    assertMalformedText("CDS BOGUS 1 t.", "DSYNC scheme", "mnemonic");
    assertMalformedText("CDS 256 1 t.", "DSYNC scheme", "out of range");
    assertMalformedText("CDS NOTIFY 1", "DSYNC target", "missing");
    assertMalformedText("CDS NOTIFY 1 t. extra", "DSYNC text", "trailing");
    assertMalformedText("CDS NOTIFY 1 a..b.", "DSYNC target", "bad name");
  }

  private static void assertMalformedText(String text, String field, String problem) {
    assertThatThrownBy(() -> DsyncRecord.parse(OWNER, DClass.IN, 300, text))
        .as(text)
        .isInstanceOfSatisfying(MalformedDataException.class, e -> {
          assertThat(e.field()).isEqualTo(field);
          assertThat(e.offset()).isEqualTo(-1);
        })
        .hasMessageContaining(problem);
  }

  @Test
  void dnsjavaTextHookRaisesTextParseExceptionWithTheCause() {
    assertThatThrownBy(() -> Record.fromString(OWNER, DsyncRecord.TYPE, DClass.IN, 300,
        "CDS NOTIFY 99999 t.", Name.root))
        .isInstanceOf(TextParseException.class)
        .hasCauseInstanceOf(MalformedDataException.class)
        .hasMessageContaining("DSYNC port");
  }

  @Test
  void dnsjavaTextHookCompletesRelativeNamesWithTheZoneOrigin() throws IOException {
    Record r = Record.fromString(OWNER, DsyncRecord.TYPE, DClass.IN, 300, "CDS NOTIFY 53 scanner",
        Name.fromConstantString("example."));
    assertThat(((DsyncRecord) r).getTarget())
        .isEqualTo(Name.fromConstantString("scanner.example."));
  }

  @Test
  void fromAcceptsOnlyType66() throws Exception {
    DsyncRecord d = DsyncRecord.parse(OWNER, DClass.IN, 300, CDS_TEXT);
    assertThat(DsyncRecord.from(d, Codepoints.DEFAULT)).isSameAs(d);
    Record mx = new MXRecord(OWNER, DClass.IN, 300, 10, Name.fromConstantString("mx.example."));
    assertThatThrownBy(() -> DsyncRecord.from(mx, Codepoints.DEFAULT))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("type 15");
  }

  @Test
  void constructorRefusesRelativeNamesAndOutOfRangeNumbers() {
    Name t = Name.fromConstantString("t.example.");
    assertThatThrownBy(() -> DsyncRecord.of(OWNER, 1, 70000, DsyncScheme.NOTIFY, 1, t))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RRtype");
    assertThatThrownBy(() -> DsyncRecord.of(OWNER, 1, 59, DsyncScheme.NOTIFY, -1, t))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port");
    assertThatThrownBy(() -> DsyncRecord.of(OWNER, 1, 59, DsyncScheme.NOTIFY, 1,
        Name.fromConstantString("relative")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
    assertThatThrownBy(() -> DsyncScheme.valueOf(256)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void schemeValueType() throws Exception {
    assertThat(DsyncScheme.valueOf(1)).isSameAs(DsyncScheme.NOTIFY);
    assertThat(DsyncScheme.valueOf(130).isPrivateUse()).isTrue();
    assertThat(DsyncScheme.valueOf(127).isPrivateUse()).isFalse();
    assertThat(DsyncScheme.valueOf(0).isNull()).isTrue();
    assertThat(DsyncScheme.valueOf(3).toString()).isEqualTo("SCANNER");
    assertThat(DsyncScheme.parse("scanner", Codepoints.DEFAULT).value()).isEqualTo(3);
    assertThat(DsyncScheme.valueOf(99).mnemonic(Codepoints.DEFAULT)).isEmpty();
    assertThatThrownBy(() -> DsyncScheme.parse("", Codepoints.DEFAULT))
        .isInstanceOf(MalformedDataException.class);
    assertThatThrownBy(() -> DsyncScheme.parse("1000", Codepoints.DEFAULT))
        .isInstanceOf(MalformedDataException.class);
  }

  @Test
  void withNameKeepsTheClassAndData() throws Exception {
    DsyncRecord r = DsyncRecord.parse(OWNER, DClass.IN, 300, CDS_TEXT);
    Record moved = r.withName(Name.fromConstantString("child._dsync.example."));
    assertThat(moved).isInstanceOf(DsyncRecord.class);
    assertThat(moved.rdataToString()).isEqualTo(CDS_TEXT);
    assertThat(r.getName()).isEqualTo(OWNER);
  }

  @Test
  void zoneFileWithOriginParenthesesAndComments() throws Exception {
    String zone = "$ORIGIN parent.example.\n$TTL 300\n"
        + "_dsync IN DSYNC CDS NOTIFY 5359 scanner ; relative target\n"
        + "*._dsync IN DSYNC ( CSYNC 1\n 5360 scanner.example.net. )\n";
    try (Master master = new Master(new ByteArrayInputStream(zone.getBytes(US_ASCII)))) {
      DsyncRecord first = (DsyncRecord) master.nextRecord();
      DsyncRecord second = (DsyncRecord) master.nextRecord();
      assertThat(first.rdataToString()).isEqualTo("CDS NOTIFY 5359 scanner.parent.example.");
      assertThat(second.getName().toString()).isEqualTo("*._dsync.parent.example.");
      assertThat(second.rdataToString()).isEqualTo("CSYNC NOTIFY 5360 scanner.example.net.");
      assertThat(master.nextRecord()).isNull();
    }
  }
}
