package io.github.zonecut.keystate;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.Codepoints.KeyStateTable;
import io.github.zonecut.keystate.KeyStateRequest.BootstrapRequest;
import io.github.zonecut.keystate.KeyStateRequest.Inquiry;
import io.github.zonecut.keystate.KeyStateRequest.Malformed;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The -03 receiver rule and the -02 requests (spec/specs.md §3.4, §9.4 KeyState rows). */
class KeyStateRequestTest {

  @Test
  void aWellFormedInquiryIsAnInquiryInBothTables() {
    byte[] payload = KeyStateOption.inquiry(34258).toPayload();
    assertThat(KeyStateRequest.read(payload, KeyStateTable.DRAFT_03)).isEqualTo(new Inquiry(34258));
    assertThat(KeyStateRequest.read(payload, KeyStateTable.DRAFT_02)).isEqualTo(new Inquiry(34258));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, 11, 99, 4, 128, 255})
  void a03ReceiverAnswersAnyOtherRequestCodeWithZeroAndTheKeyIdEchoed(int code) {
    KeyStateRequest request =
        KeyStateRequest.read(new KeyStateOption(4242, code, 0, "").toPayload(),
            KeyStateTable.DRAFT_03);
    assertThat(request).isInstanceOf(Malformed.class);
    KeyStateOption answer = ((Malformed) request).answer();
    assertThat(answer).isEqualTo(new KeyStateOption(4242, 0, 0, ""));
  }

  @Test
  void a03InquiryWithKeyDataIsMalformed() {
    KeyStateRequest r = KeyStateRequest.read(new KeyStateOption(9, 2, 1, "").toPayload(),
        KeyStateTable.DRAFT_03);
    assertThat(r).isInstanceOf(Malformed.class);
    assertThat(((Malformed) r).problem()).contains("KEY-DATA 1");
    assertThat(((Malformed) r).answer().keyId()).isEqualTo(9);
  }

  @Test
  void unparseablePayloadsEchoWhatKeyIdCanBeRead() {
    assertThat(KeyStateRequest.read(new byte[] {0x12, 0x34, 2}, KeyStateTable.DRAFT_03))
        .isInstanceOf(Malformed.class).extracting(KeyStateRequest::keyId).isEqualTo(0x1234);
    assertThat(KeyStateRequest.read(new byte[] {0x12}, KeyStateTable.DRAFT_03))
        .isInstanceOf(Malformed.class).extracting(KeyStateRequest::keyId).isEqualTo(0);
    assertThat(KeyStateRequest.read(null, KeyStateTable.DRAFT_03)).isInstanceOf(Malformed.class);
  }

  @Test
  void the02TableKeepsItsBootstrapRequests() {
    assertThat(KeyStateRequest.read(new KeyStateOption(7, 0, 0, "").toPayload(),
        KeyStateTable.DRAFT_02)).isEqualTo(new BootstrapRequest(7, false));
    assertThat(KeyStateRequest.read(new KeyStateOption(7, 1, 0, "").toPayload(),
        KeyStateTable.DRAFT_02)).isEqualTo(new BootstrapRequest(7, true));
    assertThat(KeyStateRequest.read(new KeyStateOption(7, 4, 0, "").toPayload(),
        KeyStateTable.DRAFT_02)).isInstanceOf(Malformed.class);
  }

  @Test
  void fromMessage() {
    Message m = Message.newQuery(
        Record.newRecord(Name.fromConstantString("child.parent."), Type.KEY, DClass.IN));
    assertThat(KeyStateRequest.of(m, Codepoints.DEFAULT)).isEmpty();
    m.addRecord(new OPTRecord(1232, 0, 0, 0,
        new GenericEDNSOption(Codepoints.DEFAULT.keyStateOptionCode(), new byte[] {0, 5})),
        Section.ADDITIONAL);
    assertThat(KeyStateRequest.of(m, Codepoints.DEFAULT)).get()
        .isEqualTo(new Malformed(5, "KeyState option at offset 2: payload is 2 octets, "
            + "at least 4 required"));
  }

  @Test
  void aDuplicatedOptionIsMalformedWithKeyIdZero() {
    Message m = Message.newQuery(
        Record.newRecord(Name.fromConstantString("child.parent."), Type.KEY, DClass.IN));
    m.addRecord(new OPTRecord(1232, 0, 0, 0,
        KeyStateOption.inquiry(1).toEdnsOption(Codepoints.DEFAULT),
        KeyStateOption.inquiry(1).toEdnsOption(Codepoints.DEFAULT)), Section.ADDITIONAL);
    assertThat(KeyStateRequest.of(m, Codepoints.DEFAULT)).get()
        .isInstanceOf(Malformed.class).extracting(KeyStateRequest::keyId).isEqualTo(0);
  }

  @Property(tries = 300)
  void hostileBytesNeverThrowAndOnlyCodeTwoWithZeroDataIsAnInquiry(@ForAll byte[] payload) {
    KeyStateRequest r = KeyStateRequest.read(payload, KeyStateTable.DRAFT_03);
    boolean valid;
    try {
      KeyStateOption o = KeyStateOption.parse(payload);
      valid = o.keyState() == 2 && o.keyData() == 0;
    } catch (io.github.zonecut.core.MalformedDataException e) {
      valid = false;
    }
    assertThat(r instanceof Inquiry).isEqualTo(valid);
  }
}
