package io.github.zonecut.dsync.internal;

/** Minimal answers built from a request header alone, for requests not worth parsing. */
public final class Replies {
  private Replies() {}

  /**
   * A header-only answer to {@code request} with {@code rcode} (0..15): ID and opcode echoed, QR
   * set, every count zero. Empty when {@code request} is shorter than a header or is a response.
   */
  public static byte[] bare(byte[] request, int rcode) {
    if (request.length < 12 || (request[2] & 0x80) != 0) {
      return new byte[0];
    }
    byte[] a = new byte[12];
    a[0] = request[0];
    a[1] = request[1];
    a[2] = (byte) (0x80 | (request[2] & 0x78)); // QR, opcode
    a[3] = (byte) (rcode & 0xF);
    return a;
  }

  /**
   * A truncated answer to {@code request} (RFC 1035 §4.1.1 TC, RFC 7766 §5): ID, opcode and RD
   * echoed, QR and TC set, NOERROR, the request's single question copied when it is well formed,
   * nothing else. It tells a client that sent over UDP what must go over TCP to retry there. Empty
   * when {@code request} is shorter than a header or is a response.
   */
  public static byte[] truncated(byte[] request) {
    if (request.length < 12 || (request[2] & 0x80) != 0) {
      return new byte[0];
    }
    int qdcount = ((request[4] & 0xFF) << 8) | (request[5] & 0xFF);
    int end = qdcount == 1 ? questionEnd(request) : -1;
    byte[] a = new byte[end < 0 ? 12 : end];
    System.arraycopy(request, 0, a, 0, a.length);
    a[2] = (byte) (0x80 | (request[2] & 0x79) | 0x02); // QR, opcode, TC, RD
    a[3] = 0;
    a[4] = 0;
    a[5] = (byte) (end < 0 ? 0 : 1);
    for (int i = 6; i < 12; i++) {
      a[i] = 0;
    }
    return a;
  }

  // End offset of the first question (uncompressed name + type + class), or -1 if malformed.
  private static int questionEnd(byte[] m) {
    int i = 12;
    while (i < m.length) {
      int len = m[i] & 0xFF;
      if (len == 0) {
        return i + 5 <= m.length ? i + 5 : -1;
      }
      if (len > 63) {
        return -1; // a compression pointer or an extended label type has no place here
      }
      i += 1 + len;
    }
    return -1;
  }
}
