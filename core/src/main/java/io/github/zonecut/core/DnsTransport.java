package io.github.zonecut.core;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Message;

/**
 * The port through which zonecut exchanges one DNS message with one server. Hosts may implement
 * it over their own I/O; {@link NioDnsTransport} is the default.
 *
 * <p>Contract for implementations:
 *
 * <ul>
 *   <li>send the request's octets exactly as given ({@link DnsRequest#wire()}), except that an
 *       {@link DnsRequest#idAssignable() ID-assignable} request may get a fresh ID;
 *   <li>accept only an answer whose ID and first question equal the request's and, over UDP, whose
 *       source address and port are the endpoint's (RFC 5452 §9.1); drop anything else;
 *   <li>with {@link TransportProtocol#UDP}, retry over TCP when the answer has TC=1 (RFC 7766
 *       §5), within the same deadline;
 *   <li>never block the calling thread on I/O; complete the stage exceptionally with a {@link
 *       DnsTransportException} whose {@link DnsTransportException#reason() reason} says whether it
 *       was a timeout, a network failure, a malformed answer, overload or close.
 * </ul>
 */
@FunctionalInterface
public interface DnsTransport {

  /**
   * Sends {@code request} to {@code endpoint} and completes with the matching answer.
   *
   * @param endpoint the server
   * @param request the octets to send
   * @param protocol UDP (with TCP retry on truncation) or TCP
   * @param timeout the deadline for the whole exchange, TCP retry included
   * @return a stage completing with the answer, or exceptionally with {@link
   *     DnsTransportException}
   */
  CompletionStage<DnsResponse> exchange(
      DnsEndpoint endpoint, DnsRequest request, TransportProtocol protocol, Duration timeout);

  /**
   * Renders {@code message} once with {@link Message#toWire()} ({@link DnsRequest#of(Message)})
   * and exchanges it.
   */
  default CompletionStage<DnsResponse> exchange(
      DnsEndpoint endpoint, Message message, TransportProtocol protocol, Duration timeout) {
    return exchange(endpoint, DnsRequest.of(message), protocol, timeout);
  }
}
