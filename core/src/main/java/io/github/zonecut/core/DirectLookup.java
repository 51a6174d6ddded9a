package io.github.zonecut.core;

import io.github.zonecut.core.internal.Checks;
import io.github.zonecut.core.internal.Responses;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Asks one given authoritative server, without recursion (RD=0), without a cache and without
 * validation: what the consistency checks of RFC 8078 §3 and RFC 9615 §4.2 need ("query every
 * authoritative nameserver"). Results carry {@link Verdict#UNVALIDATED}.
 *
 * <p>Only the server's authoritative data counts. A referral (no answer, NS and no SOA in the
 * authority section, with or without AA) is {@link LookupResult.Failed} with {@link
 * LookupResult.Problem#UNEXPECTED_ANSWER}, never NODATA; an answer, NODATA or NXDOMAIN without the
 * AA bit, including a lame server's empty NOERROR, is {@link LookupResult.Failed} with {@link
 * LookupResult.Problem#NOT_AUTHORITATIVE} (RFC 1034 §4.3.1): a lame server's empty answer must not
 * count as "no CDS" in an RFC 8078 §3 check.
 *
 * <p>Over UDP, nothing but the transport's answer matching protects this lookup: with {@link
 * NioDnsTransport} each query leaves from its own random ephemeral port with a random ID, so an
 * off-path attacker needs about 1.85 × 10⁹ forged datagrams per query (2^30.8: 28,232 default
 * Linux ports × 65,536 IDs), against 2^20 (about a million datagrams, 6 s on loopback) with the
 * 16 shared ports zonecut used before; a burst of 8 wrong IDs on the right port moves the query
 * to TCP. An on-path attacker is not stopped: use {@link ValidatingLookup} where the answer
 * authorises anything.
 */
public final class DirectLookup implements DnsLookup {

  static {
    // every zonecut entry point registers zonecut's record types with dnsjava, so that
    // text and wire parsing yield DSYNC/CSYNC/HSYNC records, not "invalid unknown RR encoding"
    ZonecutTypes.register();
  }

  private final DnsTransport transport;
  private final DnsEndpoint server;
  private final TransportProtocol protocol;
  private final Duration timeout;
  private final int payloadSize;
  private final boolean dnssecOk;

  private DirectLookup(Builder b) {
    this.transport = b.transport;
    this.server = b.server;
    this.protocol = b.protocol;
    this.timeout = b.timeout;
    this.payloadSize = b.payloadSize;
    this.dnssecOk = b.dnssecOk;
  }

  /** A direct lookup at {@code server} over UDP (TCP on truncation), 5 s timeout, DO set. */
  public static DirectLookup of(DnsTransport transport, DnsEndpoint server) {
    return builder(transport, server).build();
  }

  /** A builder for a direct lookup at {@code server} through {@code transport}. */
  public static Builder builder(DnsTransport transport, DnsEndpoint server) {
    return new Builder(transport, server);
  }

  /** The server this lookup asks. */
  public DnsEndpoint server() {
    return server;
  }

  @Override
  public CompletionStage<LookupResult> lookup(Name name, int type) {
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    // RFC 1034 §4.3.1: no recursion; the server answers from its own zones or refers
    query.getHeader().unsetFlag(Flags.RD);
    query.addRecord(new OPTRecord(payloadSize, 0, 0, dnssecOk ? ExtendedFlags.DO : 0),
        Section.ADDITIONAL);
    return transport.exchange(server, query, protocol, timeout)
        .handle((response, failure) -> failure != null
            ? Responses.failure(name, type, failure)
            : Responses.classifyAuthoritative(name, type, response.message(),
                Verdict.UNVALIDATED));
  }

  @Override
  public String toString() {
    return "DirectLookup[" + server + " over " + protocol + "]";
  }

  /** Settings of a {@link DirectLookup}. */
  public static final class Builder {
    private final DnsTransport transport;
    private final DnsEndpoint server;
    private TransportProtocol protocol = TransportProtocol.UDP;
    private Duration timeout = Duration.ofSeconds(5);
    private int payloadSize = 1232;
    private boolean dnssecOk = true;

    private Builder(DnsTransport transport, DnsEndpoint server) {
      this.transport = Objects.requireNonNull(transport, "transport");
      this.server = Objects.requireNonNull(server, "server");
    }

    /** UDP with TCP on truncation (default), or TCP only. */
    public Builder protocol(TransportProtocol protocol) {
      this.protocol = Objects.requireNonNull(protocol, "protocol");
      return this;
    }

    /** Deadline of each lookup (default 5 s). */
    public Builder timeout(Duration timeout) {
      Checks.positive("timeout", timeout);
      this.timeout = timeout;
      return this;
    }

    /**
     * The EDNS(0) UDP payload size advertised (RFC 6891 §6.2.5; default 1232, the DNS Flag Day
     * 2020 value).
     */
    public Builder payloadSize(int payloadSize) {
      if (payloadSize < 512 || payloadSize > 0xFFFF) {
        throw new IllegalArgumentException("payload size out of range 512..65535: " + payloadSize);
      }
      this.payloadSize = payloadSize;
      return this;
    }

    /** Whether to set DO so the server includes RRSIGs (RFC 3225; default true). */
    public Builder dnssecOk(boolean dnssecOk) {
      this.dnssecOk = dnssecOk;
      return this;
    }

    /** The lookup. */
    public DirectLookup build() {
      return new DirectLookup(this);
    }
  }
}
