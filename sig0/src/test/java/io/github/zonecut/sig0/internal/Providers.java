package io.github.zonecut.sig0.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The providers under test and zonecut's verify path, shared by the equivalence tests. */
final class Providers {
  private Providers() {}

  /**
   * The providers zonecut's default selection chooses from for {@code alg}: Bouncy Castle, and
   * ACCP when it loads (not for Ed448).
   */
  static List<Provider> forAlgorithm(int alg) {
    List<Provider> out = new ArrayList<>();
    out.add(Sig0Providers.bouncyCastle());
    Provider accp = Sig0Providers.accp();
    if (accp != null && alg != 16) {
      out.add(accp);
    }
    return out;
  }

  /** The JDK's own provider for {@code alg} (SunRsaSign, SunEC), which a host may pin. */
  static Provider jdk(int alg) {
    return Objects.requireNonNull(
        Security.getProvider(alg == 8 || alg == 10 ? "SunRsaSign" : "SunEC"));
  }

  /**
   * zonecut's verdict: the KEY RDATA decoded by zonecut (Bouncy Castle, which validates it),
   * handed to {@code p}; the signature refused up front when zonecut refuses it for every
   * provider; else {@code p}'s verdict, an exception counting as a rejection.
   */
  static boolean zonecutVerifies(int alg, byte[] keyRdata, byte[] msg, byte[] dnsSig, Provider p) {
    PublicKey pk;
    try {
      pk = Sig0Providers.forVerify(alg,
          Sig0Crypto.decodePublicKey(alg, keyRdata, Sig0Providers.bouncyCastle()), p);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
    if (Sig0Crypto.refusal(alg, dnsSig, pk) != null) {
      return false;
    }
    return rawVerifies(alg, pk, msg, dnsSig, p);
  }

  /** The verdict of zonecut's verifying pool on {@code p}, without the up-front refusals. */
  static boolean rawVerifies(int alg, PublicKey pk, byte[] msg, byte[] dnsSig, Provider p) {
    byte @Nullable [] jca = Sig0Crypto.toJcaSignature(alg, dnsSig);
    if (jca == null) {
      return false;
    }
    try {
      return new SignaturePool(a -> p, true).verify(alg, pk, jca,
          sink -> sink.update(msg, 0, msg.length));
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** The provider's plain JCA {@code Signature} verdict, without anything zonecut adds. */
  static boolean jcaVerifies(int alg, PublicKey pk, byte[] msg, byte[] dnsSig, Provider p) {
    byte @Nullable [] jca = Sig0Crypto.toJcaSignature(alg, dnsSig);
    if (jca == null) {
      return false;
    }
    try {
      java.security.Signature s =
          java.security.Signature.getInstance(Sig0Crypto.signatureName(alg), p);
      s.initVerify(pk);
      s.update(msg);
      return s.verify(jca);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** One Wycheproof test case with its key. */
  record Case(String file, int alg, byte[] key, int tcId, String result, String flags,
      byte[] msg, byte[] sig) {
    @Override
    public String toString() {
      return file + " tcId " + tcId + " (" + result + ", " + flags + ")";
    }
  }

  /** The converted Wycheproof file {@code name} from the test resources. */
  static List<Case> wycheproof(String name) throws IOException {
    List<Case> out = new ArrayList<>();
    HexFormat hex = HexFormat.of();
    try (InputStream in = Objects.requireNonNull(
            Providers.class.getResourceAsStream("/wycheproof/" + name), name);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      int alg = 0;
      byte[] key = new byte[0];
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        String[] f = line.split(" ");
        if (f[0].equals("K")) {
          alg = Integer.parseInt(f[1]);
          key = hex.parseHex(f[2]);
        } else if (f[0].equals("T")) {
          out.add(new Case(name, alg, key, Integer.parseInt(f[1]), f[2], f[3],
              f[4].equals("-") ? new byte[0] : hex.parseHex(f[4]),
              f[5].equals("-") ? new byte[0] : hex.parseHex(f[5])));
        }
      }
    }
    return out;
  }
}
