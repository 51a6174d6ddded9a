package io.github.zonecut.core.internal;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.TransportProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;

/**
 * A dnsjava {@link Resolver} over a zonecut {@link DnsTransport}, to be the head resolver of
 * dnsjava's {@code ValidatingResolver}: no {@code SimpleResolver}, no JVM-wide selector, no
 * {@code ForkJoinPool.commonPool()} (the one-argument {@link #sendAsync(Message)} uses the
 * executor given here). The validator calls {@code setEDNS(0, 0, DO)} on it; queries are sent
 * with that OPT record and with the CD flag the validator sets.
 */
public final class TransportResolver implements Resolver {
  /** Used when the EDNS payload size is given as 0 (RFC 6891 §6.2.5; DNS Flag Day 2020). */
  private static final int DEFAULT_PAYLOAD = 1232;

  private final DnsTransport transport;
  private final Executor executor;
  private final BiConsumer<Message, Message> observer;
  private volatile DnsEndpoint endpoint;
  private volatile TransportProtocol protocol;
  private volatile Duration timeout;
  private volatile int ednsVersion = 0;
  private volatile int ednsPayload = DEFAULT_PAYLOAD;
  private volatile int ednsFlags = 0;
  private volatile List<EDNSOption> ednsOptions = List.of();

  /**
   * @param observer sees every (query as given, answer) pair, on the completing thread
   */
  public TransportResolver(
      DnsTransport transport,
      DnsEndpoint endpoint,
      TransportProtocol protocol,
      Duration timeout,
      Executor executor,
      BiConsumer<Message, Message> observer) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.observer = Objects.requireNonNull(observer, "observer");
  }

  @Override
  public void setPort(int port) {
    endpoint = DnsEndpoint.of(endpoint.address(), port);
  }

  @Override
  public void setTCP(boolean flag) {
    protocol = flag ? TransportProtocol.TCP : TransportProtocol.UDP;
  }

  @Override
  public void setIgnoreTruncation(boolean flag) {
    // TC=1 answers are always retried over TCP (RFC 7766 §5)
  }

  @Override
  public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
    if (version < 0) {
      throw new IllegalArgumentException("EDNS cannot be disabled: DNSSEC needs DO (RFC 4035 §3.2.1)");
    }
    ednsVersion = version;
    ednsPayload = payloadSize == 0 ? DEFAULT_PAYLOAD : payloadSize;
    ednsFlags = flags;
    ednsOptions = options == null ? List.of() : List.copyOf(options);
  }

  @Override
  public void setTSIGKey(TSIG key) {
    throw new UnsupportedOperationException("TSIG is not supported by this resolver");
  }

  @Override
  public void setTimeout(Duration duration) {
    Checks.positive("timeout", duration);
    timeout = duration;
  }

  @Override
  public Duration getTimeout() {
    return timeout;
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query) {
    return sendAsync(query, executor);
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor callbackExecutor) {
    Message q = query.clone();
    OPTRecord old = q.getOPT();
    if (old != null) {
      q.removeRecord(old, Section.ADDITIONAL);
    }
    q.addRecord(new OPTRecord(ednsPayload, 0, ednsVersion, ednsFlags, new ArrayList<>(ednsOptions)),
        Section.ADDITIONAL);
    int id = query.getHeader().getID();
    return transport.exchange(endpoint, q, protocol, timeout)
        .thenApplyAsync(r -> {
          Message answer = r.message();
          // the transport may have used a fresh ID; callers match on the one they gave
          answer.getHeader().setID(id);
          observer.accept(query, answer);
          return answer;
        }, callbackExecutor);
  }

  @Override
  public String toString() {
    return "TransportResolver[" + endpoint + "]";
  }
}
