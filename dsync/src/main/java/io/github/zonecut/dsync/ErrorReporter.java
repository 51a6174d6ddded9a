package io.github.zonecut.dsync;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DirectLookup;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsLookup;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.EndpointOverrides;
import io.github.zonecut.core.LookupResult;
import io.github.zonecut.core.MalformedDataException;
import io.github.zonecut.core.Names;
import io.github.zonecut.core.TransportProtocol;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The parent's side of RFC 9567 DNS error reporting for generalized NOTIFY (RFC 9859 §4.2): a
 * child's NOTIFY may carry the Report-Channel EDNS option (code 18) naming an agent domain; when
 * the scan the NOTIFY triggered refuses the child's signal, the parent sends the error-report
 * query {@code _er.<qtype>.<qname>.<ede-code>._er.<agent-domain>} TXT (RFC 9567 §6.1.1) to the
 * agent domain's name server, so the child's operator learns why its CDS/CSYNC went nowhere.
 *
 * <p>Off unless a host gives one reporter to both {@link NotifyReceiver.Builder#errorReporter}
 * (which {@linkplain #agentDomainSeen remembers} the agent domain per child and type) and {@link
 * ScanService.Builder#errorReporter} (which {@linkplain #refused reports} refusals). RFC 9567 §6
 * makes reporting optional for the reporting agent, and the agent domain arrives in an
 * unauthenticated NOTIFY: a forged one could aim reports at a third party. Hence, besides being
 * opt-in, a report is sent only when the agent domain is at or below one of the child's NS names
 * in the parent's delegation (RFC 9859 §4.2 requires the sender to choose it so; a parent that
 * checks it cannot be made to report elsewhere), at most once per child, type and EDE code per
 * {@linkplain Builder#interval interval} (RFC 9567 §6.1.1 asks reporting agents to rate-limit and
 * not to report the same error repeatedly), and for refusals only (a pending signal is not an
 * error).
 */
public final class ErrorReporter {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorReporter.class);
  private static final Name ER = Name.fromConstantString("_er");
  /** EDE 0, Other Error (RFC 8914 §4.1). */
  public static final int EDE_OTHER = 0;

  private final DnsTransport transport;
  private final DnsLookup lookup;
  private final EndpointOverrides overrides;
  private final Clock clock;
  private final Duration interval;
  private final Duration timeout;
  private final int maxTracked;
  private final Consumer<Report> listener;
  private final Map<String, Name> agentDomains;
  private final Map<String, Instant> sent;

  private ErrorReporter(Builder b) {
    this.transport = b.transport;
    this.lookup = b.lookup;
    this.overrides = b.overrides;
    this.clock = b.clock;
    this.interval = b.interval;
    this.timeout = b.timeout;
    this.maxTracked = b.maxTracked;
    this.listener = b.listener;
    this.agentDomains = bounded(maxTracked);
    this.sent = bounded(maxTracked);
  }

  private static <V> Map<String, V> bounded(int max) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > max;
      }
    };
  }

  /**
   * A reporter sending through {@code transport}, finding the agent domain's name servers
   * through {@code lookup} (a validating lookup in production).
   */
  public static Builder builder(DnsTransport transport, DnsLookup lookup) {
    return new Builder(transport, lookup);
  }

  /** What became of one refusal. */
  public enum Outcome {
    /** The report query was answered by the agent domain's server (any answer: §6.1.1). */
    SENT,
    /** The same report was sent less than an interval ago. */
    SUPPRESSED,
    /** The agent domain is not at or below an NS name of the child's delegation. */
    NOT_ALLOWED,
    /** The report name would be longer than 255 octets (RFC 9567 §6.1.1: not sent). */
    TOO_LONG,
    /** No server of the agent domain was found or none answered. */
    FAILED
  }

  /**
   * One report, for the host's listener.
   *
   * @param child the child whose signal was refused
   * @param type the NOTIFY type ({@link Type#CDS} or CSYNC)
   * @param edeCode the RFC 8914 code reported
   * @param agentDomain the agent domain the NOTIFY named
   * @param reportName the report QNAME, when it could be built
   * @param outcome what became of it
   * @param detail why, for logs
   * @param at when
   */
  public record Report(Name child, int type, int edeCode, Name agentDomain,
      Optional<Name> reportName, Outcome outcome, String detail, Instant at) {
    /** Checks the fields. */
    public Report {
      Objects.requireNonNull(child, "child");
      Objects.requireNonNull(agentDomain, "agentDomain");
      Objects.requireNonNull(reportName, "reportName");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(detail, "detail");
      Objects.requireNonNull(at, "at");
    }
  }

  /**
   * The RFC 9567 §6.1.1 report QNAME {@code _er.<qtype>.<qname>.<ede-code>._er.<agent-domain>},
   * QTYPE and EDE code in decimal.
   *
   * @throws MalformedDataException when it would be longer than 255 octets
   */
  public static Name reportName(Name qname, int qtype, int edeCode, Name agentDomain)
      throws MalformedDataException {
    Names.requireAbsolute("qname", qname);
    Names.requireAbsolute("agent domain", agentDomain);
    try {
      Name head = Name.concatenate(Name.concatenate(ER, Name.fromString(Integer.toString(qtype))),
          qname.relativize(Name.root));
      Name tail = Name.concatenate(Name.concatenate(Name.fromString(Integer.toString(edeCode)),
          ER), agentDomain);
      return Name.concatenate(head, tail);
    } catch (NameTooLongException | TextParseException e) {
      throw new MalformedDataException("report name", -1, "_er." + qtype + "." + qname + edeCode
          + "._er." + agentDomain + " is longer than 255 octets", e);
    }
  }

  /**
   * The EDE code reported for a refusal reason (RFC 8914): DNSSEC Bogus (6) for a bogus signal,
   * Unsupported DS Digest Type (2), DNSSEC Indeterminate (5) when the signal is not SECURE or
   * lacks continuity, Not Authoritative (20) for lame servers and an absent delegation, Other
   * Error (0) for the rest, with the reason's name in the host's event.
   */
  public static int edeCode(Reason reason) {
    switch (reason) {
      case BOGUS:
        return 6;
      case DIGEST_NOT_ACCEPTED:
        return 2;
      case NOT_SECURE:
      case NO_CONTINUITY:
        return 5;
      case NOT_DELEGATED:
      case LAME_DELEGATION:
      case LAME_NAMESERVER:
        return 20;
      default:
        return EDE_OTHER;
    }
  }

  /** Remembers the agent domain a NOTIFY for {@code child} of {@code type} carried. */
  public void agentDomainSeen(Name child, int type, Name agentDomain) {
    synchronized (agentDomains) {
      agentDomains.put(key(child, type), agentDomain);
    }
  }

  /** Forgets the agent domain of {@code child} and {@code type} (a NOTIFY without one). */
  public void agentDomainGone(Name child, int type) {
    synchronized (agentDomains) {
      agentDomains.remove(key(child, type));
    }
  }

  /** The agent domain remembered for {@code child} and {@code type}, if any. */
  public Optional<Name> agentDomain(Name child, int type) {
    synchronized (agentDomains) {
      return Optional.ofNullable(agentDomains.get(key(child, type)));
    }
  }

  private static String key(Name child, int type) {
    return child.canonicalize() + "/" + type;
  }

  /**
   * Reports that the scan of {@code child} ({@code type}) refused its signal for {@code reason},
   * when the child's NOTIFY named an agent domain. The stage completes with the report, or with
   * empty when there is no agent domain; it never completes exceptionally.
   *
   * @param delegation the parent's delegation of the child (its NS names bound the agent domain)
   */
  public CompletionStage<Optional<Report>> refused(Name child, int type, Reason reason,
      Optional<Delegation> delegation) {
    Optional<Name> agent = agentDomain(child, type);
    if (agent.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    Name agentDomain = agent.get();
    int ede = edeCode(reason);
    Instant at = clock.instant();
    boolean allowed = delegation.map(d -> d.nameservers().stream()
        .anyMatch(ns -> agentDomain.subdomain(ns))).orElse(false);
    if (!allowed) {
      return done(new Report(child, type, ede, agentDomain, Optional.empty(), Outcome.NOT_ALLOWED,
          "agent domain not at or below an NS name of the delegation (RFC 9859 §4.2)", at));
    }
    Name name;
    try {
      name = reportName(child, type, ede, agentDomain);
    } catch (MalformedDataException e) {
      return done(new Report(child, type, ede, agentDomain, Optional.empty(), Outcome.TOO_LONG,
          String.valueOf(e.getMessage()), at));
    }
    String sentKey = key(child, type) + "/" + ede;
    synchronized (sent) {
      Instant last = sent.get(sentKey);
      if (last != null && at.isBefore(last.plus(interval))) {
        return done(new Report(child, type, ede, agentDomain, Optional.of(name),
            Outcome.SUPPRESSED, "reported at " + last, at));
      }
      sent.put(sentKey, at);
    }
    return servers(agentDomain, 0).thenCompose(endpoints -> send(name, endpoints, 0))
        .handle((answered, failure) -> {
          Report r = failure == null && answered != null
              ? new Report(child, type, ede, agentDomain, Optional.of(name), Outcome.SENT,
                  answered, at)
              : new Report(child, type, ede, agentDomain, Optional.of(name), Outcome.FAILED,
                  String.valueOf(failure == null ? "no server answered" : failure), at);
          emit(r);
          return Optional.of(r);
        });
  }

  private CompletionStage<Optional<Report>> done(Report r) {
    emit(r);
    return CompletableFuture.completedFuture(Optional.of(r));
  }

  /** The agent domain's name servers: the NS at the name or, bounded, at its ancestors. */
  private CompletableFuture<List<DnsEndpoint>> servers(Name domain, int depth) {
    if (domain.labels() <= 1 || depth > 8) {
      return CompletableFuture.completedFuture(List.of());
    }
    return lookup.lookup(domain, Type.NS).toCompletableFuture().thenCompose(r -> {
      if (!(r instanceof LookupResult.Answer)) {
        return servers(new Name(domain, 1), depth + 1);
      }
      List<CompletableFuture<List<DnsEndpoint>>> each = new ArrayList<>();
      for (Record rr : ((LookupResult.Answer) r).rrset().rrs()) {
        each.add(endpoints(((NSRecord) rr).getTarget()));
      }
      return CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
        List<DnsEndpoint> out = new ArrayList<>();
        each.forEach(f -> out.addAll(f.join()));
        return out;
      });
    });
  }

  private CompletableFuture<List<DnsEndpoint>> endpoints(Name ns) {
    Optional<List<DnsEndpoint>> override = overrides.forName(ns);
    if (override.isPresent()) {
      return CompletableFuture.completedFuture(override.get());
    }
    CompletableFuture<LookupResult> v4 = lookup.lookup(ns, Type.A).toCompletableFuture();
    CompletableFuture<LookupResult> v6 = lookup.lookup(ns, Type.AAAA).toCompletableFuture();
    return v4.thenCombine(v6, (a, b) -> {
      List<DnsEndpoint> out = new ArrayList<>();
      for (LookupResult r : List.of(a, b)) {
        if (r instanceof LookupResult.Answer) {
          for (Record rr : ((LookupResult.Answer) r).rrset().rrs()) {
            out.add(overrides.forAddress(rr instanceof ARecord ? ((ARecord) rr).getAddress()
                : ((AAAARecord) rr).getAddress(), DnsEndpoint.DNS_PORT));
          }
        }
      }
      return out;
    });
  }

  /** Sends the report TXT query to each endpoint in turn until one answers (bounded). */
  private CompletableFuture<@Nullable String> send(Name name, List<DnsEndpoint> endpoints,
      int i) {
    if (i >= endpoints.size() || i >= 4) {
      return CompletableFuture.completedFuture(null);
    }
    DnsEndpoint ep = endpoints.get(i);
    return DirectLookup.builder(transport, ep).protocol(TransportProtocol.UDP).timeout(timeout)
        .build().lookup(name, Type.TXT).toCompletableFuture()
        .<@Nullable String>thenCompose(r -> r instanceof LookupResult.Timeout
            || r instanceof LookupResult.Failed ? send(name, endpoints, i + 1)
            : CompletableFuture.completedFuture("answered by " + ep + ": " + r));
  }

  private void emit(Report r) {
    if (r.outcome() == Outcome.SENT || r.outcome() == Outcome.SUPPRESSED) {
      LOG.debug("error report for {}: {}", r.child(), r.outcome());
    } else {
      LOG.info("error report for {} to {}: {} ({})", r.child(), r.agentDomain(), r.outcome(),
          r.detail());
    }
    try {
      listener.accept(r);
    } catch (RuntimeException e) {
      LOG.warn("error report listener failed", e);
    }
  }

  /** Settings of an {@link ErrorReporter}. */
  public static final class Builder {
    private final DnsTransport transport;
    private final DnsLookup lookup;
    private EndpointOverrides overrides = EndpointOverrides.none();
    private Clock clock = Clock.systemUTC();
    private Duration interval = Duration.ofHours(1);
    private Duration timeout = Duration.ofSeconds(3);
    private int maxTracked = 100_000;
    private Consumer<Report> listener = r -> { };

    private Builder(DnsTransport transport, DnsLookup lookup) {
      this.transport = Objects.requireNonNull(transport, "transport");
      this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /** Where name servers really are (tests and harnesses); default none. */
    public Builder overrides(EndpointOverrides overrides) {
      this.overrides = Objects.requireNonNull(overrides, "overrides");
      return this;
    }

    /** The clock of the interval and the reports. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** At most one report per child, type and EDE code per {@code interval} (default 1 h). */
    public Builder interval(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException("interval is negative: " + interval);
      }
      this.interval = interval;
      return this;
    }

    /** The deadline of each report query (default 3 s). */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** How many children's agent domains and reports are remembered (default 100,000). */
    public Builder maxTracked(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxTracked must be at least 1: " + max);
      }
      this.maxTracked = max;
      return this;
    }

    /** Hears every {@link Report} (do not block). */
    public Builder listener(Consumer<Report> listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The reporter. */
    public ErrorReporter build() {
      return new ErrorReporter(this);
    }
  }
}
