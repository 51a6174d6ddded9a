package io.github.zonecut.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

class WireQuestionTest {

  @Property(tries = 300)
  void hostileBytesNeverThrow(@ForAll @Size(max = 64) byte[] wire) {
    WireQuestion.read(wire);
  }

  @Property(tries = 200)
  void truncatedQueriesAreUnreadableNotExceptions(@ForAll @Size(max = 40) byte[] junk) {
    byte[] header = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
    byte[] wire = new byte[header.length + junk.length];
    System.arraycopy(header, 0, wire, 0, header.length);
    System.arraycopy(junk, 0, wire, header.length, junk.length);
    WireQuestion q = WireQuestion.read(wire);
    if (q != null) {
      assertThat(q.id()).isEqualTo(1);
    }
  }

  @Test
  void readsIdAndQuestion() throws Exception {
    Message m = Message.newQuery(Record.newRecord(Name.fromString("a.example."), Type.DS,
        DClass.IN));
    m.getHeader().setID(0xBEEF);

    WireQuestion q = WireQuestion.read(m.toWire());

    assertThat(q).isNotNull();
    assertThat(q.id()).isEqualTo(0xBEEF);
    assertThat(q.response()).isFalse();
    assertThat(q.name()).isEqualTo(Name.fromString("A.EXAMPLE."));
    assertThat(q.type()).isEqualTo(Type.DS);
    assertThat(q.dclass()).isEqualTo(DClass.IN);
  }

  @Test
  void withIdChangesOnlyTheFirstTwoOctets() throws Exception {
    byte[] wire = Message.newQuery(Record.newRecord(Name.fromString("a.example."), Type.A,
        DClass.IN)).toWire();

    byte[] changed = WireQuestion.withId(wire, 0x1234);

    assertThat(changed[0]).isEqualTo((byte) 0x12);
    assertThat(changed[1]).isEqualTo((byte) 0x34);
    assertThat(java.util.Arrays.copyOfRange(changed, 2, changed.length))
        .isEqualTo(java.util.Arrays.copyOfRange(wire, 2, wire.length));
  }
}
