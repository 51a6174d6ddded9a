package io.github.zonecut.core.internal;

import io.github.zonecut.core.DnsTransportException;
import java.net.InetSocketAddress;
import org.xbill.DNS.Message;

/**
 * Where the engine reports the end of an exchange, once. Each method returns the completion
 * action, which the engine runs on the host's executor, batched with others finished in the same
 * selector round (one executor hand-off per batch, not per answer).
 */
public interface ExchangeCallback {
  /** The exchange completed with an answer received over UDP ({@code tcp == false}) or TCP. */
  Runnable answered(byte[] wire, Message message, InetSocketAddress from, boolean tcp);

  /** The exchange failed. */
  Runnable failed(DnsTransportException failure);
}
