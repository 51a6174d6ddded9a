package io.github.zonecut.sig0.internal;

import io.github.zonecut.core.MalformedDataException;
import java.util.Arrays;

/**
 * Walks a DNS message on the wire, without re-rendering anything, to find its SIG(0) and check
 * its placement: RFC 2931 §3 allows one SIG(0) (owner root, class ANY, TTL 0), the last record
 * of the additional section, and never together with a TSIG. Names are only followed, never rewritten.
 */
public final class WireScan {
  /** RR type SIG (RFC 2535). */
  public static final int TYPE_SIG = 24;
  /** RR type TSIG (RFC 8945). */
  public static final int TYPE_TSIG = 250;
  /** RR class ANY. */
  public static final int CLASS_ANY = 255;
  /** Length of the fixed part of SIG RDATA before the signer's name. */
  public static final int SIG_FIXED = 18;

  private static final String[] SECTIONS = {"question", "answer", "authority", "additional"};

  /** Offset of the SIG(0) record's first octet, or -1 when the message carries none. */
  public final int sigStart;
  /** ARCOUNT as received. */
  public final int arCount;
  /** Whether the message carries a TSIG (then it must not also carry a SIG(0)). */
  public final boolean hasTsig;
  /** SIG(0) fields; meaningful only when {@link #sigStart} is not -1. */
  public final int algorithm;
  public final int keyTag;
  public final long inception;
  public final long expiration;
  /** The SIG RDATA without the signature, signer name uncompressed: the head of the signed data. */
  public final byte[] rdataPrefix;
  /** The signer's name in uncompressed wire form (case as sent). */
  public final byte[] signerWire;
  /** Offset and length of the signature field in the message. */
  public final int signatureOffset;
  public final int signatureLength;

  private WireScan(
      int sigStart,
      int arCount,
      boolean hasTsig,
      int algorithm,
      int keyTag,
      long inception,
      long expiration,
      byte[] rdataPrefix,
      byte[] signerWire,
      int signatureOffset,
      int signatureLength) {
    this.sigStart = sigStart;
    this.arCount = arCount;
    this.hasTsig = hasTsig;
    this.algorithm = algorithm;
    this.keyTag = keyTag;
    this.inception = inception;
    this.expiration = expiration;
    this.rdataPrefix = rdataPrefix;
    this.signerWire = signerWire;
    this.signatureOffset = signatureOffset;
    this.signatureLength = signatureLength;
  }

  /** The signature octets (a copy). */
  public byte[] signature(byte[] wire) {
    return Arrays.copyOfRange(wire, signatureOffset, signatureOffset + signatureLength);
  }

  /**
   * Scans a complete message.
   *
   * @throws MalformedDataException when the message is truncated or has trailing octets, or
   *     when a SIG(0) is present but not a lone, last, well-formed additional record
   */
  public static WireScan scan(byte[] wire) throws MalformedDataException {
    if (wire.length < 12) {
      throw new MalformedDataException("DNS header", 0, "message of " + wire.length + " octets");
    }
    int[] counts = {u16(wire, 4), u16(wire, 6), u16(wire, 8), u16(wire, 10)};
    int pos = 12;
    // Field names for errors are built only when one is thrown: this walk runs per message.
    for (int i = 0; i < counts[0]; i++) {
      pos = skipName(wire, pos, 0, " name");
      need(wire, pos, 4, 0, " type/class");
      pos += 4;
    }
    int sigStart = -1;
    int sigRdata = -1;
    int sigRdLen = 0;
    boolean hasTsig = false;
    for (int section = 1; section <= 3; section++) {
      for (int i = 0; i < counts[section]; i++) {
        int start = pos;
        pos = skipName(wire, pos, section, " owner name");
        need(wire, pos, 10, section, " RR header");
        int type = u16(wire, pos);
        int rrClass = u16(wire, pos + 2);
        int rdLen = u16(wire, pos + 8);
        pos += 10;
        need(wire, pos, rdLen, section, " RDATA");
        if (type == TYPE_TSIG) {
          hasTsig = true;
        }
        if (type == TYPE_SIG && rdLen >= 2 && u16(wire, pos) == 0) {
          // RFC 2931 §3: a SIG with type covered 0 is a SIG(0); one, last, in additional.
          if (section != 3) {
            throw new MalformedDataException(
                "SIG(0)", start, "found in the " + SECTIONS[section] + " section");
          }
          if (sigStart >= 0) {
            throw new MalformedDataException("SIG(0)", start, "more than one SIG(0)");
          }
          if (i != counts[3] - 1) {
            throw new MalformedDataException("SIG(0)", start, "not the last additional record");
          }
          if (!isRoot(wire, start)) {
            throw new MalformedDataException("SIG(0) owner", start, "owner is not the root");
          }
          if (rrClass != CLASS_ANY) {
            throw new MalformedDataException("SIG(0) class", start, "class " + rrClass + " is not ANY");
          }
          long ttl = u32(wire, pos - 6);
          if (ttl != 0) {
            // RFC 2931 §3: the SIG(0) RR's TTL is 0. The TTL is not covered by the signature.
            throw new MalformedDataException("SIG(0) TTL", pos - 6, "TTL " + ttl + " is not 0");
          }
          sigStart = start;
          sigRdata = pos;
          sigRdLen = rdLen;
        }
        pos += rdLen;
      }
    }
    if (pos != wire.length) {
      throw new MalformedDataException(
          "DNS message", pos, (wire.length - pos) + " octets after the last record");
    }
    if (sigStart < 0) {
      return new WireScan(-1, counts[3], hasTsig, 0, 0, 0, 0, new byte[0], new byte[0], 0, 0);
    }
    if (hasTsig) {
      throw new MalformedDataException("SIG(0)", sigStart, "message carries both TSIG and SIG(0)");
    }
    return parseSig(wire, counts[3], sigStart, sigRdata, sigRdLen);
  }

