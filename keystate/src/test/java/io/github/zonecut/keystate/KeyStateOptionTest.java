package io.github.zonecut.keystate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.MalformedDataException;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.DClass;

class KeyStateOptionTest {
  private static final HexFormat HEX = HexFormat.of();

  // spec/specs.md §3.3 vectors (option code 65002 = 0xfdea)
  private static final String INQUIRY_WIRE = "fdea000485d20200";
  private static final String RESPONSE_WIRE = "fdea0006109204006f6b";

  @Test
  void inquiryVectorEncodes() {
    GenericEDNSOption option = KeyStateOption.inquiry(34258).toEdnsOption(Codepoints.DEFAULT);
    assertThat(HEX.formatHex(option.toWire())).isEqualTo(INQUIRY_WIRE);
  }

  @Test
  void responseVectorRoundTrips() throws Exception {
    EDNSOption parsed = EDNSOption.fromWire(HEX.parseHex(RESPONSE_WIRE));
    KeyStateOption option = KeyStateOption.fromEdnsOption(parsed, Codepoints.DEFAULT);
    assertThat(option).isEqualTo(new KeyStateOption(4242, 4, 0, "ok"));
    assertThat(option.code(Codepoints.KeyStateTable.DRAFT_03)).contains(KeyStateCode.KEY_TRUSTED);
    assertThat(HEX.formatHex(option.toEdnsOption(Codepoints.DEFAULT).toWire()))
        .isEqualTo(RESPONSE_WIRE);
  }

  @Test
  void survivesAWholeMessageRoundTrip() throws Exception {
    Message query = Message.newQuery(
        Record.newRecord(Name.fromConstantString("child.parent.example."), Type.KEY, DClass.IN));
    query.getHeader().setFlag(Flags.RD);
    query.addRecord(new OPTRecord(1232, 0, 0, 0,
        new KeyStateOption(7, 9, 0, "auto bootstrap ongoing").toEdnsOption(Codepoints.DEFAULT)),
        org.xbill.DNS.Section.ADDITIONAL);
    Message back = new Message(query.toWire());
    assertThat(KeyStateOption.find(back, Codepoints.DEFAULT))
        .contains(new KeyStateOption(7, 9, 0, "auto bootstrap ongoing"));
  }

  @Test
  void findIsEmptyWithoutOptOrWithoutTheOption() throws Exception {
    Message bare = Message.newQuery(
        Record.newRecord(Name.fromConstantString("child.example."), Type.KEY, DClass.IN));
    assertThat(KeyStateOption.find(bare, Codepoints.DEFAULT)).isEmpty();
    bare.addRecord(new OPTRecord(1232, 0, 0, 0, new GenericEDNSOption(65001, new byte[] {1})),
        org.xbill.DNS.Section.ADDITIONAL);
    assertThat(KeyStateOption.find(bare, Codepoints.DEFAULT)).isEmpty();
  }

  @Test
  void aDuplicatedOptionIsMalformedNotGuessed() {
    Message m = Message.newQuery(
        Record.newRecord(Name.fromConstantString("child.example."), Type.KEY, DClass.IN));
    m.addRecord(new OPTRecord(1232, 0, 0, 0,
        KeyStateOption.inquiry(1).toEdnsOption(Codepoints.DEFAULT),
        KeyStateOption.inquiry(2).toEdnsOption(Codepoints.DEFAULT)),
        org.xbill.DNS.Section.ADDITIONAL);
    assertThatThrownBy(() -> KeyStateOption.find(m, Codepoints.DEFAULT))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("2 times");
  }

