package io.github.zonecut.cli;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.EndpointOverrides;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every {@code zonecut} command takes (mixed into the top command and inherited by
 * every subcommand, so they may stand before or after the subcommand's name).
 */
public final class GlobalOptions {

  @Option(names = "--json", scope = ScopeType.INHERIT,
      description = "Write JSON (one object per line) instead of human lines.")
  private boolean json;

  @Option(names = "--debug", scope = ScopeType.INHERIT,
      description = "On failure, print the stack trace too.")
  private boolean debug;

  @Option(names = "--endpoint", paramLabel = "NAME=ADDR:PORT", scope = ScopeType.INHERIT,
      description = "Send what the DNS says goes to NAME (a host name or an address) to "
          + "ADDR:PORT instead (repeatable), e.g. ns1.parent.test=127.0.0.1:5301.")
  private List<String> endpoints = new ArrayList<>();

  @Option(names = "--resolver", paramLabel = "ADDR:PORT", scope = ScopeType.INHERIT,
      description = "The recursive resolver to query (default: the system's first).")
  private @Nullable String resolver;

  @Option(names = "--trust-anchor", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "DNSSEC trust anchors: DS or DNSKEY records in zone-file text "
          + "(default: the IANA root KSK).")
  private @Nullable Path trustAnchor;

  /** Whether {@code --json} was given. */
  public boolean json() {
    return json;
  }

  /** Whether {@code --debug} was given. */
  public boolean debug() {
    return debug;
  }

  /** The raw {@code --endpoint} values. */
  public List<String> endpointSpecs() {
    return List.copyOf(endpoints);
  }

  /**
   * The {@code --endpoint} overrides: a NAME that is an IP literal overrides that address, any
   * other NAME that host name.
   *
   * @throws CliException (usage) for a malformed value
   */
  public EndpointOverrides overrides() throws CliException {
    if (endpoints.isEmpty()) {
      return EndpointOverrides.none();
    }
    EndpointOverrides.Builder b = EndpointOverrides.builder();
    for (String spec : endpoints) {
      int eq = spec.indexOf('=');
      if (eq <= 0 || eq == spec.length() - 1) {
        throw CliException.usage("bad --endpoint '" + spec + "': expected NAME=ADDR:PORT");
      }
      String key = spec.substring(0, eq).trim();
      DnsEndpoint to = Inputs.endpoint(spec.substring(eq + 1).trim(), "--endpoint " + key);
      Optional<InetAddress> literal = Inputs.ipLiteral(key);
      if (literal.isPresent()) {
        b.address(literal.get(), to);
      } else {
        Name name = Inputs.name(key, "--endpoint");
        b.name(name, to);
      }
    }
    return b.build();
  }

  /**
   * The {@code --resolver} endpoint, if given.
   *
   * @throws CliException (usage) for a malformed value
   */
  public Optional<DnsEndpoint> resolver() throws CliException {
    String r = resolver;
    return r == null ? Optional.empty() : Optional.of(Inputs.endpoint(r, "--resolver"));
  }

  /**
   * The {@code --trust-anchor} records, if a file was given.
   *
   * @throws CliException (usage) if the file is missing or holds anything but DS/DNSKEY records
   */
  public Optional<List<Record>> trustAnchors() throws CliException {
    Path f = trustAnchor;
    return f == null ? Optional.empty() : Optional.of(Inputs.trustAnchors(f));
  }
}
