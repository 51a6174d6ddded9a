package io.github.zonecut.interop;

import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0Config;
import java.security.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JCA providers zonecut's SIG(0) offers, as the interop tests run them: {@code BC} (Bouncy
 * Castle for everything) and {@code ACCP} (the Amazon Corretto Crypto Provider for every algorithm
 * it has, Bouncy Castle for keys and for Ed448), when ACCP loads here.
 */
final class Sig0ProviderChoice {
  private Sig0ProviderChoice() {}

  static final String BC = "BC";
  static final String ACCP = "ACCP";

  /** ACCP when it loaded and self-tested (it is then in the default selection). */
  static Optional<Provider> accp() {
    return Sig0Config.defaultSignatureProviders().values().stream()
        .filter(p -> p.getName().equals("AmazonCorrettoCryptoProvider"))
        .findFirst();
  }

  /** The provider names to run with: BC, and ACCP when it loads. */
  static List<String> available() {
    List<String> out = new ArrayList<>(List.of(BC));
    if (accp().isPresent()) {
      out.add(ACCP);
    }
    return out;
  }

  /** Whether {@code provider} has {@code algorithm} (AWS-LC has no Ed448). */
  static boolean offers(String provider, Sig0Algorithm algorithm) {
    return provider.equals(BC) || (accp().isPresent() && algorithm.number() != 16);
  }

  /** A configuration whose signatures of every algorithm {@code provider} offers use it. */
  static Sig0Config config(String provider) {
    Sig0Config.Builder b = Sig0Config.builder().pinBouncyCastleOnly();
    if (provider.equals(ACCP)) {
      Provider accp = accp().orElseThrow(() -> new IllegalStateException(
          "ACCP is not usable here: " + Sig0Config.nativeProviderStatus()));
      for (Sig0Algorithm a : Sig0Algorithm.supported()) {
        if (offers(ACCP, a)) {
          b.signatureProvider(a, accp);
        }
      }
    }
    return b.build();
  }
}
