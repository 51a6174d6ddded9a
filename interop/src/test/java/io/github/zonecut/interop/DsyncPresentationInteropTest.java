package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.DsyncRecord;
import io.github.zonecut.core.DsyncScheme;
import io.github.zonecut.core.MalformedDataException;
import io.github.zonecut.core.ZonecutTypes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * zonecut's DSYNC record (RFC 9859) against BIND's: the records Knot serves in RFC 3597 form,
 * decoded by zonecut, are the ones {@code dig} 9.18 prints; and a record zonecut encodes, stored by
 * Knot, is printed by {@code dig} as intended.
 *
 * <p>The one difference is deliberate: dig 9.18 knows a mnemonic only for scheme 1 ({@code NOTIFY})
 * and prints the UPDATE scheme as its number ({@code ANY 2 5320 …}); zonecut prints the mnemonic of
 * its {@link Codepoints} profile ({@code ANY UPDATE 5320 …}). Both parse to the same record, which
 * is what is compared; the text is compared after replacing the mnemonic by its number.
 */
@ExtendWith(TestnetExtension.class)
class DsyncPresentationInteropTest {

  @BeforeAll
  static void registerTypes() {
    ZonecutTypes.register();
  }

  private static List<DsyncRecord> served(Testnet net, String owner) throws MalformedDataException {
    Message m = net.query(owner, DsyncRecord.TYPE);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    List<DsyncRecord> records = new ArrayList<>();
    for (Record r : TestnetResolutionTest.answers(m, DsyncRecord.TYPE)) {
      records.add(DsyncRecord.from(r, Codepoints.DEFAULT));
    }
    return records;
  }

  /** zonecut's presentation with the UPDATE mnemonic replaced by its number, as dig 9.18 prints it. */
  private static String asDigPrints(DsyncRecord r) {
    String scheme = r.getScheme().equals(DsyncScheme.NOTIFY)
        ? "NOTIFY" : Integer.toString(r.getScheme().value());
    return Type.string(r.getRRType()) + " " + scheme + " " + r.getPort() + " " + r.getTarget();
  }

  @Test
  void zonecutDecodesWhatDigPrints(Testnet net) throws MalformedDataException {
    List<DsyncRecord> decoded = served(net, "_dsync.parent.test.");
    List<String> dig = net.dig("+short", "_dsync.parent.test.", "DSYNC").stdoutLines();

    assertThat(decoded).extracting(DsyncPresentationInteropTest::asDigPrints)
        .containsExactlyInAnyOrderElementsOf(dig);
    List<DsyncRecord> parsedFromDig = new ArrayList<>();
    for (String line : dig) {
      parsedFromDig.add(DsyncRecord.parse(Name.fromConstantString("_dsync.parent.test."), DClass.IN,
          60, line));
    }
    assertThat(parsedFromDig).containsExactlyInAnyOrderElementsOf(decoded);
  }

  @Test
  void zonecutPrintsTheUpdateSchemeAsItsMnemonic(Testnet net) throws MalformedDataException {
    int port = net.parent().getPort();

    assertThat(served(net, "_dsync.parent.test.")).extracting(Record::rdataToString)
        .containsExactlyInAnyOrder(
            "CDS NOTIFY " + port + " ns1.parent.test.",
            "CSYNC NOTIFY " + port + " ns1.parent.test.",
            "ANY UPDATE " + port + " ns1.parent.test.");
  }

  @Test
  void aDsyncRecordEncodedByZonecutIsPrintedByDigAsIntended(Testnet net) throws Exception {
    // a child-specific owner no test child uses, so discovery for the test children is unaffected
    Name owner = Name.fromConstantString("probe._dsync.parent.test.");
    DsyncRecord mine = DsyncRecord.of(owner, 60, Type.CSYNC, DsyncScheme.update(Codepoints.DEFAULT),
        5399, Name.fromConstantString("ns9.Parent.test."));
    Update add = new Update(Name.fromConstantString("parent.test."));
    add.add(mine);
    try {
      assertThat(net.update(net.parent(), add).getRcode()).isEqualTo(Rcode.NOERROR);
      net.flush(owner.toString());

      assertThat(net.dig("+short", owner.toString(), "DSYNC").stdoutLines())
          .containsExactly("CSYNC 2 5399 ns9.Parent.test.");
      assertThat(served(net, owner.toString())).containsExactly(mine);
    } finally {
      Update remove = new Update(Name.fromConstantString("parent.test."));
      remove.delete(owner, DsyncRecord.TYPE);
      net.update(net.parent(), remove);
      net.flush(owner.toString());
    }
  }
}
