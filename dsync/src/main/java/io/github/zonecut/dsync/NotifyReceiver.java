package io.github.zonecut.dsync;

import io.github.zonecut.core.CsyncRecord;
import io.github.zonecut.core.Names;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.keystate.internal.RateLimiter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The parent's receiver of generalized NOTIFYs (RFC 9859 §4.3): {@code handle(bytes, source) →
 * bytes}, for a UDP/TCP server to dispatch NOTIFY (opcode 4) messages to. It never throws and
 * never blocks.
 *
 * <ul>
 *   <li>A valid NOTIFY(CDS) or NOTIFY(CSYNC) for one child below a served parent zone is
 *       acknowledged (RFC 1996 §4.7: QR, same ID and question; AA set) so the sender stops
 *       retrying, and an immediate check of the child is {@link ScanScheduler scheduled}; repeats
 *       for a child whose check is pending join it (RFC 9859 §4.3 option 1).
 *   <li>A NOTIFY with more than one question, or payload records for another name, is REFUSED:
 *       RFC 9859 §4.3 says a multi-child NOTIFY MUST be discarded; answering stops the retries.
 *   <li>A child not strictly below a served zone (compared label-wise) is REFUSED with EDE Not
 *       Authoritative (20).
 *   <li>Another opcode, or a NOTIFY of another QTYPE (SOA, DNSKEY…), is NOTIMP with EDE Not
 *       Supported (21): RFC 1035 §4.1.1 defines NOTIMP as "does not support the requested kind of
 *       query", which says more to the sender than REFUSED (a policy refusal).
 *   <li>Bytes that are not a DNS request are FORMERR when they have a header, else unanswered;
 *       responses (QR set) are never answered (no reflection loops).
 *   <li>RFC 9859 §5: notification processing MUST be rate-limited. Requests are counted per
 *       source prefix (/24 and /56 by default) and per child; over either rate, and when the scan
 *       queue is full, the answer is REFUSED with EDE Blocked (15), the code RFC 9859 §4.3
 *       suggests.
 * </ul>
 *
 * <p>EDE options are only sent to requests that carry EDNS (RFC 6891 §7). The host hears of every
 * request through {@link NotifyEvent}s; log lines carry no message contents beyond the names.
 */
public final class NotifyReceiver {

  static {
    // every zonecut entry point registers zonecut's record types with dnsjava, so that
    // text and wire parsing yield DSYNC/CSYNC/HSYNC records, not "invalid unknown RR encoding"
    ZonecutTypes.register();
  }

  private static final Logger LOG = LoggerFactory.getLogger(NotifyReceiver.class);
  private static final byte[] NO_ANSWER = new byte[0];
  private static final int EDE_BLOCKED = 15;
  private static final int EDE_INVALID_DATA = 24;
  private static final int EDE_NOT_AUTHORITATIVE = 20;
  private static final int EDE_NOT_SUPPORTED = 21;
  private static final int EDNS_PAYLOAD = 1232;

  private final ScanScheduler scheduler;
  private final List<Name> parentZones;
  private final Set<Integer> types;
  private final Limits limits;
  private final Clock clock;
  private final Consumer<NotifyEvent> listener;
  private final @Nullable ErrorReporter reporter;

  private NotifyReceiver(Builder b) {
    this.scheduler = b.scheduler;
    this.parentZones = List.copyOf(b.parentZones);
    this.types = Set.copyOf(b.types);
    this.clock = b.clock;
    this.listener = b.listener;
    this.limits = new Limits(b, b.clock);
    this.reporter = b.reporter;
  }

  /**
   * A builder: checks are handed to {@code scheduler}, for children of the parent zones named
   * with {@link Builder#parentZones(Name...)}.
   */
  public static Builder builder(ScanScheduler scheduler) {
    return new Builder(scheduler);
  }

  /**
   * Answers one request received from {@code source}: the response's bytes, or an empty array
   * when nothing must be sent back (a response, or bytes shorter than a DNS header).
   */
  public byte[] handle(byte[] request, InetAddress source) {
    Instant at = clock.instant();
    try {
      return process(request, source, at);
    } catch (RuntimeException e) {
      // a bug here must not take the server's I/O thread down; the sender retries
      LOG.warn("NOTIFY from {} failed unexpectedly", source.getHostAddress(), e);
      emit(new NotifyEvent(at, source, Optional.empty(), -1, NotifyEvent.Outcome.MALFORMED, -1));
      return NO_ANSWER;
    }
  }

