package io.github.zonecut.core.internal;

import io.github.zonecut.core.MalformedDataException;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.WireParseException;

/**
 * A strict cursor over one RDATA: every read names its field, checks the remaining length first
 * and reports the offset of the problem, so hostile bytes end in a {@link MalformedDataException}
 * and never in an index or null fault.
 */
public final class WireReader {
  private final byte[] data;
  private final String type;
  private int pos;

  /**
   * @param type the record type mnemonic used to prefix field names (e.g. {@code "DSYNC"})
   * @param data the RDATA; not copied, the caller must not change it while reading
   */
  public WireReader(String type, byte[] data) {
    this.type = type;
    this.data = data;
  }

  /** The offset of the next octet to read. */
  public int offset() {
    return pos;
  }

  /** The number of octets left. */
  public int remaining() {
    return data.length - pos;
  }

  /** A {@link MalformedDataException} for {@code field} at {@code offset}. */
  public MalformedDataException error(String field, int offset, String problem) {
    return new MalformedDataException(type + " " + field, offset, problem);
  }

  private void need(String field, int n) throws MalformedDataException {
    if (data.length - pos < n) {
      throw error(field, pos, "truncated: needs " + n + " octet(s), " + (data.length - pos)
          + " left");
    }
  }

  public int u8(String field) throws MalformedDataException {
    need(field, 1);
    return data[pos++] & 0xFF;
  }

  public int u16(String field) throws MalformedDataException {
    need(field, 2);
    int v = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  public long u32(String field) throws MalformedDataException {
    need(field, 4);
    long v = ((long) (data[pos] & 0xFF) << 24) | ((data[pos + 1] & 0xFF) << 16)
        | ((data[pos + 2] & 0xFF) << 8) | (data[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  /** Reads {@code n} octets into a fresh array. */
  public byte[] bytes(String field, int n) throws MalformedDataException {
    need(field, n);
    byte[] out = new byte[n];
    System.arraycopy(data, pos, out, 0, n);
    pos += n;
    return out;
  }

  /** Reads an RFC 1035 §3.3 character-string: one length octet, then that many octets. */
  public byte[] characterString(String field) throws MalformedDataException {
    int len = u8(field + " length");
    return bytes(field, len);
  }

  /**
   * Reads an uncompressed domain name. A compression pointer, an extended label type or a name
   * longer than 255 octets is an error: the types read here forbid compression in their RDATA
   * (RFC 9859 §2.1, RFC 3597 §4), and following a pointer out of an RDATA buffer would read
   * bytes that are not part of the record.
   */
  public Name name(String field) throws MalformedDataException {
    int start = pos;
    int length = 0;
    while (true) {
      need(field, 1);
      int len = data[pos] & 0xFF;
      if ((len & 0xC0) == 0xC0) {
        throw error(field, pos, "compressed name (compression pointer) not allowed");
      }
      if ((len & 0xC0) != 0) {
        throw error(field, pos, "unsupported label type 0x" + Integer.toHexString(len));
      }
      length += len + 1;
      if (length > 255) {
        throw error(field, start, "name longer than 255 octets");
      }
      pos++;
      if (len == 0) {
        break;
      }
      need(field, len);
      pos += len;
    }
    DNSInput in = new DNSInput(data);
    in.jump(start);
    try {
      return new Name(in);
    } catch (WireParseException e) {
      // unreachable after the checks above; kept so a dnsjava change cannot leak an IOException
      throw new MalformedDataException(type + " " + field, start,
          String.valueOf(e.getMessage()), e);
    }
  }

  /** Fails unless every octet has been read (RFC 1035 §3.2.1: RDLENGTH covers RDATA exactly). */
  public void end() throws MalformedDataException {
    if (pos != data.length) {
      throw error("RDATA", pos, (data.length - pos) + " trailing octet(s)");
    }
  }
}
