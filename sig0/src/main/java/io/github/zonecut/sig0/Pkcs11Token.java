package io.github.zonecut.sig0;

import io.github.zonecut.core.ZonecutException;
import io.github.zonecut.sig0.internal.Sig0Crypto;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Name;

/**
 * SIG(0) keys held in a PKCS#11 token (an HSM, or SoftHSM2 for tests), through the JDK's own
 * {@code SunPKCS11} provider: key pairs are generated inside the token as sensitive,
 * non-extractable objects, the public half is read out as KEY RDATA ({@link
 * Sig0KeyPair#publicKey()}, RFC 2535 §3.1 / RFC 3110 / RFC 6605 formats), and {@link
 * Sig0Signer} signs with the token's provider ({@link Sig0KeyPair#keyProvider()}), so the
 * private key never leaves the token (RFC 2931 §3, RFC 3007 §4). Signatures verify with any
 * {@link Sig0Verifier}, whatever its provider.
 *
 * <p><b>Host JCA untouched.</b> The token's provider is created with {@code
 * Security.getProvider("SunPKCS11").configure(...)} and held by this object; it is never added
 * to {@link Security}.
 *
 * <p><b>What JDK 17's PKCS#11 provider cannot do.</b> Only RSASHA256 (8), RSASHA512 (10),
 * ECDSAP256SHA256 (13) and ECDSAP384SHA384 (14) work, and only if the token offers the
 * mechanisms ({@code CKM_RSA_PKCS_KEY_PAIR_GEN}, {@code CKM_SHA256_RSA_PKCS}, {@code
 * CKM_EC_KEY_PAIR_GEN}, {@code CKM_ECDSA}). SunPKCS11 in JDK 17 has no EdDSA: ED25519 (15) and
 * ED448 (16) keys cannot be generated or used through it, even on a token that supports {@code
 * CKM_EDDSA}; {@link #generate} refuses them. Post-quantum algorithms are not available either.
 * Keys are session objects of this provider instance: finding a key generated in an earlier
 * run again (by label) is not offered here, because SunPKCS11's {@code KeyStore} only lists
 * private keys that have a certificate.
 *
 * <p>The PIN is copied at {@link #open} for the login and then wiped; it is never logged or kept.
 * PKCS#11 login state belongs to the process, not to this object: while one {@code Pkcs11Token}
 * of a slot is logged in, opening another on the same slot does not check its PIN again, and
 * {@link #close()} logs all of them out. Thread-safe.
 */
public final class Pkcs11Token implements AutoCloseable {
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final Provider provider;
  private final long slot;

  private Pkcs11Token(Provider provider, long slot) {
    this.provider = provider;
    this.slot = slot;
  }

  /**
   * Opens a token and logs in as the user.
   *
   * @param library the PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}
   * @param slot the slot id (as {@code softhsm2-util --show-slots} or {@code pkcs11-tool -L}
   *     print it)
   * @param pin the user PIN; this method does not keep it (the caller may wipe its array)
   * @throws ZonecutException when SunPKCS11 is absent, the library cannot be loaded, the slot
   *     has no token or the login fails
   */
  public static Pkcs11Token open(Path library, long slot, char[] pin) throws ZonecutException {
    Objects.requireNonNull(library, "library");
    Objects.requireNonNull(pin, "pin");
    if (!Files.isRegularFile(library)) {
      throw new ZonecutException("PKCS#11 library not found: " + library);
    }
    String path = library.toAbsolutePath().toString();
    if (path.indexOf('"') >= 0 || path.indexOf('\n') >= 0) {
      throw new ZonecutException("PKCS#11 library path has a quote or a newline: " + library);
    }
    Provider base = Security.getProvider("SunPKCS11");
    if (base == null) {
      throw new ZonecutException("the JDK has no SunPKCS11 provider (module jdk.crypto.cryptoki)");
    }
    // An inline configuration (SunPKCS11 accepts one starting with "--"); no file is written.
    String config = "--name = zonecut" + INSTANCES.incrementAndGet() + "\n"
        + "library = \"" + path + "\"\n"
        + "slot = " + slot + "\n"
        + "attributes(generate, CKO_PRIVATE_KEY, *) = {\n"
        + "  CKA_SENSITIVE = true\n"
        + "  CKA_EXTRACTABLE = false\n"
        + "}\n";
    char[] copy = pin.clone();
    try {
      Provider p = base.configure(config);
      KeyStore login = KeyStore.getInstance("PKCS11", p);
      login.load(null, copy);
      return new Pkcs11Token(p, slot);
    } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
      // The message names the library and slot, never the PIN.
      throw new ZonecutException(
          "cannot open PKCS#11 slot " + slot + " of " + library + ": " + e.getMessage(), e);
    } finally {
      Arrays.fill(copy, '\0');
    }
  }

  /** The token's JCA provider (not registered in {@link Security}). */
  public Provider provider() {
    return provider;
  }

  /**
   * Generates a key pair inside the token (RSA: 2048 bits, exponent 65537; ECDSA: P-256 or
   * P-384) and returns it bound to the token's provider.
   *
   * @param owner the signer's name, which owns the KEY record
   * @param algorithm 8, 10, 13 or 14
   * @param flags KEY flags, usually {@link Sig0PublicKey#FLAGS_HOST}
   * @throws IllegalArgumentException for EdDSA (15, 16), which JDK 17's SunPKCS11 lacks, and for
   *     unsupported algorithms
   * @throws ZonecutException when the token refuses to generate the key
   */
  public Sig0KeyPair generate(Name owner, Sig0Algorithm algorithm, int flags)
      throws ZonecutException {
    Objects.requireNonNull(owner, "owner");
    int alg = algorithm.number();
    if (alg != 8 && alg != 10 && alg != 13 && alg != 14) {
      throw new IllegalArgumentException(
          algorithm + " is not available through JDK 17's SunPKCS11 (RSA and ECDSA only)");
    }
    try {
      KeyPairGenerator g =
          KeyPairGenerator.getInstance(Sig0Crypto.keyAlgorithmName(alg), provider);
      if (alg == 8 || alg == 10) {
        g.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4));
      } else {
        g.initialize(new ECGenParameterSpec(Sig0Crypto.curveName(alg)));
      }
      KeyPair kp = g.generateKeyPair();
      byte[] pub = Sig0Crypto.encodePublicKey(alg, kp.getPublic());
      return Sig0KeyPair.ofProviderKey(
          Sig0PublicKey.of(owner, flags, algorithm, pub), kp.getPrivate(), provider);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new ZonecutException(
          "PKCS#11 slot " + slot + " cannot generate a " + algorithm + " key: " + e.getMessage(),
          e);
    }
  }

  /** Logs out of the token; key pairs from it stop signing. */
  @Override
  public void close() throws ZonecutException {
    try {
      if (provider instanceof java.security.AuthProvider) {
        ((java.security.AuthProvider) provider).logout();
      }
    } catch (javax.security.auth.login.LoginException e) {
      throw new ZonecutException("PKCS#11 logout failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "Pkcs11Token[" + provider.getName() + ", slot " + slot + "]";
  }
}