  @Test
  void theOptionCodeComesFromTheProfile() throws Exception {
    Codepoints other = Codepoints.builder().keyStateOptionCode(65010).build();
    GenericEDNSOption option = KeyStateOption.inquiry(5).toEdnsOption(other);
    assertThat(option.getCode()).isEqualTo(65010);
    assertThat(KeyStateOption.fromEdnsOption(option, other)).isEqualTo(KeyStateOption.inquiry(5));
    assertThatThrownBy(() -> KeyStateOption.fromEdnsOption(option, Codepoints.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65010");
  }

  @Test
  void payloadsShorterThanFourOctetsAreRejected() {
    for (int n = 0; n < 4; n++) {
      byte[] payload = new byte[n];
      assertThatThrownBy(() -> KeyStateOption.parse(payload))
          .isInstanceOf(MalformedDataException.class)
          .hasMessageContaining("at least 4");
    }
  }

  @Test
  void invalidUtf8TextIsRejected() {
    assertThatThrownBy(() -> KeyStateOption.parse(new byte[] {0, 1, 4, 0, (byte) 0xC3}))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("UTF-8")
        .extracting(e -> ((MalformedDataException) e).offset()).isEqualTo(4);
  }

  @Test
  void constructorChecksEveryField() {
    assertThatThrownBy(() -> new KeyStateOption(65536, 2, 0, ""))
        .hasMessageContaining("KEY-ID");
    assertThatThrownBy(() -> new KeyStateOption(-1, 2, 0, "")).hasMessageContaining("KEY-ID");
    assertThatThrownBy(() -> new KeyStateOption(1, 256, 0, ""))
        .hasMessageContaining("KEY-STATE");
    assertThatThrownBy(() -> new KeyStateOption(1, 2, -1, "")).hasMessageContaining("KEY-DATA");
    assertThatThrownBy(() -> new KeyStateOption(1, 2, 0, "\ud800"))
        .hasMessageContaining("surrogate");
    assertThatThrownBy(() -> new KeyStateOption(1, 2, 0, "x".repeat(65532)))
        .hasMessageContaining("too long");
    assertThat(new KeyStateOption(1, 2, 0, "x".repeat(65531)).toPayload()).hasSize(65535);
  }

  @Test
  void describeUsesTheTableMnemonic() {
    KeyStateOption zero = new KeyStateOption(3, 0, 0, "");
    assertThat(zero.describe(Codepoints.KeyStateTable.DRAFT_03))
        .contains("KEY_REQUEST_MALFORMED(0)");
    assertThat(zero.describe(Codepoints.KeyStateTable.DRAFT_02))
        .contains("REQUEST_AUTO_BOOTSTRAP(0)");
    assertThat(new KeyStateOption(3, 200, 0, "hi").describe(Codepoints.KeyStateTable.DRAFT_03))
        .contains("PRIVATE200(200)").contains("text=\"hi\"");
  }

  @Provide
  Arbitrary<KeyStateOption> options() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 0xFFFF),
            Arbitraries.integers().between(0, 0xFF),
            Arbitraries.integers().between(0, 0xFF),
            Arbitraries.strings().ofMaxLength(40).filter(s -> !hasLoneSurrogate(s)))
        .as(KeyStateOption::new);
  }

  @Property(tries = 200)
  void everyOptionRoundTripsThroughTheWire(@ForAll("options") KeyStateOption option)
      throws Exception {
    byte[] wire = option.toEdnsOption(Codepoints.DEFAULT).toWire();
    assertThat(((wire[2] & 0xFF) << 8) | (wire[3] & 0xFF))
        .as("OPTION-LENGTH = 4 + len(EXTRA-TEXT)").isEqualTo(wire.length - 4);
    assertThat(KeyStateOption.fromEdnsOption(EDNSOption.fromWire(wire), Codepoints.DEFAULT))
        .isEqualTo(option);
  }

  @Property(tries = 300)
  void hostileBytesEitherParseSymmetricallyOrAreMalformed(@ForAll byte[] payload) {
    KeyStateOption option;
    try {
      option = KeyStateOption.parse(payload);
    } catch (MalformedDataException e) {
      assertThat(e.field()).startsWith("KeyState");
      return;
    }
    assertThat(option.toPayload()).isEqualTo(payload);
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return true;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }
}
