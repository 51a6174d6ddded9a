package io.github.zonecut.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** The core README section's example, kept compiling and true. */
class ReadmeExampleTest {

  @Test
  void readmeExample() throws Exception {
    // --- README example start
    ZonecutTypes.register(); // once, before dnsjava parses anything (its type registry is global)

    // RFC 9859 §4.1: where a child looks for its parent's DSYNC endpoint
    Name child = Name.fromString("child.example.");
    Name lookup = Names.dsyncLookupName(child); // child._dsync.example.

    // strict codecs: MalformedDataException names the field and the offset
    DsyncRecord dsync = DsyncRecord.parse(lookup, DClass.IN, 3600,
        "CDS NOTIFY 5359 scanner.example.");
    byte[] rdata = dsync.rdataToWireCanonical();
    DsyncRecord again = DsyncRecord.fromRdata(lookup, DClass.IN, 3600, rdata);

    // dnsjava's Message now yields DsyncRecord too
    Message response = new Message();
    response.addRecord(dsync, Section.ANSWER);
    Record answer = new Message(response.toWire()).getSection(Section.ANSWER).get(0);

    // the delegation the parent has, the one the child wants, and what to change
    Delegation current = Delegation.builder(child)
        .glue(Name.fromString("ns1.child.example."), InetAddress.getByName("192.0.2.1"))
        .nameservers(Name.fromString("ns.provider.net."))
        .build();
    Delegation desired = Delegation.builder(child)
        .glue(Name.fromString("ns1.child.example."), InetAddress.getByName("192.0.2.1"),
            InetAddress.getByName("2001:db8::1"))
        .nameservers(Name.fromString("ns.other-provider.net."))
        .build();
    DelegationDelta delta = current.diff(desired);
    // delta.nsToAdd() = [ns.other-provider.net.], delta.nsToRemove() = [ns.provider.net.],
    // delta.glueToReplace() = {ns1.child.example.=[192.0.2.1, 2001:db8::1]}
    // --- README example end

    assertThat(lookup).isEqualTo(Name.fromString("child._dsync.example."));
    assertThat(again).isEqualTo(dsync);
    assertThat(answer).isInstanceOf(DsyncRecord.class);
    assertThat(delta.nsToAdd()).containsExactly(Name.fromString("ns.other-provider.net."));
    assertThat(delta.nsToRemove()).containsExactly(Name.fromString("ns.provider.net."));
    assertThat(delta.glueToReplace()).containsOnlyKeys(Name.fromString("ns1.child.example."));
    assertThat(delta.applyTo(current)).isEqualTo(desired);
  }
}