  /** RR type OPT (RFC 6891). */
  public static final int TYPE_OPT = 41;

  /**
   * The UDP payload size a message's OPT record advertises (its CLASS field, RFC 6891 §6.1.2),
   * or -1 when it has no OPT or cannot be walked.
   */
  public static int ednsUdpSize(byte[] wire) {
    if (wire.length < 12) {
      return -1;
    }
    try {
      int pos = 12;
      for (int i = 0; i < u16(wire, 4); i++) {
        pos = skipName(wire, pos) + 4;
      }
      int rrs = u16(wire, 6) + u16(wire, 8);
      int ar = u16(wire, 10);
      for (int i = 0; i < rrs + ar; i++) {
        pos = skipName(wire, pos);
        if (pos > wire.length - 10) {
          return -1;
        }
        if (i >= rrs && u16(wire, pos) == TYPE_OPT) {
          return u16(wire, pos + 2);
        }
        pos += 10 + u16(wire, pos + 8);
      }
    } catch (BadName e) {
      return -1;
    }
    return -1;
  }

  private static WireScan parseSig(byte[] wire, int arCount, int sigStart, int rd, int rdLen)
      throws MalformedDataException {
    int end = rd + rdLen;
    if (rdLen < SIG_FIXED + 1) {
      throw new MalformedDataException("SIG(0) RDATA", rd, "only " + rdLen + " octets");
    }
    int algorithm = wire[rd + 2] & 0xFF;
    long expiration = u32(wire, rd + 8);
    long inception = u32(wire, rd + 12);
    int keyTag = u16(wire, rd + 16);
    // RFC 2931 §3.1: the RDATA with the signature omitted and the signer's name uncompressed,
    // written straight after the fixed fields (a name is at most 255 octets).
    byte[] buf = new byte[SIG_FIXED + 255];
    System.arraycopy(wire, rd, buf, 0, SIG_FIXED);
    int[] nameEnd = {SIG_FIXED};
    int sigOff = readName(wire, rd + SIG_FIXED, end, buf, nameEnd, "SIG(0) signer name");
    int sigLen = end - sigOff;
    if (sigLen == 0) {
      throw new MalformedDataException("SIG(0) signature", sigOff, "empty signature");
    }
    byte[] prefix = Arrays.copyOf(buf, nameEnd[0]);
    byte[] signerWire = Arrays.copyOfRange(buf, SIG_FIXED, nameEnd[0]);
    return new WireScan(sigStart, arCount, false, algorithm, keyTag, inception, expiration,
        prefix, signerWire, sigOff, sigLen);
  }

  private static boolean isRoot(byte[] wire, int pos) throws MalformedDataException {
    if (wire[pos] == 0) {
      return true; // the usual, uncompressed form
    }
    byte[] buf = new byte[255];
    int[] end = {0};
    readName(wire, pos, wire.length, buf, end, "SIG(0) owner");
    return end[0] == 1;
  }

