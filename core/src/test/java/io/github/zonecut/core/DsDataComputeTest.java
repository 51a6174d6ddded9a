package io.github.zonecut.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

class DsDataComputeTest {
  // RFC 4509 §2.3: the SHA-256 DS of dskey.example.com.'s key 60485
  private static final String KEY = "dskey.example.com. 86400 IN DNSKEY 256 3 5 "
      + "AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMm"
      + "mAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==";
  private static final String DS = "dskey.example.com. 86400 IN DS 60485 5 2 "
      + "D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A";

  @Test
  void computesTheRfc4509Vector() throws Exception {
    DNSKEYRecord key = (DNSKEYRecord) Record.fromString(Name.root, org.xbill.DNS.Type.DNSKEY,
        org.xbill.DNS.DClass.IN, 0, KEY.substring(KEY.indexOf("256")), Name.root);
    Name owner = Name.fromString("dskey.example.com.");
    DsData expected = DsData.of((DSRecord) Record.fromString(owner, org.xbill.DNS.Type.DS,
        org.xbill.DNS.DClass.IN, 0, DS.substring(DS.indexOf("60485")), Name.root));

    DsData computed = DsData.compute(owner, key, DsData.SHA256);

    assertThat(computed).isEqualTo(expected);
    assertThat(expected.matches(owner, key)).isTrue();
    assertThat(expected.matches(Name.fromString("other.example.com."), key)).isFalse();
    assertThat(DsData.compute(owner, key, DsData.SHA384).digest()).hasSize(48);
  }

  @Test
  void refusesDigestTypesItCannotCompute() throws Exception {
    DNSKEYRecord key = (DNSKEYRecord) Record.fromString(Name.root, org.xbill.DNS.Type.DNSKEY,
        org.xbill.DNS.DClass.IN, 0, KEY.substring(KEY.indexOf("256")), Name.root);
    assertThatThrownBy(() -> DsData.compute(Name.root, key, 3))
        .isInstanceOf(IllegalArgumentException.class);
    DsData gost = new DsData(60485, 5, 3, new byte[32]);
    assertThat(gost.matches(Name.root, key)).isFalse();
  }
}
