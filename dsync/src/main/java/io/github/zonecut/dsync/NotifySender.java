package io.github.zonecut.dsync;

import io.github.zonecut.core.CsyncRecord;
import io.github.zonecut.core.DiscoveryResult;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsRequest;
import io.github.zonecut.core.DnsResponse;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.DnsTransportException;
import io.github.zonecut.core.DsyncDiscovery;
import io.github.zonecut.core.Names;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.keystate.Delayer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ForkJoinPool;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.GenericEDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The child side of generalized notifications (RFC 9859 §4.2): sends NOTIFY(CDS) or
 * NOTIFY(CSYNC), one child per message, to the endpoint discovered for that RRtype and the NOTIFY
 * scheme ({@link DsyncDiscovery}, RFC 9859 §4.1; each RRtype has its own DSYNC record).
 *
 * <p>Retries follow RFC 1996 §3.6 for NOTIFY(SOA), as RFC 9859 §4.2.1 asks: without an answer
 * the request is retransmitted after an interval (default 60 s), at most a number of times
 * (default 5), rotating over the target's addresses. Any answer stops the retries. A truncated UDP
 * answer is retried over TCP at once.
 *
 * <p>Optionally the request carries the RFC 9567 Report-Channel EDNS option (code 18) so the
 * parent can report failures; RFC 9859 §4.2 requires its agent domain to be at or below one of the
 * child's NS hostnames in the parent (the sender's responsibility).
 */
public final class NotifySender {

  static {
    // every zonecut entry point registers zonecut's record types with dnsjava, so that
    // text and wire parsing yield DSYNC/CSYNC/HSYNC records, not "invalid unknown RR encoding"
    ZonecutTypes.register();
  }

  private static final Logger LOG = LoggerFactory.getLogger(NotifySender.class);
  /** RFC 9567 §6.1: the Report-Channel EDNS option code. */
  public static final int REPORT_CHANNEL_OPTION = 18;
  /** RFC 1996 §3.6: the default retransmission interval. */
  public static final Duration RFC1996_INTERVAL = Duration.ofSeconds(60);
  /** RFC 1996 §3.6: the default number of retransmissions. */
  public static final int RFC1996_RETRANSMISSIONS = 5;
  /** The shortest interval {@link Builder#retries(int, Duration)} accepts. */
  public static final Duration MIN_INTERVAL = Duration.ofSeconds(10);

  private final DnsTransport transport;
  private final DsyncDiscovery discovery;
  private final Delayer delayer;
  private final Duration timeout;
  private final int retransmissions;
  private final Duration interval;
  private final TransportProtocol protocol;
  private final @Nullable Name reportChannel;

  private NotifySender(Builder b) {
    this.transport = b.transport;
    this.discovery = b.discovery;
    this.delayer = b.delayer;
    this.timeout = b.timeout;
    this.retransmissions = b.retransmissions;
    this.interval = b.interval;
    this.protocol = b.protocol;
    this.reportChannel = b.reportChannel;
  }

  /** A builder: requests go through {@code transport}, endpoints come from {@code discovery}. */
  public static Builder builder(DnsTransport transport, DsyncDiscovery discovery) {
    return new Builder(transport, discovery);
  }

  /** NOTIFY(CDS) for {@code child}: its CDS or CDNSKEY RRset changed (RFC 9859 §4). */
  public CompletionStage<NotifyOutcome> notifyCds(Name child) {
    return send(child, Type.CDS);
  }

  /** NOTIFY(CSYNC) for {@code child}: its CSYNC RRset changed (RFC 9859 §4). */
  public CompletionStage<NotifyOutcome> notifyCsync(Name child) {
    return send(child, CsyncRecord.TYPE);
  }

