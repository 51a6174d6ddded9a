package io.github.zonecut.cli;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsRequest;
import io.github.zonecut.core.DnsResponse;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.NioDnsTransport;
import io.github.zonecut.core.TransportProtocol;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * What the command line takes from the outside world: the clock and the way DNS messages leave
 * the process. {@link #system()} is the real one; tests inject a fixed clock or a transport of
 * their own.
 *
 * @param clock the clock every command reads (SIG(0) validity, KeyState, DNSSEC validation)
 * @param transports opens the DNS transport of one command run
 */
public record Environment(Clock clock, TransportFactory transports) {

  /** Validates the parts. */
  public Environment {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(transports, "transports");
  }

  /** The system UTC clock and a {@link NioDnsTransport} per command run. */
  public static Environment system() {
    return new Environment(Clock.systemUTC(), TransportFactory.nio());
  }

  /** This environment with another clock. */
  public Environment withClock(Clock newClock) {
    return new Environment(newClock, transports);
  }

  /** A DNS transport the command run closes when it ends. */
  public interface Transport extends DnsTransport, AutoCloseable {
    @Override
    void close();
  }

  /** Opens the DNS transport of one command run. */
  @FunctionalInterface
  public interface TransportFactory {
    /**
     * Opens a transport whose callbacks run on {@code executor}.
     *
     * @throws IOException if no socket could be opened
     */
    Transport open(Executor executor) throws IOException;

    /** {@link NioDnsTransport}: UDP with TCP on truncation, the production transport. */
    static TransportFactory nio() {
      return executor -> {
        NioDnsTransport nio = NioDnsTransport.create(executor);
        return new Transport() {
          @Override
          public CompletionStage<DnsResponse> exchange(DnsEndpoint endpoint, DnsRequest request,
              TransportProtocol protocol, Duration timeout) {
            return nio.exchange(endpoint, request, protocol, timeout);
          }

          @Override
          public void close() {
            nio.close();
          }
        };
      };
    }

    /** A transport that is {@code transport} and closes nothing (for tests). */
    static TransportFactory of(DnsTransport transport) {
      Objects.requireNonNull(transport, "transport");
      return executor -> new Transport() {
        @Override
        public CompletionStage<DnsResponse> exchange(DnsEndpoint endpoint, DnsRequest request,
            TransportProtocol protocol, Duration timeout) {
          return transport.exchange(endpoint, request, protocol, timeout);
        }

        @Override
        public void close() {}
      };
    }
  }
}
