package io.github.zonecut.benchmarks;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.keystate.KeyStateOption;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyLookup;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0Outcome;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0Signer;
import io.github.zonecut.sig0.Sig0Verifier;
import io.github.zonecut.sig0.PrivateKeyAccess;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
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
import org.openjdk.jmh.infra.Blackhole;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * KeyState costs: the option codec, and one signed inquiry round (build the inquiry, SIG(0)-sign
 * it, verify it over the received bytes, read the option back) against the raw JCA sign + verify
 * of the same algorithm and provider over the same bytes. Bar: round ≥ 0.9 × raw.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KeyStateBench {
  private static final Name CHILD = Name.fromConstantString("child.parent.example.");

  @Param({"15", "13"})
  public int algorithm;

  private final KeyStateOption option = new KeyStateOption(34258, 9, 0, "auto bootstrap ongoing");
  private byte[] payload;
  private Sig0KeyPair key;
  private Sig0Signer signer;
  private Sig0Verifier verifier;
  private byte[] unsignedInquiry;
  private Signature rawSigner;
  private Signature rawVerifier;
  private PublicKey rawPublic;
  private String jcaName;

  @Setup
  public void setUp() throws Exception {
    payload = option.toPayload();
    key = Sig0KeyPair.generate(CHILD, Sig0Algorithm.of(algorithm), Sig0PublicKey.FLAGS_HOST);
    signer = Sig0Signer.create();
    verifier = Sig0Verifier.builder(Sig0KeyLookup.of(key.publicKey()))
        .insecureWithoutReplayGuard().build();
    unsignedInquiry = inquiry().toWire();
    jcaName = algorithm == 15 ? "Ed25519" : "SHA256withECDSA";
    var provider = Sig0Config.defaultProvider();
    rawSigner = Signature.getInstance(jcaName, provider);
    rawSigner.initSign(key.privateKey(PrivateKeyAccess.exposingPrivateKeys()));
    byte[] probe = signer.sign(unsignedInquiry, key);
    Sig0Outcome o = verifier.verify(probe);
    if (!(o instanceof Sig0Outcome.Verified)) {
      throw new IllegalStateException("setup: " + o);
    }
    rawVerifier = Signature.getInstance(jcaName, provider);
    rawPublic = derivePublic(provider);
    if (!rawSignVerify()) {
      throw new IllegalStateException("setup: raw verify failed");
    }
  }

  private PublicKey derivePublic(java.security.Provider provider) throws Exception {
    byte[] spki = key.publicKey().keyData();
    byte[] der;
    if (algorithm == 15) {
      der = new byte[12 + spki.length];
      byte[] prefix = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
      System.arraycopy(prefix, 0, der, 0, 12);
      System.arraycopy(spki, 0, der, 12, spki.length);
      return KeyFactory.getInstance("Ed25519", provider).generatePublic(new X509EncodedKeySpec(der));
    }
    byte[] prefix = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce,
        0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01,
        0x07, 0x03, 0x42, 0x00, 0x04};
    der = new byte[prefix.length + spki.length];
    System.arraycopy(prefix, 0, der, 0, prefix.length);
    System.arraycopy(spki, 0, der, prefix.length, spki.length);
    return KeyFactory.getInstance("EC", provider).generatePublic(new X509EncodedKeySpec(der));
  }

  private Message inquiry() {
    Message q = Message.newQuery(Record.newRecord(CHILD, Type.KEY, DClass.IN));
    q.addRecord(new OPTRecord(1232, 0, 0, 0,
        KeyStateOption.inquiry(key.publicKey().keyTag()).toEdnsOption(Codepoints.DEFAULT)),
        Section.ADDITIONAL);
    return q;
  }

  @Benchmark
  public byte[] encodeOption() {
    return option.toEdnsOption(Codepoints.DEFAULT).toWire();
  }

  @Benchmark
  public KeyStateOption decodeOption() throws Exception {
    return KeyStateOption.parse(payload);
  }

  /** Build, sign, verify, read back: what a child and a receiver spend per inquiry. */
  @Benchmark
  public void signedInquiryRound(Blackhole bh) throws Exception {
    byte[] wire = signer.sign(inquiry().toWire(), key);
    bh.consume(verifier.verify(wire));
    bh.consume(KeyStateOption.find(new Message(wire), Codepoints.DEFAULT));
  }

  /** The baseline: JCA sign + verify of the same bytes with the same provider. */
  @Benchmark
  public boolean rawSignVerify() throws Exception {
    rawSigner.update(unsignedInquiry);
    byte[] sig = rawSigner.sign();
    rawVerifier.initVerify(rawPublic);
    rawVerifier.update(unsignedInquiry);
    return rawVerifier.verify(sig);
  }
}
