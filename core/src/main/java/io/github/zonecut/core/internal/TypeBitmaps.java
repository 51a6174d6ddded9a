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
 */
public final class TypeBitmaps {
  private TypeBitmaps() {}

  /**
   * Decodes the bit map that fills the rest of {@code in}. Strict per RFC 4034 §4.1.2: window
   * blocks in increasing order, each 1–32 octets long, with no trailing zero octets (a block
   * whose last octet is zero is either padded or empty, and both MUST NOT be sent).
   */
  public static SortedSet<Integer> read(WireReader in, String field)
      throws MalformedDataException {
    TreeSet<Integer> types = new TreeSet<>();
    int lastWindow = -1;
    while (in.remaining() > 0) {
      int at = in.offset();
      int window = in.u8(field + " window");
      if (window <= lastWindow) {
        throw in.error(field, at, "window " + window + " not after window " + lastWindow);
      }
      lastWindow = window;
      int lenAt = in.offset();
      int len = in.u8(field + " bitmap length");
      if (len < 1 || len > 32) {
        throw in.error(field, lenAt, "bitmap length " + len + " outside 1..32");
      }
      byte[] bits = in.bytes(field + " bitmap", len);
      if (bits[len - 1] == 0) {
        throw in.error(field, lenAt + len, "trailing zero octet in window " + window);
      }
      for (int i = 0; i < len; i++) {
        int octet = bits[i] & 0xFF;
        for (int b = 0; b < 8; b++) {
          if ((octet & (0x80 >>> b)) != 0) {
            types.add((window << 8) | (i << 3) | b);
          }
        }
      }
    }
    return Collections.unmodifiableSortedSet(types);
  }

  /** Writes the bit map for {@code types} (each 0–65535), the shortest legal encoding. */
  public static void write(SortedSet<Integer> types, DNSOutput out) {
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
