package io.github.zonecut.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/** The README's examples, verbatim, so they keep compiling and passing. */
class ReadmeExampleTest {

  // --- README: standalone ---
  @Test
  void standalone() throws Exception {
    try (TestHierarchy dns =
        TestHierarchy.builder()
            .zone("test.") // the private trust anchor
            .zone("example.test.", z -> z
                .algorithm(SigningAlgorithm.ED25519)
                .records("www 300 IN A 192.0.2.1"))
            .zone("legacy.test.", z -> z.parentDs(ParentDs.ABSENT).records("www A 192.0.2.2"))
            .start()) {
      ValidatingResolver validator = dns.newValidatingResolver();

      Message secure = validator.send(query("www.example.test.", Type.A));
      assertThat(secure.getHeader().getFlag(Flags.AD)).isTrue(); // SECURE

      Message insecure = validator.send(query("www.legacy.test.", Type.A));
      assertThat(insecure.getHeader().getFlag(Flags.AD)).isFalse(); // INSECURE: no DS

      dns.zone("example.test.").setParentDs(ParentDs.WRONG);
      Message bogus = dns.newValidatingResolver().send(query("www.example.test.", Type.A));
      assertThat(bogus.getRcode()).isEqualTo(Rcode.SERVFAIL); // BOGUS
    }
  }

  // --- README: JUnit 5 ---
  @RegisterExtension
  static final TestHierarchyExtension DNS =
      TestHierarchyExtension.of(b -> b
          .zone("test.", z -> z.nameservers("ns1.test.", "ns2.test."))
          .zone("example.test.", z -> z.records("www A 192.0.2.1")));

  @Test
  void faultsAndEdits() throws Exception {
    TestHierarchy dns = DNS.get();
    Endpoint ns2 = dns.nameserver("ns2.test.");

    ns2.setFault(Fault.silence());
    SimpleResolver toNs2 = ns2.resolver();
    toNs2.setTimeout(Duration.ofMillis(500));
    assertThatThrownBy(() -> toNs2.send(query("test.", Type.SOA))).isInstanceOf(IOException.class);
    ns2.clearFault();

    dns.zone("example.test.").add("mail A 192.0.2.25"); // re-signed atomically
    Message m = dns.newValidatingResolver().send(query("mail.example.test.", Type.A));
    assertThat(m.getHeader().getFlag(Flags.AD)).isTrue();
  }

  static Message query(String name, int type) throws IOException {
    return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
  }
}
