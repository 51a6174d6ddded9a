package io.github.zonecut.keystate;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.Codepoints.KeyStateTable;
import io.github.zonecut.core.ZonecutException;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.keystate.internal.RateLimiter;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0ResponseForm;
import io.github.zonecut.sig0.Sig0Signer;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * The parent side of the KeyState inquiry (draft-berra-dnsop-keystate; ddns §9.3): answers a
 * child's QUERY carrying a KeyState option with the state of that key in the {@link
 * TrustRegistry}, and signs every answer with the receiver's SIG(0) key.
 *
 * <ul>
 *   <li>Fail closed: when the answer cannot be signed, it goes out without the KeyState option
 *       (ddns-02 makes signing a MUST for inquiry answers), never as an unsigned state.
 *   <li>The option is only ever added to an answer to a message that carried one.
 *   <li>-03: any request code other than 2 is answered with 0 (malformed), KEY-ID echoed.
 *   <li>A store failure is answered with 1 (temporary failure) in -03, SERVFAIL in -02.
 *   <li>Rate limits per child and per source address: an inquiry over the child's limit is
 *       answered REFUSED without the option (no signing work); one over the source's limit is
 *       dropped.
 * </ul>
 *
 * <p>{@link #respond(byte[], InetAddress)} never throws; a host's server loop hands it the
 * received bytes and sends back what it returns.
 */
public final class KeyStateResponder {
  private static final Logger LOG = LoggerFactory.getLogger(KeyStateResponder.class);

  private final TrustRegistry registry;
  private final Sig0KeyPair receiverKey;
  private final Sig0Signer signer;
  private final Codepoints codepoints;
  private final Sig0ResponseForm form;
  private final RateLimiter perChild;
  private final RateLimiter perSource;

  private KeyStateResponder(Builder b) {
    ZonecutTypes.register();
    this.registry = b.registry;
    this.receiverKey = b.receiverKey;
    this.signer = b.signer;
    this.codepoints = b.codepoints;
    this.form = b.form;
    this.perChild = new RateLimiter(b.childBurst, b.childPeriod, 100_000, b.clock);
    this.perSource = new RateLimiter(b.sourceBurst, b.sourcePeriod, 100_000, b.clock);
  }

  /**
   * A builder answering from {@code registry}, signing with {@code receiverKey} (whose owner is
   * the DSYNC UPDATE target name, where its KEY is published, ddns §9.3).
   */
  public static Builder builder(TrustRegistry registry, Sig0KeyPair receiverKey) {
    return new Builder(registry, receiverKey);
  }

  /**
   * Answers one received message.
   *
   * @param query the message as received (without a TCP length prefix)
   * @param source the sender's address, for the per-source rate limit
   * @return the answer's octets, or empty to send nothing (unparseable input, a response, or
   *     over the source's rate limit)
   */
  public Optional<byte[]> respond(byte[] query, InetAddress source) {
    try {
      return Optional.ofNullable(answer(query, source));
    } catch (RuntimeException e) {
      // A receiver never lets an exception escape to its host; the peer gets no answer.
      LOG.warn("KeyState responder failed on a query from {}", source.getHostAddress(), e);
      return Optional.empty();
    }
  }

  private byte @Nullable [] answer(byte[] wire, InetAddress source) {
    Message q;
    try {
      q = new Message(wire);
    } catch (IOException e) {
      LOG.debug("unparseable query from {}: {}", source.getHostAddress(), e.getMessage());
      return null;
    }
    if (q.getHeader().getFlag(Flags.QR)) {
      return null;
    }
    if (!perSource.tryAcquire(source)) {
      LOG.debug("dropping query from {}: source rate limit", source.getHostAddress());
      return null;
    }
    Record question = q.getQuestion();
    if (q.getHeader().getOpcode() != Opcode.QUERY || question == null) {
      return plain(q, q.getHeader().getOpcode() != Opcode.QUERY ? Rcode.NOTIMP : Rcode.FORMERR);
    }
    Optional<KeyStateRequest> request = KeyStateRequest.of(q, codepoints);
    if (request.isEmpty()) {
      // keystate-02: the option only answers a message that carried one.
      return plain(q, Rcode.REFUSED);
    }
    if (!perChild.tryAcquire(question.getName())) {
      LOG.debug("refusing inquiry for {}: child rate limit", question.getName());
      return plain(q, Rcode.REFUSED);
    }
    KeyStateTable table = codepoints.keyStateTable();
    KeyStateRequest r = request.get();
    KeyStateOption state;
    int rcode = Rcode.NOERROR;
    if (r instanceof KeyStateRequest.Malformed m) {
      LOG.debug("malformed KeyState request for {}: {}", question.getName(), m.problem());
      if (table == KeyStateTable.DRAFT_02) {
        return plain(q, Rcode.FORMERR);
      }
      state = m.answer();
    } else {
      try {
        KeyStateCode code = registry.keyState(question.getName(), r.keyId());
        state = KeyStateOption.of(r.keyId(), code, table, KeyStateCode.mnemonic(table,
            code.requireCode(table)));
      } catch (StoreException e) {
        LOG.warn("trust store failed answering an inquiry for {}", question.getName(), e);
        if (table == KeyStateTable.DRAFT_02) {
          return plain(q, Rcode.SERVFAIL);
        }
        state = KeyStateOption.of(r.keyId(), KeyStateCode.TEMPORARY_FAILURE, table, "");
        rcode = Rcode.NOERROR;
      }
    }
    Message a = reply(q, rcode);
    a.addRecord(new OPTRecord(1232, 0, 0, 0, state.toEdnsOption(codepoints)),
        Section.ADDITIONAL);
    try {
      return signer.signResponse(a.toWire(), wire, receiverKey, form);
    } catch (ZonecutException | RuntimeException e) {
      // Fail closed: an unsigned key state must never be sent (ddns-02 §9.3).
      LOG.warn("cannot sign the KeyState answer for {}; sending it without the option",
          question.getName(), e);
      return plain(q, rcode);
    }
  }

  private static byte[] plain(Message q, int rcode) {
    return reply(q, rcode).toWire();
  }

  private static Message reply(Message q, int rcode) {
    Message a = new Message(q.getHeader().getID());
    a.getHeader().setFlag(Flags.QR);
    a.getHeader().setOpcode(q.getHeader().getOpcode());
    if (q.getHeader().getFlag(Flags.RD)) {
      a.getHeader().setFlag(Flags.RD);
    }
    a.getHeader().setRcode(rcode);
    Record question = q.getQuestion();
    if (question != null) {
      a.addRecord(question, Section.QUESTION);
    }
    return a;
  }

  /** Builds a {@link KeyStateResponder}. */
  public static final class Builder {
    private final TrustRegistry registry;
    private final Sig0KeyPair receiverKey;
    private Sig0Signer signer = Sig0Signer.create();
    private Codepoints codepoints = Codepoints.DEFAULT;
    private Sig0ResponseForm form = Sig0ResponseForm.WITH_QUERY;
    private Clock clock = Clock.systemUTC();
    private int childBurst = 10;
    private Duration childPeriod = Duration.ofMinutes(1);
    private int sourceBurst = 60;
    private Duration sourcePeriod = Duration.ofMinutes(1);

    private Builder(TrustRegistry registry, Sig0KeyPair receiverKey) {
      this.registry = Objects.requireNonNull(registry, "registry");
      this.receiverKey = Objects.requireNonNull(receiverKey, "receiverKey");
    }

    /** The signer (its clock sets the signature times); default {@link Sig0Signer#create()}. */
    public Builder signer(Sig0Signer signer) {
      this.signer = Objects.requireNonNull(signer, "signer");
      return this;
    }

    /** Option code and code table; default {@link Codepoints#DEFAULT}. */
    public Builder codepoints(Codepoints codepoints) {
      this.codepoints = Objects.requireNonNull(codepoints, "codepoints");
      return this;
    }

    /**
     * How the answer's SIG(0) covers the query; default {@link Sig0ResponseForm#WITH_QUERY}
     * (RFC 2931 §3.2). tdns children expect {@link Sig0ResponseForm#REQUEST_STYLE}.
     */
    public Builder responseForm(Sig0ResponseForm form) {
      this.form = Objects.requireNonNull(form, "form");
      return this;
    }

    /** The clock of the rate limits; default the system clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Inquiries per child name: {@code burst} at once, refilled per {@code period}. */
    public Builder childRateLimit(int burst, Duration period) {
      this.childBurst = burst;
      this.childPeriod = Objects.requireNonNull(period, "period");
      return this;
    }

    /** Queries per source address: {@code burst} at once, refilled per {@code period}. */
    public Builder sourceRateLimit(int burst, Duration period) {
      this.sourceBurst = burst;
      this.sourcePeriod = Objects.requireNonNull(period, "period");
      return this;
    }

    /**
     * Builds the responder.
     *
     * @throws IllegalArgumentException when a rate limit is not positive
     */
    public KeyStateResponder build() {
      return new KeyStateResponder(this);
    }
  }
}
