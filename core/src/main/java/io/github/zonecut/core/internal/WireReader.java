package io.github.zonecut.core.internal;

import io.github.zonecut.core.MalformedDataException;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.WireParseException;

/**
 * A strict cursor over one RDATA: every read names its field, checks the remaining length first
 * and reports the offset (from the start of the RDATA) of the problem, so hostile bytes end in a
 * {@link MalformedDataException} and never in an index or null fault.
 *
 * <p>It reads from a dnsjava {@link DNSInput} limited to the RDATA, so dnsjava's record hooks
 * decode in place, without copying the RDATA out of the message first.
 */
public final class WireReader {
  private final DNSInput in;
  private final String type;
  private final int base;

  /**
   * @param type the record type mnemonic used to prefix field names (e.g. {@code "DSYNC"})
   * @param in the input, positioned at the RDATA and ending where it ends (dnsjava's active
   *     region, or the end of a buffer holding just the RDATA)
   */
  public WireReader(String type, DNSInput in) {
    this.type = type;
    this.in = in;
    this.base = in.current();
  }

  /** A reader over an RDATA held in its own array. */
  public WireReader(String type, byte[] rdata) {
    this(type, new DNSInput(rdata));
  }

  /** The offset of the next octet to read, from the start of the RDATA. */
  public int offset() {
    return in.current() - base;
  }

  /** The number of octets left. */
  public int remaining() {
    return in.remaining();
  }

  /** A {@link MalformedDataException} for {@code field} at {@code offset}. */
  public MalformedDataException error(String field, int offset, String problem) {
    return new MalformedDataException(type + " " + field, offset, problem);
  }

  private void need(String field, int n) throws MalformedDataException {
    if (in.remaining() < n) {
      throw error(field, offset(), "truncated: needs " + n + " octet(s), " + in.remaining()
          + " left");
    }
  }

  private MalformedDataException unexpected(String field, WireParseException e) {
    // unreachable after need(); kept so a dnsjava change cannot leak an IOException
    return new MalformedDataException(type + " " + field, offset(),
        String.valueOf(e.getMessage()), e);
  }

  public int u8(String field) throws MalformedDataException {
    need(field, 1);
    try {
      return in.readU8();
    } catch (WireParseException e) {
      throw unexpected(field, e);
    }
  }

  public int u16(String field) throws MalformedDataException {
    need(field, 2);
    try {
      return in.readU16();
    } catch (WireParseException e) {
      throw unexpected(field, e);
    }
  }

  public long u32(String field) throws MalformedDataException {
    need(field, 4);
    try {
      return in.readU32();
    } catch (WireParseException e) {
      throw unexpected(field, e);
    }
  }

  /** Reads {@code n} octets into a fresh array. */
  public byte[] bytes(String field, int n) throws MalformedDataException {
    need(field, n);
    try {
      return in.readByteArray(n);
    } catch (WireParseException e) {
      throw unexpected(field, e);
    }
  }

  /** Reads an RFC 1035 §3.3 character-string: one length octet, then that many octets. */
  public byte[] characterString(String field) throws MalformedDataException {
    int len = u8(field + " length");
    return bytes(field, len);
  }

  /**
   * Reads an uncompressed domain name. A compression pointer is an error: the types read here
   * forbid compression in their RDATA (RFC 9859 §2.1, RFC 3597 §4), and a pointer would make
   * the record's meaning depend on bytes outside it. So are extended label types, names longer
   * than 255 octets and names running past the RDATA.
   */
  public Name name(String field) throws MalformedDataException {
    int start = in.current();
    int end = start + in.remaining();
    Name name;
    try {
      name = new Name(in);
    } catch (WireParseException e) {
      throw nameError(field, start, end);
    }
    // dnsjava follows pointers silently: a name that took fewer octets than its own wire
    // length was compressed
    if (in.current() - start != name.length()) {
      throw nameError(field, start, end);
    }
    return name;
  }

  /**
   * Walks the name at {@code start} again to say precisely what is wrong with it; only on the
   * error path, so the common case parses in one pass. Leaves the input positioned at the end.
   */
  private MalformedDataException nameError(String field, int start, int end) {
    int pos = start;
    int length = 0;
    byte[] one = new byte[1];
    while (true) {
      if (pos >= end) {
        return error(field, pos - base, "truncated: name runs past the RDATA");
      }
      in.jump(pos);
      in.setActive(end - pos);
      try {
        in.readByteArray(one, 0, 1);
      } catch (WireParseException e) {
        return unexpected(field, e);
      }
      int len = one[0] & 0xFF;
      if ((len & 0xC0) == 0xC0) {
        return error(field, pos - base, "compressed name (compression pointer) not allowed");
      }
      if ((len & 0xC0) != 0) {
        return error(field, pos - base, "unsupported label type 0x" + Integer.toHexString(len));
      }
      length += len + 1;
      if (length > 255) {
        return error(field, start - base, "name longer than 255 octets");
      }
      if (len == 0) {
        return error(field, start - base, "malformed name");
      }
      pos += 1 + len;
    }
  }

  /** Fails unless every octet has been read (RFC 1035 §3.2.1: RDLENGTH covers RDATA exactly). */
  public void end() throws MalformedDataException {
    if (in.remaining() != 0) {
      throw error("RDATA", offset(), in.remaining() + " trailing octet(s)");
    }
  }
}
