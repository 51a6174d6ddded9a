package io.github.zonecut.sig0;

import java.util.List;
import java.util.Locale;

/**
 * A DNSSEC algorithm number as used in SIG(0) and KEY records (IANA "DNS Security Algorithm
 * Numbers"). Any number 0–255 is representable, so a SIG(0) carrying an algorithm zonecut has
 * never heard of is data, not an exception; {@link #isSupported()} says whether zonecut signs
 * and verifies with it.
 *
 * <p>Supported by default ({@link Sig0Algorithms#defaults()}): 8, 10, 13, 14, 15, 16, and
 * experimentally ML-DSA-44 (199) and ML-DSA-65 (228). Refused: RSA/MD5 (1), DSA (3, 6),
 * RSA/SHA-1 (5, 7) and ECC-GOST (12), which RFC 9905 and RFC 9906 deprecate, and every other
 * number. A {@link Sig0Config} carries its own {@link Sig0Algorithms} registry; the methods here
 * answer for the default one.
 *
 * @param number the algorithm number, 0–255
 */
public record Sig0Algorithm(int number) {
  /** RSA/SHA-256 (RFC 5702). */
  public static final Sig0Algorithm RSASHA256 = new Sig0Algorithm(8);
  /** RSA/SHA-512 (RFC 5702). */
  public static final Sig0Algorithm RSASHA512 = new Sig0Algorithm(10);
  /** ECDSA P-256 with SHA-256 (RFC 6605). */
  public static final Sig0Algorithm ECDSAP256SHA256 = new Sig0Algorithm(13);
  /** ECDSA P-384 with SHA-384 (RFC 6605). */
  public static final Sig0Algorithm ECDSAP384SHA384 = new Sig0Algorithm(14);
  /** Ed25519 (RFC 8080). */
  public static final Sig0Algorithm ED25519 = new Sig0Algorithm(15);
  /** Ed448 (RFC 8080). */
  public static final Sig0Algorithm ED448 = new Sig0Algorithm(16);

  private static final String[] MNEMONICS = new String[17];

  static {
    MNEMONICS[1] = "RSAMD5";
    MNEMONICS[3] = "DSA";
    MNEMONICS[5] = "RSASHA1";
    MNEMONICS[6] = "DSA-NSEC3-SHA1";
    MNEMONICS[7] = "RSASHA1-NSEC3-SHA1";
    MNEMONICS[8] = "RSASHA256";
    MNEMONICS[10] = "RSASHA512";
    MNEMONICS[12] = "ECC-GOST";
    MNEMONICS[13] = "ECDSAP256SHA256";
    MNEMONICS[14] = "ECDSAP384SHA384";
    MNEMONICS[15] = "ED25519";
    MNEMONICS[16] = "ED448";
  }

  /** Validates the range. */
  public Sig0Algorithm {
    if (number < 0 || number > 255) {
      throw new IllegalArgumentException("algorithm number out of range 0..255: " + number);
    }
  }

  /** The algorithm with this number, known or not. */
  public static Sig0Algorithm of(int number) {
    return new Sig0Algorithm(number);
  }

  /**
   * Parses a mnemonic ({@code ED25519}, case-insensitive) or a decimal number.
   *
   * @throws IllegalArgumentException when the text is neither
   */
  public static Sig0Algorithm parse(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    for (int i = 0; i < MNEMONICS.length; i++) {
      if (t.equals(MNEMONICS[i])) {
        return new Sig0Algorithm(i);
      }
    }
    java.util.Optional<Sig0AlgorithmSpec> registered = Sig0Algorithms.defaults().byMnemonic(t);
    if (registered.isPresent()) {
      return registered.get().algorithm();
    }
    try {
      return new Sig0Algorithm(Integer.parseInt(t));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a DNSSEC algorithm mnemonic or number: " + text, e);
    }
  }

  /**
   * The IANA mnemonic, the mnemonic in {@link Sig0Algorithms#defaults()} (e.g. {@code
   * ML-DSA-44} for 199), or the decimal number when there is none.
   */
  public String mnemonic() {
    String m = number < MNEMONICS.length ? MNEMONICS[number] : null;
    if (m != null) {
      return m;
    }
    Sig0AlgorithmSpec s = Sig0Algorithms.defaults().get(number);
    return s != null ? s.mnemonic() : Integer.toString(number);
  }

  /**
   * The algorithms zonecut signs and verifies with by default, in number order: RSASHA256,
   * RSASHA512, ECDSAP256SHA256, ECDSAP384SHA384, ED25519, ED448 (RFC 5702, RFC 6605, RFC 8080),
   * then the experimental ML-DSA-44 (199) and ML-DSA-65 (228); see {@link
   * Sig0Algorithms#defaults()} and, for a configuration's own set, {@link
   * Sig0Config#algorithms()}.
   */
  public static List<Sig0Algorithm> supported() {
    return Sig0Algorithms.defaults().algorithms();
  }

  /** The six IANA algorithms zonecut ships: 8, 10, 13, 14, 15, 16. */
  public static List<Sig0Algorithm> iana() {
    return List.of(RSASHA256, RSASHA512, ECDSAP256SHA256, ECDSAP384SHA384, ED25519, ED448);
  }

  /** Whether the default registry ({@link Sig0Algorithms#defaults()}) holds this algorithm. */
  public boolean isSupported() {
    return Sig0Algorithms.defaults().contains(this);
  }

  /** The mnemonic and number, e.g. {@code ED25519(15)}. */
  @Override
  public String toString() {
    return mnemonic() + "(" + number + ")";
  }
}