  private byte[] process(byte[] request, InetAddress source, Instant at) {
    if (request.length < Header.LENGTH || (request[2] & 0x80) != 0) {
      // too short to answer, or a response: never answered (no reflection loops)
      emit(new NotifyEvent(at, source, Optional.empty(), -1, NotifyEvent.Outcome.MALFORMED, -1));
      return NO_ANSWER;
    }
    Message query;
    try {
      query = new Message(request);
    } catch (IOException e) {
      if (!limits.allowSource(source)) {
        emit(new NotifyEvent(at, source, Optional.empty(), -1, NotifyEvent.Outcome.RATE_LIMITED,
            -1));
        return NO_ANSWER;
      }
      emit(new NotifyEvent(at, source, Optional.empty(), -1, NotifyEvent.Outcome.MALFORMED,
          Rcode.FORMERR));
      return headerOnlyFormErr(request);
    }
    List<Record> questions = query.getSection(Section.QUESTION);
    Optional<Name> child = questions.isEmpty() ? Optional.empty()
        : Optional.of(questions.get(0).getName());
    int type = questions.isEmpty() ? -1 : questions.get(0).getType();
    if (!limits.allowSource(source)) {
      return answer(query, Rcode.REFUSED, EDE_BLOCKED, "rate limited (source)",
          new NotifyEvent(at, source, child, type, NotifyEvent.Outcome.RATE_LIMITED,
              Rcode.REFUSED));
    }
    if (query.getHeader().getOpcode() != Opcode.NOTIFY) {
      return answer(query, Rcode.NOTIMP, EDE_NOT_SUPPORTED, "only NOTIFY is served here",
          new NotifyEvent(at, source, child, type, NotifyEvent.Outcome.NOT_IMPLEMENTED,
              Rcode.NOTIMP));
    }
    if (questions.isEmpty()) {
      return answer(query, Rcode.FORMERR, -1, "",
          new NotifyEvent(at, source, child, type, NotifyEvent.Outcome.MALFORMED, Rcode.FORMERR));
    }
    Name qname = questions.get(0).getName();
    if (questions.size() != 1 || !payloadOnlyFor(query, qname)) {
      // RFC 9859 §4.3: a NOTIFY for more than one child MUST be discarded
      return answer(query, Rcode.REFUSED, EDE_INVALID_DATA, "one child per NOTIFY (RFC 9859 §4.3)",
          new NotifyEvent(at, source, child, type, NotifyEvent.Outcome.MULTI_CHILD,
              Rcode.REFUSED));
    }
    if (!types.contains(type) || questions.get(0).getDClass() != DClass.IN) {
      return answer(query, Rcode.NOTIMP, EDE_NOT_SUPPORTED, "NOTIFY(" + Type.string(type)
          + ") is not processed here", new NotifyEvent(at, source, child, type,
              NotifyEvent.Outcome.NOT_IMPLEMENTED, Rcode.NOTIMP));
    }
    if (!served(qname)) {
      return answer(query, Rcode.REFUSED, EDE_NOT_AUTHORITATIVE, "not a child of a zone served"
          + " here", new NotifyEvent(at, source, child, type, NotifyEvent.Outcome.NOT_SERVED,
              Rcode.REFUSED));
    }
    if (!limits.allowChild(qname)) {
      return answer(query, Rcode.REFUSED, EDE_BLOCKED, "rate limited (child)",
          new NotifyEvent(at, source, child, type, NotifyEvent.Outcome.RATE_LIMITED,
              Rcode.REFUSED));
    }
    ScanScheduler.Scheduling s = scheduler.schedule(new ScanRequest(qname, type));
    if (reporter != null && s != ScanScheduler.Scheduling.REJECTED) {
      // the latest NOTIFY says where reports go: one without the option stops them
      Optional<Name> agent = agentDomain(query);
      if (agent.isPresent()) {
        reporter.agentDomainSeen(qname, type, agent.get());
      } else {
        reporter.agentDomainGone(qname, type);
      }
    }
    switch (s) {
      case SCHEDULED:
        return answer(query, Rcode.NOERROR, -1, "", new NotifyEvent(at, source, child, type,
            NotifyEvent.Outcome.SCHEDULED, Rcode.NOERROR));
      case COALESCED:
        return answer(query, Rcode.NOERROR, -1, "", new NotifyEvent(at, source, child, type,
            NotifyEvent.Outcome.COALESCED, Rcode.NOERROR));
      case REJECTED:
      default:
        return answer(query, Rcode.REFUSED, EDE_BLOCKED, "scan queue full",
            new NotifyEvent(at, source, child, type, NotifyEvent.Outcome.QUEUE_FULL,
                Rcode.REFUSED));
    }
  }

