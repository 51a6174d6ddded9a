package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.sig0.internal.Sig0Providers;
import java.security.Provider;
import java.security.Security;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Update;

/** Per-algorithm providers in {@link Sig0Config}, and signatures crossing between them. */
class Sig0ProviderConfigTest {
  static final Provider BC = Sig0Config.defaultProvider();

  @Test
  void describeNamesTheProviderOfEveryAlgorithm() {
    String d = Sig0Config.defaults().describe();
    assertThat(d).startsWith("RSASHA256(8)=").contains("ED448(16)=BC 1.87").endsWith("; keys: BC 1.87");
    if (Sig0Providers.accp() != null) {
      assertThat(d).contains("ED25519(15)=ACCP 2.5.0", "ECDSAP256SHA256(13)=ACCP 2.5.0");
    }
    assertThat(Sig0Config.nativeProviderStatus()).isNotEmpty();
  }

  @Test
  void pinningBouncyCastleOnlyPutsEveryAlgorithmOnBc() {
    Sig0Config c = Sig0Config.builder().pinBouncyCastleOnly().build();
    assertThat(c.signatureProviders().values()).containsOnly(BC);
    assertThat(c.describe()).doesNotContain("ACCP");
  }

  @Test
  void oneAlgorithmCanBeOverridden() {
    Provider sun = Security.getProvider("SunEC");
    Sig0Config c = Sig0Config.builder().pinBouncyCastleOnly()
        .signatureProvider(Sig0Algorithm.ED25519, sun).build();
    assertThat(c.signatureProvider(Sig0Algorithm.ED25519)).isSameAs(sun);
    assertThat(c.signatureProvider(Sig0Algorithm.ED448)).isSameAs(BC);
    assertThat(c.describe()).contains("ED25519(15)=SunEC 17");
    assertThatThrownBy(() -> Sig0Config.builder().signatureProvider(Sig0Algorithm.of(5), sun))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Sig0Config.selfTest(Sig0Algorithm.ED25519, sun)).isTrue();
  }

  @Test
  void theOldConstructorsKeepOneProviderForEverything() {
    Sig0Config c = new Sig0Config(BC, Clock.systemUTC(), Duration.ofSeconds(300),
        Duration.ofSeconds(300), Duration.ofSeconds(300));
    assertThat(c.signatureProviders()).hasSize(8);
    assertThat(c.algorithms()).isEqualTo(Sig0Algorithms.defaults());
    assertThat(c.signatureProviders().values()).containsOnly(BC);
  }

  /** Every algorithm: signed under one configuration, verified under every other. */
  @Test
  void signaturesCrossBetweenTheDefaultBcOnlyAndJdkConfigurations() throws Exception {
    List<Sig0Config> configs = new ArrayList<>();
    Clock clock = Sig0SignVerifyTest.CONFIG.clock();
    configs.add(Sig0Config.builder().clock(clock).build());
    configs.add(Sig0Config.builder().clock(clock).pinBouncyCastleOnly().build());
    Sig0Config.Builder jdk = Sig0Config.builder().clock(clock).pinBouncyCastleOnly();
    // JDK 17 has no ML-DSA: those stay on Bouncy Castle.
    for (Sig0Algorithm a : Sig0Algorithm.iana()) {
      jdk.signatureProvider(a, Security.getProvider(
          a.number() == 8 || a.number() == 10 ? "SunRsaSign" : "SunEC"));
    }
    configs.add(jdk.build());
    Name owner = Name.fromConstantString("host.example.");
    for (Sig0Algorithm a : Sig0Algorithm.supported()) {
      Sig0KeyPair key = Sig0KeyPair.generate(owner, a, Sig0PublicKey.FLAGS_HOST);
      byte[] update = new Update(Name.fromConstantString("example.")).toWire();
      for (Sig0Config signing : configs) {
        byte[] signed = Sig0Signer.create(signing).sign(update, key);
        for (Sig0Config verifying : configs) {
          Sig0Outcome out = Sig0Verifier.builder((signer, alg, tag) -> List.of(key.publicKey()))
              .config(verifying).insecureWithoutReplayGuard().build().verify(signed);
          assertThat(out).as("%s signed with [%s], verified with [%s]", a, signing.describe(),
              verifying.describe()).isInstanceOf(Sig0Outcome.Verified.class);
        }
      }
    }
  }
}
