package io.github.zonecut.sig0;

import io.github.zonecut.core.MalformedDataException;
import io.github.zonecut.core.ZonecutException;
import io.github.zonecut.sig0.internal.ClassicCodec;
import io.github.zonecut.sig0.internal.Sig0Crypto;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * SIG(0) keys in files: BIND's {@code K<name>+<alg>+<tag>.key} / {@code .private} pair (as written
 * by {@code dnssec-keygen -T KEY}, private-key format v1.3) and PKCS#8 PEM. Reading checks that
 * the private key belongs to the public key. Private key files are written with mode 0600;
 * writing private material takes a {@link PrivateKeyAccess} token.
 *
 * <p>An ECDSA {@code PrivateKey} field is read as a big-endian integer of at most the field
 * length, so the shorter form BIND 9.18 writes when the scalar has leading zero octets (about one
 * key in 256) reads as BIND and miekg/dns read it. zonecut always writes the field at full width
 * (32 or 48 octets, RFC 6605 §4 sizes), zero-padded on the left: Net::DNS::SEC 1.20 pads a
 * shorter field on the right and then signs with a different key, so its signatures made from
 * such a BIND file verify nowhere, not even with Net::DNS::SEC.
 *
 * <p><b>ML-DSA key files (zonecut's format, experimental).</b> BIND knows no ML-DSA, so zonecut
 * defines the files for ML-DSA-44 (199) and ML-DSA-65 (228) on BIND's pattern: the {@code .key}
 * file is the KEY record whose public-key field is the raw FIPS 204 public key (base64), and
 * the {@code .private} file is
 * <pre>
 * Private-key-format: v1.3
 * Algorithm: 199 (ML-DSA-44)
 * PrivateKey: &lt;base64 of the 32-octet FIPS 204 key-generation seed ξ&gt;
 * </pre>
 * plus BIND's optional timing lines. The seed is the whole private key (FIPS 204
 * ML-DSA.KeyGen_internal expands it deterministically, as RFC 9881's {@code seed} form does);
 * reading re-derives the public key from it and checks it against the {@code .key} file. A key
 * held only in its expanded form cannot be written.
 *
 * <p><b>Host-registered algorithms.</b> The methods without a {@link Sig0Config} know the
 * algorithms of {@link Sig0Algorithms#defaults()}. A host that registered an algorithm, or moved
 * one to another number ({@link Sig0Config.Builder#register}, e.g. ML-DSA-65 at a private-use
 * number), reads and writes its files with the overloads taking its configuration: its {@link
 * Sig0Config#algorithms()} decide which numbers are known and how their keys are encoded, its
 * {@link Sig0Config#provider()} decodes them. A number the registry does not hold is refused
 * with an error naming it.
 */
public final class Sig0KeyFiles {
  private Sig0KeyFiles() {}

  /** BIND's timing metadata fields, in the order BIND writes them. */
  static final String[] TIMING_FIELDS = {"Created", "Publish", "Activate", "Inactive", "Delete"};

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT);
  private static final String[] RSA_FIELDS = {
    "Modulus", "PublicExponent", "PrivateExponent", "Prime1", "Prime2", "Exponent1", "Exponent2",
    "Coefficient"
  };

  /**
   * Parses a BIND {@code .key} file: {@code ;} comment lines, then one KEY record such as
   * {@code child.parent.test. IN KEY 512 3 15 KeQI…}.
   *
   * @throws MalformedDataException when there is no KEY record, the protocol is not 3, or the
   *     key is not base64
   */
  public static Sig0PublicKey parsePublic(String keyFile) throws MalformedDataException {
    int lineNo = 0;
    for (String raw : keyFile.split("\n", -1)) {
      lineNo++;
      String line = raw.replace('(', ' ').replace(')', ' ').trim();
      if (line.isEmpty() || line.startsWith(";")) {
        continue;
      }
      String[] f = line.split("\\s+");
      int k = -1;
      for (int i = 1; i < f.length; i++) {
        if (f[i].equalsIgnoreCase("KEY")) {
          k = i;
          break;
        }
      }
      if (k < 0 || f.length < k + 5) {
        throw new MalformedDataException("KEY file", -1, "line " + lineNo + " is not a KEY record");
      }
      try {
        Name owner = Name.fromString(f[0]);
        if (!owner.isAbsolute()) {
          throw new MalformedDataException("KEY owner", -1, "not absolute: " + f[0]);
        }
        int flags = Integer.parseInt(f[k + 1]);
        int protocol = Integer.parseInt(f[k + 2]);
        if (protocol != Sig0PublicKey.PROTOCOL_DNSSEC) {
          throw new MalformedDataException("KEY protocol", -1, protocol + " is not 3 (DNSSEC)");
        }
        Sig0Algorithm alg = Sig0Algorithm.parse(f[k + 3]);
        String base64 = String.join("", Arrays.copyOfRange(f, k + 4, f.length));
        byte[] key;
        try {
          key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
          throw new MalformedDataException("KEY file", -1,
              "line " + lineNo + ": the public key is not base64 (" + base64Problem(base64) + ")");
        }
        return Sig0PublicKey.of(owner, flags, alg, key);
      } catch (TextParseException | IllegalArgumentException e) {
        throw new MalformedDataException("KEY file", -1, "line " + lineNo + ": " + e.getMessage(), e);
      }
    }
    throw new MalformedDataException("KEY file", -1, "no KEY record");
  }

  /**
   * Parses a BIND key pair from the texts of its {@code .key} and {@code .private} files.
   *
   * @throws MalformedDataException when a file is malformed, the algorithms differ or the private
   *     key does not belong to the public key
   * @throws ZonecutException when the provider cannot build the key
   */
  public static Sig0KeyPair parseKeyPair(String keyFile, String privateFile, Provider provider)
      throws ZonecutException {
    return parseKeyPair(keyFile, privateFile, Sig0Algorithms.defaults(), provider);
  }

  /**
   * Parses a BIND key pair of any algorithm in {@code config}'s registry ({@link
   * Sig0Config#algorithms()}, host-registered numbers included), decoding with {@link
   * Sig0Config#provider()}.
   *
   * @throws MalformedDataException when a file is malformed, the algorithms differ, the
   *     algorithm is not in the registry (the message names its number) or the private key does
   *     not belong to the public key
   * @throws ZonecutException when the provider cannot build the key
   */
  public static Sig0KeyPair parseKeyPair(String keyFile, String privateFile, Sig0Config config)
      throws ZonecutException {
    Objects.requireNonNull(config, "config");
    return parseKeyPair(keyFile, privateFile, config.algorithms(), config.provider());
  }

  private static Sig0KeyPair parseKeyPair(String keyFile, String privateFile,
      Sig0Algorithms algorithms, Provider provider) throws ZonecutException {
    Sig0PublicKey pub = parsePublic(keyFile);
    Map<String, String> fields = privateFields(privateFile);
    String format = fields.get("Private-key-format");
    if (format == null || !format.startsWith("v1.")) {
      throw new MalformedDataException("Private-key-format", -1, "missing or not v1.x: " + format);
    }
    String algField = fields.get("Algorithm");
    if (algField == null) {
      throw new MalformedDataException("Algorithm", -1, "missing in the private key file");
    }
    int alg;
    try {
      alg = Integer.parseInt(algField.split("\\s+")[0]);
    } catch (NumberFormatException e) {
      throw new MalformedDataException("Algorithm", -1, "not a number: " + algField);
    }
    if (alg != pub.algorithm().number()) {
      throw new MalformedDataException("Algorithm", -1,
          "private key is algorithm " + alg + ", public key " + pub.algorithm());
    }
    Sig0AlgorithmSpec spec = registered(algorithms, pub.algorithm());
    PrivateKey priv;
    try {
      if (isRsa(spec)) {
        BigInteger[] v = new BigInteger[RSA_FIELDS.length];
        for (int i = 0; i < v.length; i++) {
          v[i] = new BigInteger(1, base64Field(fields, RSA_FIELDS[i]));
        }
        priv = KeyFactory.getInstance("RSA", provider).generatePrivate(
            new RSAPrivateCrtKeySpec(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]));
      } else {
        // EC scalar, EdDSA seed (BIND); ML-DSA: the 32-octet FIPS 204 seed (zonecut's format).
        priv = spec.codec().privateKeyFromFile(base64Field(fields, "PrivateKey"), provider);
      }
    } catch (InvalidKeyException e) {
      throw new MalformedDataException("PrivateKey", -1, String.valueOf(e.getMessage()), e);
    } catch (GeneralSecurityException e) {
      throw new ZonecutException("cannot build the " + pub.algorithm() + " private key: " + e.getMessage(), e);
    }
    return checkedPair(spec, pub, priv);
  }

  /**
   * The registry's entry for {@code algorithm}, or a refusal naming the number and what is
   * registered.
   */
  private static Sig0AlgorithmSpec registered(Sig0Algorithms algorithms, Sig0Algorithm algorithm)
      throws MalformedDataException {
    Sig0AlgorithmSpec spec = algorithms.get(algorithm.number());
    if (spec == null) {
      throw new MalformedDataException("Algorithm", -1, "SIG(0) algorithm number "
          + algorithm.number() + " is not registered (known: " + algorithms + "); a host"
          + " algorithm needs the Sig0Config it was registered in");
    }
    return spec;
  }

  // RFC 3110 keys, whose private file has BIND's eight RSA fields instead of PrivateKey.
  private static boolean isRsa(Sig0AlgorithmSpec spec) {
    return spec.codec() instanceof ClassicCodec
        && (((ClassicCodec) spec.codec()).number() == 8
            || ((ClassicCodec) spec.codec()).number() == 10);
  }

  private static Sig0KeyPair checkedPair(Sig0AlgorithmSpec spec, Sig0PublicKey pub,
      PrivateKey priv) throws MalformedDataException {
    byte[] derived;
    try {
      derived = spec.codec().publicKeyFromPrivate(priv);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new MalformedDataException("private key", -1, "unusable: " + e.getMessage(), e);
    }
    if (!Arrays.equals(derived, pub.keyDataShared())) {
      throw new MalformedDataException("private key", -1, "does not belong to " + pub);
    }
    return Sig0KeyPair.of(spec, pub, priv);
  }

  private static byte[] base64Field(Map<String, String> fields, String name)
      throws MalformedDataException {
    String v = fields.get(name);
    if (v == null) {
      throw new MalformedDataException(name, -1, "missing in the private key file");
    }
    String base64 = v.replaceAll("\\s+", "");
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new MalformedDataException(name, -1, "not base64 (" + base64Problem(base64) + ")");
    }
  }

  /** Says where base64 text goes wrong, in words (the JDK says "Illegal base64 character 21"). */
  static String base64Problem(String base64) {
    for (int i = 0; i < base64.length(); i++) {
      char c = base64.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '+' || c == '/' || c == '=';
      if (!ok) {
        return "character '" + c + "' at position " + (i + 1);
      }
    }
    return base64.length() % 4 != 0 ? "length " + base64.length() + " is not a multiple of 4"
        : "misplaced padding";
  }

  /** The {@code Field: value} lines of a private key file (and the timing comments of a .key). */
  static Map<String, String> privateFields(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String raw : text.split("\n", -1)) {
      String line = raw.trim();
      if (line.startsWith(";")) {
        line = line.substring(1).trim();
      }
      int colon = line.indexOf(':');
      if (colon > 0) {
        out.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
      }
    }
    return out;
  }

  /** The timing metadata (Created, Publish, Activate, Inactive, Delete) present in a file's text. */
  static Map<String, Instant> timing(String text) {
    Map<String, Instant> out = new LinkedHashMap<>();
    Map<String, String> fields = privateFields(text);
    for (String f : TIMING_FIELDS) {
      String v = fields.get(f);
      if (v != null && v.length() >= 14) {
        try {
          out.put(f, LocalDateTime.parse(v.substring(0, 14), STAMP).toInstant(ZoneOffset.UTC));
        } catch (RuntimeException e) {
          // An unreadable stamp is treated as absent, as BIND ignores what it cannot parse.
        }
      }
    }
    return out;
  }

  /**
   * Reads a BIND key pair: {@code base} is the file name without extension or either file.
   *
   * @throws ZonecutException when a file cannot be read or is malformed
   */
  public static Sig0KeyPair read(Path base, Provider provider) throws ZonecutException {
    return read(base, Sig0Algorithms.defaults(), provider);
  }

  /**
   * Reads a BIND key pair of any algorithm in {@code config}'s registry (host-registered
   * numbers included), as {@link #parseKeyPair(String, String, Sig0Config)}.
   *
   * @throws ZonecutException when a file cannot be read or is malformed, or its algorithm is not
   *     registered in {@code config}
   */
  public static Sig0KeyPair read(Path base, Sig0Config config) throws ZonecutException {
    Objects.requireNonNull(config, "config");
    return read(base, config.algorithms(), config.provider());
  }

  private static Sig0KeyPair read(Path base, Sig0Algorithms algorithms, Provider provider)
      throws ZonecutException {
    Path b = stripExtension(base);
    Path keyFile = sibling(b, ".key");
    Path privateFile = sibling(b, ".private");
    String keyText = readText(keyFile);
    String privateText = readText(privateFile);
    try {
      parsePublic(keyText);
    } catch (MalformedDataException e) {
      throw e.in(keyFile.toString());
    }
    try {
      return parseKeyPair(keyText, privateText, algorithms, provider);
    } catch (MalformedDataException e) {
      throw e.in(privateFile.toString());
    }
  }

  /** {@link #read(Path, Provider)} with {@link Sig0Config#defaultProvider()}. */
  public static Sig0KeyPair read(Path base) throws ZonecutException {
    return read(base, Sig0Config.defaultProvider());
  }

  /** Reads a BIND {@code .key} file (or the {@code .key} next to the given base name). */
  public static Sig0PublicKey readPublic(Path base) throws ZonecutException {
    Path keyFile = sibling(stripExtension(base), ".key");
    try {
      return parsePublic(readText(keyFile));
    } catch (MalformedDataException e) {
      throw e.in(keyFile.toString());
    }
  }

  /** The {@code .key} file text BIND writes: timing comments, then the KEY record. */
  public static String formatPublic(Sig0PublicKey key) {
    return formatPublic(key, Map.of());
  }

  static String formatPublic(Sig0PublicKey key, Map<String, Instant> timing) {
    StringBuilder b = new StringBuilder();
    b.append("; SIG(0) key, keyid ").append(key.keyTag()).append(", for ").append(key.owner()).append('\n');
    for (Map.Entry<String, Instant> t : timing.entrySet()) {
      b.append("; ").append(t.getKey()).append(": ").append(stamp(t.getValue())).append('\n');
    }
    b.append(key.owner()).append(" IN KEY ").append(key.rdataText()).append('\n');
    return b.toString();
  }

  /**
   * The {@code .private} file text (private-key format v1.3).
   *
   * @throws ZonecutException when the private key cannot be exported (e.g. a hardware key)
   */
  public static String formatPrivate(Sig0KeyPair pair, PrivateKeyAccess access)
      throws ZonecutException {
    return formatPrivate(pair, Map.of(), access, Sig0Algorithms.defaults());
  }

  /**
   * The {@code .private} file text of a key of any algorithm in {@code config}'s registry
   * (host-registered numbers included; the {@code Algorithm:} line carries the registry's
   * mnemonic).
   *
   * @throws ZonecutException when the algorithm is not registered in {@code config} or the
   *     private key cannot be exported
   */
  public static String formatPrivate(Sig0KeyPair pair, PrivateKeyAccess access, Sig0Config config)
      throws ZonecutException {
    Objects.requireNonNull(config, "config");
    return formatPrivate(pair, Map.of(), access, config.algorithms());
  }

  static String formatPrivate(Sig0KeyPair pair, Map<String, Instant> timing, PrivateKeyAccess access,
      Sig0Algorithms algorithms) throws ZonecutException {
    Sig0PublicKey pub = pair.publicKey();
    int alg = pub.algorithm().number();
    Sig0AlgorithmSpec spec = algorithms.get(alg);
    if (spec == null) {
      throw new ZonecutException("cannot write the key files of " + pub + ": SIG(0) algorithm"
          + " number " + alg + " is not registered (known: " + algorithms + "); a host"
          + " algorithm needs the Sig0Config it was registered in");
    }
    PrivateKey priv = pair.privateKey(access);
    Base64.Encoder b64 = Base64.getEncoder();
    StringBuilder b = new StringBuilder();
    b.append("Private-key-format: v1.3\n");
    b.append("Algorithm: ").append(alg).append(" (").append(spec.mnemonic()).append(")\n");
    try {
      if (isRsa(spec)) {
        if (!(priv instanceof RSAPrivateCrtKey)) {
          throw new ZonecutException("RSA private key without CRT parameters cannot be written");
        }
        RSAPrivateCrtKey k = (RSAPrivateCrtKey) priv;
        BigInteger[] v = {k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(),
            k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP(), k.getPrimeExponentQ(),
            k.getCrtCoefficient()};
        for (int i = 0; i < v.length; i++) {
          b.append(RSA_FIELDS[i]).append(": ").append(b64.encodeToString(Sig0Crypto.unsigned(v[i]))).append('\n');
        }
      } else {
        b.append("PrivateKey: ")
            .append(b64.encodeToString(spec.codec().privateKeyToFile(priv))).append('\n');
      }
    } catch (GeneralSecurityException e) {
      throw new ZonecutException("cannot export the private key of " + pub + ": " + e.getMessage(), e);
    }
    for (Map.Entry<String, Instant> t : timing.entrySet()) {
      b.append(t.getKey()).append(": ").append(stamp(t.getValue())).append('\n');
    }
    return b.toString();
  }

  /**
   * Writes {@code K<name>+<alg>+<tag>.key} and {@code .private} into {@code dir}; the private file
   * is created with mode 0600 (on POSIX file systems) before any secret is written to it.
   *
   * @return the base path (without extension)
   * @throws ZonecutException when the files exist already or cannot be written
   */
  public static Path write(Path dir, Sig0KeyPair pair, PrivateKeyAccess access)
      throws ZonecutException {
    return write(dir, pair, access, Sig0Algorithms.defaults());
  }

  /**
   * Writes the key files of a key of any algorithm in {@code config}'s registry
   * (host-registered numbers included), as {@link #write(Path, Sig0KeyPair, PrivateKeyAccess)}.
   *
   * @return the base path (without extension)
   * @throws ZonecutException when the algorithm is not registered in {@code config}, or the
   *     files exist already or cannot be written
   */
  public static Path write(Path dir, Sig0KeyPair pair, PrivateKeyAccess access, Sig0Config config)
      throws ZonecutException {
    Objects.requireNonNull(config, "config");
    return write(dir, pair, access, config.algorithms());
  }

  private static Path write(Path dir, Sig0KeyPair pair, PrivateKeyAccess access,
      Sig0Algorithms algorithms) throws ZonecutException {
    Path base = dir.resolve(pair.publicKey().bindBaseName());
    if (Files.exists(sibling(base, ".key")) || Files.exists(sibling(base, ".private"))) {
      throw new ZonecutException("key files exist already: " + base);
    }
    writeFiles(base, pair.publicKey(), pair, Map.of(), access, algorithms);
    return base;
  }

  static void writeFiles(Path base, Sig0PublicKey pub, @Nullable Sig0KeyPair pair,
      Map<String, Instant> timing, PrivateKeyAccess access, Sig0Algorithms algorithms)
      throws ZonecutException {
    try {
      if (pair != null) {
        // Formatted (and the algorithm checked) before anything is written.
        String text = formatPrivate(pair, timing, access, algorithms);
        writeAtomically(sibling(base, ".private"), text, true);
      }
      writeAtomically(sibling(base, ".key"), formatPublic(pub, timing), false);
    } catch (IOException e) {
      throw new ZonecutException("cannot write key files " + base + ": " + e.getMessage(), e);
    }
  }

  private static void writeAtomically(Path target, String text, boolean secret) throws IOException {
    Path dir = Objects.requireNonNull(target.toAbsolutePath().getParent(), "parent directory");
    Path tmp;
    if (secret && dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      tmp = Files.createTempFile(dir, ".zonecut-", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      tmp = Files.createTempFile(dir, ".zonecut-", ".tmp");
      if (!secret && dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
    }
    try {
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * The private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}, RFC 5208/5958, RFC 7468).
   *
   * @throws ZonecutException when the key cannot be encoded (e.g. a hardware key)
   */
  public static String toPkcs8Pem(Sig0KeyPair pair, PrivateKeyAccess access) throws ZonecutException {
    byte[] der = pair.privateKey(access).getEncoded();
    if (der == null) {
      throw new ZonecutException("the private key of " + pair.publicKey() + " cannot be encoded");
    }
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
  }

  /**
   * Reads a PKCS#8 PEM private key and derives its public key.
   *
   * @param owner the signer's name the KEY record will have
   * @param flags the KEY flags
   * @param algorithm the DNSSEC algorithm (the PEM alone cannot tell RSASHA256 from RSASHA512)
   * @throws MalformedDataException when the text is not PKCS#8 PEM of that algorithm's key type
   * @throws ZonecutException when the provider cannot decode the key
   */
  public static Sig0KeyPair parsePkcs8Pem(
      String pem, Name owner, int flags, Sig0Algorithm algorithm, Provider provider)
      throws ZonecutException {
    Sig0AlgorithmSpec spec = Sig0Algorithms.defaults().find(algorithm).orElseThrow(
        () -> new IllegalArgumentException("unsupported SIG(0) algorithm " + algorithm));
    return parsePkcs8Pem(pem, owner, flags, spec, provider);
  }

  /**
   * Reads a PKCS#8 PEM private key of any algorithm in {@code config}'s registry
   * (host-registered numbers included), decoding with {@link Sig0Config#provider()}, and
   * derives its public key.
   *
   * @param algorithm the SIG(0) algorithm number the key will sign with
   * @throws MalformedDataException when {@code algorithm} is not registered in {@code config}
   *     (the message names its number) or the text is not PKCS#8 PEM of its key type
   * @throws ZonecutException when the provider cannot decode the key
   */
  public static Sig0KeyPair parsePkcs8Pem(
      String pem, Name owner, int flags, Sig0Algorithm algorithm, Sig0Config config)
      throws ZonecutException {
    Objects.requireNonNull(config, "config");
    return parsePkcs8Pem(pem, owner, flags, registered(config.algorithms(), algorithm),
        config.provider());
  }

  private static Sig0KeyPair parsePkcs8Pem(
      String pem, Name owner, int flags, Sig0AlgorithmSpec spec, Provider provider)
      throws ZonecutException {
    Sig0Algorithm algorithm = spec.algorithm();
    int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new MalformedDataException("PEM", -1, "no BEGIN/END PRIVATE KEY block");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
    } catch (IllegalArgumentException e) {
      throw new MalformedDataException("PEM", -1, "body is not base64", e);
    }
    int alg = algorithm.number();
    PrivateKey priv;
    byte[] pubData;
    try {
      priv = KeyFactory.getInstance(spec.codec().keyAlgorithmName(), provider)
          .generatePrivate(new PKCS8EncodedKeySpec(der));
      pubData = spec.codec().publicKeyFromPrivate(priv);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new MalformedDataException("PEM", -1,
          "not a PKCS#8 " + spec.codec().keyAlgorithmName() + " key: " + e.getMessage(), e);
    }
    if (spec.codec() instanceof ClassicCodec && (alg == 13 || alg == 14) && pubData.length != 2 * Sig0Crypto.fieldLength(alg)) {
      throw new MalformedDataException("PEM", -1, "EC key is not on the " + algorithm + " curve");
    }
    return checkedPair(spec, Sig0PublicKey.of(owner, flags, algorithm, pubData), priv);
  }

  private static String stamp(Instant t) {
    return STAMP.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
  }

  private static String readText(Path p) throws ZonecutException {
    try {
      return Files.readString(p, StandardCharsets.US_ASCII);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ZonecutException("key file " + p + " does not exist", e);
    } catch (java.nio.file.AccessDeniedException e) {
      throw new ZonecutException("key file " + p + " is not readable (permission denied)", e);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new ZonecutException("key file " + p + " is not ASCII text", e);
    } catch (IOException e) {
      throw new ZonecutException("cannot read key file " + p + ": " + e.getMessage(), e);
    }
  }

  static Path stripExtension(Path p) {
    String n = p.getFileName().toString();
    for (String ext : new String[] {".key", ".private"}) {
      if (n.endsWith(ext)) {
        return p.resolveSibling(n.substring(0, n.length() - ext.length()));
      }
    }
    return p;
  }

  static Path sibling(Path base, String ext) {
    return base.resolveSibling(base.getFileName().toString() + ext);
  }

}
