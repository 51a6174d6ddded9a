package io.github.zonecut.dsync;

import io.github.zonecut.dsync.internal.Replies;
import java.net.InetAddress;

/**
 * Handles a NOTIFY (opcode 4; RFC 1996, RFC 9859 generalized NOTIFY(CDS/CSYNC)) arriving at a
 * {@link DsyncServer}. Must not throw; returns the answer's octets, or an empty array to send
 * nothing. The default, {@link #NOT_IMPLEMENTED}, answers NOTIMP.
 */
@FunctionalInterface
public interface NotifyHandler {
  /** Answers every NOTIFY with NOTIMP (RFC 1035 §4.1.1). */
  NotifyHandler NOT_IMPLEMENTED = (request, source) -> Replies.bare(request, 4);

  /** Handles one NOTIFY as received. */
  byte[] handle(byte[] request, InetAddress source);
}
