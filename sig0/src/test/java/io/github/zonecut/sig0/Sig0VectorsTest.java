package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Security;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Captured vectors from BIND nsupdate, miekg/dns and Net::DNS::SEC, and the spec §9.2 vector. */
class Sig0VectorsTest {

  static Stream<String> positive() {
    return Stream.of(TestVectors.POSITIVE);
  }

  private static Sig0KeyLookup allVectorKeys() {
    return Sig0KeyLookup.of(
        TestVectors.publicKey(TestVectors.KEY_ED25519),
        TestVectors.publicKey(TestVectors.KEY_P256),
        TestVectors.publicKey(TestVectors.KEY_RSA));
  }

  private static Sig0Verifier verifier(Sig0KeyLookup keys, Clock clock) {
    return Sig0Verifier.builder(keys).config(Sig0Config.builder().clock(clock).build()).replayGuard(Sig0ReplayGuard.create()).build();
  }

  @ParameterizedTest
  @MethodSource("positive")
  void verifiesInsideItsWindow(String vector) {
    Sig0Outcome out = verifier(allVectorKeys(), TestVectors.insideWindow(vector))
        .verify(TestVectors.wire(vector));
    assertThat(out).isInstanceOf(Sig0Outcome.Verified.class);
    Sig0Outcome.Verified v = (Sig0Outcome.Verified) out;
    assertThat(v.key().owner().toString()).isEqualTo("child.parent.test.");
    assertThat(v.inception()).isEqualTo(TestVectors.window(vector)[0]);
    assertThat(v.expiration()).isEqualTo(TestVectors.window(vector)[1]);
    assertThat(out.rcode()).isZero();
  }

  @ParameterizedTest
  @MethodSource("positive")
  void failsAsOutsideTheWindowAtTodaysClock(String vector) {
    Instant[] w = TestVectors.window(vector);
    Instant today = Instant.parse("2026-11-26T00:00:00Z");
    Sig0Outcome out = verifier(allVectorKeys(), Clock.fixed(today, ZoneOffset.UTC))
        .verify(TestVectors.wire(vector));
    assertThat(out).isInstanceOf(Sig0Outcome.BadTime.class);
    assertThat(((Sig0Outcome.BadTime) out).offsetSeconds())
        .isEqualTo(today.getEpochSecond() - w[1].getEpochSecond());
    assertThat(out.rcode()).isEqualTo(18);
    // And at the real clock (the vectors' windows closed on 2026-11-25 around 17:25 UTC).
    assertThat(Sig0Verifier.builder(allVectorKeys()).replayGuard(Sig0ReplayGuard.create()).build().verify(TestVectors.wire(vector)))
        .isInstanceOf(Sig0Outcome.BadTime.class);
  }

  @ParameterizedTest
  @MethodSource("positive")
  void skewBoundariesAreInclusive(String vector) {
    Instant[] w = TestVectors.window(vector);
    byte[] wire = TestVectors.wire(vector);
    Sig0KeyLookup keys = allVectorKeys();
    assertThat(verifier(keys, Clock.fixed(w[1].plusSeconds(300), ZoneOffset.UTC)).verify(wire))
        .isInstanceOf(Sig0Outcome.Verified.class);
    assertThat(verifier(keys, Clock.fixed(w[0].minusSeconds(300), ZoneOffset.UTC)).verify(wire))
        .isInstanceOf(Sig0Outcome.Verified.class);
    Sig0Outcome late = verifier(keys, Clock.fixed(w[1].plusSeconds(301), ZoneOffset.UTC)).verify(wire);
    assertThat(late).isEqualTo(new Sig0Outcome.BadTime(301, w[0], w[1]));
    Sig0Outcome early = verifier(keys, Clock.fixed(w[0].minusSeconds(301), ZoneOffset.UTC)).verify(wire);
    assertThat(early).isEqualTo(new Sig0Outcome.BadTime(-301, w[0], w[1]));
  }

