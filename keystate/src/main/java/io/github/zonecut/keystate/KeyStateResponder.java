package io.github.zonecut.keystate;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.Codepoints.KeyStateTable;
import io.github.zonecut.core.ZonecutException;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.keystate.internal.RateLimiter;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0Outcome;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0ReplayGuard;
import io.github.zonecut.sig0.Sig0ResponseForm;
import io.github.zonecut.sig0.Sig0Signer;
import io.github.zonecut.sig0.Sig0Verifier;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SIGRecord;
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
 *       answered REFUSED without the option (no signing or verification work); one over the
 *       source's limit is dropped.
 * </ul>
 *
 * <h2>Authenticating the inquiry (mutual authentication, ddns §9.3)</h2>
 *
 * <p>A signed inquiry is verified with a {@link Sig0Verifier} over the octets as received,
 * against every key the registry holds for the child, whatever its {@link TrustState}: a child
 * asks precisely about a key that is not trusted yet, and the state is the answer it needs. The
 * verifier uses the builder's clock (±300 s skew by default) and a replay guard. The signature
 * only proves possession of a key the registry already holds; it never changes a key's state.
 *
 * <p>An inquiry that fails authentication is answered without the KeyState option, so no state
 * is disclosed, with the RCODE of the failure. Because an inquiry always carries an OPT record,
 * the answer carries one too and the extended RCODEs travel in it (RFC 6891 §6.1.3; dnsjava's
 * {@code Message.getRcode()} reads them back whole):
 *
 * <table>
 *   <caption>Refusals</caption>
 *   <tr><th>Inquiry</th><th>RCODE</th></tr>
 *   <tr><td>signature does not verify with the child's key of that tag</td><td>BADSIG (16)</td></tr>
 *   <tr><td>no key of that algorithm and tag held for the child, when the inquiry asks about
 *       another key than the one that signed it; unsupported algorithm</td>
 *       <td>BADKEY (17)</td></tr>
 *   <tr><td>outside the signature's validity window</td><td>BADTIME (18)</td></tr>
 *   <tr><td>a signature already accepted (replay; RFC 2931 §3.3)</td><td>BADTIME (18), so an
 *       honest child re-signs and retries</td></tr>
 *   <tr><td>SIG(0) not alone and last, or unreadable</td><td>FORMERR (1)</td></tr>
 *   <tr><td>signer name other than the QNAME (compared label-wise)</td><td>REFUSED (5), before
 *       any cryptographic work</td></tr>
 *   <tr><td>KEY-ID other than the tag of the key that signed</td><td>REFUSED (5)</td></tr>
 *   <tr><td>unsigned, when {@link Builder#requireSignedInquiries(boolean) signed inquiries are
 *       required} (the default)</td><td>REFUSED (5)</td></tr>
 * </table>
 *
 * <p>An inquiry signed by the child's name with the very key it asks about, when the registry
 * holds no such key, is not refused: it gets a signed KEY_UNKNOWN (code 5), the KeyState answer
 * for exactly this case, which tells the child to (re-)bootstrap (ddns §9.7) and is what tdns
 * children act on. It discloses nothing a BADKEY would not.
 *
 * <p>A KEY-ID mismatch is refused rather than answered with the -03 malformed code 0: the
 * request is well-formed, the asker is just not entitled to it; REFUSED is DNS's answer for a
 * request declined by policy (RFC 1035 §4.1.1) and works under both code tables. A -03 request
 * with a code other than 2 still gets code 0 once its signature verifies, with no KEY-ID check,
 * as that answer states nothing about any key.
 *
 * <p>The refusal of a signed inquiry is signed like every other answer (it carries no key state,
 * so when signing fails it goes out unsigned): the child can then tell an authentic refusal from
 * a forgery and stop, rather than retrying every receiver address. That signing work is bounded
 * by the same two rate limits as an answer. The refusal of an unsigned inquiry is not signed, so
 * that a stranger's plain query makes the parent sign nothing.
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
  private final Sig0Verifier verifier;
  private final boolean requireSigned;

  private KeyStateResponder(Builder b) {
    ZonecutTypes.register();
    this.registry = b.registry;
    this.receiverKey = b.receiverKey;
    this.signer = b.signer;
    this.codepoints = b.codepoints;
    this.form = b.form;
    this.perChild = new RateLimiter(b.childBurst, b.childPeriod, 100_000, b.clock);
    this.perSource = new RateLimiter(b.sourceBurst, b.sourcePeriod, 100_000, b.clock);
    TrustRegistry keys = b.registry;
    Sig0Config config = b.verifierConfig != null ? b.verifierConfig
        : Sig0Config.builder().clock(b.clock).build();
    this.verifier = Sig0Verifier.builder((signer, alg, tag) -> heldKeys(keys, signer, alg, tag))
        .config(config).replayGuard(b.replayGuard).build();
    this.requireSigned = b.requireSigned;
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
    Name child = question.getName();
    @Nullable Refusal refusal;
    try {
      refusal = authenticate(wire, q, child, r);
    } catch (StoreUnavailable e) {
      LOG.warn("trust store failed verifying an inquiry for {}", child, e.getCause());
      return storeFailure(q, wire, r, table, child);
    }
    if (refusal == UNKNOWN_KEY) {
      // keystate §3.4 code 5: the inquiry is signed by the child's name with the very key it
      // asks about, and no such key is held. KEY_UNKNOWN tells the child to (re-)bootstrap
      // (ddns §9.7), as tdns children expect; it discloses no more than BADKEY would.
      return signedState(q, wire, KeyStateOption.of(r.keyId(), KeyStateCode.KEY_UNKNOWN, table,
          KeyStateCode.mnemonic(table, KeyStateCode.KEY_UNKNOWN.requireCode(table))), child);
    }
    if (refusal != null) {
      LOG.debug("refusing inquiry for {} from {}: {}", child, source.getHostAddress(),
          refusal.why());
      return refuse(q, wire, refusal, child);
    }
    KeyStateOption state;
    if (r instanceof KeyStateRequest.Malformed m) {
      LOG.debug("malformed KeyState request for {}: {}", child, m.problem());
      if (table == KeyStateTable.DRAFT_02) {
        return plain(q, Rcode.FORMERR);
      }
      state = m.answer();
    } else {
      try {
        KeyStateCode code = registry.keyState(child, r.keyId());
        state = KeyStateOption.of(r.keyId(), code, table, KeyStateCode.mnemonic(table,
            code.requireCode(table)));
      } catch (StoreException e) {
        LOG.warn("trust store failed answering an inquiry for {}", child, e);
        return storeFailure(q, wire, r, table, child);
      }
    }
    return signedState(q, wire, state, child);
  }

  /** A store failure: 1 (temporary failure) in -03, SERVFAIL in -02 (which has no such code). */
  private byte[] storeFailure(Message q, byte[] wire, KeyStateRequest r, KeyStateTable table,
      Name child) {
    if (table == KeyStateTable.DRAFT_02) {
      return plain(q, Rcode.SERVFAIL);
    }
    return signedState(q, wire,
        KeyStateOption.of(r.keyId(), KeyStateCode.TEMPORARY_FAILURE, table, ""), child);
  }

  /**
   * Why an inquiry gets no state.
   *
   * @param sign whether to sign the refusal: only for signed inquiries, so that a stranger's
   *     unsigned query costs no signing work
   */
  private record Refusal(int rcode, String why, boolean sign) {
    static Refusal signed(int rcode, String why) {
      return new Refusal(rcode, why, true);
    }
  }

  /**
   * Not a refusal: a signed inquiry about the very key that signed it, which the registry does
   * not hold. Answered with a signed KEY_UNKNOWN (compared by identity).
   */
  private static final Refusal UNKNOWN_KEY =
      new Refusal(Rcode.BADKEY, "inquiry signed by the key it asks about, not held", true);

  /**
   * Null when the inquiry may be answered: signed by the child with the key it asks about, or
   * unsigned where that is allowed. See the class documentation for each refusal.
   *
   * @throws StoreUnavailable when the registry cannot be read for the child's keys
   */
  private @Nullable Refusal authenticate(byte[] wire, Message q, Name child, KeyStateRequest r) {
    Record[] additional = q.getSectionArray(Section.ADDITIONAL);
    if (additional.length > 0 && additional[additional.length - 1] instanceof SIGRecord sig
        && !sig.getSigner().equals(child)) {
      // Only the child's own keys speak for it; no need to look up or verify anything.
      return Refusal.signed(Rcode.REFUSED, "signed by " + sig.getSigner() + ", not by the child");
    }
    Sig0Outcome outcome = verifier.verify(wire);
    if (outcome instanceof Sig0Outcome.Unsigned) {
      return requireSigned ? new Refusal(Rcode.REFUSED, "unsigned inquiry", false) : null;
    }
    if (outcome instanceof Sig0Outcome.UnknownKey unknown
        && r instanceof KeyStateRequest.Inquiry
        && r.keyId() == unknown.keyTag()) {
      return UNKNOWN_KEY;
    }
    if (!(outcome instanceof Sig0Outcome.Verified verified)) {
      return Refusal.signed(outcome.rcode(), outcome.toString());
    }
    // The key's owner is the child: the verifier accepts a SIG(0) only as the last additional
    // record, the one whose signer was compared with the child above, and only with a key owned
    // by that signer.
    Sig0PublicKey key = verified.key();
    if (!(r instanceof KeyStateRequest.Malformed) && r.keyId() != key.keyTag()) {
      return Refusal.signed(Rcode.REFUSED,
          "asks about key " + r.keyId() + " but is signed by key " + key.keyTag());
    }
    return null;
  }

  /** The keys the registry holds for {@code signer} in any state, as SIG(0) keys. */
  private static List<Sig0PublicKey> heldKeys(TrustRegistry registry, Name signer,
      Sig0Algorithm alg, int tag) {
    List<KeyEntry> entries;
    try {
      entries = registry.keysOf(signer);
    } catch (StoreException e) {
      throw new StoreUnavailable(e);
    }
    List<Sig0PublicKey> out = new ArrayList<>(1);
    for (KeyEntry e : entries) {
      if (e.id().algorithm() == alg.number() && e.keyTag() == tag) {
        out.add(Sig0PublicKey.of(e.id().owner(), e.flags(), alg, e.id().publicKey()));
      }
    }
    return out;
  }

  /** Carries a store failure out of the verifier's key lookup, which cannot throw checked. */
  private static final class StoreUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreUnavailable(StoreException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  /** A refusal: no KeyState option, the RCODE split between header and OPT, signed if due. */
  private byte[] refuse(Message q, byte[] wire, Refusal refusal, Name child) {
    int rcode = refusal.rcode();
    Message a = reply(q, rcode & 0xF);
    // RFC 6891 §6.1.3: the upper eight bits of an extended RCODE are in the OPT record.
    a.addRecord(new OPTRecord(1232, rcode >>> 4, 0, 0), Section.ADDITIONAL);
    byte[] unsigned = a.toWire();
    if (!refusal.sign()) {
      return unsigned;
    }
    try {
      return signer.signResponse(unsigned, wire, receiverKey, form);
    } catch (ZonecutException | RuntimeException e) {
      // A refusal states nothing about any key, so it may go out unsigned.
      LOG.warn("cannot sign a KeyState refusal for {}; sending it unsigned", child, e);
      return unsigned;
    }
  }

  private byte[] signedState(Message q, byte[] wire, KeyStateOption state, Name child) {
    Message a = reply(q, Rcode.NOERROR);
    a.addRecord(new OPTRecord(1232, 0, 0, 0, state.toEdnsOption(codepoints)),
        Section.ADDITIONAL);
    try {
      return signer.signResponse(a.toWire(), wire, receiverKey, form);
    } catch (ZonecutException | RuntimeException e) {
      // Fail closed: an unsigned key state must never be sent (ddns-02 §9.3).
      LOG.warn("cannot sign the KeyState answer for {}; sending it without the option",
          child, e);
      return plain(q, Rcode.NOERROR);
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
    private @Nullable Sig0Config verifierConfig;
    private Sig0ReplayGuard replayGuard = Sig0ReplayGuard.create();
    private boolean requireSigned = true;

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

    /**
     * Whether an unsigned inquiry is refused (REFUSED, no option); default {@code true}.
     *
     * <p>Whether a child signs its inquiry is left open by the drafts (keystate-03; tdns can send
     * either). The default refuses because the answer is a statement the parent signs: answering
     * strangers lets anyone obtain signed statements about any child's keys, and enumerate the
     * key tags the registry holds, at a signature's cost to the parent per query (the refusal is
     * not signed, so it costs none). zonecut's {@link KeyStateInquiryClient} signs every inquiry
     * with the key it asks about, and tdns's child signs with its active key by default. The
     * state of a public key is not secret, so a parent serving children that cannot sign their
     * inquiries may turn this off; unsigned inquiries are then answered as before, and signed
     * ones are still verified (a bad signature is refused either way).
     */
    public Builder requireSignedInquiries(boolean require) {
      this.requireSigned = require;
      return this;
    }

    /**
     * Provider, clock and skew for verifying inquiries; by default {@link Sig0Config#defaults()}
     * with this builder's {@link #clock(Clock) clock}.
     */
    public Builder verifierConfig(Sig0Config config) {
      this.verifierConfig = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * The replay guard of inquiry signatures (default: a fresh one per responder); share one with
     * the UPDATE receiver's verifier when the same child keys sign both.
     */
    public Builder replayGuard(Sig0ReplayGuard guard) {
      this.replayGuard = Objects.requireNonNull(guard, "guard");
      return this;
    }

    /**
     * The clock of the rate limits and, unless {@link #verifierConfig} is set, of the inquiry
     * signatures' validity window; default the system clock.
     */
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
