package io.github.zonecut.sig0;

import io.github.zonecut.sig0.internal.ClassicCodec;
import io.github.zonecut.sig0.internal.MlDsaCodec;
import java.util.Objects;

/**
 * One entry of a {@link Sig0Algorithms} registry: the number a SIG(0)/KEY record carries, its
 * mnemonic, how it maps onto the JCA ({@link Sig0AlgorithmCodec}), and whether its messages must
 * go over TCP.
 *
 * <p>The six IANA algorithms (8, 10, 13, 14, 15, 16) are built in. ML-DSA-44 and ML-DSA-65
 * (FIPS 204) come from {@link #mlDsa44(int)} and {@link #mlDsa65(int)} at the numbers of the
 * {@link io.github.zonecut.core.Codepoints} profile (199 and 228 by default). <b>ML-DSA in SIG(0)
 * is experimental</b>: no number is assigned (draft-ietf-dnsop-delegation-mgmt-via-ddns §9.1
 * points at the experimental range of draft-johani-dnsop-dnssec-alg-experimental-range), and
 * the peer must agree on the number. Its kilobyte keys and signatures are TCP only.
 *
 * @param algorithm the number in SIG(0) and KEY records
 * @param mnemonic the name shown in logs, {@code describe()} and key files, e.g. {@code ML-DSA-44}
 * @param codec the JCA mapping
 * @param tcpOnly whether a message signed with it must not be sent over UDP (signatures too
 *     large for a UDP answer; ddns §9.1 carries UPDATEs over TCP anyway)
 * @param experimental whether the number is not an IANA assignment
 */
public record Sig0AlgorithmSpec(
    Sig0Algorithm algorithm, String mnemonic, Sig0AlgorithmCodec codec, boolean tcpOnly,
    boolean experimental) {

  /** Validates: non-null fields, a non-blank mnemonic without white space. */
  public Sig0AlgorithmSpec {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(mnemonic, "mnemonic");
    Objects.requireNonNull(codec, "codec");
    if (mnemonic.isBlank() || mnemonic.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("mnemonic must be one word: '" + mnemonic + "'");
    }
  }

  /**
   * A host-defined algorithm (experimental, TCP only unless {@code tcpOnly} is false).
   *
   * @param number the SIG(0)/KEY algorithm number the peers agreed on
   */
  public static Sig0AlgorithmSpec custom(
      int number, String mnemonic, Sig0AlgorithmCodec codec, boolean tcpOnly) {
    return new Sig0AlgorithmSpec(Sig0Algorithm.of(number), mnemonic, codec, tcpOnly, true);
  }

  /**
   * One of the six built-in IANA algorithms: RSASHA256 (8), RSASHA512 (10), ECDSAP256SHA256
   * (13), ECDSAP384SHA384 (14), ED25519 (15), ED448 (16).
   *
   * @throws IllegalArgumentException for any other number
   */
  public static Sig0AlgorithmSpec iana(Sig0Algorithm algorithm) {
    int n = algorithm.number();
    if (n != 8 && n != 10 && (n < 13 || n > 16)) {
      throw new IllegalArgumentException("not a built-in IANA SIG(0) algorithm: " + algorithm);
    }
    return new Sig0AlgorithmSpec(algorithm, algorithm.mnemonic(), ClassicCodec.of(n), false, false);
  }

  /** ML-DSA-44 (FIPS 204, pure, empty context) at {@code number}; experimental, TCP only. */
  public static Sig0AlgorithmSpec mlDsa44(int number) {
    return mlDsa(number, 44);
  }

  /** ML-DSA-65 (FIPS 204, pure, empty context) at {@code number}; experimental, TCP only. */
  public static Sig0AlgorithmSpec mlDsa65(int number) {
    return mlDsa(number, 65);
  }

  /**
   * ML-DSA-{@code level} (44, 65 or 87; FIPS 204, pure mode, empty context) at {@code number}:
   * KEY RDATA is the raw FIPS 204 public key, the signature the raw FIPS 204 signature, the key
   * file's {@code PrivateKey:} the 32-octet seed ξ. Experimental, TCP only.
   */
  public static Sig0AlgorithmSpec mlDsa(int number, int level) {
    MlDsaCodec.Variant v;
    switch (level) {
      case 44:
        v = MlDsaCodec.Variant.ML_DSA_44;
        break;
      case 65:
        v = MlDsaCodec.Variant.ML_DSA_65;
        break;
      case 87:
        v = MlDsaCodec.Variant.ML_DSA_87;
        break;
      default:
        throw new IllegalArgumentException("ML-DSA level must be 44, 65 or 87: " + level);
    }
    return new Sig0AlgorithmSpec(Sig0Algorithm.of(number), v.fipsName(), new MlDsaCodec(v), true,
        true);
  }

  /** The mnemonic and number, e.g. {@code ML-DSA-44(199)}. */
  @Override
  public String toString() {
    return mnemonic + "(" + algorithm.number() + ")";
  }
}
