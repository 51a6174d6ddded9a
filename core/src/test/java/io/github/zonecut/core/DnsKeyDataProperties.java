package io.github.zonecut.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/** {@link DnsKeyData} round-trips through dnsjava's records and agrees with dnsjava's DNSSEC. */
class DnsKeyDataProperties {

  private static final Name ZONE = Name.fromConstantString("Example.COM.");

  @Property(tries = 200)
  void roundTripsThroughDnskeyAndKeyRecords(
      @ForAll @IntRange(min = 0, max = 0xFFFF) int flags,
      @ForAll @IntRange(min = 0, max = 255) int protocol,
      @ForAll @IntRange(min = 0, max = 255) int algorithm,
      @ForAll @Size(min = 1, max = 300) byte[] publicKey) {
    DnsKeyData k = DnsKeyData.of(flags, protocol, algorithm, publicKey);

    DNSKEYRecord dnskey = k.toDnskey(ZONE, 3600);
    KEYRecord key = k.toKey(ZONE, 60);

    assertThat(DnsKeyData.of(dnskey)).isEqualTo(k).hasSameHashCodeAs(k);
    assertThat(DnsKeyData.of(key)).isEqualTo(k);
    assertThat(k.keyTag()).isEqualTo(dnskey.getFootprint()).isEqualTo(key.getFootprint());
    assertThat(k.rdata()).isEqualTo(dnskey.rdataToWireCanonical());
    assertThat(k.rdataText()).isEqualTo(dnskey.rdataToString());
    assertThat(k.isSep()).isEqualTo((flags & DNSKEYRecord.Flags.SEP_KEY) != 0);
    assertThat(k.isZoneKey()).isEqualTo((flags & DNSKEYRecord.Flags.ZONE_KEY) != 0);
    assertThat(k.compareTo(DnsKeyData.of(dnskey))).isZero();
  }

  @Property(tries = 200)
  void dsComputeAgreesWithDnsjava(
      @ForAll @Size(min = 1, max = 300) byte[] publicKey,
      @ForAll @IntRange(min = 0, max = 1) int sep,
      @ForAll @IntRange(min = 5, max = 16) int algorithm) {
    DnsKeyData k = DnsKeyData.of(256 | sep, algorithm, publicKey);
    DNSKEYRecord ref = k.toDnskey(ZONE, 3600);
    for (int type : new int[] {DsData.SHA1, DsData.SHA256, DsData.SHA384}) {
      DSRecord expected = new DSRecord(ZONE, DClass.IN, 3600, type, ref); // dnsjava DNSSEC digest
      // twice: the second answer comes from the key's memo and must be the same
      for (int i = 0; i < 2; i++) {
        DsData ours = DsData.compute(ZONE, k, type);
        assertThat(ours).isEqualTo(DsData.of(expected));
        assertThat(ours.matches(ZONE, k)).isTrue();
        assertThat(ours.matches(ZONE, ref)).isTrue();
        assertThat(ours.toRecord(ZONE, 3600).rdataToString()).isEqualTo(expected.rdataToString());
      }
      assertThat(DsData.compute(Name.fromConstantString("other."), k, type).matches(ZONE, k))
          .isFalse();
    }
  }

  @Test
  void identityIsTheKeyNotTheTagAndFieldsAreChecked() throws Exception {
    byte[] pk = {1, 2, 3, 4, 5};
    DnsKeyData a = DnsKeyData.of(257, 13, pk);
    pk[0] = 9;
    assertThat(a.publicKey()[0]).isEqualTo((byte) 1); // defensive copy in
    a.publicKey()[0] = 7;
    assertThat(a.publicKey()[0]).isEqualTo((byte) 1); // and out
    assertThat(a.protocol()).isEqualTo(DnsKeyData.PROTOCOL_DNSSEC);
    assertThat(a).isNotEqualTo(DnsKeyData.of(256, 13, new byte[] {1, 2, 3, 4, 5}));
    assertThat(a).isNotEqualTo(DnsKeyData.of(257, 2, 13, new byte[] {1, 2, 3, 4, 5}));
    assertThat(a.toString()).startsWith("257/13/" + a.keyTag() + "~0102");
    assertThatThrownBy(() -> DnsKeyData.of(70000, 13, pk)).hasMessageContaining("flags");
    assertThatThrownBy(() -> DnsKeyData.of(256, 300, 13, pk)).hasMessageContaining("protocol");
    assertThatThrownBy(() -> DnsKeyData.of(256, 300, pk)).hasMessageContaining("algorithm");
    assertThatThrownBy(() -> DnsKeyData.of(256, 13, new byte[0])).hasMessageContaining("empty");
    assertThatThrownBy(() -> DsData.compute(ZONE, a, 3)).hasMessageContaining("digest type 3");

    KEYRecord parsed = (KEYRecord) Record.fromString(ZONE, Type.KEY, DClass.IN, 300,
        "512 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=", Name.root);
    DnsKeyData fromKey = DnsKeyData.of(parsed);
    assertThat(fromKey.flags()).isEqualTo(512);
    assertThat(fromKey.isZoneKey()).isFalse();
    assertThat(fromKey.toKey(ZONE, 300)).isEqualTo(parsed);
  }
}
