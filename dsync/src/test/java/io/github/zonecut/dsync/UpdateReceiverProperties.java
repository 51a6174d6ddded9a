package io.github.zonecut.dsync;

import static io.github.zonecut.dsync.ReceiverFixture.CHILD;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Delegation;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.constraints.IntRange;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * No input makes the receiver throw, and nothing but an intact signed UPDATE changes the
 * delegation: random bytes, random bytes behind an UPDATE header, and single-octet mutations of
 * a signed UPDATE.
 */
class UpdateReceiverProperties {
  private static final ReceiverFixture F;
  private static final Delegation BEFORE;
  private static final byte[] SIGNED;
  /** RR header 11 + SIG RDATA: 18 fixed + signer child.parent.example. (22) + Ed25519 64. */

  static {
    try {
      F = new ReceiverFixture(b -> b.sourceRateLimit(Integer.MAX_VALUE, Duration.ofSeconds(1))
          .childRateLimit(Integer.MAX_VALUE, Duration.ofSeconds(1)));
      BEFORE = F.current(CHILD);
      Update u = F.update();
      u.add(CHILD, Type.NS, 3600, "ns2.child.parent.example.");
      u.add(ReceiverFixture.name("ns2.child.parent.example."), Type.A, 3600, "192.0.2.2");
      SIGNED = F.sign(u, F.childKey);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static void survives(byte[] wire) {
    byte[] answer = F.send(wire);
    assertThat(answer).isNotNull();
    if (answer.length > 0) {
      try {
        assertThat(new Message(answer).getHeader().getFlag(org.xbill.DNS.Flags.QR)).isTrue();
      } catch (java.io.IOException e) {
        throw new AssertionError("unparseable answer", e);
      }
    }
    assertThat(F.current(CHILD)).isEqualTo(BEFORE);
  }

  /**
   * The bytes of one try, drawn from a seed: jqwik's own byte-array generator costs ten times
   * the receiver's work per try, and 10^5 tries must stay quick.
   */
  private static byte[] bytes(long seed, int min) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    byte[] b = new byte[min + r.nextInt(700 - min)];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) r.nextInt(256);
    }
    return b;
  }

  @Property(tries = 100_000, edgeCases = EdgeCasesMode.NONE)
  void randomBytes(@ForAll long seed) {
    survives(bytes(seed, 0));
  }

  @Property(tries = 30_000, edgeCases = EdgeCasesMode.NONE)
  void randomBytesBehindAnUpdateHeader(@ForAll long seed) {
    byte[] wire = bytes(seed, 12);
    wire[2] = (byte) (0x28 | (wire[2] & 0x07)); // QR=0, opcode UPDATE
    wire[4] = 0;
    wire[5] = 1; // ZOCOUNT 1
    wire[6] = 0;
    wire[8] = 0;
    wire[10] = 0;
    survives(wire);
  }

  @Property(tries = 5_000)
  void mutatedSignedUpdate(@ForAll @IntRange(min = 0, max = 4095) int where,
      @ForAll @IntRange(min = 1, max = 255) int xor) {
    byte[] wire = SIGNED.clone();
    int at = where % wire.length;
    wire[at] ^= (byte) xor;
    byte[] answer = F.send(wire);
    // No octet is exempt: the SIG(0) RR's own TTL is not covered by the signature (RFC 2931
    // §3.1), but a TTL other than 0 is malformed (RFC 2931 §3), so a flipped TTL octet is FORMERR.
    assertThat(F.current(CHILD)).isEqualTo(BEFORE);
    if (answer.length > 0) {
      try {
        assertThat(new Message(answer).getRcode()).isNotEqualTo(Rcode.NOERROR);
      } catch (java.io.IOException e) {
        throw new AssertionError("unparseable answer", e);
      }
    }
  }
}
