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

  /** Sets the ID in a copy of {@code wire}. */
  public static byte[] withId(byte[] wire, int id) {
    byte[] copy = wire.clone();
    copy[0] = (byte) (id >>> 8);
    copy[1] = (byte) id;
    return copy;
  }
}
