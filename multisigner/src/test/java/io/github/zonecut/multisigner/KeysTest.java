package io.github.zonecut.multisigner;

import io.github.zonecut.core.DnsKeyData;
import io.github.zonecut.core.DsData;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

/** Key tags and DS digests agree with dnsjava's independent implementation. */
class KeysTest {

  private static final Name ZONE = Name.fromConstantString("Example.COM.");

  @Property(tries = 200)
  void keyTagAndDigestsMatchDnsjava(
      @ForAll @Size(min = 1, max = 300) byte[] publicKey,
      @ForAll @IntRange(min = 0, max = 1) int sep,
      @ForAll @IntRange(min = 5, max = 16) int algorithm) {
    int flags = 256 | sep;
    DnsKeyData k = DnsKeyData.of(flags, algorithm, publicKey);
    DNSKEYRecord ref = new DNSKEYRecord(ZONE, DClass.IN, 3600, flags, 3, algorithm, publicKey);
    assertThat(k.keyTag()).isEqualTo(ref.getFootprint());
    for (int type : new int[] {DsData.SHA256, DsData.SHA384}) {
      DSRecord ds = new DSRecord(ZONE, DClass.IN, 3600, type, ref);
      DsData ours = DsData.compute(ZONE, k, type);
      assertThat(ours.digest()).isEqualTo(ds.getDigest());
      assertThat(ours.matches(ZONE, k)).isTrue();
      assertThat(DsData.of(ds.getFootprint(), ds.getAlgorithm(), ds.getDigestID(), ds.getDigest()))
          .isEqualTo(ours);
    }
  }

  @Test
  void identityIsTheKeyNotTheTag() {
    Random r = new Random(1);
    byte[] pk = new byte[64];
    r.nextBytes(pk);
    DnsKeyData a = KeyRole.ZSK.key(13, pk);
    DnsKeyData sameBytes = DnsKeyData.of(256, 13, pk.clone());
    assertThat(a).isEqualTo(sameBytes).hasSameHashCodeAs(sameBytes);
    assertThat(KeyRole.KSK.key(13, pk)).isNotEqualTo(a);
    byte[] copy = a.publicKey();
    copy[0] ^= 1;
    assertThat(a.publicKey()).isEqualTo(pk); // defensive copies
    assertThat(DsData.compute(ZONE, a, DsData.SHA256).matches(Name.fromConstantString("other."), a))
        .isFalse();
  }

  @Test
  void rejectsOutOfRangeFields() {
    assertThatThrownBy(() -> DnsKeyData.of(70000, 13, new byte[] {1})).hasMessageContaining("flags");
    assertThatThrownBy(() -> DnsKeyData.of(256, 300, new byte[] {1})).hasMessageContaining("algorithm");
    assertThatThrownBy(() -> DnsKeyData.of(256, 13, new byte[0])).hasMessageContaining("empty");
    DnsKeyData k = DnsKeyData.of(257, 13, new byte[] {1, 2});
    assertThatThrownBy(() -> DsData.compute(ZONE, k, 3)).hasMessageContaining("digest type 3");
    assertThatThrownBy(() -> OwnedKey.of(k, KeyRole.ZSK)).hasMessageContaining("SEP flag");
    assertThatThrownBy(() -> new Rollover.Zsk(SignerId.of("a"), k)).hasMessageContaining("non-SEP");
    assertThatThrownBy(() -> SignerId.of("a.b")).hasMessageContaining("one label");
    assertThatThrownBy(() -> new ParentPolicy(java.util.List.of(1), true, true, true,
        java.time.Duration.ofDays(1))).hasMessageContaining("SHA-256");
    assertThatThrownBy(() -> PlannerConfig.DEFAULT.withSafetyFactor(0.5))
        .hasMessageContaining("safety factor");
    assertThat(DnsKeyData.of(257, 13, new byte[] {1, 2}).compareTo(k)).isZero();
    // a DS of a digest type we cannot compute (GOST) never matches: nothing proves it is the key's
    assertThat(DsData.of(k.keyTag(), 13, 3, new byte[32]).matches(ZONE, k)).isFalse();
    assertThat(DNSSEC.Algorithm.ECDSAP256SHA256).isEqualTo(13);
  }
}
