package io.github.zonecut.core.internal;

import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;

/**
 * The parts of a DNS message header and first question that identify an exchange (RFC 5452 §9.1:
 * ID, question name, type and class), read from the wire without parsing the rest.
 *
 * @param id the message ID
 * @param response whether QR is set
 * @param name the first question's name, or {@link Name#empty} when QDCOUNT is 0
 * @param type the first question's type, or -1 when QDCOUNT is 0
 * @param dclass the first question's class, or -1 when QDCOUNT is 0
 */
public record WireQuestion(int id, boolean response, Name name, int type, int dclass) {

  /** The header's size (RFC 1035 §4.1.1). */
  public static final int HEADER_LENGTH = 12;

  /** Reads the ID and first question from {@code wire}, or null if they are truncated or bad. */
  public static @Nullable WireQuestion read(byte[] wire) {
    if (wire.length < HEADER_LENGTH) {
      return null;
    }
    int id = ((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF);
    boolean qr = (wire[2] & 0x80) != 0;
    int qdcount = ((wire[4] & 0xFF) << 8) | (wire[5] & 0xFF);
    if (qdcount == 0) {
      return new WireQuestion(id, qr, Name.empty, -1, -1);
    }
    try {
      DNSInput in = new DNSInput(wire);
      in.jump(HEADER_LENGTH);
      Name name = new Name(in);
      int type = in.readU16();
      int dclass = in.readU16();
      return new WireQuestion(id, qr, name, type, dclass);
    } catch (IOException | RuntimeException e) {
      // hostile bytes: a bad label or pointer is "no question", never an exception
      return null;
    }
  }

  /** Whether {@code other} asks the same question (names label-wise, case-insensitively). */
  public boolean sameQuestion(WireQuestion other) {
    return type == other.type && dclass == other.dclass && name.equals(other.name);
  }

  /** This question with another message ID. */
  public WireQuestion withId(int newId) {
    return new WireQuestion(newId, response, name, type, dclass);
  }

  /** The header's QDCOUNT. {@code wire} must hold at least a header. */
  public static int questionCount(byte[] wire) {
    return ((wire[4] & 0xFF) << 8) | (wire[5] & 0xFF);
  }

  /** The header's OPCODE (RFC 1035 §4.1.1). {@code wire} must hold at least a header. */
  public static int opcode(byte[] wire) {
    return (wire[2] >>> 3) & 0xF;
  }

  /** Whether the header's TC bit is set. {@code wire} must hold at least a header. */
  public static boolean truncated(byte[] wire) {
    return (wire[2] & 0x02) != 0;
  }

  /**
   * Whether {@code answer}'s header fits {@code query}'s beyond ID and question: the same OPCODE
   * (RFC 1035 §4.1.1: copied from the query) and, for a query with one question, exactly one
   * question (RFC 9619): a second question would go unchecked.
   */
  public static boolean headerFits(byte[] answer, byte[] query) {
    if (opcode(answer) != opcode(query)) {
      return false;
    }
    return questionCount(query) != 1 || questionCount(answer) == 1;
  }

  /**
   * Randomises the case of the letters of the first question name in {@code wire}, in place
   * (draft-vixie-dnsext-dns0x20: "0x20" bits an off-path spoofer must also guess, echoed by
   * servers because they copy the question).
   *
   * @return the end offset of the name, for {@link #sameNameOctets}; 0 if the name could not be
   *     walked (a compression pointer, truncation), in which case nothing was changed
   */
  public static int randomizeCase(byte[] wire, java.util.Random random) {
    int pos = HEADER_LENGTH;
    // first pass: find the end without touching anything
    while (true) {
      if (pos >= wire.length) {
        return 0;
      }
      int len = wire[pos] & 0xFF;
      if (len == 0) {
        break;
      }
      if ((len & 0xC0) != 0) {
        return 0;
      }
      pos += 1 + len;
    }
    int end = pos + 1;
    long bits = random.nextLong();
    int left = 64;
    for (int i = HEADER_LENGTH; i < end; ) {
      int len = wire[i] & 0xFF;
      for (int j = i + 1; j <= i + len; j++) {
        int c = wire[j] & 0xFF;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
          if (left == 0) {
            bits = random.nextLong();
            left = 64;
          }
          wire[j] = (byte) ((bits & 1) != 0 ? c | 0x20 : c & ~0x20);
          bits >>>= 1;
          left--;
        }
      }
      i += 1 + len;
    }
    return end;
  }

  /** Whether the question name octets (offset 12 to {@code end}) are identical in both. */
  public static boolean sameNameOctets(byte[] a, byte[] b, int end) {
    return a.length >= end && b.length >= end
        && java.util.Arrays.equals(a, HEADER_LENGTH, end, b, HEADER_LENGTH, end);
  }

  /** Sets the ID in a copy of {@code wire}. */
  public static byte[] withId(byte[] wire, int id) {
    byte[] copy = wire.clone();
    copy[0] = (byte) (id >>> 8);
    copy[1] = (byte) id;
    return copy;
  }
}
