package io.github.zonecut.sig0.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SignatureSpi;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Sig0ProvidersTest {

  /** A provider whose Ed25519 and P-256 "verify" everything: it must fail the self-test. */
  static final class Broken extends Provider {
    private static final long serialVersionUID = 1L;

    Broken() {
      super("Broken", "1.0", "accepts every signature");
      for (String alg : new String[] {"Ed25519", "SHA256withECDSA"}) {
        putService(new Service(this, "Signature", alg, AcceptAll.class.getName(), null, null) {
          @Override
          public Object newInstance(Object param) {
            return new AcceptAll();
          }
        });
      }
    }
  }

  static final class AcceptAll extends SignatureSpi {
    @Override
    protected void engineInitVerify(PublicKey publicKey) {}

    @Override
    protected void engineInitSign(PrivateKey privateKey) throws InvalidKeyException {}

    @Override
    protected void engineUpdate(byte b) {}

    @Override
    protected void engineUpdate(byte[] b, int off, int len) {}

    @Override
    protected byte[] engineSign() {
      return new byte[64];
    }

    @Override
    protected boolean engineVerify(byte[] sigBytes) {
      return true;
    }

    @Override
    @SuppressWarnings("deprecation")
    protected void engineSetParameter(String param, Object value) {}

    @Override
    @SuppressWarnings("deprecation")
    protected Object engineGetParameter(String param) {
      return "";
    }
  }

  @Test
  void bouncyCastlePassesEveryKnownAnswerTest() {
    for (int alg : Sig0Providers.ALGORITHMS) {
      assertThat(Sig0Providers.selfTest(alg, Sig0Providers.bouncyCastle())).as("alg %d", alg).isTrue();
    }
  }

  @Test
  void accpWhenItLoadsPassesForEverythingButEd448() {
    Provider accp = Sig0Providers.accp();
    if (accp == null) {
      assertThat(Sig0Providers.accpStatus()).doesNotStartWith("loaded");
      return;
    }
    assertThat(Sig0Providers.accpStatus()).isEqualTo("loaded ACCP 2.5.0");
    for (int alg : new int[] {8, 10, 13, 14, 15}) {
      assertThat(Sig0Providers.selfTest(alg, accp)).as("alg %d", alg).isTrue();
    }
    assertThat(Sig0Providers.selfTest(16, accp)).isFalse();
    assertThat(Sig0Providers.strictPkcs1(accp)).isTrue();
  }

  @Test
  void bouncyCastleAndSunRsaSignAcceptADigestInfoWithoutNullSoZonecutChecksForThem() {
    assertThat(Sig0Providers.refusesMissingNull(8, Sig0Providers.bouncyCastle())).isFalse();
    assertThat(Sig0Providers.refusesMissingNull(10, Sig0Providers.bouncyCastle())).isFalse();
    assertThat(Sig0Providers.refusesMissingNull(8, java.security.Security.getProvider("SunRsaSign")))
        .isFalse();
    assertThat(Sig0Providers.strictPkcs1(Sig0Providers.bouncyCastle())).isFalse();
  }

  @Test
  void aProviderThatAcceptsEverythingFailsTheSelfTestAndIsNotSelected() {
    Broken broken = new Broken();
    assertThat(Sig0Providers.selfTest(15, broken)).isFalse();
    assertThat(Sig0Providers.selfTest(13, broken)).isFalse();
    assertThat(Sig0Providers.select(broken).values())
        .containsOnly(Sig0Providers.bouncyCastle());
  }

  @Test
  void withoutANativeCandidateEverythingIsBouncyCastle() {
    Map<Integer, Provider> none = Sig0Providers.select(null);
    assertThat(none.keySet()).containsExactly(8, 10, 13, 14, 15, 16);
    assertThat(none.values()).containsOnly(Sig0Providers.bouncyCastle());
    assertThat(Sig0Providers.describe(none)).isEqualTo("RSASHA256(8)=BC 1.87, RSASHA512(10)=BC 1.87, "
        + "ECDSAP256SHA256(13)=BC 1.87, ECDSAP384SHA384(14)=BC 1.87, ED25519(15)=BC 1.87, "
        + "ED448(16)=BC 1.87");
  }

  @Test
  void theDefaultSelectionPrefersAccpAndKeepsEd448OnBouncyCastle() {
    Map<Integer, Provider> d = Sig0Providers.defaultSelection();
    assertThat(d.get(16)).isSameAs(Sig0Providers.bouncyCastle());
    Provider accp = Sig0Providers.accp();
    for (int alg : new int[] {8, 10, 13, 14, 15}) {
      assertThat(d.get(alg)).isSameAs(accp != null ? accp : Sig0Providers.bouncyCastle());
    }
  }
}
