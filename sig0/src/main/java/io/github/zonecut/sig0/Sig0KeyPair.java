package io.github.zonecut.sig0;

import io.github.zonecut.core.ZonecutException;
import io.github.zonecut.sig0.internal.MlDsaCodec;
import io.github.zonecut.sig0.internal.Sig0Providers;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * A SIG(0) key pair: the {@link Sig0PublicKey} and its private key. The private key signs
 * through {@link Sig0Signer}; reading it out needs {@link PrivateKeyAccess}. {@link #toString()}
 * never prints private material.
 */
public final class Sig0KeyPair {
  private final Sig0PublicKey publicKey;
  private final PrivateKey privateKey;
  // The provider that owns the private key (a PKCS#11 token), or null for a software key that
  // signs with the configuration's provider.
  private final @Nullable Provider keyProvider;
  // What every signature repeats, derived once from the immutable public key: the signer's name
  // in uncompressed wire form (RFC 2931 §3.1) and the key tag (RFC 4034 Appendix B).
  private final byte[] signerWire;
  private final int keyTag;

  private Sig0KeyPair(
      Sig0PublicKey publicKey, PrivateKey privateKey, @Nullable Provider keyProvider) {
    this.publicKey = publicKey;
    this.privateKey = privateKey;
    this.keyProvider = keyProvider;
    this.signerWire = publicKey.owner().toWire();
    this.keyTag = publicKey.keyTag();
  }

  /** The signer name's wire form, shared: never hand it out. */
  byte[] signerWireShared() {
    return signerWire;
  }

  /** The public key's tag, computed once. */
  int keyTag() {
    return keyTag;
  }

  /**
   * A key pair from its halves. The JCA key type must fit the algorithm (RSA for 8/10, EC for
   * 13/14, EdDSA for 15/16); that the halves belong together is the caller's promise, checked
   * the first time a signature fails to verify at the peer. The key signs with the provider
   * {@link Sig0Config#signatureProvider} selects; a key that only its own provider can use (a
   * PKCS#11 token's, whose {@code getEncoded()} is {@code null}) needs {@link
   * #ofProviderKey(Sig0PublicKey, PrivateKey, Provider)}.
   *
   * @throws IllegalArgumentException when the algorithm is unsupported or the key type is wrong
   */
  public static Sig0KeyPair of(Sig0PublicKey publicKey, PrivateKey privateKey) {
    return bound(publicKey, privateKey, null);
  }

  /**
   * A key pair whose private key belongs to {@code keyProvider}, typically a PKCS#11 token's
   * provider ({@link Pkcs11Token}): {@link Sig0Signer} then signs with that provider, whatever
   * {@link Sig0Config#signatureProvider} selects, so the private key never leaves the token. The
   * checks of {@link #of(Sig0PublicKey, PrivateKey)} apply.
   *
   * @throws IllegalArgumentException when the algorithm is unsupported or the key type is wrong
   */
  public static Sig0KeyPair ofProviderKey(
      Sig0PublicKey publicKey, PrivateKey privateKey, Provider keyProvider) {
    return bound(publicKey, privateKey, Objects.requireNonNull(keyProvider, "keyProvider"));
  }

  private static Sig0KeyPair bound(
      Sig0PublicKey publicKey, PrivateKey privateKey, @Nullable Provider keyProvider) {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(privateKey, "privateKey");
    Sig0AlgorithmSpec spec = Sig0Algorithms.defaults().find(publicKey.algorithm())
        .orElseThrow(() -> new IllegalArgumentException(
            "unsupported SIG(0) algorithm " + publicKey.algorithm()));
    return bound(spec, publicKey, privateKey, keyProvider);
  }

  private static Sig0KeyPair bound(Sig0AlgorithmSpec spec, Sig0PublicKey publicKey,
      PrivateKey privateKey, @Nullable Provider keyProvider) {
    String have = privateKey.getAlgorithm();
    if (!spec.codec().fitsKeyType(have)) {
      throw new IllegalArgumentException(
          "private key type " + have + " does not fit " + publicKey.algorithm());
    }
    PrivateKey key = privateKey;
    if (keyProvider == null && spec.codec() instanceof MlDsaCodec) {
      key = ((MlDsaCodec) spec.codec()).seedForm(privateKey);
    }
    return new Sig0KeyPair(publicKey, key, keyProvider);
  }

  /**
   * A key pair of an algorithm from a registry other than the default one (a host-registered
   * algorithm or number): the checks of {@link #of(Sig0PublicKey, PrivateKey)} by {@code spec}.
   *
   * @throws IllegalArgumentException when the key's algorithm is not {@code spec}'s or the key
   *     type is wrong
   */
  public static Sig0KeyPair of(Sig0AlgorithmSpec spec, Sig0PublicKey publicKey,
      PrivateKey privateKey) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(privateKey, "privateKey");
    if (!spec.algorithm().equals(publicKey.algorithm())) {
      throw new IllegalArgumentException(publicKey + " is not of " + spec);
    }
    return bound(spec, publicKey, privateKey, null);
  }

  /**
   * Generates a key pair with the default provider (RSA: 2048 bits, exponent 65537).
   *
   * @param owner the signer's name, which owns the KEY record
   * @param algorithm one of the supported algorithms
   * @param flags KEY flags, usually {@link Sig0PublicKey#FLAGS_HOST} or {@link
   *     Sig0PublicKey#FLAGS_ZONE}
   * @throws ZonecutException when the provider cannot generate keys of this algorithm
   */
  public static Sig0KeyPair generate(Name owner, Sig0Algorithm algorithm, int flags)
      throws ZonecutException {
    return generate(owner, algorithm, flags, Sig0Config.defaultProvider());
  }

  /** Like {@link #generate(Name, Sig0Algorithm, int)} with an explicit JCA provider. */
  public static Sig0KeyPair generate(
      Name owner, Sig0Algorithm algorithm, int flags, Provider provider) throws ZonecutException {
    Sig0AlgorithmSpec spec = Sig0Algorithms.defaults().find(algorithm)
        .orElseThrow(() -> new IllegalArgumentException("unsupported SIG(0) algorithm " + algorithm));
    return generate(owner, spec, flags, provider);
  }

  /**
   * Generates a key pair of any registry entry (e.g. {@link Sig0AlgorithmSpec#mlDsa44(int)} at
   * a host's number) with {@code provider}.
   *
   * @throws ZonecutException when the provider cannot generate keys of this algorithm
   */
  public static Sig0KeyPair generate(
      Name owner, Sig0AlgorithmSpec spec, int flags, Provider provider) throws ZonecutException {
    Sig0AlgorithmCodec codec = spec.codec();
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(codec.keyAlgorithmName(), provider);
      AlgorithmParameterSpec params = codec.keyGenParameters();
      if (params != null) {
        g.initialize(params);
      }
      KeyPair kp = g.generateKeyPair();
      byte[] pub = codec.encodePublicKey(kp.getPublic());
      PrivateKey priv = kp.getPrivate();
      if (codec instanceof MlDsaCodec) {
        // The seed-only PKCS#8 form every provider reads (ACCP refuses BC's seed+expanded form).
        priv = ((MlDsaCodec) codec).seedForm(priv);
      }
      return new Sig0KeyPair(Sig0PublicKey.of(owner, flags, spec.algorithm(), pub), priv, null);
    } catch (GeneralSecurityException e) {
      throw new ZonecutException(
          "cannot generate a " + spec + " key with provider " + provider.getName(), e);
    }
  }

  /** The public half. */
  public Sig0PublicKey publicKey() {
    return publicKey;
  }

  /**
   * The private key, for export only.
   *
   * @param access {@link PrivateKeyAccess#exposingPrivateKeys()}
   */
  public PrivateKey privateKey(PrivateKeyAccess access) {
    Objects.requireNonNull(access, "access");
    return privateKey;
  }

  /**
   * The provider that owns the private key and must sign with it (a PKCS#11 token), or empty for
   * a software key, which signs with the configuration's provider.
   */
  public java.util.Optional<Provider> keyProvider() {
    return java.util.Optional.ofNullable(keyProvider);
  }

  /** The private key for this package's signing path. */
  PrivateKey signingKey() {
    return privateKey;
  }

  /**
   * The private key in the form {@code provider}'s {@code Signature} uses natively, translated
   * once and kept for the last provider asked (one signer normally uses one provider per
   * algorithm).
   */
  PrivateKey signingKeyFor(Sig0AlgorithmCodec codec, Provider provider) {
    Translated t = translated;
    if (t != null && t.provider == provider) {
      return t.key;
    }
    PrivateKey k = Sig0Providers.forSign(codec, privateKey, provider);
    translated = new Translated(provider, k);
    return k;
  }

  private static final class Translated {
    final Provider provider;
    final PrivateKey key;

    Translated(Provider provider, PrivateKey key) {
      this.provider = provider;
      this.key = key;
    }
  }

  private volatile @Nullable Translated translated;

  /** The public key's identity; never the private key. */
  @Override
  public String toString() {
    return "Sig0KeyPair[" + publicKey + ", private key hidden]";
  }
}
