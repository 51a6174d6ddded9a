package io.github.zonecut.core.internal;

import io.github.zonecut.core.MalformedDataException;
import java.util.Arrays;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import org.xbill.DNS.DNSOutput;

/**
 * The NSEC-style type bit map (RFC 4034 §4.1.2) used by CSYNC (RFC 7477 §2.1.1). dnsjava's own
 * codec ({@code TypeBitmap}) is package-private, hence this one.
 *
 * <p>A record keeps its bit map as validated octets: the strict rules below leave exactly one
 * encoding per set of types, so decoding and re-encoding would only cost time.
 */
public final class TypeBitmaps {
  private TypeBitmaps() {}

  /**
   * Reads the bit map that fills the rest of {@code in}, checking it strictly per RFC 4034
   * §4.1.2: window blocks in increasing order, each 1–32 octets long, with no trailing zero
   * octets (a block whose last octet is zero is either padded or empty, and both MUST NOT be
   * sent).
   *
   * @return the bit map octets
   */
  public static byte[] read(WireReader in, String field) throws MalformedDataException {
    int start = in.offset();
    byte[] map = in.bytes(field, in.remaining());
    int lastWindow = -1;
    int i = 0;
    while (i < map.length) {
      int window = map[i] & 0xFF;
      if (window <= lastWindow) {
        throw in.error(field, start + i, "window " + window + " not after window " + lastWindow);
      }
      lastWindow = window;
      if (i + 1 >= map.length) {
        throw in.error(field + " bitmap length", start + i + 1, "truncated: needs 1 octet(s), "
            + "0 left");
      }
      int len = map[i + 1] & 0xFF;
      if (len < 1 || len > 32) {
        throw in.error(field, start + i + 1, "bitmap length " + len + " outside 1..32");
      }
      if (i + 2 + len > map.length) {
        throw in.error(field + " bitmap", start + i + 2, "truncated: needs " + len
            + " octet(s), " + (map.length - i - 2) + " left");
      }
      if (map[i + 1 + len] == 0) {
        throw in.error(field, start + i + 1 + len, "trailing zero octet in window " + window);
      }
      i += 2 + len;
    }
    return map;
  }

  /** The types present in a bit map that {@link #read} or {@link #encode} produced. */
  public static SortedSet<Integer> decode(byte[] map) {
    TreeSet<Integer> types = new TreeSet<>();
    int i = 0;
    while (i + 1 < map.length) {
      int window = map[i] & 0xFF;
      int len = map[i + 1] & 0xFF;
      for (int k = 0; k < len && i + 2 + k < map.length; k++) {
        int octet = map[i + 2 + k] & 0xFF;
        for (int b = 0; b < 8; b++) {
          if ((octet & (0x80 >>> b)) != 0) {
            types.add((window << 8) | (k << 3) | b);
          }
        }
      }
      i += 2 + len;
    }
    return Collections.unmodifiableSortedSet(types);
  }

  /** The shortest legal bit map for {@code types} (each 0–65535). */
  public static byte[] encode(SortedSet<Integer> types) {
    DNSOutput out = new DNSOutput();
    byte[] bits = new byte[32];
    int window = -1;
    int used = 0;
    for (int t : types) {
      int w = t >>> 8;
      if (w != window) {
        flush(window, bits, used, out);
        Arrays.fill(bits, (byte) 0);
        window = w;
        used = 0;
      }
      int i = (t & 0xFF) >>> 3;
      bits[i] |= (byte) (0x80 >>> (t & 7));
      used = Math.max(used, i + 1);
    }
    flush(window, bits, used, out);
    return out.toByteArray();
  }

  private static void flush(int window, byte[] bits, int used, DNSOutput out) {
    if (window < 0) {
      return;
    }
    out.writeU8(window);
    out.writeU8(used);
    out.writeByteArray(bits, 0, used);
  }
}
