package io.github.zonecut.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

class DelegationTest {
  private static final Name CHILD = n("child.example.");
  private static final DsData DS1 = new DsData(12345, 13, 2, digest(1));
  private static final DsData DS2 = new DsData(54321, 13, 2, digest(2));

  private static byte[] digest(int fill) {
    byte[] d = new byte[32];
    java.util.Arrays.fill(d, (byte) fill);
    return d;
  }

  private static Name n(String s) {
    return Name.fromConstantString(s);
  }

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s); // literals only: no lookup
  }

  @Test
  void glueForOutOfBailiwickNameServerIsRefused() {
    assertThatThrownBy(() -> Delegation.builder(CHILD)
        .glue(n("ns.notchild.example."), ip("192.0.2.1")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out-of-bailiwick")
        .hasMessageContaining("ns.notchild.example.");
  }

  @Test
  void glueOnlyForListedNameServers() {
    assertThatThrownBy(() -> new Delegation(CHILD, Set.of(n("ns1.child.example.")),
        Map.of(n("ns2.child.example."), Set.of(ip("192.0.2.1"))), Set.of(), 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a name server");
  }

  @Test
  void otherValidation() {
    assertThatThrownBy(() -> Delegation.builder(CHILD).build())
        .hasMessageContaining("no name server");
    assertThatThrownBy(() -> Delegation.builder(Name.root).nameservers(n("a.")).build())
        .hasMessageContaining("root");
    assertThatThrownBy(() -> Delegation.builder(CHILD).nameservers(n("a.")).nsTtl(-1).build())
        .hasMessageContaining("NS TTL");
    assertThatThrownBy(() -> Delegation.builder(CHILD).nameservers(n("rel")).build())
        .hasMessageContaining("absolute");
    assertThatThrownBy(() -> Delegation.builder(CHILD).glue(n("ns.child.example.")).build())
        .hasMessageContaining("empty glue");
  }

  @Test
  void namesCompareCaseInsensitively() throws Exception {
    Delegation a = Delegation.builder(CHILD).nameservers(n("NS1.Other.NET."))
        .glue(n("ns.child.example."), ip("192.0.2.1")).build();
    Delegation b = Delegation.builder(n("CHILD.example.")).nameservers(n("ns1.other.net."))
        .glue(n("NS.CHILD.EXAMPLE."), ip("192.0.2.1")).build();
    assertThat(a).isEqualTo(b);
    assertThat(a.diff(b).isEmpty()).isTrue();
  }

  @Test
  void diffOfATypicalChange() throws Exception {
    Delegation current = Delegation.builder(CHILD)
        .glue(n("ns1.child.example."), ip("192.0.2.1"))
        .glue(n("ns2.child.example."), ip("192.0.2.2"))
        .nameservers(n("ns.other.net."))
        .ds(DS1).build();
    Delegation desired = Delegation.builder(CHILD)
        .glue(n("ns1.child.example."), ip("192.0.2.1"), ip("2001:db8::1"))
        .nameservers(n("ns.other.net."), n("ns.third.org."))
        .ds(DS1, DS2).dsTtl(300).build();
    DelegationDelta d = current.diff(desired);
    assertThat(d.nsToAdd()).containsExactly(n("ns.third.org."));
    assertThat(d.nsToRemove()).containsExactly(n("ns2.child.example."));
    assertThat(d.glueToDelete()).containsExactly(n("ns2.child.example."));
    assertThat(d.glueToReplace()).containsOnlyKeys(n("ns1.child.example."));
    assertThat(d.glueToReplace().get(n("ns1.child.example.")))
        .containsExactlyInAnyOrder(ip("192.0.2.1"), ip("2001:db8::1"));
    assertThat(d.dsToAdd()).containsExactly(DS2);
    assertThat(d.dsToRemove()).isEmpty();
    assertThat(d.dsTtl()).hasValue(300);
    assertThat(d.nsTtl()).isEmpty();
    assertThat(d.applyTo(current)).isEqualTo(desired);
  }

  @Test
  void glueTtlChangeRewritesAllGlue() throws Exception {
    Delegation current = Delegation.builder(CHILD)
        .glue(n("ns1.child.example."), ip("192.0.2.1")).build();
    Delegation desired = Delegation.builder(CHILD)
        .glue(n("ns1.child.example."), ip("192.0.2.1")).glueTtl(60).build();
    DelegationDelta d = current.diff(desired);
    assertThat(d.glueTtl()).hasValue(60);
    assertThat(d.glueToReplace()).containsOnlyKeys(n("ns1.child.example."));
  }

  @Test
  void deltaRefusesAnotherChild() throws Exception {
    Delegation a = Delegation.builder(CHILD).nameservers(n("ns.other.net.")).build();
    Delegation b = Delegation.builder(n("other.example.")).nameservers(n("ns.other.net."))
        .build();
    assertThatThrownBy(() -> a.diff(b)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> a.diff(a).applyTo(b)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dsDataComparesDigestBytesAndMapsToDnsjava() {
    DsData x = new DsData(1, 8, 2, digest(0xAB));
    DsData y = new DsData(1, 8, 2, digest(0xAB));
    assertThat(x).isEqualTo(y).hasSameHashCodeAs(y);
    assertThat(x.toString()).isEqualTo("1 8 2 " + "AB".repeat(32));
    assertThat(new DsData(1, 8, 200, new byte[] {1}).toString()).isEqualTo("1 8 200 01");
    DSRecord r = x.toRecord(CHILD, 3600);
    assertThat(DsData.of(r)).isEqualTo(x);
    byte[] digest = x.digest();
    digest[0] = 0;
    assertThat(x.digest()[0]).isEqualTo((byte) 0xAB);
    assertThatThrownBy(() -> new DsData(70000, 8, 2, new byte[] {1}))
        .hasMessageContaining("key tag");
    assertThatThrownBy(() -> new DsData(1, 8, 2, new byte[0])).hasMessageContaining("empty");
    assertThatThrownBy(() -> new DsData(1, 8, 2, new byte[20])).hasMessageContaining("32-octet");
    assertThatThrownBy(() -> new DsData(1, 8, 4, new byte[32])).hasMessageContaining("48-octet");
  }

  @Test
  void fromReferralIgnoresSiblingGlueAndOtherData() throws Exception {
    Name sibling = n("ns.sibling.example.");
    List<Record> referral = List.of(
        new NSRecord(CHILD, DClass.IN, 172800, n("ns1.child.example.")),
        new NSRecord(CHILD, DClass.IN, 86400, sibling),
        new NSRecord(n("other.example."), DClass.IN, 86400, n("ns.other.example.")),
        new ARecord(n("ns1.child.example."), DClass.IN, 3600, ip("192.0.2.1")),
        new AAAARecord(n("ns1.child.example."), DClass.IN, 7200, ip("2001:db8::1")),
        new ARecord(sibling, DClass.IN, 3600, ip("192.0.2.9")),
        DS1.toRecord(CHILD, 600),
        new TXTRecord(CHILD, DClass.IN, 1, "not delegation data"));
    Delegation d = Delegation.fromRecords(CHILD, referral);
    assertThat(d.nameservers()).containsExactly(n("ns1.child.example."), sibling);
    assertThat(d.glue()).containsOnlyKeys(n("ns1.child.example."));
    assertThat(d.ds()).containsExactly(DS1);
    assertThat(d.nsTtl()).isEqualTo(86400);
    assertThat(d.glueTtl()).isEqualTo(3600);
    assertThat(d.dsTtl()).isEqualTo(600);
    assertThatThrownBy(() -> Delegation.fromRecords(CHILD, List.of()))
        .hasMessageContaining("no name server");
  }

  @Test
  void toRecordsInStableOrder() throws Exception {
    Delegation d = Delegation.builder(CHILD)
        .glue(n("ns1.child.example."), ip("2001:db8::1"), ip("192.0.2.1"))
        .nameservers(n("a.other.net."))
        .ds(DS1).build();
    assertThat(d.toRecords()).extracting(r -> r.getType() + " " + r.getName() + " "
        + r.rdataToString()).containsExactly(
            "2 child.example. ns1.child.example.",
            "2 child.example. a.other.net.",
            "43 child.example. " + DS1.toRecord(CHILD, 1).rdataToString(),
            "1 ns1.child.example. 192.0.2.1",
            "28 ns1.child.example. 2001:db8:0:0:0:0:0:1");
  }

  /** AAAA ::ffff:192.0.2.1, as a parent's referral carries it. */
  private static AAAARecord mappedAaaa(Name host) throws Exception {
    byte[] rdata = new byte[16];
    rdata[10] = (byte) 0xff;
    rdata[11] = (byte) 0xff;
    System.arraycopy(new byte[] {(byte) 192, 0, 2, 1}, 0, rdata, 12, 4);
    return (AAAARecord) Record.newRecord(host, org.xbill.DNS.Type.AAAA, DClass.IN, 3600, rdata);
  }

  @Test
  void ipv4MappedAaaaGlueStaysAaaa() throws Exception {
    Name ns1 = n("ns1.child.example.");
    List<Record> records = List.of(new NSRecord(CHILD, DClass.IN, 3600, ns1), mappedAaaa(ns1));
    Delegation mapped = Delegation.fromRecords(CHILD, records);

    assertThat(mapped.glue().get(ns1)).singleElement()
        .isInstanceOf(java.net.Inet6Address.class);
    List<Record> back = mapped.toRecords();
    assertThat(back).filteredOn(r -> r.getName().equals(ns1)).singleElement()
        .satisfies(r -> {
          assertThat(r).isInstanceOf(AAAARecord.class);
          assertThat(r.rdataToWireCanonical()).isEqualTo(mappedAaaa(ns1).rdataToWireCanonical());
        });
    assertThat(Delegation.fromRecords(CHILD, back)).isEqualTo(mapped);

    // A 192.0.2.1 and AAAA ::ffff:192.0.2.1 are different glue: the diff must replace it
    Delegation plainA = Delegation.builder(CHILD).glue(ns1, ip("192.0.2.1")).build();
    DelegationDelta delta = plainA.diff(mapped);
    assertThat(delta.isEmpty()).isFalse();
    assertThat(delta.glueToReplace().get(ns1)).singleElement()
        .isInstanceOf(java.net.Inet6Address.class);
    assertThat(delta.applyTo(plainA)).isEqualTo(mapped);
    assertThat(mapped.diff(plainA).glueToReplace().get(ns1)).singleElement()
        .isInstanceOf(java.net.Inet4Address.class);
    // both at once are two glue records, one of each type
    Delegation both = Delegation.fromRecords(CHILD, List.of(records.get(0), mappedAaaa(ns1),
        new ARecord(ns1, DClass.IN, 3600, ip("192.0.2.1"))));
    assertThat(both.glue().get(ns1)).hasSize(2);
    assertThat(both.toRecords()).extracting(Record::getType)
        .contains(org.xbill.DNS.Type.A, org.xbill.DNS.Type.AAAA);
  }
}
