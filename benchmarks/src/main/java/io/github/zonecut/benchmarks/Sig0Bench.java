package io.github.zonecut.benchmarks;

import io.github.zonecut.sig0.PrivateKeyAccess;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyLookup;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0Outcome;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0Signer;
import io.github.zonecut.sig0.Sig0Verifier;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Update;

/**
 * SIG(0) sign and verify of a ~200-octet UPDATE on one thread, each next to the raw provider
 * primitive over the same to-be-signed octets in the same run (the bar: zonecut ≥ 0.95× raw).
 * The raw primitive reuses one initialised {@code Signature}; zonecut includes the wire walk,
 * the key lookup, the time check, the ECDSA DER/r‖s conversion and building the output.
 *
 * <p>{@code provider}: {@code BC} pins every algorithm to Bouncy Castle; {@code ACCP} puts the
 * algorithm on the Amazon Corretto Crypto Provider (keys still decoded by Bouncy Castle, as in
 * the default selection); {@code DEFAULT} is {@link Sig0Config#defaults()}. The raw primitive
 * uses the same provider with the key in the provider's native form.
 *
 * <p>Both sides sign and verify the same few ({@value #MESSAGES}) messages in turn (they differ in
 * their message ID), octet for octet: the signer's clock is fixed, so zonecut's to-be-signed
 * data is the raw primitive's. That matters for ML-DSA: FIPS 204 signing repeats a rejection
 * loop a number of times that depends on the message (and, hedged, on fresh randomness), and
 * Bouncy Castle 1.87 signs deterministically, so one fixed message measures that message's loop
 * count (0.3× to 3× the mean), not the provider, and a message that changes with the clock
 * (zonecut's, every second) gives a different count than the raw side's fixed one. zonecut signs
 * ML-DSA hedged (FIPS 204 §3.4) under every provider; the raw ML-DSA primitive is handed a
 * random source too, so both sides run the same variant.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar Sig0Bench}. Compare with miekg/dns:
 * {@code sig0tool bench KBASE 5000} (shared/peers/sig0tool.go) on the same machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class Sig0Bench {

  /**
   * How many distinct messages each side cycles through (a power of two). Few: 256 messages
   * (180 kB cycling through the caches) slowed AWS-LC's P-256 verify, raw and zonecut alike, by
   * about 6 %; with hedged ML-DSA signing on both sides, varying messages are no longer needed
   * to average its rejection loop.
   */
  static final int MESSAGES = 8;
  /** The fixed signing time, inside the window of the verifier (same clock). */
  private static final java.time.Instant NOW = java.time.Instant.parse("2026-12-05T00:00:00Z");

  // ML-DSA-44 (experimental, algorithm 199): reported, no goal.
  @Param({"ED25519", "ECDSAP256SHA256", "RSASHA256", "ML-DSA-44"})
  public String algorithm = "ED25519";

  @Param({"BC", "ACCP"})
  public String provider = "BC";

  private Sig0KeyPair key;
  private Sig0Signer signer;
  private Sig0Verifier verifier;
  private final byte[][] unsigned = new byte[MESSAGES][];
  private final byte[][] signed = new byte[MESSAGES][];
  private final byte[][] toBeSigned = new byte[MESSAGES][];
  private final byte[][] rawSignature = new byte[MESSAGES][];
  private int next;
  private Signature rawSigner;
  private Signature rawVerifier;
  private PrivateKey privateKey;
  private PublicKey publicKey;
  // Non-null for ML-DSA: the raw side signs hedged, as zonecut does.
  private java.security.SecureRandom hedge;

  @Setup
  public void setUp() throws Exception {
    Sig0Config config = fixedClock(config(provider, Sig0Algorithm.parse(algorithm)));
    Provider keys = config.provider();
    Provider sigProvider = config.signatureProvider(Sig0Algorithm.parse(algorithm));
    Name owner = Name.fromString("child.parent.test.");
    key = Sig0KeyPair.generate(owner, Sig0Algorithm.parse(algorithm), Sig0PublicKey.FLAGS_HOST, keys);
    signer = Sig0Signer.create(config);
    // No replay guard: the benchmark verifies the same message again and again.
    verifier = Sig0Verifier.builder(Sig0KeyLookup.of(key.publicKey())).config(config)
        .insecureWithoutReplayGuard().build();

    io.github.zonecut.sig0.Sig0AlgorithmCodec codec =
        config.spec(Sig0Algorithm.parse(algorithm)).codec();
    int sigLength = signatureLength(algorithm);
    for (int m = 0; m < MESSAGES; m++) {
      Message update = new Update(Name.fromString("parent.test."));
      update.getHeader().setID(m);
      update.addRecord(new DSRecord(owner, DClass.IN, 3600, 44407, 13, 2,
          org.xbill.DNS.utils.base16.fromString(
              "98E14DF2DC5C57347A6155F0DB120E8F8CC8F54D5F5B5D6F6A7B7C7D7E7F8081")),
          org.xbill.DNS.Section.UPDATE);
      update.addRecord(new NSRecord(owner, DClass.IN, 3600, Name.fromString("ns1.operator.test.")),
          org.xbill.DNS.Section.UPDATE);
      update.addRecord(new NSRecord(owner, DClass.IN, 3600, Name.fromString("ns2.operator.test.")),
          org.xbill.DNS.Section.UPDATE);
      unsigned[m] = update.toWire();
      signed[m] = signer.sign(unsigned[m], key);
      // The to-be-signed octets (RFC 2931 §3.1): SIG RDATA without the signature ‖ unsigned message.
      int rdataStart = unsigned[m].length + 11;
      byte[] rdataPrefix = Arrays.copyOfRange(signed[m], rdataStart, signed[m].length - sigLength);
      toBeSigned[m] = new byte[rdataPrefix.length + unsigned[m].length];
      System.arraycopy(rdataPrefix, 0, toBeSigned[m], 0, rdataPrefix.length);
      System.arraycopy(unsigned[m], 0, toBeSigned[m], rdataPrefix.length, unsigned[m].length);
    }

    String jca = codec.signatureName();
    // The benchmark runs on the class path, so it may reach the internal decoder directly; the
    // raw primitive gets the keys in the provider's native form.
    privateKey = io.github.zonecut.sig0.internal.Sig0Providers.forSign(
        codec, key.privateKey(PrivateKeyAccess.exposingPrivateKeys()), sigProvider);
    publicKey = io.github.zonecut.sig0.internal.Sig0Providers.forVerify(codec,
        codec.decodePublicKey(key.publicKey().keyData(), keys), sigProvider);
    hedge = algorithm.startsWith("ML-DSA") ? new java.security.SecureRandom() : null;
    rawSigner = Signature.getInstance(jca, sigProvider);
    rawVerifier = Signature.getInstance(jca, sigProvider);
    for (int m = 0; m < MESSAGES; m++) {
      rawSignature[m] = rawSignAt(m);
      next = m;
      if (!(verifier.verify(signed[m]) instanceof Sig0Outcome.Verified) || !rawVerifyAt(m)) {
        throw new IllegalStateException("benchmark set-up does not verify");
      }
    }
    next = 0;
  }

  /** {@code config} with its clock fixed at {@link #NOW}, its providers unchanged. */
  private static Sig0Config fixedClock(Sig0Config c) {
    return new Sig0Config(c.provider(), java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC),
        c.signBefore(), c.signAfter(), c.skew(), c.maxValidity(), c.signatureProviders(),
        c.algorithms());
  }

  private int nextMessage() {
    int m = next;
    next = (m + 1) & (MESSAGES - 1);
    return m;
  }

  /** The configuration for a {@code provider} parameter value. */
  static Sig0Config config(String provider, Sig0Algorithm algorithm) {
    switch (provider) {
      case "DEFAULT":
        return Sig0Config.defaults();
      case "BC":
        return Sig0Config.builder().pinBouncyCastleOnly().build();
      case "ACCP":
        {
          Provider accp = io.github.zonecut.sig0.internal.Sig0Providers.accp();
          if (accp == null) {
            throw new IllegalStateException(
                "ACCP is not available: " + Sig0Config.nativeProviderStatus());
          }
          return Sig0Config.builder().pinBouncyCastleOnly().signatureProvider(algorithm, accp).build();
        }
      case "DEFAULT_ON_ACCP":
        {
          // The default selection, which must have put this algorithm on ACCP.
          Sig0Config c = Sig0Config.defaults();
          if (!c.signatureProvider(algorithm).getName().equals("AmazonCorrettoCryptoProvider")) {
            throw new IllegalStateException("the default selection is not ACCP: " + c.describe());
          }
          return c;
        }
      default:
        throw new IllegalArgumentException("provider BC, ACCP or DEFAULT: " + provider);
    }
  }

  private static int signatureLength(String algorithm) {
    switch (algorithm) {
      case "ED25519":
      case "ECDSAP256SHA256":
        return 64;
      case "ML-DSA-44":
        return 2420;
      default:
        return 256;
    }
  }

  @Benchmark
  public byte[] sign() throws Exception {
    return signer.sign(unsigned[nextMessage()], key);
  }

  @Benchmark
  public byte[] rawSign() throws Exception {
    return rawSignAt(nextMessage());
  }

  private byte[] rawSignAt(int m) throws Exception {
    if (hedge != null) {
      rawSigner.initSign(privateKey, hedge);
    } else {
      rawSigner.initSign(privateKey);
    }
    rawSigner.update(toBeSigned[m]);
    return rawSigner.sign();
  }

  @Benchmark
  public Sig0Outcome verify() {
    return verifier.verify(signed[nextMessage()]);
  }

  @Benchmark
  public boolean rawVerify() throws Exception {
    return rawVerifyAt(nextMessage());
  }

  private boolean rawVerifyAt(int m) throws Exception {
    rawVerifier.initVerify(publicKey);
    rawVerifier.update(toBeSigned[m]);
    return rawVerifier.verify(rawSignature[m]);
  }
}