  @ParameterizedTest
  @MethodSource("positive")
  void failsAsUnknownKeyWithTheWrongKey(String vector) {
    Sig0Outcome out = verifier(
            Sig0KeyLookup.of(TestVectors.publicKey(TestVectors.KEY_ED25519_WRONG)),
            TestVectors.insideWindow(vector))
        .verify(TestVectors.wire(vector));
    assertThat(out).isInstanceOf(Sig0Outcome.UnknownKey.class);
    assertThat(out.rcode()).isEqualTo(17);
  }

  @Test
  void aLookupAnsweringTheWrongKeyIsNotTrusted() {
    // A store that ignores the key tag: the verifier confirms the tag from the key bytes.
    Sig0PublicKey wrong = TestVectors.publicKey(TestVectors.KEY_ED25519_WRONG);
    String vector = "sig0-nsupdate-ed25519";
    Sig0Outcome out = verifier((s, a, t) -> java.util.List.of(wrong), TestVectors.insideWindow(vector))
        .verify(TestVectors.wire(vector));
    assertThat(out).isInstanceOf(Sig0Outcome.UnknownKey.class);
  }

  @Test
  void tamperedVectorFailsAsBadSignature() {
    String vector = "sig0-nsupdate-ed25519-TAMPERED";
    Sig0Outcome out = verifier(allVectorKeys(), TestVectors.insideWindow("sig0-nsupdate-ed25519"))
        .verify(TestVectors.wire(vector));
    assertThat(out).isInstanceOf(Sig0Outcome.BadSignature.class);
    assertThat(out.rcode()).isEqualTo(16);
  }

  @ParameterizedTest
  @MethodSource("positive")
  void verifiesWithTheJdkProvidersToo(String vector) {
    String name = vector.contains("rsa") ? "SunRsaSign" : "SunEC";
    Sig0Config jdk = Sig0Config.builder()
        .provider(Security.getProvider(name))
        .clock(TestVectors.insideWindow(vector))
        .build();
    Sig0Outcome out = Sig0Verifier.builder(allVectorKeys()).config(jdk).replayGuard(Sig0ReplayGuard.create()).build()
        .verify(TestVectors.wire(vector));
    assertThat(out).isInstanceOf(Sig0Outcome.Verified.class);
  }

  @Test
  void spec92VectorIsReproducedByteForByte() throws Exception {
    Sig0KeyPair key = TestVectors.spec92Key();
    assertThat(key.publicKey().keyTag()).isEqualTo(34258);
    Sig0Config config = Sig0Config.builder()
        .clock(Clock.fixed(Instant.ofEpochSecond(TestVectors.SPEC92_INCEPTION), ZoneOffset.UTC))
        .signingWindow(java.time.Duration.ZERO, java.time.Duration.ofSeconds(300))
        .build();
    byte[] signed = Sig0Signer.create(config).sign(TestVectors.SPEC92_UNSIGNED, key);
    assertThat(HexFormat.of().formatHex(signed))
        .isEqualTo(HexFormat.of().formatHex(TestVectors.SPEC92_SIGNED));
  }

  @Test
  void spec92VectorVerifiesAtT1767225700AndExpiresAt1767226000WithoutSkew() throws Exception {
    Sig0KeyLookup keys = Sig0KeyLookup.of(TestVectors.spec92Key().publicKey());
    Sig0Config inside = Sig0Config.builder()
        .clock(Clock.fixed(Instant.ofEpochSecond(1767225700L), ZoneOffset.UTC)).build();
    assertThat(Sig0Verifier.builder(keys).config(inside).replayGuard(Sig0ReplayGuard.create()).build().verify(TestVectors.SPEC92_SIGNED))
        .isInstanceOf(Sig0Outcome.Verified.class);
    Sig0Config strict = Sig0Config.builder()
        .clock(Clock.fixed(Instant.ofEpochSecond(1767226000L), ZoneOffset.UTC))
        .skew(java.time.Duration.ZERO).build();
    Sig0Outcome out = Sig0Verifier.builder(keys).config(strict).replayGuard(Sig0ReplayGuard.create()).build().verify(TestVectors.SPEC92_SIGNED);
    assertThat(out).isInstanceOf(Sig0Outcome.BadTime.class);
    assertThat(((Sig0Outcome.BadTime) out).offsetSeconds()).isEqualTo(100);
  }
}
