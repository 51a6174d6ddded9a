package io.github.zonecut.sig0.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.sig0.Sig0AlgorithmCodec;
import io.github.zonecut.sig0.Sig0AlgorithmSpec;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Project Wycheproof's ML-DSA-44 and ML-DSA-65 verify vectors (pure mode, empty context),
 * through zonecut's own KEY decoding (raw FIPS 204 public key → Bouncy Castle), up-front
 * refusals and verifying pool, for every provider zonecut chooses from (Bouncy Castle, and ACCP
 * when it loads): valid cases verify, invalid ones do not, every provider agrees.
 */
class MlDsaWycheproofTest {

  @ParameterizedTest
  @CsvSource({"mldsa_44_verify.txt, 44", "mldsa_65_verify.txt, 65"})
  void everyProviderGivesWycheproofsVerdictThroughZonecut(String file, int level)
      throws Exception {
    List<Providers.Case> cases = Providers.wycheproof(file);
    assertThat(cases).hasSizeGreaterThan(150);
    Sig0AlgorithmCodec codec = Sig0AlgorithmSpec.mlDsa(cases.get(0).alg(), level).codec();
    List<Provider> providers = new ArrayList<>();
    providers.add(Sig0Providers.bouncyCastle());
    Provider accp = Sig0Providers.accp();
    if (accp != null && accp.getService("Signature", codec.signatureName()) != null) {
      providers.add(accp);
    }
    SoftAssertions soft = new SoftAssertions();
    int valid = 0;
    int invalid = 0;
    for (Providers.Case c : cases) {
      TreeSet<Boolean> verdicts = new TreeSet<>();
      for (Provider p : providers) {
        boolean ok = verifies(codec, c, p);
        verdicts.add(ok);
        soft.assertThat(ok).as("%s under %s", c, Sig0Providers.label(p))
            .isEqualTo(c.result().equals("valid"));
      }
      soft.assertThat(verdicts).as("%s: providers agree", c).hasSize(1);
      if (c.result().equals("valid")) {
        valid++;
      } else {
        invalid++;
      }
    }
    soft.assertAll();
    assertThat(valid).isGreaterThan(50);
    assertThat(invalid).isGreaterThan(50);
  }

  /** zonecut's verdict: decode, translate for {@code p}, refuse up front, verify in the pool. */
  static boolean verifies(Sig0AlgorithmCodec codec, Providers.Case c, Provider p) {
    PublicKey pk;
    try {
      pk = Sig0Providers.forVerify(codec,
          codec.decodePublicKey(c.key(), Sig0Providers.bouncyCastle()), p);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
    if (codec.refusal(c.sig(), pk) != null) {
      return false;
    }
    byte @Nullable [] jca = codec.toJcaSignature(c.sig());
    if (jca == null) {
      return false;
    }
    try {
      return new SignaturePool(a -> p, a -> codec.signatureName(), true)
          .verify(c.alg(), pk, jca, sink -> sink.update(c.msg(), 0, c.msg().length));
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
