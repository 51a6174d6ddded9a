package io.github.zonecut.sig0;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.spec.AlgorithmParameterSpec;
import org.jspecify.annotations.Nullable;

/**
 * How one SIG(0) algorithm maps onto the JCA: its names, the KEY RDATA public-key format, the
 * signature conversion between the JCA and the DNS form, the key-file private-key form and the
 * known-answer self-test a provider passes before it is chosen. A host that registers an
 * algorithm zonecut does not ship implements this (or uses {@link Sig0AlgorithmSpec#mlDsa}) and
 * adds it with {@link Sig0Algorithms#with(Sig0AlgorithmSpec)}.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface Sig0AlgorithmCodec {
  /** The JCA {@code Signature} name, e.g. {@code "Ed25519"}, {@code "ML-DSA"}. */
  String signatureName();

  /** The JCA {@code KeyFactory}/{@code KeyPairGenerator} name, e.g. {@code "EC"}, {@code "ML-DSA"}. */
  String keyAlgorithmName();

  /** The key-generation parameters, or {@code null} for the generator's own defaults. */
  @Nullable AlgorithmParameterSpec keyGenParameters();

  /**
   * Decodes the public-key field of a KEY/DNSKEY record with {@code provider}'s key factory.
   *
   * @throws GeneralSecurityException when the octets are not a key of this algorithm
   */
  PublicKey decodePublicKey(byte[] keyData, Provider provider) throws GeneralSecurityException;

  /**
   * Encodes a JCA public key as the public-key field of a KEY record.
   *
   * @throws InvalidKeyException when the key does not belong to this algorithm
   */
  byte[] encodePublicKey(PublicKey key) throws InvalidKeyException;

  /**
   * The DNS form of a signature the JCA produced (RFC 6605 §4 for ECDSA; unchanged for most).
   *
   * @throws GeneralSecurityException when the JCA form cannot be converted
   */
  byte[] toDnsSignature(byte[] jcaSignature) throws GeneralSecurityException;

  /** The JCA form of a DNS signature, or {@code null} when it cannot possibly verify. */
  byte @Nullable [] toJcaSignature(byte[] dnsSignature);

  /**
   * Why zonecut refuses this DNS-form signature under {@code key} before any provider sees it
   * (forms providers judge differently, wrong lengths), or {@code null}.
   */
  @Nullable String refusal(byte[] dnsSignature, PublicKey key);

  /** Whether {@code jcaAlgorithm} (a private key's {@code getAlgorithm()}) fits this algorithm. */
  boolean fitsKeyType(String jcaAlgorithm);

  /**
   * The private key from the base64 {@code PrivateKey:} field of a {@code K*.private} file.
   *
   * @throws GeneralSecurityException when the octets are not a private key of this algorithm
   */
  PrivateKey privateKeyFromFile(byte[] field, Provider provider) throws GeneralSecurityException;

  /**
   * The octets of the {@code PrivateKey:} field of a {@code K*.private} file.
   *
   * @throws InvalidKeyException when the key cannot be exported in that form
   */
  byte[] privateKeyToFile(PrivateKey key) throws InvalidKeyException;

  /**
   * The public-key field (KEY RDATA form) that belongs to {@code key}, to check that key-file
   * halves belong together.
   *
   * @throws InvalidKeyException when it cannot be derived
   */
  byte[] publicKeyFromPrivate(PrivateKey key) throws InvalidKeyException;

  /**
   * The known-answer test a provider passes before the default selection uses it for this
   * algorithm: verifies a known-good signature, rejects it with one bit flipped, and signs so
   * that Bouncy Castle verifies. {@code false} on any failure or exception.
   */
  boolean selfTest(Provider provider);
}
