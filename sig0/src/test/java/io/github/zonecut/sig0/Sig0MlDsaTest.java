package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.sig0.internal.Sig0Providers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * ML-DSA-44 and ML-DSA-65 in SIG(0) (experimental; FIPS 204 pure mode, empty context): round
 * trips over the wire bytes under every provider, key files, the TCP-only and size limits, and
 * the registry as configuration.
 */
class Sig0MlDsaTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T02:00:00Z"), ZoneOffset.UTC);
  static final Name OWNER = Name.fromConstantString("child.example.");

  static List<Sig0Config> configs() {
    List<Sig0Config> out = new ArrayList<>();
    out.add(Sig0Config.builder().clock(CLOCK).build());
    out.add(Sig0Config.builder().clock(CLOCK).pinBouncyCastleOnly().build());
    Provider accp = Sig0Providers.accp();
    if (accp != null) {
      out.add(Sig0Config.builder().clock(CLOCK).provider(accp).build());
    }
    return out;
  }

  static Sig0Verifier verifier(Sig0Config config, Sig0PublicKey key) {
    return Sig0Verifier.builder((signer, alg, tag) -> List.of(key))
        .config(config).insecureWithoutReplayGuard().build();
  }

  @ParameterizedTest
  @ValueSource(ints = {199, 228})
  void signedRequestsAndResponsesVerifyUnderEveryProvider(int number) throws Exception {
    Sig0Algorithm alg = Sig0Algorithm.of(number);
    Sig0KeyPair key = Sig0KeyPair.generate(OWNER, alg, Sig0PublicKey.FLAGS_ZONE);
    Sig0AlgorithmSpec spec = Sig0Algorithms.defaults().spec(alg);
    assertThat(spec.experimental()).isTrue();
    assertThat(spec.tcpOnly()).isTrue();
    int keyLength = number == 199 ? 1312 : 1952;
    int sigLength = number == 199 ? 2420 : 3309;
    assertThat(key.publicKey().keyDataShared()).hasSize(keyLength);
    Update update = new Update(Name.fromConstantString("example."));
    update.add(key.publicKey().toKeyRecord(3600));
    byte[] unsigned = update.toWire();
    for (Sig0Config signing : configs()) {
      byte[] signed = Sig0Signer.create(signing).sign(unsigned, key, TransportProtocol.TCP);
      // dnsjava parses the SIG(0) with the algorithm number it does not know.
      Message parsed = new Message(signed);
      Record sig = parsed.getSection(Section.ADDITIONAL).get(0);
      assertThat(sig.getType()).isEqualTo(Type.SIG);
      assertThat(signed.length - unsigned.length).isGreaterThan(sigLength);
      byte[] response = new Message(update.getHeader().getID()).toWire();
      byte[] signedResponse = Sig0Signer.create(signing)
          .signResponse(response, signed, key, Sig0ResponseForm.WITH_QUERY);
      for (Sig0Config verifying : configs()) {
        String as = "signed with [" + signing.describe() + "], verified with ["
            + verifying.describe() + "]";
        assertThat(verifier(verifying, key.publicKey()).verify(signed)).as(as)
            .isInstanceOf(Sig0Outcome.Verified.class);
        assertThat(verifier(verifying, key.publicKey()).verifyResponse(signedResponse, signed))
            .as(as).isInstanceOf(Sig0Outcome.Verified.class);
        byte[] tampered = signed.clone();
        tampered[unsigned.length - 3] ^= 1;
        assertThat(verifier(verifying, key.publicKey()).verify(tampered)).as(as)
            .isInstanceOf(Sig0Outcome.BadSignature.class);
        byte[] truncated = java.util.Arrays.copyOf(signed, signed.length - 1);
        truncated[unsigned.length + 10] = (byte) (truncated[unsigned.length + 10] - 1);
        assertThat(verifier(verifying, key.publicKey()).verify(truncated)).as(as)
            .isNotInstanceOf(Sig0Outcome.Verified.class);
      }
    }
  }

  @Test
  void theDefaultSelectionUsesAccpForMlDsaWhenItLoadsAndSelfTests() {
    Sig0Config c = Sig0Config.defaults();
    Provider accp = Sig0Providers.accp();
    Provider expected = accp != null ? accp : Sig0Config.defaultProvider();
    assertThat(c.signatureProvider(Sig0Algorithm.of(199))).isSameAs(expected);
    assertThat(c.signatureProvider(Sig0Algorithm.of(228))).isSameAs(expected);
    assertThat(c.describe()).contains("ML-DSA-44(199)=").contains("(experimental)");
    assertThat(Sig0Config.selfTest(Sig0Algorithm.of(199), Sig0Config.defaultProvider())).isTrue();
    // The JDK 17 providers have no ML-DSA: the self-test says so instead of throwing.
    assertThat(Sig0Config.selfTest(Sig0Algorithm.of(199),
        java.security.Security.getProvider("SunEC"))).isFalse();
  }

  @Test
  void anMlDsaSignatureOverUdpIsRefusedWithASpecificError() throws Exception {
    Sig0KeyPair key = Sig0KeyPair.generate(OWNER, Sig0Algorithm.of(199), Sig0PublicKey.FLAGS_ZONE);
    byte[] unsigned = new Update(Name.fromConstantString("example.")).toWire();
    Sig0Signer signer = Sig0Signer.create(Sig0Config.builder().clock(CLOCK).build());
    assertThatThrownBy(() -> signer.sign(unsigned, key, TransportProtocol.UDP))
        .isInstanceOfSatisfying(Sig0TransportException.class, e -> assertThat(e.reason())
            .isEqualTo(Sig0TransportException.Reason.TCP_ONLY_ALGORITHM))
        .hasMessageContaining("ML-DSA-44(199) is TCP only");
    // A classic algorithm may go over UDP.
    Sig0KeyPair ed = Sig0KeyPair.generate(OWNER, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_ZONE);
    assertThat(signer.sign(unsigned, ed, TransportProtocol.UDP)).isNotEmpty();
  }

  @Test
  void aSignedMessageOver65535OctetsIsRefusedWithASpecificError() throws Exception {
    Sig0KeyPair key = Sig0KeyPair.generate(OWNER, Sig0Algorithm.of(228), Sig0PublicKey.FLAGS_ZONE);
    Update update = new Update(Name.fromConstantString("example."));
    // 26 TXT records of 2,4 KB: about 63 KB unsigned, over 65535 with the 3.3 KB signature.
    for (int i = 0; i < 26; i++) {
      List<String> strings = new ArrayList<>();
      for (int j = 0; j < 10; j++) {
        strings.add("x".repeat(240));
      }
      update.add(new TXTRecord(Name.fromConstantString("t" + i + ".example."), DClass.IN, 60,
          strings));
    }
    byte[] unsigned = update.toWire();
    assertThat(unsigned.length).isLessThan(65535).isGreaterThan(65535 - 3309);
    Sig0Signer signer = Sig0Signer.create(Sig0Config.builder().clock(CLOCK).build());
    assertThatThrownBy(() -> signer.sign(unsigned, key))
        .isInstanceOfSatisfying(Sig0TransportException.class, e -> assertThat(e.reason())
            .isEqualTo(Sig0TransportException.Reason.MESSAGE_TOO_LARGE))
        .hasMessageContaining("over the 65535");
  }

  @ParameterizedTest
  @ValueSource(ints = {199, 228})
  void keyFilesRoundTripWithTheSeedAsPrivateKey(int number, @TempDir Path dir) throws Exception {
    Sig0KeyPair key = Sig0KeyPair.generate(OWNER, Sig0Algorithm.of(number), Sig0PublicKey.FLAGS_ZONE);
    Path base = Sig0KeyFiles.write(dir, key, PrivateKeyAccess.exposingPrivateKeys());
    String priv = Files.readString(Sig0KeyFiles.sibling(base, ".private"));
    String mnemonic = number == 199 ? "ML-DSA-44" : "ML-DSA-65";
    assertThat(priv).contains("Algorithm: " + number + " (" + mnemonic + ")\n");
    String seed = priv.lines().filter(l -> l.startsWith("PrivateKey: ")).findFirst().orElseThrow();
    assertThat(java.util.Base64.getDecoder().decode(seed.substring(12))).hasSize(32);
    Sig0KeyPair read = Sig0KeyFiles.read(base);
    assertThat(read.publicKey()).isEqualTo(key.publicKey());
    assertThat(Sig0KeyFiles.formatPrivate(read, PrivateKeyAccess.exposingPrivateKeys()))
        .isEqualTo(Sig0KeyFiles.formatPrivate(key, PrivateKeyAccess.exposingPrivateKeys()));
    // The key read back signs, and the original public key verifies it.
    Sig0Config config = Sig0Config.builder().clock(CLOCK).build();
    byte[] signed = Sig0Signer.create(config)
        .sign(new Update(Name.fromConstantString("example.")).toWire(), read);
    assertThat(verifier(config, key.publicKey()).verify(signed))
        .isInstanceOf(Sig0Outcome.Verified.class);
    // A private key of another key pair is refused.
    Sig0KeyPair other = Sig0KeyPair.generate(OWNER, Sig0Algorithm.of(number), Sig0PublicKey.FLAGS_ZONE);
    String otherPriv = Sig0KeyFiles.formatPrivate(other, PrivateKeyAccess.exposingPrivateKeys());
    assertThatThrownBy(() -> Sig0KeyFiles.parseKeyPair(Sig0KeyFiles.formatPublic(key.publicKey()),
        otherPriv, Sig0Config.defaultProvider()))
        .isInstanceOf(io.github.zonecut.core.MalformedDataException.class)
        .hasMessageContaining("does not belong");
    // PKCS#8 PEM round trip too.
    String pem = Sig0KeyFiles.toPkcs8Pem(key, PrivateKeyAccess.exposingPrivateKeys());
    assertThat(Sig0KeyFiles.parsePkcs8Pem(pem, OWNER, Sig0PublicKey.FLAGS_ZONE,
        Sig0Algorithm.of(number), Sig0Config.defaultProvider()).publicKey())
        .isEqualTo(key.publicKey());
  }

  @Test
  void theRegistryIsConfigurationNotGlobalState() throws Exception {
    // A host speaking another number for ML-DSA-44 (here 230) registers it on its own config.
    Sig0Algorithms mine = Sig0Algorithms.iana().with(Sig0AlgorithmSpec.mlDsa44(230));
    Sig0Config config = Sig0Config.builder().clock(CLOCK).algorithms(mine).build();
    assertThat(config.algorithms().algorithms()).extracting(Sig0Algorithm::number)
        .containsExactly(8, 10, 13, 14, 15, 16, 230);
    Sig0AlgorithmSpec spec = config.spec(Sig0Algorithm.of(230));
    Sig0KeyPair key = Sig0KeyPair.generate(OWNER, spec, Sig0PublicKey.FLAGS_ZONE,
        Sig0Config.defaultProvider());
    byte[] signed = Sig0Signer.create(config)
        .sign(new Update(Name.fromConstantString("example.")).toWire(), key);
    assertThat(verifier(config, key.publicKey()).verify(signed))
        .isInstanceOf(Sig0Outcome.Verified.class);
    // The default configuration does not know 230; an IANA-only one does not know 199.
    assertThat(verifier(Sig0Config.builder().clock(CLOCK).build(), key.publicKey()).verify(signed))
        .isInstanceOf(Sig0Outcome.UnknownKey.class);
    Sig0KeyPair k199 = Sig0KeyPair.generate(OWNER, Sig0Algorithm.of(199), Sig0PublicKey.FLAGS_ZONE);
    Sig0Config ianaOnly = Sig0Config.builder().clock(CLOCK).algorithms(Sig0Algorithms.iana()).build();
    byte[] signed199 = Sig0Signer.create(Sig0Config.builder().clock(CLOCK).build())
        .sign(new Update(Name.fromConstantString("example.")).toWire(), k199);
    assertThat(verifier(ianaOnly, k199.publicKey()).verify(signed199))
        .isInstanceOfSatisfying(Sig0Outcome.UnknownKey.class,
            u -> assertThat(u.toString()).contains("not supported"));
    assertThatThrownBy(() -> Sig0Signer.create(ianaOnly)
        .sign(new Update(Name.fromConstantString("example.")).toWire(), k199))
        .hasMessageContaining("not registered");
    // Numbers and mnemonics cannot be taken twice; the profile's numbers move the defaults.
    assertThatThrownBy(() -> Sig0Algorithms.defaults().with(Sig0AlgorithmSpec.mlDsa44(199)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("taken");
    assertThatThrownBy(() -> Sig0Algorithms.defaults().with(Sig0AlgorithmSpec.mlDsa44(231)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mnemonic");
    Codepoints profile = Codepoints.builder().sig0MlDsa44(240).sig0MlDsa65(241).build();
    assertThat(Sig0Algorithms.defaults(profile).algorithms()).extracting(Sig0Algorithm::number)
        .containsExactly(8, 10, 13, 14, 15, 16, 240, 241);
    assertThatThrownBy(() -> Codepoints.builder().sig0MlDsa44(15).build())
        .hasMessageContaining("sig0MlDsa44");
  }

  @Test
  void anMlDsaKeyRecordRoundTripsThroughDnsjava() throws Exception {
    Sig0KeyPair key = Sig0KeyPair.generate(OWNER, Sig0Algorithm.of(199), Sig0PublicKey.FLAGS_ZONE);
    KEYRecord rec = key.publicKey().toKeyRecord(3600);
    Sig0PublicKey back = Sig0PublicKey.fromKeyRecord(
        (KEYRecord) Record.fromWire(rec.toWire(org.xbill.DNS.Section.ANSWER), Section.ANSWER));
    assertThat(back).isEqualTo(key.publicKey());
    assertThat(Sig0KeyFiles.parsePublic(Sig0KeyFiles.formatPublic(key.publicKey())))
        .isEqualTo(key.publicKey());
  }

  /**
   * FIPS 204 §3.4: signing is hedged under every provider (Bouncy Castle 1.87 signs
   * deterministically unless handed randomness): the same message signed twice gives two
   * different signatures, both valid.
   */
  @Test
  void signingIsHedgedUnderEveryProvider() throws Exception {
    Sig0KeyPair key = Sig0KeyPair.generate(OWNER, Sig0Algorithm.of(199), Sig0PublicKey.FLAGS_ZONE);
    byte[] unsigned = new Update(Name.fromConstantString("example.")).toWire();
    for (Sig0Config config : configs()) {
      Sig0Signer signer = Sig0Signer.create(config);
      byte[] a = signer.sign(unsigned, key);
      byte[] b = signer.sign(unsigned, key);
      assertThat(a).as(config.describe()).isNotEqualTo(b);
      assertThat(verifier(config, key.publicKey()).verify(a)).isInstanceOf(Sig0Outcome.Verified.class);
      assertThat(verifier(config, key.publicKey()).verify(b)).isInstanceOf(Sig0Outcome.Verified.class);
    }
  }
}
