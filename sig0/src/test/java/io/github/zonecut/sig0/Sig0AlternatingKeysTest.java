package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Name;
import org.xbill.DNS.Update;

/**
 * One signer and one verifier serving several keys in turn, as a receiver does for many
 * children, under the default provider selection (ACCP where it loads). ACCP 2.5 destroys a key
 * it translated once its {@code Signature} object is initialised with another key; zonecut
 * pools {@code Signature} objects and caches decoded keys, so every verification after the
 * first key change failed ("Key has been destroyed", a valid message answered BADSIG) until keys
 * were decoded rather than translated. Bouncy Castle only is checked alike.
 */
class Sig0AlternatingKeysTest {
  private static final Name ZONE = Name.fromConstantString("parent.test.");

  @ParameterizedTest
  @ValueSource(strings = {"RSASHA256", "ECDSAP256SHA256", "ECDSAP384SHA384", "ED25519", "ED448",
      "ML-DSA-44"})
  void everyKeyKeepsVerifyingWhenKeysAlternate(String algorithm) throws Exception {
    Sig0Algorithm alg = Sig0Algorithm.parse(algorithm);
    for (Sig0Config config : List.of(Sig0Config.defaults(),
        Sig0Config.builder().pinBouncyCastleOnly().build())) {
      List<Sig0KeyPair> keys = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        keys.add(Sig0KeyPair.generate(Name.fromConstantString("c" + i + ".parent.test."), alg,
            Sig0PublicKey.FLAGS_HOST));
      }
      Sig0Signer signer = Sig0Signer.create(config);
      Sig0Verifier verifier = Sig0Verifier.builder(Sig0KeyLookup.of(keys.stream()
              .map(Sig0KeyPair::publicKey).toArray(Sig0PublicKey[]::new)))
          .config(config).insecureWithoutReplayGuard().build();
      for (int round = 0; round < 9; round++) {
        Sig0KeyPair key = keys.get(round % keys.size());
        byte[] signed = signer.sign(new Update(ZONE), key);
        assertThat(verifier.verify(signed)).as("%s round %d with %s", algorithm, round,
            config.describe()).isInstanceOf(Sig0Outcome.Verified.class);
      }
    }
  }
}
