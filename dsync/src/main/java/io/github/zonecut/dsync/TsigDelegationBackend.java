package io.github.zonecut.dsync;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsRequest;
import io.github.zonecut.core.DnsResponse;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.DsData;
import io.github.zonecut.core.TransportProtocol;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * A {@link DelegationBackend} that is a real DNS primary for the parent zone (Knot, BIND, …),
 * written by DNS UPDATE (RFC 2136) signed with TSIG (RFC 8945) over TCP: how a registry whose
 * published zone is the source of truth lets zonecut apply accepted delegation changes.
 *
 * <p>{@link #current(Name)} asks the primary (TSIG-signed by default, RD clear, over TCP) for the
 * child's NS RRset (the referral, with its glue in the additional section) and its DS RRset.
 *
 * <p>{@link #apply(DelegationChange)} reads the current delegation first: already the desired one
 * → {@link ApplyResult.AlreadyApplied} (idempotence without a change log: a DNS zone has no place
 * for change ids); not the expected one → {@link ApplyResult.Conflict}. Otherwise it sends one
 * UPDATE whose prerequisites (RFC 2136 §2.4) state the expected delegation exactly — "RRset exists
 * (value dependent)" for the expected NS RRset, DS RRset and glue RRsets, "RRset does not exist"
 * for the empty ones — so the primary itself refuses a change decided on stale data, even if
 * another writer changed the zone between the read and the UPDATE (NXRRSET/YXRRSET → {@link
 * ApplyResult.Conflict}, or {@link ApplyResult.AlreadyApplied} if the zone meanwhile holds the
 * desired delegation). The update section replaces each RRset that differs (delete the RRset,
 * then add the desired records; glue of removed name servers deleted). The primary applies an
 * UPDATE atomically (RFC 2136 §3.4).
 *
 * <p>Delegations are compared as DNS shows them: the TTL of an empty DS or glue RRset is not
 * observable and not compared ({@link #current(Name)} reports {@link Delegation#DEFAULT_TTL} for
 * it).
 *
 * <p>Rcodes: NOERROR → {@link ApplyResult.Applied}; REFUSED → {@link ApplyResult.Rejected} (the
 * primary's policy); NOTAUTH, NOTZONE, a TSIG error, an unsigned or unverifiable answer, FORMERR,
 * SERVFAIL, other rcodes and transport failures → {@link BackendException} (the change may be
 * retried; a retry of an applied change finds the desired delegation and reports it already
 * applied). The TSIG secret never reaches a message, an exception or a log line.
 */
public final class TsigDelegationBackend implements DelegationBackend {

  private static final Logger LOG = LoggerFactory.getLogger(TsigDelegationBackend.class);

  /** The default deadline of one exchange with the primary. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final DnsTransport transport;
  private final DnsEndpoint primary;
  private final Name zone;
  private final TsigKey key;
  private final Duration timeout;
  private final Clock clock;
  private final boolean signQueries;

  private TsigDelegationBackend(Builder b) {
    this.transport = b.transport;
    this.primary = b.primary;
    this.zone = b.zone;
    this.key = b.key;
    this.timeout = b.timeout;
    this.clock = b.clock;
    this.signQueries = b.signQueries;
  }

  /**
   * A builder for a backend writing zone {@code zone} on {@code primary}.
   *
   * @param transport how messages reach the primary (all exchanges are over TCP)
   * @param primary the primary's address and port
   * @param zone the parent zone the primary serves, e.g. {@code parent.test.}
   * @param key the TSIG key the primary accepts UPDATEs for {@code zone} with
   */
  public static Builder builder(DnsTransport transport, DnsEndpoint primary, Name zone,
      TsigKey key) {
    return new Builder(transport, primary, zone, key);
  }

  /** The parent zone this backend writes. */
  public Name zone() {
    return zone;
  }

  /**
   * The delegation the primary serves for {@code child}: NS and glue from the referral, DS from
   * the authoritative answer; empty on NXDOMAIN or when {@code child} has no NS RRset.
   *
   * @throws IllegalArgumentException if {@code child} is not below the zone
   * @throws BackendException when the primary does not answer, answers an error, or its answer is
   *     not TSIG-verified (when queries are signed)
   */
  @Override
  public Optional<Delegation> current(Name child) throws BackendException {
    requireChild(child);
    Message ns = query(child, Type.NS);
    int rcode = ns.getRcode();
    if (rcode == Rcode.NXDOMAIN) {
      return Optional.empty();
    }
    if (rcode != Rcode.NOERROR) {
      throw new BackendException("the primary " + primary + " answered " + Rcode.string(rcode)
          + " to " + child + "/NS");
    }
    List<Record> records = new ArrayList<>();
    boolean delegated = false;
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
      for (Record r : ns.getSection(section)) {
        if (r.getType() == Type.NS && r.getName().equals(child)) {
          records.add(r);
          delegated = true;
        }
      }
    }
    if (!delegated) {
      return Optional.empty();
    }
    for (Record r : ns.getSection(Section.ADDITIONAL)) {
      if (r.getType() == Type.A || r.getType() == Type.AAAA) {
        records.add(r);
      }
    }
    Message ds = query(child, Type.DS);
    if (ds.getRcode() != Rcode.NOERROR) {
      throw new BackendException("the primary " + primary + " answered "
          + Rcode.string(ds.getRcode()) + " to " + child + "/DS");
    }
    for (Record r : ds.getSection(Section.ANSWER)) {
      if (r.getType() == Type.DS && r.getName().equals(child)) {
        records.add(r);
      }
    }
    try {
      return Optional.of(Delegation.fromRecords(child, records));
    } catch (IllegalArgumentException e) {
      throw new BackendException("the primary's delegation of " + child + " is not usable: "
          + e.getMessage(), e);
    }
  }

  @Override
  public ApplyResult apply(DelegationChange change) throws BackendException {
    Objects.requireNonNull(change, "change");
    Name child = change.child();
    if (!child.subdomain(zone) || child.equals(zone)) {
      return new ApplyResult.Rejected(change.id(), child + " is not delegated from " + zone);
    }
    Optional<Delegation> now = current(child);
    if (now.isPresent() && sameInDns(now.get(), change.desired())) {
      LOG.debug("change {}: {} already holds the desired delegation", change.id(), child);
      return new ApplyResult.AlreadyApplied(change.id());
    }
    if (now.isEmpty() || !sameInDns(now.get(), change.expected())) {
      LOG.info("change {} for {} conflicts: the primary's delegation differs from expected",
          change.id(), child);
      return new ApplyResult.Conflict(change.id(),
          "the primary's delegation differs from the one the change was decided against");
    }
    Update update = buildUpdate(zone, change.expected(), change.desired());
    Message answer = exchange(update, "UPDATE " + child);
    int rcode = answer.getRcode();
    switch (rcode) {
      case Rcode.NOERROR:
        LOG.info("change {} for {} applied on {}", change.id(), child, primary);
        return new ApplyResult.Applied(change.id());
      case Rcode.NXRRSET:
      case Rcode.YXRRSET:
      case Rcode.NXDOMAIN:
      case Rcode.YXDOMAIN:
        // RFC 2136 §3.2: a prerequisite failed, the zone moved under us; maybe to our target
        Optional<Delegation> after = current(child);
        if (after.isPresent() && sameInDns(after.get(), change.desired())) {
          return new ApplyResult.AlreadyApplied(change.id());
        }
        LOG.info("change {} for {}: the primary refused a stale change ({})", change.id(), child,
            Rcode.string(rcode));
        return new ApplyResult.Conflict(change.id(), "the primary's prerequisites failed ("
            + Rcode.string(rcode) + "): the delegation changed before the UPDATE");
      case Rcode.REFUSED:
        LOG.warn("change {} for {} refused by {}", change.id(), child, primary);
        return new ApplyResult.Rejected(change.id(), "the primary refused the UPDATE (REFUSED)");
      default:
        throw new BackendException("the primary " + primary + " answered "
            + Rcode.string(rcode) + " to the UPDATE of " + child + tsigError(answer));
    }
  }

  /**
   * The UPDATE turning {@code expected} into {@code desired} in {@code zone}, guarded by
   * prerequisites that hold exactly when the zone still has {@code expected}.
   */
  static Update buildUpdate(Name zone, Delegation expected, Delegation desired) {
    Name child = expected.child();
    Update u = new Update(zone);
    // prerequisites (RFC 2136 §2.4.2/§2.4.3): TTL 0, class IN for value-dependent, NONE for absent
    for (Name ns : expected.nameservers()) {
      u.present(new NSRecord(child, DClass.IN, 0, ns));
    }
    if (expected.ds().isEmpty()) {
      u.absent(child, Type.DS);
    } else {
      for (DsData d : expected.ds()) {
        u.present(d.toRecord(child, 0));
      }
    }
    for (Map.Entry<Name, Set<InetAddress>> e : expected.glue().entrySet()) {
      boolean v4 = false;
      boolean v6 = false;
      for (InetAddress a : e.getValue()) {
        u.present(address(e.getKey(), 0, a));
        v4 |= a instanceof Inet4Address;
        v6 |= !(a instanceof Inet4Address);
      }
      if (!v4) {
        u.absent(e.getKey(), Type.A);
      }
      if (!v6) {
        u.absent(e.getKey(), Type.AAAA);
      }
    }
    // update section: replace each RRset that differs (delete the RRset, add the desired data)
    if (!expected.nameservers().equals(desired.nameservers())
        || expected.nsTtl() != desired.nsTtl()) {
      u.delete(child, Type.NS);
      for (Name ns : desired.nameservers()) {
        u.add(new NSRecord(child, DClass.IN, desired.nsTtl(), ns));
      }
    }
    if (!expected.ds().equals(desired.ds())
        || (expected.dsTtl() != desired.dsTtl() && !desired.ds().isEmpty())) {
      u.delete(child, Type.DS);
      for (DsData d : desired.ds()) {
        u.add(d.toRecord(child, desired.dsTtl()));
      }
    }
    Set<Name> hosts = new TreeSet<>(expected.glue().keySet());
    hosts.addAll(desired.glue().keySet());
    for (Name host : hosts) {
      Set<InetAddress> was = expected.glue().getOrDefault(host, Set.of());
      Set<InetAddress> will = desired.glue().getOrDefault(host, Set.of());
      boolean ttlChanged = expected.glueTtl() != desired.glueTtl() && !will.isEmpty();
      if (was.equals(will) && !ttlChanged && expected.glue().containsKey(host)) {
        continue;
      }
      // also clears orphaned glue of a host that is new to the delegation
      u.delete(host, Type.A);
      u.delete(host, Type.AAAA);
      for (InetAddress a : will) {
        u.add(address(host, desired.glueTtl(), a));
      }
    }
    return u;
  }

  /**
   * Whether two delegations are the same as DNS can show them: equal, except that the TTL of an
   * empty DS or glue RRset (which has no records to carry it) is not compared.
   */
  static boolean sameInDns(Delegation a, Delegation b) {
    return observable(a).equals(observable(b));
  }

  private static Delegation observable(Delegation d) {
    return new Delegation(d.child(), d.nameservers(), d.glue(), d.ds(), d.nsTtl(),
        d.ds().isEmpty() ? Delegation.DEFAULT_TTL : d.dsTtl(),
        d.glue().isEmpty() ? Delegation.DEFAULT_TTL : d.glueTtl());
  }

  private static Record address(Name host, long ttl, InetAddress a) {
    return a instanceof Inet4Address ? new ARecord(host, DClass.IN, ttl, a)
        : new AAAARecord(host, DClass.IN, ttl, a);
  }

  private Message query(Name name, int type) throws BackendException {
    Message q = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    q.getHeader().unsetFlag(Flags.RD);
    if (!signQueries) {
      return exchange(q, null, name + "/" + Type.string(type));
    }
    return exchange(q, name + "/" + Type.string(type));
  }

  private Message exchange(Message request, String what) throws BackendException {
    TSIG tsig = key.tsig(clock);
    tsig.apply(request, null);
    return exchange(request, tsig, what);
  }

  private Message exchange(Message request, @Nullable TSIG tsig, String what)
      throws BackendException {
    TSIGRecord sent = request.getTSIG();
    DnsResponse resp;
    try {
      resp = transport.exchange(primary, DnsRequest.of(request), TransportProtocol.TCP, timeout)
          .toCompletableFuture().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendException("interrupted while waiting for " + primary + " (" + what + ")",
          e);
    } catch (ExecutionException | CompletionException | TimeoutException e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      throw new BackendException("no answer from the primary " + primary + " to " + what + ": "
          + c.getMessage(), c);
    }
    Message m = resp.message();
    if (!m.getHeader().getFlag(Flags.QR)
        || m.getHeader().getOpcode() != request.getHeader().getOpcode()) {
      throw new BackendException("the primary " + primary + " sent something other than the"
          + " answer to " + what);
    }
    if (tsig != null && sent != null) {
      if (m.getTSIG() == null) {
        throw new BackendException("the primary " + primary + " answered " + what
            + " without TSIG (" + Rcode.string(m.getRcode()) + "): key " + key.name()
            + " not accepted?");
      }
      int verified = tsig.verify(m, resp.wire(), sent);
      if (verified != Rcode.NOERROR) {
        throw new BackendException("the answer of " + primary + " to " + what
            + " fails TSIG verification: " + Rcode.TSIGstring(verified));
      }
    }
    return m;
  }

  private static String tsigError(Message m) {
    TSIGRecord t = m.getTSIG();
    return t == null || t.getError() == Rcode.NOERROR ? ""
        : " (TSIG " + Rcode.TSIGstring(t.getError()) + ")";
  }

  private void requireChild(Name child) {
    Objects.requireNonNull(child, "child");
    if (!child.subdomain(zone) || child.equals(zone)) {
      throw new IllegalArgumentException(child + " is not below the zone " + zone);
    }
  }

  /** The primary, zone and key name; never the secret. */
  @Override
  public String toString() {
    return "TsigDelegationBackend[" + zone + " at " + primary + ", " + key + "]";
  }

  /** Builds a {@link TsigDelegationBackend}. */
  public static final class Builder {
    private final DnsTransport transport;
    private final DnsEndpoint primary;
    private final Name zone;
    private final TsigKey key;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Clock clock = Clock.systemUTC();
    private boolean signQueries = true;

    private Builder(DnsTransport transport, DnsEndpoint primary, Name zone, TsigKey key) {
      this.transport = Objects.requireNonNull(transport, "transport");
      this.primary = Objects.requireNonNull(primary, "primary");
      this.zone = Objects.requireNonNull(zone, "zone");
      this.key = Objects.requireNonNull(key, "key");
      if (!zone.isAbsolute()) {
        throw new IllegalArgumentException("zone is not absolute: " + zone);
      }
    }

    /** The deadline of one exchange with the primary ({@link #DEFAULT_TIMEOUT} by default). */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** The clock TSIG signing times come from (RFC 8945 §5.2.3: ±fudge). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Whether the reads of {@link #current(Name)} are TSIG-signed (default true: a hidden primary
     * may answer only signed queries); UPDATEs are always signed.
     */
    public Builder signQueries(boolean sign) {
      this.signQueries = sign;
      return this;
    }

    /** The backend. */
    public TsigDelegationBackend build() {
      return new TsigDelegationBackend(this);
    }
  }
}
