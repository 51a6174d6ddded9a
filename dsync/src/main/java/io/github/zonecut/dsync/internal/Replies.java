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
}
