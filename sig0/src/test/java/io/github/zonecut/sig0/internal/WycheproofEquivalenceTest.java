package io.github.zonecut.sig0.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Provider;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Project Wycheproof's verify vectors for the six SIG(0) algorithms, through zonecut's own KEY
 * decoding and verify path, for every provider available here (Bouncy Castle, ACCP when it
 * loads, the JDK's SunEC/SunRsaSign): valid cases verify, invalid ones do not, and for
 * {@code acceptable} ones every provider gives the same verdict.
 */
class WycheproofEquivalenceTest {

  static final String[] FILES = {
    "ed25519.txt", "ed448.txt", "ecdsa_secp256r1_sha256_p1363.txt",
    "ecdsa_secp384r1_sha384_p1363.txt", "rsa_signature_2048_sha256.txt",
    "rsa_signature_2048_sha512.txt"
  };

  @ParameterizedTest
  @ValueSource(strings = {
    "ed25519.txt", "ed448.txt", "ecdsa_secp256r1_sha256_p1363.txt",
    "ecdsa_secp384r1_sha384_p1363.txt", "rsa_signature_2048_sha256.txt",
    "rsa_signature_2048_sha512.txt"
  })
  void everyProviderGivesWycheproofsVerdictThroughZonecut(String file) throws Exception {
    List<Providers.Case> cases = Providers.wycheproof(file);
    assertThat(cases).hasSizeGreaterThan(50);
    List<Provider> providers = Providers.forAlgorithm(cases.get(0).alg());
    SoftAssertions soft = new SoftAssertions();
    Map<String, int[]> passed = new LinkedHashMap<>();
    for (Providers.Case c : cases) {
      List<Boolean> verdicts = new ArrayList<>();
      for (Provider p : providers) {
        boolean ok = Providers.zonecutVerifies(c.alg(), c.key(), c.msg(), c.sig(), p);
        verdicts.add(ok);
        int[] count = passed.computeIfAbsent(Sig0Providers.label(p), k -> new int[1]);
        if (c.result().equals("valid")) {
          soft.assertThat(ok).as("%s under %s", c, Sig0Providers.label(p)).isTrue();
          count[0] += ok ? 1 : 0;
        } else if (c.result().equals("invalid")) {
          soft.assertThat(ok).as("%s under %s", c, Sig0Providers.label(p)).isFalse();
          count[0] += ok ? 0 : 1;
        } else {
          count[0]++;
        }
      }
      soft.assertThat(new TreeSet<>(verdicts)).as("%s: providers agree %s %s", c, providers, verdicts).hasSize(1);
    }
    soft.assertAll();
    // The per-provider tally, for the build log: every provider matched every case.
    passed.forEach((p, n) -> assertThat(n[0]).as(p).isEqualTo(cases.size()));
  }

  /**
   * The cases where the providers' plain JCA {@code Signature} verdicts differ: each is one
   * zonecut refuses under every provider (up front, {@link Sig0Crypto#refusal}, or by its strict
   * RSA encoding check in {@link SignaturePool#verify}). Named here so that a provider upgrade
   * that changes them shows up.
   */
  @Test
  void whereProvidersDisagreeZonecutRejects() throws Exception {
    List<String> disagreements = new ArrayList<>();
    for (String file : FILES) {
      for (Providers.Case c : Providers.wycheproof(file)) {
        TreeSet<Boolean> raw = new TreeSet<>();
        List<Provider> providers = Providers.forAlgorithm(c.alg());
        for (Provider p : providers) {
          PublicKey pk;
          try {
            pk = Sig0Providers.forVerify(c.alg(),
                Sig0Crypto.decodePublicKey(c.alg(), c.key(), Sig0Providers.bouncyCastle()), p);
          } catch (java.security.GeneralSecurityException e) {
            continue;
          }
          raw.add(Providers.jcaVerifies(c.alg(), pk, c.msg(), c.sig(), p));
        }
        if (raw.size() > 1) {
          disagreements.add(c.toString());
          for (Provider p : providers) {
            assertThat(Providers.zonecutVerifies(c.alg(), c.key(), c.msg(), c.sig(), p))
                .as("%s under %s", c, Sig0Providers.label(p)).isFalse();
          }
        }
      }
    }
    assertThat(disagreements).containsExactlyInAnyOrder(EXPECTED_DISAGREEMENTS);
  }

  /**
   * Bouncy Castle 1.87's {@code SHA256withRSA}/{@code SHA512withRSA} accept a DigestInfo whose
   * AlgorithmIdentifier omits the NULL parameters; AWS-LC refuses it (Wycheproof calls it
   * acceptable). zonecut compares the full RFC 8017 encoding itself and refuses it everywhere.
   */
  static final String[] EXPECTED_DISAGREEMENTS = {
    "rsa_signature_2048_sha256.txt tcId 8 (acceptable, MissingNull)",
    "rsa_signature_2048_sha512.txt tcId 8 (acceptable, MissingNull)"
  };

  /**
   * JDK 17's SunEC, which a host may pin, wrongly rejects two valid ECDSA signatures per curve
   * (Wycheproof "ArithmeticError" edge cases and one "ValidSignature"); zonecut cannot make a
   * provider accept what it rejects, so SunEC is never a default and these are its documented
   * deviations. Everything else SunEC and SunRsaSign judge as Wycheproof does.
   */
  @Test
  void jdkProvidersDeviateOnlyOnTheNamedCases() throws Exception {
    List<String> deviations = new ArrayList<>();
    for (String file : FILES) {
      for (Providers.Case c : Providers.wycheproof(file)) {
        Provider jdk = Providers.jdk(c.alg());
        boolean ok = Providers.zonecutVerifies(c.alg(), c.key(), c.msg(), c.sig(), jdk);
        boolean expected = c.result().equals("valid")
            || (c.result().equals("acceptable") && Providers.zonecutVerifies(
                c.alg(), c.key(), c.msg(), c.sig(), Sig0Providers.bouncyCastle()));
        if (ok != expected) {
          deviations.add(c + " under " + Sig0Providers.label(jdk));
        }
      }
    }
    assertThat(deviations).containsExactlyInAnyOrder(
        "ecdsa_secp256r1_sha256_p1363.txt tcId 115 (valid, ArithmeticError) under SunEC 17",
        "ecdsa_secp256r1_sha256_p1363.txt tcId 257 (valid, ValidSignature) under SunEC 17",
        "ecdsa_secp384r1_sha384_p1363.txt tcId 147 (valid, ArithmeticError) under SunEC 17",
        "ecdsa_secp384r1_sha384_p1363.txt tcId 275 (valid, ValidSignature) under SunEC 17");
  }
}
