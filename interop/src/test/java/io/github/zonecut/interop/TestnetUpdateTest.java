package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * TSIG DDNS into Knot's {@code parent.test.} and {@link Testnet#flush(String)}: what a parent-side
 * agent's backend does, checked through the validating resolver. Each test restores the zone.
 */
@ExtendWith(TestnetExtension.class)
class TestnetUpdateTest {

  private static final String PROBE = "flush-probe.parent.test.";

  private static int replaceTxt(Testnet net, @Nullable String text) throws IOException {
    Update update = new Update(Name.fromString("parent.test."));
    Name probe = Name.fromString(PROBE);
    update.delete(probe, Type.TXT);
    if (text != null) {
      update.add(new TXTRecord(probe, DClass.IN, 3600, text));
    }
    return net.update(net.parent(), update).getRcode();
  }

  private static String resolvedTxt(Testnet net) {
    Message m = net.query(PROBE, Type.TXT);
    assertThat(m.getHeader().getFlag(Flags.AD)).as("AD on " + PROBE).isTrue();
    return m.getSection(Section.ANSWER).stream()
        .filter(r -> r.getType() == Type.TXT)
        .map(r -> String.join("", ((TXTRecord) r).getStrings()))
        .findFirst()
        .orElse("(none)");
  }

  @Test
  void tsigUpdateIsSignedByKnotAndVisibleAfterAFlush(Testnet net) throws IOException {
    try {
      assertThat(replaceTxt(net, "v1")).isEqualTo(Rcode.NOERROR);
      assertThat(resolvedTxt(net)).isEqualTo("v1");

      assertThat(replaceTxt(net, "v2")).isEqualTo(Rcode.NOERROR);
      net.flush("parent.test.");

      // without the flush Unbound would still answer v1 from its cache (TTL capped at 5 s)
      assertThat(resolvedTxt(net)).isEqualTo("v2");
    } finally {
      replaceTxt(net, null);
      net.flush("parent.test.");
    }
  }

  @Test
  void updateWithoutTsigIsRefused(Testnet net) throws IOException {
    Update update = new Update(Name.fromString("parent.test."));
    update.add(new TXTRecord(Name.fromString(PROBE), DClass.IN, 60, "unsigned"));
    SimpleResolver parent = new SimpleResolver(net.parent());
    parent.setTCP(true);
    parent.setTimeout(Duration.ofSeconds(5));

    assertThat(parent.send(update).getRcode()).isIn(Rcode.NOTAUTH, Rcode.REFUSED);
  }

  /**
   * The bootstrap end state a parent agent produces (RFC 9615 / the DSYNC UPDATE draft): once the
   * DS of {@code new.parent.test.} is in the parent, its KEY validates. Put back afterwards.
   */
  @Test
  void dsInTheParentMakesTheNewChildSecure(Testnet net) throws IOException {
    Name child = Name.fromString("new.parent.test.");
    List<DSRecord> ds = net.childDs(child.toString());
    assertThat(ds).hasSize(1);
    Update add = new Update(Name.fromString("parent.test."));
    add.delete(child, Type.DS);
    add.add(ds.get(0));
    try {
      assertThat(net.update(net.parent(), add).getRcode()).isEqualTo(Rcode.NOERROR);
      net.flush(child.toString());

      TestnetResolutionTest.assertKeyAnswer(net.query(child.toString(), Type.KEY), true, net.sig0New());
    } finally {
      Update remove = new Update(Name.fromString("parent.test."));
      remove.delete(child, Type.DS);
      assertThat(net.update(net.parent(), remove).getRcode()).isEqualTo(Rcode.NOERROR);
      net.flush(child.toString());
    }
    TestnetResolutionTest.assertKeyAnswer(net.query(child.toString(), Type.KEY), false, net.sig0New());
  }
}
