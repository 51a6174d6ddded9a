package io.github.zonecut.keystate;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0PublicKey;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** A key identity comes from core's key value, a SIG(0) key or a KEY record alike, no TTL needed. */
class KeyIdentityTest {

  private static final Name OWNER = Name.fromConstantString("child.parent.test.");

  @Test
  void theSameKeyInEveryFormHasTheSameIdentity() {
    Sig0PublicKey sig0 = Sig0PublicKey.of(OWNER, Sig0PublicKey.FLAGS_HOST, Sig0Algorithm.of(13),
        new byte[] {9, 8, 7, 6});
    DnsKeyData data = sig0.dnsKeyData();

    KeyIdentity id = KeyIdentity.of(OWNER, data);

    assertThat(id).isEqualTo(KeyIdentity.of(sig0)).isEqualTo(KeyIdentity.of(data.toKey(OWNER, 1)));
    assertThat(id.matches(Name.fromConstantString("CHILD.parent.test."), data)).isTrue();
    assertThat(id.matches(Name.fromConstantString("other.parent.test."), data)).isFalse();
    // flags do not matter to the identity, the public key does
    assertThat(id.matches(OWNER, DnsKeyData.of(256, 13, new byte[] {9, 8, 7, 6}))).isTrue();
    assertThat(id.matches(OWNER, DnsKeyData.of(512, 13, new byte[] {9, 8, 7, 5}))).isFalse();
  }
}
