package io.github.zonecut.core;

import io.github.zonecut.core.internal.Checks;
import io.github.zonecut.core.internal.PinnedAnswerResolver;
import io.github.zonecut.core.internal.Responses;
import io.github.zonecut.core.internal.TransportResolver;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * A DNSSEC-validated lookup (RFC 4035 §5): dnsjava's {@code ValidatingResolver}, a stub
 * validator, over a recursive resolver reached through a zonecut {@link DnsTransport}. Each
 * result carries a {@link Verdict}; a validation failure is {@link LookupResult.Bogus} with the
 * validator's Extended DNS Error code (RFC 8914) and reason.
 *
 * <p>Requirements and choices, each for a reason:
 *
 * <ul>
 *   <li>The upstream must be a <b>recursive</b> resolver that honours CD and DO and returns
 *       RRSIG, DS, DNSKEY and NSEC/NSEC3 records; the validator sets both flags (RFC 4035 §3.2.2,
 *       §4.9) and does not iterate by itself.
 *   <li>Trust anchors are given by the caller (DS or DNSKEY records, any owner; the closest
 *       enclosing anchor applies). Names under no anchor validate as {@link Verdict#INSECURE}.
 *   <li>The validator's configuration comes from this builder only ({@code init(Properties)}),
 *       never from JVM system properties: anything the validator's constructor picked up from
 *       them (including a {@code dnsjava.dnssec.trust_anchor_file}) is replaced.
 *   <li>The DNSKEY cache defaults to 10,000 entries (dnsjava's default of 1,000 is too small for
 *       bulk scanning); {@link Builder#keyCacheMaxSize(int)} sets it.
 *   <li>The answer's owner and type are checked against the question: a CNAME is not followed
 *       ({@link LookupResult.Problem#UNEXPECTED_ANSWER}).
 *   <li>An upstream SERVFAIL is {@link LookupResult.ServFail}, not {@code Bogus}: the validator
 *       turns both into SERVFAIL, so the upstream's own RCODE is observed on the way in.
 *   <li>A DNSKEY RRset answered for a zone apex is judged against the zone's DS RRset (RFC 4035
 *       §5.2), not only against another DNSKEY RRset of the zone the validator holds. dnsjava's
 *       validator checks the answer against the zone's keys as it fetched or cached them, which is
 *       wrong when the zone has several signers (RFC 8901 model 2: each signer's DNSKEY RRset
 *       holds its own KSK only and is signed by it) and the recursive resolver hands out one
 *       signer's RRset, then the other's. When that check fails, the answered RRset is judged
 *       again by a validator of its own, whose DNSKEY query for the zone meets that same RRset:
 *       SECURE if some DS matches a key of the RRset that signed it, {@code Bogus} otherwise.
 * </ul>
 *
 * <p>Validated DNSKEY RRsets are cached (up to {@link Builder#keyCacheMaxTtl(Duration)}): a
 * reused lookup keeps answering SECURE for a zone whose parent has since broken its DS until the
 * entry expires, which is what a resolver does too. A host that learns of such a change (or a
 * test that makes one) calls {@link #flush()} or {@link #flush(Name)}.
 *
 * <p>The validator's time checks use the injected {@link Clock}. Its internal continuations
 * between a DS and a DNSKEY query may run on {@code ForkJoinPool.commonPool()} (a dnsjava
 * internal); the network I/O and the completion of each returned stage do not.
 */
public final class ValidatingLookup implements DnsLookup {

  static {
    // every zonecut entry point registers zonecut's record types with dnsjava, so that
    // text and wire parsing yield DSYNC/CSYNC/HSYNC records, not "invalid unknown RR encoding"
    ZonecutTypes.register();
  }

  /** dnsjava's validator key-cache settings (org.xbill.DNS.dnssec.KeyCache). */
  private static final String KEY_CACHE_MAX_SIZE = "dnsjava.dnssec.keycache.max_size";

  private static final String KEY_CACHE_MAX_TTL = "dnsjava.dnssec.keycache.max_ttl";

  private final TransportResolver head;
  private final Clock clock;
  private final Properties config;
  private final List<RRset> anchors;
  private final Executor executor;
  /** Replaced, never mutated, by {@link #flush()}: lookups in flight finish on the old one. */
  private volatile ValidatingResolver validator;
  /** Upstream answers to the top-level queries in flight, keyed by ID and question. */
  private final Map<QueryKey, Upstream> upstream = new ConcurrentHashMap<>();

  private record QueryKey(int id, Name name, int type) {}

  /**
   * What the upstream answered a top-level query: its RCODE (-1 until it answered) and, for a
   * DNSKEY question, the answer itself (to judge it against the DS if the validator refuses it).
   */
  private record Upstream(int rcode, @Nullable Message dnskeyAnswer) {
    static final Upstream PENDING = new Upstream(-1, null);
  }

  private ValidatingLookup(Builder b) throws ZonecutException {
    this.executor = b.executor;
    this.head = new TransportResolver(b.transport, b.resolver, b.protocol, b.timeout,
        b.executor, this::observeUpstream);
    this.clock = b.clock;
    Properties c = new Properties();
    c.putAll(b.properties);
    c.setProperty(KEY_CACHE_MAX_SIZE, Integer.toString(b.keyCacheMaxSize));
    c.setProperty(KEY_CACHE_MAX_TTL, Long.toString(b.keyCacheMaxTtl.getSeconds()));
    c.remove("dnsjava.dnssec.trust_anchor_file");
    this.config = c;
    this.anchors = b.anchorRRsets();
    this.validator = newValidator(head);
  }

  /** A validator over {@code via} with this lookup's settings and anchors and an empty key cache. */
  private ValidatingResolver newValidator(Resolver via) throws ZonecutException {
    ValidatingResolver v = new ValidatingResolver(via, clock);
    try {
      v.init(config);
    } catch (IOException | RuntimeException e) {
      throw new ZonecutException("validator configuration rejected: " + e.getMessage(), e);
    }
    v.getTrustAnchors().clear();
    for (RRset anchor : anchors) {
      v.getTrustAnchors().store(anchor);
    }
    return v;
  }

  /**
   * Forgets every validated DNSKEY RRset (and every "no key here" finding) this lookup has
   * cached, so the next lookups rebuild the chain of trust from the anchors. The cache keeps an
   * entry up to {@link Builder#keyCacheMaxTtl(Duration)} (900 s by default) whatever the parent
   * publishes meanwhile: a DS that was replaced or broken, or a key that was revoked, is noticed
   * only when its entry expires or is flushed. Lookups in flight finish with the cache they
   * started with.
   */
  @Override
  public void flush() {
    try {
      validator = newValidator(head);
    } catch (ZonecutException e) {
      // the same configuration was accepted when this lookup was built
      throw new IllegalStateException("validator configuration rejected on flush", e);
    }
  }

  /**
   * Forgets what this lookup has cached for {@code zone} and every zone at or below it (names
   * compared label-wise): their DNSKEY RRsets and the DS findings that led to them, as after a
   * change of the DS at {@code zone}'s parent. dnsjava's validator cannot drop single cache
   * entries, so this currently forgets the keys of every other zone too ({@link #flush()}); that
   * costs only re-validation.
   *
   * @param zone an absolute zone name
   */
  @Override
  public void flush(Name zone) {
    Names.requireAbsolute("zone", zone);
    flush();
  }

  /**
   * A builder: validated lookups through the recursive resolver at {@code resolver}, over
   * {@code transport}, with results delivered on {@code executor}.
   */
  public static Builder builder(DnsTransport transport, DnsEndpoint resolver, Executor executor) {
    return new Builder(transport, resolver, executor);
  }

  @Override
  public CompletionStage<LookupResult> lookup(Name name, int type) {
    Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
    QueryKey key = new QueryKey(query.getHeader().getID(), name, type);
    upstream.put(key, Upstream.PENDING);
    ValidatingResolver v = validator;
    return v.sendAsync(query, executor)
        .<CompletionStage<LookupResult>>handle((response, failure) -> {
          Upstream up = upstream.remove(key);
          if (failure != null) {
            return CompletableFuture.completedFuture(Responses.failure(name, type, failure));
          }
          LookupResult r = classify(name, type, response, up == null ? -1 : up.rcode());
          Message answered = up == null ? null : up.dnskeyAnswer();
          if (r instanceof LookupResult.Bogus bogus && answered != null
              && holdsDnskeyRrset(answered, name)) {
            return judgeAgainstDs(name, answered, bogus);
          }
          return CompletableFuture.completedFuture(r);
        })
        .thenCompose(stage -> stage);
  }

  /**
   * Judges {@code answered}, the upstream's answer to (name, DNSKEY) that the shared validator
   * found bogus, against {@code name}'s DS RRset (RFC 4035 §5.2): a validator of its own, with an
   * empty key cache, whose DNSKEY query for {@code name} is answered with {@code answered} itself.
   * The DS and the keys above it are fetched again through the upstream.
   */
  private CompletionStage<LookupResult> judgeAgainstDs(
      Name name, Message answered, LookupResult.Bogus first) {
    ValidatingResolver once;
    try {
      once = newValidator(new PinnedAnswerResolver(head, name, Type.DNSKEY, answered, executor));
    } catch (ZonecutException e) {
      // the same configuration was accepted when this lookup was built
      throw new IllegalStateException("validator configuration rejected", e);
    }
    Message query = Message.newQuery(Record.newRecord(name, Type.DNSKEY, DClass.IN));
    return once.sendAsync(query, executor)
        .handle((response, failure) -> failure != null
            ? first
            : classify(name, Type.DNSKEY, response, answered.getRcode()));
  }

  /** Whether {@code m} is a NOERROR answer holding a DNSKEY RRset owned by {@code name}. */
  private static boolean holdsDnskeyRrset(Message m, Name name) {
    if (m.getRcode() != Rcode.NOERROR) {
      return false;
    }
    for (RRset set : m.getSectionRRsets(Section.ANSWER)) {
      if (set.getType() == Type.DNSKEY && set.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private void observeUpstream(Message query, Message answer) {
    Record q = query.getQuestion();
    if (q != null) {
      // the top-level query is sent first; a later query that happens to draw the same ID and
      // question (the validator's own DNSKEY query) does not replace its answer
      upstream.computeIfPresent(
          new QueryKey(query.getHeader().getID(), q.getName(), q.getType()),
          (k, old) -> old.rcode() >= 0 ? old
              : new Upstream(answer.getRcode(), k.type() == Type.DNSKEY ? answer : null));
    }
  }

  private static LookupResult classify(Name name, int type, Message m, int upstreamRcode) {
    int rcode = m.getRcode();
    boolean validatorFailure = rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN
        && upstreamRcode != rcode;
    if (validatorFailure) {
      // the validator replaced the answer (RFC 4035 §5.5: bogus data is not returned)
      int ede = -1;
      @Nullable String reason = null;
      OPTRecord opt = m.getOPT();
      if (opt != null) {
        for (EDNSOption o : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
          ExtendedErrorCodeOption e = (ExtendedErrorCodeOption) o;
          ede = e.getErrorCode();
          reason = e.getText();
        }
      }
      if (reason == null) {
        reason = reasonRecord(m);
      }
      return new LookupResult.Bogus(name, type, ede,
          reason == null ? "validation failed (" + Rcode.string(rcode) + ")" : reason);
    }
    if (rcode == Rcode.SERVFAIL) {
      return new LookupResult.ServFail(name, type, "the recursive resolver answered SERVFAIL");
    }
    Verdict verdict = m.getHeader().getFlag(Flags.AD) ? Verdict.SECURE : Verdict.INSECURE;
    return Responses.classify(name, type, m, verdict);
  }

  /** The validator's reason record {@code . CLASS65280 TXT} in the additional section. */
  private static @Nullable String reasonRecord(Message m) {
    for (Record r : m.getSection(Section.ADDITIONAL)) {
      if (r instanceof TXTRecord
          && r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
        return String.join("", ((TXTRecord) r).getStrings());
      }
    }
    return null;
  }

  /** Settings of a {@link ValidatingLookup}. */
  public static final class Builder {
    private final DnsTransport transport;
    private final DnsEndpoint resolver;
    private final Executor executor;
    private final List<Record> anchors = new ArrayList<>();
    private final Map<String, String> properties = new HashMap<>();
    private Clock clock = Clock.systemUTC();
    private TransportProtocol protocol = TransportProtocol.UDP;
    private Duration timeout = Duration.ofSeconds(5);
    private int keyCacheMaxSize = 10_000;
    private Duration keyCacheMaxTtl = Duration.ofSeconds(900);

    private Builder(DnsTransport transport, DnsEndpoint resolver, Executor executor) {
      this.transport = Objects.requireNonNull(transport, "transport");
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      this.executor = Objects.requireNonNull(executor, "executor");
    }

    /**
     * Adds trust anchors: DS or DNSKEY records (RFC 4035 §4.4), for the root or any other name.
     *
     * @throws IllegalArgumentException for a record of another type or class
     */
    public Builder trustAnchors(Collection<? extends Record> records) {
      for (Record r : records) {
        if ((r.getType() != Type.DS && r.getType() != Type.DNSKEY) || r.getDClass() != DClass.IN) {
          throw new IllegalArgumentException("a trust anchor must be an IN DS or DNSKEY: " + r);
        }
        anchors.add(r);
      }
      return this;
    }

    /** The clock for signature validity checks (default: the system UTC clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How queries reach the resolver (default UDP, TCP on truncation). */
    public Builder protocol(TransportProtocol protocol) {
      this.protocol = Objects.requireNonNull(protocol, "protocol");
      return this;
    }

    /** Deadline of each upstream query (default 5 s); one lookup may make several. */
    public Builder timeout(Duration timeout) {
      Checks.positive("timeout", timeout);
      this.timeout = timeout;
      return this;
    }

    /** Validated DNSKEY RRsets kept (default 10,000). */
    public Builder keyCacheMaxSize(int entries) {
      if (entries < 1) {
        throw new IllegalArgumentException("key cache size must be positive: " + entries);
      }
      this.keyCacheMaxSize = entries;
      return this;
    }

    /** Upper bound on how long a validated DNSKEY RRset is kept (default 900 s). */
    public Builder keyCacheMaxTtl(Duration ttl) {
      Checks.positive("key cache TTL", ttl);
      this.keyCacheMaxTtl = ttl;
      return this;
    }

    /**
     * Any other {@code dnsjava.dnssec.*} validator setting (for example {@code
     * dnsjava.dnssec.algorithm.15=false}), applied to this lookup only.
     */
    public Builder validatorProperty(String key, String value) {
      if (!key.startsWith("dnsjava.dnssec.")) {
        throw new IllegalArgumentException("not a validator setting: " + key);
      }
      properties.put(key, Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Builds the lookup.
     *
     * @throws ZonecutException if the validator rejects the configuration
     */
    public ValidatingLookup build() throws ZonecutException {
      return new ValidatingLookup(this);
    }

    private List<RRset> anchorRRsets() {
      Map<List<Object>, RRset> sets = new LinkedHashMap<>();
      for (Record r : anchors) {
        sets.computeIfAbsent(List.of(r.getName(), r.getType()), k -> new RRset()).addRR(r);
      }
      return new ArrayList<>(sets.values());
    }
  }
}