  private static void need(byte[] wire, int pos, int n, int section, String what)
      throws MalformedDataException {
    if (pos > wire.length - n) {
      throw new MalformedDataException(SECTIONS[section] + what, pos, "truncated: needs " + n + " octets");
    }
  }

  private static int skipName(byte[] wire, int pos, int section, String what)
      throws MalformedDataException {
    try {
      return skipName(wire, pos);
    } catch (BadName e) {
      throw new MalformedDataException(SECTIONS[section] + what, e.at, e.why);
    }
  }

  /** Why a name could not be skipped; turned into a {@link MalformedDataException} by the caller. */
  private static final class BadName extends Exception {
    private static final long serialVersionUID = 1L;
    final int at;
    final String why;

    BadName(int at, String why) {
      super(why, null, false, false);
      this.at = at;
      this.why = why;
    }
  }

  /** Skips a name (labels and at most one terminal pointer) and returns the offset after it. */
  private static int skipName(byte[] wire, int pos) throws BadName {
    int p = pos;
    int total = 0;
    while (true) {
      if (p >= wire.length) {
        throw new BadName(p, "truncated: needs 1 octets");
      }
      int len = wire[p] & 0xFF;
      if (len == 0) {
        return p + 1;
      }
      if ((len & 0xC0) == 0xC0) {
        if (p > wire.length - 2) {
          throw new BadName(p, "truncated: needs 2 octets");
        }
        return p + 2;
      }
      if ((len & 0xC0) != 0) {
        throw new BadName(p, "unknown label type " + (len >>> 6));
      }
      total += len + 1;
      if (total > 255) {
        throw new BadName(pos, "name longer than 255 octets");
      }
      if (p + 1 > wire.length - len) {
        throw new BadName(p + 1, "truncated: needs " + len + " octets");
      }
      p += 1 + len;
    }
  }

  /**
   * Reads a possibly compressed name, appending its uncompressed wire form to {@code out}, and
   * returns the offset after the name in place. Pointers must point backwards (no loops).
   */
  private static int readName(byte[] wire, int pos, int limit, byte[] out, int[] outEnd,
      String field) throws MalformedDataException {
    int p = pos;
    int after = -1;
    int total = 0;
    int lowest = pos;
    while (true) {
      if (p >= limit && after < 0) {
        throw new MalformedDataException(field, p, "truncated");
      }
      need(wire, p, 1, field);
      int len = wire[p] & 0xFF;
      if (len == 0) {
        out[outEnd[0]++] = 0;
        return after < 0 ? p + 1 : after;
      }
      if ((len & 0xC0) == 0xC0) {
        if (after < 0 && p + 2 > limit) {
          throw new MalformedDataException(field, p, "truncated pointer");
        }
        need(wire, p, 2, field);
        int target = ((len & 0x3F) << 8) | (wire[p + 1] & 0xFF);
        if (target >= lowest) {
          throw new MalformedDataException(field, p, "compression pointer does not point backwards");
        }
        if (after < 0) {
          after = p + 2;
        }
        lowest = target;
        p = target;
        continue;
      }
      if ((len & 0xC0) != 0) {
        throw new MalformedDataException(field, p, "unknown label type " + (len >>> 6));
      }
      total += len + 1;
      if (total > 254) {
        throw new MalformedDataException(field, pos, "name longer than 255 octets");
      }
      if (after < 0 && p + 1 + len > limit) {
        throw new MalformedDataException(field, p, "label runs past the RDATA");
      }
      need(wire, p + 1, len, field);
      System.arraycopy(wire, p, out, outEnd[0], len + 1);
      outEnd[0] += len + 1;
      p += 1 + len;
    }
  }

  private static void need(byte[] wire, int pos, int n, String field) throws MalformedDataException {
    if (pos > wire.length - n) {
      throw new MalformedDataException(field, pos, "truncated: needs " + n + " octets");
    }
  }

  /** Big-endian unsigned 16-bit value at {@code off}. */
  public static int u16(byte[] b, int off) {
    return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
  }

  /** Big-endian unsigned 32-bit value at {@code off}. */
  public static long u32(byte[] b, int off) {
    return ((long) u16(b, off) << 16) | u16(b, off + 2);
  }
}
