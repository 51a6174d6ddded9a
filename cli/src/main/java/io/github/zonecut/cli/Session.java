package io.github.zonecut.cli;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.EndpointOverrides;
import io.github.zonecut.core.ValidatingLookup;
import io.github.zonecut.core.ZonecutException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;

/**
 * What one command run uses, opened lazily and closed when the run ends: the executor, the DNS
 * transport, the endpoint overrides, the resolver and the validating lookup built from the global
 * options.
 */
public final class Session implements AutoCloseable {
  private static final String ROOT_ANCHORS = "root-anchors.txt";

  private final Environment env;
  private final GlobalOptions options;
  private @Nullable ExecutorService executor;
  private Environment.@Nullable Transport transport;
  private @Nullable ValidatingLookup lookup;

  Session(Environment env, GlobalOptions options) {
    this.env = Objects.requireNonNull(env, "env");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** The clock of this run. */
  public Clock clock() {
    return env.clock();
  }

  /** The global options of this run. */
  public GlobalOptions options() {
    return options;
  }

  /** The executor of this run (daemon threads, shut down at the end of the run). */
  public synchronized ExecutorService executor() {
    ExecutorService e = executor;
    if (e == null) {
      e = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "zonecut-cli");
        t.setDaemon(true);
        return t;
      });
      executor = e;
    }
    return e;
  }

  /**
   * The DNS transport of this run.
   *
   * @throws CliException ({@link ExitCode#NETWORK}) if no socket could be opened
   */
  public synchronized DnsTransport transport() throws CliException {
    Environment.Transport t = transport;
    if (t == null) {
      try {
        t = env.transports().open(executor());
      } catch (IOException e) {
        throw new CliException(ExitCode.NETWORK, "cannot open a DNS socket: " + e.getMessage(), e);
      }
      transport = t;
    }
    return t;
  }

  /** The {@code --endpoint} overrides. */
  public EndpointOverrides overrides() throws CliException {
    return options.overrides();
  }

  /** The {@code --resolver}, else the system's first resolver. */
  public DnsEndpoint resolver() throws CliException {
    var given = options.resolver();
    if (given.isPresent()) {
      return given.get();
    }
    InetSocketAddress server = ResolverConfig.getCurrentConfig().server();
    if (server == null || server.getAddress() == null) {
      throw CliException.usage("no system resolver found: give --resolver ADDR:PORT");
    }
    return DnsEndpoint.of(server);
  }

  /** The {@code --trust-anchor} records, else the IANA root KSK's DS. */
  public List<Record> trustAnchors() throws CliException {
    var given = options.trustAnchors();
    if (given.isPresent()) {
      return given.get();
    }
    try (InputStream in = Session.class.getResourceAsStream(ROOT_ANCHORS)) {
      if (in == null) {
        throw new CliException(ExitCode.INTERNAL, "built-in root trust anchors missing");
      }
      return Inputs.parseAnchors(in.readAllBytes(), "built-in root trust anchors");
    } catch (IOException e) {
      throw new CliException(ExitCode.INTERNAL, "cannot read built-in root trust anchors", e);
    }
  }

  /**
   * The DNSSEC-validating lookup through {@link #resolver()} with {@link #trustAnchors()}.
   *
   * @throws CliException if an option is malformed or the validator rejects the anchors
   */
  public synchronized ValidatingLookup lookup() throws CliException {
    ValidatingLookup l = lookup;
    if (l == null) {
      try {
        l = ValidatingLookup.builder(transport(), resolver(), executor())
            .trustAnchors(trustAnchors())
            .clock(clock())
            .build();
      } catch (ZonecutException e) {
        throw CliException.usage("bad trust anchors: " + e.getMessage());
      }
      lookup = l;
    }
    return l;
  }

  @Override
  public synchronized void close() {
    Environment.Transport t = transport;
    if (t != null) {
      t.close();
    }
    ExecutorService e = executor;
    if (e != null) {
      e.shutdownNow();
    }
  }
}
