package io.github.zonecut.core.internal;

import io.github.zonecut.core.DnsTransportException;
import java.net.InetSocketAddress;
import org.xbill.DNS.Message;

/** Where the engine reports the end of an exchange; called once, on the engine's threads. */
public interface ExchangeCallback {
  /** The exchange completed with an answer received over UDP ({@code tcp == false}) or TCP. */
  void answered(byte[] wire, Message message, InetSocketAddress from, boolean tcp);

  /** The exchange failed. */
  void failed(DnsTransportException failure);
}
