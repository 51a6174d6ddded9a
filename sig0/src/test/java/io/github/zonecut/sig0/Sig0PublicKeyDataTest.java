package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.DnsKeyData;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** A SIG(0) key converts to and from core's key value without a TTL or a dnsjava record. */
class Sig0PublicKeyDataTest {

  private static final Name OWNER = Name.fromConstantString("child.parent.test.");

  @Test
  void convertsToAndFromDnsKeyData() {
    Sig0PublicKey key = Sig0PublicKey.of(OWNER, Sig0PublicKey.FLAGS_HOST, Sig0Algorithm.of(15),
        new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

    DnsKeyData data = key.dnsKeyData();

    assertThat(data.flags()).isEqualTo(512);
    assertThat(data.protocol()).isEqualTo(3);
    assertThat(data.algorithm()).isEqualTo(15);
    assertThat(data.publicKey()).isEqualTo(key.keyData());
    assertThat(data.keyTag()).isEqualTo(key.keyTag());
    assertThat(data.rdata()).isEqualTo(key.rdata());
    assertThat(data.rdataText()).isEqualTo(key.rdataText());
    assertThat(data.toKey(OWNER, 300)).isEqualTo(key.toKeyRecord(300));
    assertThat(Sig0PublicKey.of(OWNER, data)).isEqualTo(key);
    assertThatThrownBy(() -> Sig0PublicKey.of(OWNER, DnsKeyData.of(512, 2, 15, new byte[] {1})))
        .hasMessageContaining("protocol 2");
  }
}