  /**
   * The agent domain of the RFC 9567 §6.1 Report-Channel option (code 18), if the request
   * carries one that parses as an uncompressed wire name; a malformed option is ignored.
   */
  static Optional<Name> agentDomain(Message query) {
    OPTRecord opt = query.getOPT();
    if (opt == null) {
      return Optional.empty();
    }
    for (EDNSOption o : opt.getOptions(NotifySender.REPORT_CHANNEL_OPTION)) {
      // dnsjava has no class and no public payload getter for code 18: the payload is the
      // option's wire form after its 4-octet code and length
      byte[] wire = o.toWire();
      try {
        DNSInput in = new DNSInput(java.util.Arrays.copyOfRange(wire, 4, wire.length));
        Name agent = new Name(in);
        if (in.remaining() == 0 && !agent.equals(Name.root)) {
          return Optional.of(agent);
        }
      } catch (IOException | RuntimeException e) {
        // RFC 9567 §6.1: a malformed option is not acted upon
      }
    }
    return Optional.empty();
  }

  /** RFC 9859 §4.3: payload records, if any, belong to the one child named. */
  private static boolean payloadOnlyFor(Message query, Name child) {
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
      for (Record r : query.getSection(section)) {
        if (!r.getName().equals(child)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Strictly below one of the served zones, label-wise. */
  private boolean served(Name child) {
    if (!child.isAbsolute()) {
      return false;
    }
    for (Name zone : parentZones) {
      if (Names.isBelow(child, zone)) {
        return true;
      }
    }
    return false;
  }

  /** RFC 1996 §4.7: QR, the request's ID, opcode and question; AA set. */
  private byte[] answer(Message query, int rcode, int ede, String edeText, NotifyEvent event) {
    Message response = new Message(query.getHeader().getID());
    Header h = response.getHeader();
    h.setOpcode(query.getHeader().getOpcode());
    h.setFlag(Flags.QR);
    h.setFlag(Flags.AA);
    if (query.getHeader().getFlag(Flags.RD)) {
      h.setFlag(Flags.RD);
    }
    h.setRcode(rcode);
    for (Record q : query.getSection(Section.QUESTION)) {
      response.addRecord(q, Section.QUESTION);
    }
    OPTRecord opt = query.getOPT();
    if (opt != null) {
      List<EDNSOption> options = new ArrayList<>();
      if (ede >= 0) {
        options.add(new ExtendedErrorCodeOption(ede, edeText));
      }
      response.addRecord(new OPTRecord(EDNS_PAYLOAD, 0, 0, 0, options), Section.ADDITIONAL);
    }
    emit(event);
    if (event.outcome() == NotifyEvent.Outcome.SCHEDULED
        || event.outcome() == NotifyEvent.Outcome.COALESCED) {
      LOG.debug("NOTIFY({}) for {} from {}: {}", Type.string(event.type()),
          event.child().map(Name::toString).orElse("-"), event.source().getHostAddress(),
          event.outcome());
    } else {
      LOG.info("NOTIFY from {} for {}: {} ({})", event.source().getHostAddress(),
          event.child().map(Name::toString).orElse("-"), event.outcome(), Rcode.string(rcode));
    }
    return response.toWire(65535);
  }

  /** FORMERR carrying the ID of a request dnsjava could not parse (RFC 1035 §4.1.1). */
  private static byte[] headerOnlyFormErr(byte[] request) {
    Message error = new Message(((request[0] & 0xFF) << 8) | (request[1] & 0xFF));
    error.getHeader().setFlag(Flags.QR);
    error.getHeader().setOpcode((request[2] >> 3) & 0x0F);
    error.getHeader().setRcode(Rcode.FORMERR);
    return error.toWire();
  }

  private void emit(NotifyEvent event) {
    try {
      listener.accept(event);
    } catch (RuntimeException e) {
      LOG.warn("NOTIFY event listener failed", e);
    }
  }

  /**
   * The one place that talks to keystate's rate limiter (its internals are being reworked): token
   * buckets per source prefix and per child.
   */
  private static final class Limits {
    private final RateLimiter sources;
    private final RateLimiter children;
    private final int v4Prefix;
    private final int v6Prefix;

    Limits(Builder b, Clock clock) {
      this.sources = new RateLimiter(b.sourceBurst, b.sourcePeriod, b.maxTracked, clock);
      this.children = new RateLimiter(b.childBurst, b.childPeriod, b.maxTracked, clock);
      this.v4Prefix = b.v4Prefix;
      this.v6Prefix = b.v6Prefix;
    }

    boolean allowSource(InetAddress source) {
      return sources.tryAcquire(prefix(source));
    }

    boolean allowChild(Name child) {
      return children.tryAcquire(child.canonicalize());
    }

    private InetAddress prefix(InetAddress source) {
      byte[] a = source.getAddress();
      int bits = a.length == 4 ? v4Prefix : v6Prefix;
      for (int i = 0; i < a.length; i++) {
        int keep = Math.max(0, Math.min(8, bits - 8 * i));
        a[i] = (byte) (a[i] & (0xFF << (8 - keep)));
      }
      try {
        return InetAddress.getByAddress(a);
      } catch (UnknownHostException e) {
        return source; // cannot happen: 4 or 16 octets
      }
    }
  }

  /** Settings of a {@link NotifyReceiver}. */
  public static final class Builder {
    private final ScanScheduler scheduler;
    private final Set<Name> parentZones = new TreeSet<>();
    private Set<Integer> types = Set.of(Type.CDS, CsyncRecord.TYPE);
    private int sourceBurst = 20;
    private Duration sourcePeriod = Duration.ofMinutes(1);
    private int childBurst = 5;
    private Duration childPeriod = Duration.ofMinutes(1);
    private int v4Prefix = 24;
    private int v6Prefix = 56;
    private int maxTracked = 100_000;
    private Clock clock = Clock.systemUTC();
    private Consumer<NotifyEvent> listener = e -> { };
    private @Nullable ErrorReporter reporter;

    private Builder(ScanScheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** The parent zones whose children this receiver serves (at least one). */
    public Builder parentZones(Name... zones) {
      for (Name z : zones) {
        parentZones.add(Names.requireAbsolute("parent zone", z));
      }
      return this;
    }

    /**
     * The NOTIFY types processed: {@link Type#CDS} and/or {@link CsyncRecord#TYPE} (default
     * both); a parent that consumes no CSYNC answers NOTIFY(CSYNC) with NOTIMP.
     */
    public Builder types(int... notifyTypes) {
      Set<Integer> out = new TreeSet<>();
      for (int t : notifyTypes) {
        if (t != Type.CDS && t != CsyncRecord.TYPE) {
          throw new IllegalArgumentException("NOTIFY type must be CDS or CSYNC: " + t);
        }
        out.add(t);
      }
      if (out.isEmpty()) {
        throw new IllegalArgumentException("no NOTIFY type");
      }
      this.types = out;
      return this;
    }

    /** Per source prefix: {@code burst} requests, refilled over {@code period} (20/min). */
    public Builder sourceLimit(int burst, Duration period) {
      this.sourceBurst = burst;
      this.sourcePeriod = Objects.requireNonNull(period, "period");
      return this;
    }

    /** Per child: {@code burst} NOTIFYs, refilled over {@code period} (default 5/min). */
    public Builder childLimit(int burst, Duration period) {
      this.childBurst = burst;
      this.childPeriod = Objects.requireNonNull(period, "period");
      return this;
    }

    /** The source prefix lengths counted together (default /24 and /56). */
    public Builder sourcePrefixes(int v4, int v6) {
      if (v4 < 0 || v4 > 32 || v6 < 0 || v6 > 128) {
        throw new IllegalArgumentException("prefix lengths out of range: /" + v4 + ", /" + v6);
      }
      this.v4Prefix = v4;
      this.v6Prefix = v6;
      return this;
    }

    /** How many sources and children the limiters track at most (default 100,000). */
    public Builder maxTracked(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxTracked must be at least 1: " + max);
      }
      this.maxTracked = max;
      return this;
    }

    /** The clock of the rate limits and events. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Hears one {@link NotifyEvent} per request (called on the I/O thread: do not block). */
    public Builder listener(Consumer<NotifyEvent> listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Remembers the RFC 9567 Report-Channel agent domain of each scheduled NOTIFY in {@code
     * reporter}, for the {@link ScanService} given the same reporter; default none.
     */
    public Builder errorReporter(ErrorReporter reporter) {
      this.reporter = Objects.requireNonNull(reporter, "reporter");
      return this;
    }

    /** The receiver. */
    public NotifyReceiver build() {
      if (parentZones.isEmpty()) {
        throw new IllegalStateException("no parent zone: set parentZones(...)");
      }
      return new NotifyReceiver(this);
    }
  }
}
