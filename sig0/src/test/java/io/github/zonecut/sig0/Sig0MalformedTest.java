package io.github.zonecut.sig0;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Hostile placement and truncation: always an outcome, never an exception. */
class Sig0MalformedTest {
  // §9.2: the SIG(0) RR starts right after the 132-octet unsigned message.
  static final int SIG_AT = 132;

  static Sig0Verifier verifier() throws Exception {
    return Sig0Verifier.builder(Sig0KeyLookup.of(TestVectors.spec92Key().publicKey()))
        .config(Sig0Config.builder()
            .clock(Clock.fixed(Instant.ofEpochSecond(1767225700L), ZoneOffset.UTC)).build())
        .insecureWithoutReplayGuard()
        .build();
  }

  static byte[] signed() {
    return TestVectors.SPEC92_SIGNED.clone();
  }

  static void setArCount(byte[] wire, int n) {
    wire[10] = (byte) (n >>> 8);
    wire[11] = (byte) n;
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static String malformed(Sig0Outcome out) {
    assertThat(out).isInstanceOf(Sig0Outcome.Malformed.class);
    assertThat(out.rcode()).isEqualTo(1);
    return ((Sig0Outcome.Malformed) out).what();
  }

  @Test
  void theSpecVectorVerifies() throws Exception {
    assertThat(verifier().verify(signed())).isInstanceOf(Sig0Outcome.Verified.class);
  }

  @Test
  void sig0NotLastIsMalformed() throws Exception {
    byte[] opt = {0, 0, 41, 0x04, (byte) 0xd0, 0, 0, 0, 0, 0, 0};
    byte[] wire = concat(signed(), opt);
    setArCount(wire, 2);
    assertThat(malformed(verifier().verify(wire))).contains("not the last additional record");
  }

  @Test
  void twoSig0sAreMalformed() throws Exception {
    byte[] s = signed();
    byte[] sigRr = Arrays.copyOfRange(s, SIG_AT, s.length);
    byte[] wire = concat(s, sigRr);
    setArCount(wire, 2);
    assertThat(malformed(verifier().verify(wire))).contains("SIG(0)");
  }

  @Test
  void sig0InTheAuthoritySectionIsMalformed() throws Exception {
    byte[] wire = signed();
    wire[9] = 3; // NSCOUNT 2 -> 3 (the SIG(0) becomes the third update RR)
    setArCount(wire, 0);
    assertThat(malformed(verifier().verify(wire))).contains("authority section");
  }

  @Test
  void ownerOtherThanRootIsMalformed() throws Exception {
    byte[] s = signed();
    byte[] wire = concat(Arrays.copyOf(s, SIG_AT), new byte[] {1, 'a'}, Arrays.copyOfRange(s, SIG_AT, s.length));
    assertThat(malformed(verifier().verify(wire))).contains("owner is not the root");
  }

  @Test
  void classOtherThanAnyIsMalformed() throws Exception {
    byte[] wire = signed();
    wire[SIG_AT + 3] = 0;
    wire[SIG_AT + 4] = 1;
    assertThat(malformed(verifier().verify(wire))).contains("class 1 is not ANY");
  }

  @Test
  void trailingOctetsAreMalformed() throws Exception {
    assertThat(malformed(verifier().verify(concat(signed(), new byte[] {0}))))
        .contains("after the last record");
  }

  @Test
  void forwardCompressionPointerInTheSignerIsMalformed() throws Exception {
    byte[] s = signed();
    // Replace the signer name (22 octets at SIG_AT + 11 + 18) by a pointer to itself.
    int signerAt = SIG_AT + 11 + 18;
    byte[] wire = concat(Arrays.copyOf(s, signerAt), new byte[] {(byte) 0xC0, (byte) signerAt},
        Arrays.copyOfRange(s, signerAt + 22, s.length));
    int rdlen = 0x68 - 20;
    wire[SIG_AT + 9] = (byte) (rdlen >>> 8);
    wire[SIG_AT + 10] = (byte) rdlen;
    assertThat(malformed(verifier().verify(wire))).contains("does not point backwards");
  }

  @Test
  void aBackwardPointerSignerIsExpandedAndStillVerifies() throws Exception {
    // RFC 3597 §4: receivers decompress SIG signer names; the signed data has them uncompressed.
    byte[] s = signed();
    int signerAt = SIG_AT + 11 + 18;
    int childInUpdate = 12 + 16 + 4; // header, zone "parent.example.", type/class
    assertThat(Arrays.copyOfRange(s, childInUpdate, childInUpdate + 22))
        .isEqualTo(Arrays.copyOfRange(s, signerAt, signerAt + 22));
    byte[] wire = concat(Arrays.copyOf(s, signerAt), new byte[] {(byte) 0xC0, (byte) childInUpdate},
        Arrays.copyOfRange(s, signerAt + 22, s.length));
    int rdlen = 0x68 - 20;
    wire[SIG_AT + 9] = (byte) (rdlen >>> 8);
    wire[SIG_AT + 10] = (byte) rdlen;
    assertThat(verifier().verify(wire)).isInstanceOf(Sig0Outcome.Verified.class);
  }

  @Test
  void refusedAlgorithmIsUnknownKey() throws Exception {
    for (int alg : new int[] {1, 3, 5, 6, 7, 12, 200}) {
      byte[] wire = signed();
      wire[SIG_AT + 11 + 2] = (byte) alg;
      Sig0Outcome out = verifier().verify(wire);
      assertThat(out).isInstanceOf(Sig0Outcome.UnknownKey.class);
      assertThat(((Sig0Outcome.UnknownKey) out).reason()).contains("not supported");
    }
  }

  @Test
  void expirationBeforeInceptionIsMalformed() throws Exception {
    byte[] wire = signed();
    // swap expiration and inception
    byte[] exp = Arrays.copyOfRange(wire, SIG_AT + 11 + 8, SIG_AT + 11 + 12);
    System.arraycopy(wire, SIG_AT + 11 + 12, wire, SIG_AT + 11 + 8, 4);
    System.arraycopy(exp, 0, wire, SIG_AT + 11 + 12, 4);
    assertThat(malformed(verifier().verify(wire))).contains("before inception");
  }

  @Test
  void signedDataMustExcludeTheSigFromArcountAndTheRrEnvelope() throws Exception {
    // spec §9.2 negative tests: sign the wrong data with the right key and splice the signature in.
    Sig0KeyPair key = TestVectors.spec92Key();
    byte[] good = signed();
    byte[] rdataPrefix = Arrays.copyOfRange(good, SIG_AT + 11, SIG_AT + 11 + 40);
    byte[] unsignedCountingSig = TestVectors.SPEC92_UNSIGNED.clone();
    setArCount(unsignedCountingSig, 1);
    byte[] envelope = Arrays.copyOfRange(good, SIG_AT, SIG_AT + 11);
    for (byte[] wrongData : new byte[][] {
        concat(rdataPrefix, unsignedCountingSig),
        concat(envelope, rdataPrefix, TestVectors.SPEC92_UNSIGNED)}) {
      java.security.Signature sig = java.security.Signature.getInstance("Ed25519", Sig0Config.defaultProvider());
      sig.initSign(key.privateKey(PrivateKeyAccess.exposingPrivateKeys()));
      sig.update(wrongData);
      byte[] wire = concat(Arrays.copyOf(good, good.length - 64), sig.sign());
      assertThat(verifier().verify(wire)).isInstanceOf(Sig0Outcome.BadSignature.class);
    }
  }

  @Test
  void everyTruncationIsAnOutcome() throws Exception {
    Sig0Verifier v = verifier();
    byte[] s = signed();
    for (int len = 0; len < s.length; len++) {
      Sig0Outcome out = v.verify(Arrays.copyOf(s, len));
      if (len == SIG_AT) {
        // ARCOUNT says 1 but the additional section is missing.
        assertThat(out).isInstanceOf(Sig0Outcome.Malformed.class);
      } else {
        assertThat(out).as("length %d", len).isInstanceOfAny(Sig0Outcome.Malformed.class, Sig0Outcome.BadSignature.class);
      }
    }
  }

  @Property(tries = 300)
  void anyOctetChangeIsAnOutcomeAndOnlyTheSigTtlIsUnsigned(
      @ForAll @IntRange(min = 0, max = 246) int offset, @ForAll @IntRange(min = 1, max = 255) int xor)
      throws Exception {
    byte[] wire = signed();
    wire[offset] ^= (byte) xor;
    Sig0Outcome out = verifier().verify(wire);
    assertThat(out).isNotNull();
    if (out instanceof Sig0Outcome.Verified) {
      // The SIG(0) RR's own TTL (RFC 2931 §3: no meaning) is the one field outside the signed data.
      assertThat(offset).isBetween(SIG_AT + 5, SIG_AT + 8);
    }
  }
}