  /**
   * Discovers the endpoint for {@code type} ({@link Type#CDS} or {@link CsyncRecord#TYPE}) and
   * sends one NOTIFY for {@code child} there, with retries. The stage never completes
   * exceptionally for anything the network does.
   */
  public CompletionStage<NotifyOutcome> send(Name child, int type) {
    Names.requireAbsolute("child", child);
    if (type != Type.CDS && type != CsyncRecord.TYPE) {
      throw new IllegalArgumentException("NOTIFY type must be CDS or CSYNC: " + Type.string(type));
    }
    return discovery.discoverNotify(child, type).thenCompose(result -> {
      if (!(result instanceof DiscoveryResult.Found)) {
        LOG.info("no NOTIFY({}) endpoint for {}: {}", Type.string(type), child, result);
        return CompletableFuture.completedFuture((NotifyOutcome) new NotifyOutcome.NoEndpoint(
            result));
      }
      return sendTo(child, type, ((DiscoveryResult.Found) result).endpoints());
    });
  }

  /**
   * Sends one NOTIFY for {@code child} to {@code endpoints} (tried in turn), with retries, without
   * discovery: for a host that knows its parent's endpoint.
   */
  public CompletionStage<NotifyOutcome> sendTo(Name child, int type, List<DnsEndpoint> endpoints) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no endpoints");
    }
    CompletableFuture<NotifyOutcome> out = new CompletableFuture<>();
    attempt(request(child, type), List.copyOf(endpoints), 0, out);
    return out;
  }

  private Message request(Name child, int type) {
    Message m = new Message();
    m.getHeader().setOpcode(Opcode.NOTIFY);
    m.getHeader().setFlag(Flags.AA); // RFC 1996 §3.7 shape, as NOTIFY(SOA) senders set it
    m.addRecord(Record.newRecord(child, type, DClass.IN), Section.QUESTION);
    List<EDNSOption> options = reportChannel == null ? List.of()
        : List.of(new GenericEDNSOption(REPORT_CHANNEL_OPTION, reportChannel.toWire()));
    m.addRecord(new OPTRecord(1232, 0, 0, 0, options), Section.ADDITIONAL);
    return m;
  }

  private void attempt(Message message, List<DnsEndpoint> endpoints, int sent,
      CompletableFuture<NotifyOutcome> out) {
    DnsEndpoint endpoint = endpoints.get(sent % endpoints.size());
    exchange(endpoint, message, protocol).whenComplete((response, failure) -> {
      int attempts = sent + 1;
      if (failure == null) {
        if (response.message().getHeader().getFlag(Flags.TC) && protocol == TransportProtocol.UDP) {
          exchange(endpoint, message, TransportProtocol.TCP).whenComplete((tcp, f2) -> {
            if (f2 == null) {
              out.complete(judge(endpoint, tcp, attempts));
            } else {
              retryOrGiveUp(message, endpoints, attempts, f2, out);
            }
          });
          return;
        }
        out.complete(judge(endpoint, response, attempts));
        return;
      }
      retryOrGiveUp(message, endpoints, attempts, failure, out);
    });
  }

  private void retryOrGiveUp(Message message, List<DnsEndpoint> endpoints, int attempts,
      Throwable failure, CompletableFuture<NotifyOutcome> out) {
    DnsTransportException e = DnsTransportException.find(failure);
    String problem = e != null ? e.reason() + ": " + e.getMessage() : String.valueOf(failure);
    if (attempts > retransmissions) {
      LOG.info("NOTIFY for {} unanswered after {} attempts: {}",
          message.getQuestion().getName(), attempts, problem);
      out.complete(new NotifyOutcome.NoAnswer(attempts, problem));
      return;
    }
    LOG.debug("NOTIFY for {} attempt {} failed ({}); retrying in {}",
        message.getQuestion().getName(), attempts, problem, interval);
    delayer.delay(interval).whenComplete((v, f) -> attempt(message, endpoints, attempts, out));
  }

  private CompletionStage<DnsResponse> exchange(DnsEndpoint endpoint, Message message,
      TransportProtocol via) {
    try {
      return transport.exchange(endpoint, DnsRequest.of(message), via, timeout);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static NotifyOutcome judge(DnsEndpoint endpoint, DnsResponse response, int attempts) {
    Message m = response.message();
    if (!m.getHeader().getFlag(Flags.QR) || m.getHeader().getOpcode() != Opcode.NOTIFY) {
      return new NotifyOutcome.MalformedAnswer(endpoint, "not a NOTIFY response: opcode "
          + Opcode.string(m.getHeader().getOpcode()) + ", QR "
          + m.getHeader().getFlag(Flags.QR));
    }
    int rcode = m.getRcode();
    if (rcode == Rcode.NOERROR) {
      return new NotifyOutcome.Acknowledged(endpoint, attempts);
    }
    Optional<NotifyOutcome.Ede> ede = Optional.empty();
    OPTRecord opt = m.getOPT();
    if (opt != null) {
      for (EDNSOption o : opt.getOptions()) {
        if (o instanceof ExtendedErrorCodeOption) {
          ExtendedErrorCodeOption e = (ExtendedErrorCodeOption) o;
          String text = e.getText();
          ede = Optional.of(new NotifyOutcome.Ede(e.getErrorCode(), text == null ? "" : text));
          break;
        }
      }
    }
    return new NotifyOutcome.Refused(endpoint, rcode, ede);
  }

  /** Settings of a {@link NotifySender}. */
  public static final class Builder {
    private final DnsTransport transport;
    private final DsyncDiscovery discovery;
    private Delayer delayer = Delayer.using(ForkJoinPool.commonPool());
    private Duration timeout = Duration.ofSeconds(5);
    private int retransmissions = RFC1996_RETRANSMISSIONS;
    private Duration interval = RFC1996_INTERVAL;
    private TransportProtocol protocol = TransportProtocol.UDP;
    private @Nullable Name reportChannel;

    private Builder(DnsTransport transport, DsyncDiscovery discovery) {
      this.transport = Objects.requireNonNull(transport, "transport");
      this.discovery = Objects.requireNonNull(discovery, "discovery");
    }

    /** Waits between retransmissions (tests inject a virtual one). */
    public Builder delayer(Delayer delayer) {
      this.delayer = Objects.requireNonNull(delayer, "delayer");
      return this;
    }

    /** How long each attempt waits for its answer (default 5 s). */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * At most {@code maxRetransmissions} retransmissions, {@code interval} apart (RFC 1996 §3.6;
     * defaults 5 and 60 s). The interval must be at least {@link #MIN_INTERVAL}.
     */
    public Builder retries(int maxRetransmissions, Duration interval) {
      if (interval.compareTo(MIN_INTERVAL) < 0) {
        throw new IllegalArgumentException("retry interval " + interval + " is below "
            + MIN_INTERVAL + "; use retriesBelowRfc1996FloorForTestHarnesses for harnesses");
      }
      return retriesBelowRfc1996FloorForTestHarnesses(maxRetransmissions, interval);
    }

    /**
     * Like {@link #retries(int, Duration)} without the floor: for test harnesses and labs only. A
     * short interval hammers the parent, which rate-limits NOTIFYs (RFC 9859 §5).
     */
    public Builder retriesBelowRfc1996FloorForTestHarnesses(int maxRetransmissions,
        Duration interval) {
      if (maxRetransmissions < 0) {
        throw new IllegalArgumentException("negative retransmissions: " + maxRetransmissions);
      }
      if (interval.isNegative()) {
        throw new IllegalArgumentException("negative interval: " + interval);
      }
      this.retransmissions = maxRetransmissions;
      this.interval = interval;
      return this;
    }

    /** UDP (default, with TCP after truncation) or TCP for every attempt. */
    public Builder protocol(TransportProtocol protocol) {
      this.protocol = Objects.requireNonNull(protocol, "protocol");
      return this;
    }

    /**
     * Adds the RFC 9567 Report-Channel option with this agent domain, which must be at or below
     * one of the child's NS hostnames in the parent (RFC 9859 §4.2).
     */
    public Builder reportChannel(Name agentDomain) {
      this.reportChannel = Names.requireAbsolute("agent domain", agentDomain);
      return this;
    }

    /** The sender. */
    public NotifySender build() {
      return new NotifySender(this);
    }
  }
}
