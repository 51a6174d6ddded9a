package io.github.zonecut.keystate;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.Codepoints.KeyStateTable;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.core.ZonecutException;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.keystate.KeyStateEvent.KeyRef;
import io.github.zonecut.keystate.KeyStateEvent.Outcome;
import io.github.zonecut.keystate.internal.RateLimiter;
import io.github.zonecut.keystate.internal.SourcePrefixes;
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
import java.time.Instant;
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
 * TrustRegistry}, signed with the receiver's SIG(0) key.
 *
 * <p><b>The receiver signs only what it authenticated.</b> An answer is signed, and carries a
 * KeyState option, only when the inquiry's SIG(0) verified against a key the registry holds for
 * the child (or, when a host {@link Builder#requireSignedInquiries(boolean) opts in}, for an
 * unsigned inquiry). Everything a stranger can send (no key, a junk or unverifiable signature, a
 * replay) gets an unsigned answer without the option: the parent signs nothing a stranger can
 * trigger, so no on-path attacker can collect a signed statement and hand it to the real child.
 *
 * <ul>
 *   <li>Fail closed: when the answer cannot be signed, it goes out without the KeyState option
 *       (ddns-02 makes signing a MUST for inquiry answers), never as an unsigned state.
 *   <li>The option is only ever added to an answer to a message that carried one.
 *   <li>-03: any request code other than 2 is answered with 0 (malformed), KEY-ID echoed, once
 *       the signature verified.
 *   <li>Rate limits: every query is charged to its source prefix (IPv4 /24, IPv6 /56 by default,
 *       {@link Builder#sourcePrefixes}); over that limit it is dropped. Only an inquiry whose
 *       signature verified is charged to the child's bucket, so a stranger cannot use up the
 *       child's allowance; over it, the inquiry is answered REFUSED without the option and
 *       without signing work.
 * </ul>
 *
 * <h2>Authenticating the inquiry (mutual authentication, ddns §9.3)</h2>
 *
 * <p>A signed inquiry is verified with a {@link Sig0Verifier} over the octets as received,
 * against the keys the registry holds for the child, whatever their {@link TrustState}: a child
 * asks precisely about a key that is not trusted yet, and the state is the answer it needs. The
 * verifier uses the builder's clock (±300 s skew by default) and the replay guard; as the lookup
 * returns held keys only, only a signature that verified against a held key is recorded in the
 * guard, so strangers cannot push a shared guard's entries (those of UPDATE signatures) out. The
 * signature only proves possession of a key the registry already holds; it never changes a key's
 * state.
 *
 * <p>The answer states the trust of the very key that verified, identified by its public key
 * octets, not of whichever key shares its tag: a self-uploaded key whose tag collides with the
 * trusted key's gets its own state.
 *
 * <p>Because an inquiry always carries an OPT record, a refusal carries one too and the extended
 * RCODEs travel in it (RFC 6891 §6.1.3; dnsjava's {@code Message.getRcode()} reads them back
 * whole):
 *
 * <table>
 *   <caption>Answers (in the order checked)</caption>
 *   <tr><th>Inquiry</th><th>RCODE</th><th>signed</th><th>KeyState option</th></tr>
 *   <tr><td>over the source prefix's rate limit</td><td>(dropped)</td><td>—</td><td>—</td></tr>
 *   <tr><td>unreadable SIG(0), or not alone and last</td><td>FORMERR (1)</td><td>no</td>
 *       <td>no</td></tr>
 *   <tr><td>unsigned, when signed inquiries are required (the default)</td>
 *       <td>REFUSED (5)</td><td>no</td><td>no</td></tr>
 *   <tr><td>signature that could not be checked: signer name other than the QNAME (compared
 *       label-wise), unknown key, unsupported or mismatched algorithm</td>
 *       <td>BADKEY (17) when the registry holds no key of the child with that algorithm and
 *       tag, else REFUSED (5) (the ddns draft's answer to an UPDATE in the same case)</td>
 *       <td>no</td><td>no</td></tr>
 *   <tr><td>outside the signature's validity window</td><td>BADTIME (18)</td><td>no</td>
 *       <td>no</td></tr>
 *   <tr><td>a held key whose signature does not verify</td><td>BADSIG (16)</td><td>no</td>
 *       <td>no</td></tr>
 *   <tr><td>a signature already accepted (replay; RFC 2931 §3.3)</td><td>BADTIME (18), so an
 *       honest child re-signs and retries</td><td>no</td><td>no</td></tr>
 *   <tr><td>registry unreadable before the signature was checked</td><td>SERVFAIL (2)</td>
 *       <td>no</td><td>no</td></tr>
 *   <tr><td>verified, over the child's rate limit</td><td>REFUSED (5)</td><td>no</td>
 *       <td>no</td></tr>
 *   <tr><td>verified, KEY-ID = the signing key's tag</td><td>NOERROR</td><td>yes</td>
 *       <td>that key's state</td></tr>
 *   <tr><td>verified by a TRUSTED key, KEY-ID = the tag of a key it rolled to ({@link
 *       TrustRegistry#rollTo})</td><td>NOERROR</td><td>yes</td><td>the new key's state</td></tr>
 *   <tr><td>verified by a TRUSTED key, KEY-ID held for no key of the child</td><td>NOERROR</td>
 *       <td>yes</td><td>KEY_UNKNOWN (5): the roll's new key has not arrived</td></tr>
 *   <tr><td>verified, any other KEY-ID</td><td>REFUSED (5)</td><td>yes</td><td>no</td></tr>
 *   <tr><td>verified, -03 request code other than 2</td><td>NOERROR</td><td>yes</td>
 *       <td>code 0 (malformed); FORMERR unsigned in -02</td></tr>
 *   <tr><td>verified, registry unreadable afterwards</td><td>NOERROR</td><td>yes</td>
 *       <td>1 (temporary failure); SERVFAIL unsigned in -02</td></tr>
 *   <tr><td>unsigned, when {@link Builder#requireSignedInquiries(boolean) allowed}</td>
 *       <td>NOERROR</td><td>yes</td><td>state of the child's key with that tag</td></tr>
 * </table>
 *
 * <p>An inquiry signed by a key the registry does not hold, about itself, gets BADKEY unsigned:
 * that already tells the child to (re-)bootstrap (ddns §8, §9.7). (Earlier versions answered a
 * signed KEY_UNKNOWN there, which any stranger could trigger.)
 *
 * <p>A KEY-ID mismatch is refused rather than answered with the -03 malformed code 0: the
 * request is well-formed, the asker is just not entitled to it; REFUSED is DNS's answer for a
 * request declined by policy (RFC 1035 §4.1.1) and works under both code tables. The refusal of
 * a verified inquiry is signed (it carries no key state, so when signing fails it goes out
 * unsigned), so the child can tell an authentic refusal from a forgery.
 *
 * <p>{@link #respond(byte[], InetAddress)} never throws; a host's server loop hands it the
 * received bytes and sends back what it returns.
 *
 * <p>Every call produces exactly one {@link KeyStateEvent} for the {@link Builder#listener
 * listener} (who asked, about which key, the outcome, RCODE and state answered; no key material)
 * and one SLF4J debug line, whatever happened, the internal-fault path included.
 */
public final class KeyStateResponder {

  static {
    // every zonecut entry point registers zonecut's record types with dnsjava, so that
    // text and wire parsing yield DSYNC/CSYNC/HSYNC records, not "invalid unknown RR encoding"
    ZonecutTypes.register();
  }

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
  private final Clock clock;
  private final KeyStateListener listener;

  private KeyStateResponder(Builder b) {
    this.registry = b.registry;
    this.receiverKey = b.receiverKey;
    this.signer = b.signer;
    this.codepoints = b.codepoints;
    this.form = b.form;
    this.perChild = new RateLimiter(b.childBurst, b.childPeriod, MAX_TRACKED, b.clock);
    this.perSource = new RateLimiter(b.sourceBurst, b.sourcePeriod, MAX_TRACKED, b.clock,
        b.prefixes);
    TrustRegistry keys = b.registry;
    Sig0Config config = b.verifierConfig != null ? b.verifierConfig
        : Sig0Config.builder().clock(b.clock).build();
    // The lookup returns held keys only: the guard is consulted after a signature verified
    // against a key the registry holds, never for a stranger's key (issue 9 item 6).
    this.verifier = Sig0Verifier.builder((signer, alg, tag) -> heldKeys(keys, signer, alg, tag))
        .config(config).replayGuard(b.replayGuard).build();
    this.requireSigned = b.requireSigned;
    this.clock = b.clock;
    this.listener = b.listener;
  }

  /** Keys (source prefixes, children) each rate limiter tracks, least recently used evicted. */
  private static final int MAX_TRACKED = 100_000;

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
    return respond(query, source, TransportProtocol.TCP);
  }

  /**
   * Answers one message received over {@code protocol}. Over UDP the signed answer must fit the
   * requester's UDP payload size (EDNS(0), or 512 octets): one that would not comes back
   * truncated (TC set, RFC 2181 §9), and when the responder's own key is TCP only (ML-DSA; ddns
   * §9.1) every inquiry is answered truncated before it is verified (so its signature is not
   * spent in the replay guard) and the client retries over TCP ({@link
   * Sig0Signer#signResponse(byte[], byte[], Sig0KeyPair, Sig0ResponseForm, TransportProtocol)}).
   * {@link #respond(byte[], InetAddress)} is this over TCP: no size limit.
   *
   * @param query the message as received (without a TCP length prefix)
   * @param source the sender's address, for the per-source rate limit
   * @param protocol the transport it came over, which the answer goes back over
   * @return the answer's octets, or empty to send nothing
   */
  public Optional<byte[]> respond(byte[] query, InetAddress source, TransportProtocol protocol) {
    Objects.requireNonNull(protocol, "protocol");
    Ctx c = new Ctx(source, clock.instant(), protocol);
    if (protocol == TransportProtocol.UDP && query.length >= 12 && (query[2] & 0x80) == 0
        && signer.isTcpOnly(receiverKey)) {
      byte[] tc = Sig0Signer.truncatedAnswer(query);
      c.emit(Outcome.TRUNCATED, rcodeOf(tc), null, false, "over UDP, and the responder's "
          + receiverKey.publicKey().algorithm() + " key signs over TCP only: TC set");
      return Optional.of(tc);
    }
    try {
      return Optional.ofNullable(answer(query, c));
    } catch (RuntimeException e) {
      // A receiver never lets an exception escape to its host; the peer gets no answer.
      LOG.warn("KeyState responder failed on a query from {}", source.getHostAddress(), e);
      c.emit(Outcome.INTERNAL_ERROR, -1, null, false, "internal error: "
          + e.getClass().getSimpleName());
      return Optional.empty();
    }
  }

  /** The RCODE in a message's header (the four low bits: all a truncated answer carries). */
  private static int rcodeOf(byte[] message) {
    return message.length >= 4 ? message[3] & 0x0F : -1;
  }

  /** Mutable state of one call of {@link #respond}, gathered into its {@link KeyStateEvent}. */
  private final class Ctx {
    final InetAddress source;
    final Instant now;
    final TransportProtocol protocol;
    @Nullable Name child;
    @Nullable KeyRef key;
    @Nullable Sig0PublicKey signerKey;
    boolean emitted;

    Ctx(InetAddress source, Instant now, TransportProtocol protocol) {
      this.source = source;
      this.now = now;
      this.protocol = protocol;
    }

    /** Nothing is sent. */
    byte @Nullable [] drop(String why) {
      emit(Outcome.DROPPED, -1, null, false, why);
      return null;
    }

    /** Sends {@code answer}, unsigned and without a KeyState option. */
    byte[] unsigned(Outcome outcome, byte[] answer, int rcode, String detail) {
      emit(outcome, rcode, null, false, detail);
      return answer;
    }

    /**
     * Sends {@code answer}, the outcome of signing a response: truncated over UDP when it did not
     * fit (TC set, unsigned, nothing but the header and question).
     */
    byte[] signedOrTruncated(Outcome outcome, byte[] answer, int rcode,
        @Nullable KeyStateCode state, String detail) {
      if (protocol == TransportProtocol.UDP && answer.length > 2 && (answer[2] & 0x02) != 0) {
        emit(Outcome.TRUNCATED, rcodeOf(answer), null, false,
            "the signed answer does not fit the UDP payload size: TC set (" + detail + ")");
      } else {
        emit(outcome, rcode, state, true, detail);
      }
      return answer;
    }

    void emit(Outcome outcome, int rcode, @Nullable KeyStateCode state, boolean signed,
        String detail) {
      if (emitted) {
        return;
      }
      emitted = true;
      KeyStateEvent event = new KeyStateEvent(now, source, child, key, signerKey, outcome, rcode,
          state, signed, detail);
      LOG.debug("KeyState inquiry from {} for {} about {} by {}: {} rcode {}{} ({})",
          source.getHostAddress(), child, key, signerKey, outcome, rcode,
          state == null ? "" : " state " + state, detail);
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("KeyState listener failed", e);
      }
    }
  }

  private byte @Nullable [] answer(byte[] wire, Ctx c) {
    Message q;
    try {
      q = new Message(wire);
    } catch (IOException e) {
      return c.drop("unparseable: " + e.getMessage());
    }
    if (q.getHeader().getFlag(Flags.QR)) {
      return c.drop("a response"); // never answer a response: no reflection loops
    }
    if (!perSource.tryAcquire(c.source)) {
      c.emit(Outcome.SOURCE_RATE_LIMITED, -1, null, false, "source rate limit: dropped");
      return null;
    }
    Record question = q.getQuestion();
    if (q.getHeader().getOpcode() != Opcode.QUERY) {
      return c.unsigned(Outcome.NOT_IMPLEMENTED, plain(q, Rcode.NOTIMP), Rcode.NOTIMP,
          "opcode " + Opcode.string(q.getHeader().getOpcode()));
    }
    if (question == null) {
      return c.unsigned(Outcome.MALFORMED, plain(q, Rcode.FORMERR), Rcode.FORMERR,
          "no question");
    }
    Name child = question.getName();
    c.child = child;
    Optional<KeyStateRequest> request = KeyStateRequest.of(q, codepoints);
    if (request.isEmpty()) {
      // keystate-02: the option only answers a message that carried one.
      return c.unsigned(Outcome.NO_KEYSTATE_OPTION, plain(q, Rcode.REFUSED), Rcode.REFUSED,
          "no KeyState option");
    }
    KeyStateTable table = codepoints.keyStateTable();
    KeyStateRequest r = request.get();
    c.key = new KeyRef(child, 0, r.keyId());
    Authentication auth;
    try {
      auth = authenticate(wire, q, child);
    } catch (StoreUnavailable e) {
      // The signature could not be checked: nothing is signed (no state, no option).
      LOG.warn("trust store failed verifying an inquiry for {}", child, e.getCause());
      return c.unsigned(Outcome.STORE_FAILED, refuse(q, Rcode.SERVFAIL), Rcode.SERVFAIL,
          "trust store failed before the signature was checked");
    }
    if (auth instanceof Unauthenticated u) {
      return c.unsigned(u.outcome(), refuse(q, u.rcode()), u.rcode(), u.why());
    }
    Sig0PublicKey key = ((Authenticated) auth).key();
    c.signerKey = key;
    if (key != null && key.keyTag() == r.keyId()) {
      c.key = new KeyRef(child, key.algorithm().number(), r.keyId());
    }
    if (key != null && !perChild.tryAcquire(child)) {
      // Charged only now that the child's key verified: strangers cannot use up its allowance.
      return c.unsigned(Outcome.CHILD_RATE_LIMITED, plain(q, Rcode.REFUSED), Rcode.REFUSED,
          "child rate limit");
    }
    if (r instanceof KeyStateRequest.Malformed m) {
      return table == KeyStateTable.DRAFT_02
          ? c.unsigned(Outcome.MALFORMED, plain(q, Rcode.FORMERR), Rcode.FORMERR,
              "malformed KeyState request: " + m.problem())
          : signedState(q, wire, c, m.answer(), Outcome.MALFORMED,
              "malformed KeyState request: " + m.problem());
    }
    KeyStateCode code;
    try {
      if (key == null) {
        code = registry.keyStateByTag(child, r.keyId());
      } else {
        Optional<KeyStateCode> s = stateFor(key, child, r.keyId());
        if (s.isEmpty()) {
          return signedRefusal(q, wire, c, Rcode.REFUSED, "asks about key " + r.keyId()
              + " but is signed by key " + key.keyTag());
        }
        code = s.get();
      }
    } catch (StoreException e) {
      LOG.warn("trust store failed answering an inquiry for {}", child, e);
      return table == KeyStateTable.DRAFT_02
          ? c.unsigned(Outcome.STORE_FAILED, refuse(q, Rcode.SERVFAIL), Rcode.SERVFAIL,
              "trust store failed after the signature was checked")
          : signedState(q, wire, c,
              KeyStateOption.of(r.keyId(), KeyStateCode.TEMPORARY_FAILURE, table, ""),
              Outcome.STORE_FAILED, "trust store failed after the signature was checked");
    }
    return signedState(q, wire, c, KeyStateOption.of(r.keyId(), code, table,
        KeyStateCode.mnemonic(table, code.requireCode(table))), Outcome.ANSWERED,
        key == null ? "unsigned inquiry allowed" : "");
  }

  /**
   * The state answering an inquiry about tag {@code keyId} signed by {@code key} (verified, held):
   * the signing key's own state when it asks about itself; for a trusted key, the state of the
   * key it rolled to with that tag, or KEY_UNKNOWN when the child has no key of that tag; empty
   * (refuse) otherwise.
   */
  private Optional<KeyStateCode> stateFor(Sig0PublicKey key, Name child, int keyId)
      throws StoreException {
    KeyIdentity signerId = new KeyIdentity(key.owner(), key.algorithm().number(), key.keyData());
    Optional<KeyEntry> signing = registry.find(signerId);
    boolean manualOnly = registry.policy().manualOnly();
    if (keyId == key.keyTag()) {
      // Issue 9 item 5: the state of the key that verified, by its octets, not by its tag.
      return Optional.of(signing.map(e -> e.state().keyStateCode(manualOnly))
          .orElse(KeyStateCode.KEY_UNKNOWN));
    }
    if (signing.isEmpty() || signing.get().state() != TrustState.TRUSTED) {
      return Optional.empty();
    }
    // A key roll (ddns §9.6): the trusted old key asks about the new key it vouched for.
    boolean tagHeld = false;
    for (KeyEntry e : registry.keysOf(child)) {
      if (e.keyTag() != keyId) {
        continue;
      }
      tagHeld = true;
      if (signerId.equals(e.rolledFrom())) {
        return Optional.of(e.state().keyStateCode(manualOnly));
      }
    }
    return tagHeld ? Optional.empty() : Optional.of(KeyStateCode.KEY_UNKNOWN);
  }

  /** How an inquiry's SIG(0) came out. */
  private sealed interface Authentication permits Authenticated, Unauthenticated {}

  /**
   * The inquiry may be answered.
   *
   * @param key the held key whose signature verified, or null for an allowed unsigned inquiry
   */
  private record Authenticated(@Nullable Sig0PublicKey key) implements Authentication {}

  /** The signature could not be checked or did not verify: an unsigned answer, no option. */
  private record Unauthenticated(Outcome outcome, int rcode, String why)
      implements Authentication {}

  /**
   * Verifies the inquiry's SIG(0) against the keys the registry holds for the child.
   *
   * @throws StoreUnavailable when the registry cannot be read for the child's keys
   */
  private Authentication authenticate(byte[] wire, Message q, Name child) {
    Record[] additional = q.getSectionArray(Section.ADDITIONAL);
    if (additional.length > 0 && additional[additional.length - 1] instanceof SIGRecord sig
        && !sig.getSigner().equals(child)) {
      // Only the child's own keys speak for it; nothing to verify.
      return unverifiable(child, sig.getAlgorithm(), sig.getFootprint(),
          "signed by " + sig.getSigner() + ", not by the child");
    }
    Sig0Outcome outcome = verifier.verify(wire);
    if (outcome instanceof Sig0Outcome.Verified verified) {
      // The key's owner is the child: the verifier accepts a SIG(0) only as the last additional
      // record, the one whose signer was compared with the child above, and only with a key
      // owned by that signer.
      return new Authenticated(verified.key());
    }
    if (outcome instanceof Sig0Outcome.Unsigned) {
      return requireSigned
          ? new Unauthenticated(Outcome.UNSIGNED, Rcode.REFUSED, "unsigned inquiry")
          : new Authenticated(null);
    }
    if (outcome instanceof Sig0Outcome.UnknownKey unknown) {
      return unverifiable(child, unknown.algorithm().number(), unknown.keyTag(),
          unknown.reason());
    }
    // BADSIG, BADTIME (window or replay), FORMERR, or an outcome this version does not know.
    return new Unauthenticated(outcomeOf(outcome), outcome.rcode(), outcome.toString());
  }

  /** The audit outcome of a verifier's refusal. */
  private static Outcome outcomeOf(Sig0Outcome refusal) {
    if (refusal instanceof Sig0Outcome.Replayed) {
      return Outcome.REPLAYED;
    }
    if (refusal instanceof Sig0Outcome.ReplayGuardUnavailable) {
      return Outcome.STORE_FAILED;
    }
    switch (refusal.rcode()) {
      case Sig0Outcome.BADSIG:
        return Outcome.BAD_SIGNATURE;
      case Sig0Outcome.BADTIME:
        return Outcome.BAD_TIME; // outside the window, or a window too long
      case Sig0Outcome.BADKEY:
        return Outcome.UNKNOWN_KEY;
      case Sig0Outcome.FORMERR:
        return Outcome.MALFORMED;
      case Sig0Outcome.SERVFAIL:
        return Outcome.STORE_FAILED;
      default:
        return Outcome.KEY_MISMATCH; // a refusal this version does not know
    }
  }

  /**
   * An inquiry whose signature could not be checked gets what the ddns draft gives an UPDATE in
   * the same case: BADKEY when the child has no key with that algorithm and tag (so the child
   * re-bootstraps, ddns §8), REFUSED otherwise.
   */
  private Unauthenticated unverifiable(Name child, int algorithm, int keyTag, String why) {
    List<KeyEntry> entries;
    try {
      entries = registry.keysOf(child);
    } catch (StoreException e) {
      throw new StoreUnavailable(e);
    }
    for (KeyEntry e : entries) {
      if (e.id().algorithm() == algorithm && e.keyTag() == keyTag) {
        return new Unauthenticated(Outcome.KEY_MISMATCH, Rcode.REFUSED, why);
      }
    }
    return new Unauthenticated(Outcome.UNKNOWN_KEY, Rcode.BADKEY, why);
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

  /** A refusal: no KeyState option, the RCODE split between header and OPT. */
  private static Message refusal(Message q, int rcode) {
    Message a = reply(q, rcode & 0xF);
    // RFC 6891 §6.1.3: the upper eight bits of an extended RCODE are in the OPT record.
    a.addRecord(new OPTRecord(1232, rcode >>> 4, 0, 0), Section.ADDITIONAL);
    return a;
  }

  /** An unsigned refusal, for an inquiry whose signature was not verified. */
  private static byte[] refuse(Message q, int rcode) {
    return refusal(q, rcode).toWire();
  }

  /**
   * The signed refusal of a verified inquiry ({@link Outcome#SIGNER_MISMATCH}); unsigned if it
   * cannot be signed (it states nothing about any key).
   */
  private byte[] signedRefusal(Message q, byte[] wire, Ctx c, int rcode, String detail) {
    byte[] unsigned = refusal(q, rcode).toWire();
    byte[] signed;
    try {
      signed = signer.signResponse(unsigned, wire, receiverKey, form, c.protocol);
    } catch (ZonecutException | RuntimeException e) {
      // A refusal states nothing about any key, so it may go out unsigned.
      LOG.warn("cannot sign a KeyState refusal for {}; sending it unsigned", c.child, e);
      return c.unsigned(Outcome.SIGNER_MISMATCH, unsigned, rcode,
          detail + "; cannot sign the refusal");
    }
    return c.signedOrTruncated(Outcome.SIGNER_MISMATCH, signed, rcode, null, detail);
  }

  /** The signed answer carrying {@code state}; without the option if it cannot be signed. */
  private byte[] signedState(Message q, byte[] wire, Ctx c, KeyStateOption state,
      Outcome outcome, String detail) {
    Message a = reply(q, Rcode.NOERROR);
    a.addRecord(new OPTRecord(1232, 0, 0, 0, state.toEdnsOption(codepoints)),
        Section.ADDITIONAL);
    byte[] signed;
    try {
      signed = signer.signResponse(a.toWire(), wire, receiverKey, form, c.protocol);
    } catch (ZonecutException | RuntimeException e) {
      // Fail closed: an unsigned key state must never be sent (ddns-02 §9.3).
      LOG.warn("cannot sign the KeyState answer for {}; sending it without the option",
          c.child, e);
      return c.unsigned(Outcome.SIGNING_FAILED, plain(q, Rcode.NOERROR), Rcode.NOERROR,
          "cannot sign the answer (" + outcome + "); sent without the KeyState option");
    }
    KeyStateCode code = state.code(codepoints.keyStateTable()).orElse(null);
    return c.signedOrTruncated(outcome, signed, Rcode.NOERROR, code, detail);
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
    private SourcePrefixes prefixes = SourcePrefixes.DEFAULT;
    private KeyStateListener listener = KeyStateListener.NONE;

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
     * inquiries may turn this off; unsigned inquiries are then answered with a signed state
     * (the one exception to "sign only what was authenticated", chosen by the host), limited per
     * source prefix only and answered per key tag, since no signature pins a key. Signed ones
     * are still verified, and one that cannot be verified still gets an unsigned refusal.
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
     * The clock of the rate limits, of the {@link KeyStateEvent}s' time and, unless {@link
     * #verifierConfig} is set, of the inquiry signatures' validity window; default the system
     * clock.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Verified inquiries per child name: {@code burst} at once, refilled per {@code period}. Only
     * an inquiry whose SIG(0) verified against a key of the child is charged, so a stranger's
     * traffic cannot lock the child out; default 10 per minute.
     */
    public Builder childRateLimit(int burst, Duration period) {
      this.childBurst = burst;
      this.childPeriod = Objects.requireNonNull(period, "period");
      return this;
    }

    /**
     * Queries per source prefix (see {@link #sourcePrefixes}): {@code burst} at once, refilled
     * per {@code period}; default 60 per minute. Every query is charged, signed or not.
     */
    public Builder sourceRateLimit(int burst, Duration period) {
      this.sourceBurst = burst;
      this.sourcePeriod = Objects.requireNonNull(period, "period");
      return this;
    }

    /**
     * The prefix lengths that group source addresses for the per-source rate limit; default
     * IPv4 /24 and IPv6 /56. A host owning one address usually owns its /24 or /64, so
     * per-address buckets would cost it nothing.
     *
     * @throws IllegalArgumentException when a length is out of 0..32 or 0..128
     */
    public Builder sourcePrefixes(int ipv4Bits, int ipv6Bits) {
      this.prefixes = new SourcePrefixes(ipv4Bits, ipv6Bits);
      return this;
    }

    /**
     * Receives one {@link KeyStateEvent} per call of {@link KeyStateResponder#respond} (default
     * none): the host's audit of who asked about which key and what was answered, and its
     * metrics. Called on the handling thread; one that throws is logged and ignored.
     */
    public Builder listener(KeyStateListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
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
