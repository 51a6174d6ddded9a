package io.github.zonecut.dsync;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.Names;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.core.ZonecutException;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.dsync.DelegationBackend.ApplyResult;
import io.github.zonecut.dsync.UpdateAuthorizer.Authorization;
import io.github.zonecut.dsync.UpdateEvent.Outcome;
import io.github.zonecut.dsync.internal.UpdateSemantics;
import io.github.zonecut.keystate.BootstrapCoordinator;
import io.github.zonecut.keystate.KeyEntry;
import io.github.zonecut.keystate.KeyIdentity;
import io.github.zonecut.keystate.RegistryOutcome;
import io.github.zonecut.keystate.StoreException;
import io.github.zonecut.keystate.TrustRegistry;
import io.github.zonecut.keystate.TrustState;
import io.github.zonecut.keystate.UploadEvidence;
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
import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The parent's UPDATE receiver (draft-ietf-dnsop-delegation-mgmt-via-ddns §7, §8, §9.4): turns a
 * child's SIG(0)-signed RFC 2136 UPDATE into a {@link DelegationChange} applied through a {@link
 * DelegationBackend}, or into a KEY bootstrap or roll recorded in the {@link TrustRegistry}, and
 * answers with the draft's RCODE and Extended DNS Error.
 *
 * <p>{@link #handle(byte[], InetAddress)} is embeddable in any server (or use {@link
 * DsyncServer}) and never throws. The steps, in order, each cheaper than the next:
 *
 * <ol>
 *   <li>size and per-source rate limit, parse, opcode, zone section (FORMERR, NOTIMP, NOTAUTH);
 *   <li>SIG(0) over the bytes as received, against every key the registry holds for the signer
 *       (any state), with the one shared {@link Sig0ReplayGuard}; a self-signed KEY bootstrap is
 *       verified against the KEY it carries (ddns §9.4.1);
 *   <li>RFC 2136 §3.4.1 prescan (FORMERR, NOTZONE), the {@link UpdateAuthorizer} (REFUSED), the
 *       per-child rate limit (REFUSED), the signing key's trust state (REFUSED + EDE);
 *   <li>the backend's current delegation, the RFC 2136 §3.2 prerequisites against it, the update
 *       section applied to it (§3.4.2) giving the desired delegation;
 *   <li>the {@link ChangeCheck} (REFUSED + EDE), then the backend: NOERROR only once it reports
 *       Applied, Queued or AlreadyApplied (unless {@link Builder#answerOnAccept}).
 * </ol>
 *
 * <table>
 *   <caption>Answers</caption>
 *   <tr><th>Request</th><th>RCODE</th><th>EDE</th><th>signed</th></tr>
 *   <tr><td>applied, queued or already applied; KEY uploaded or rolled</td><td>NOERROR</td>
 *       <td>—</td><td>yes</td></tr>
 *   <tr><td>not parseable, SIG(0) not last, truncated</td><td>FORMERR</td><td>—</td><td>no</td></tr>
 *   <tr><td>over UDP while the receiver's key signs over TCP only (ML-DSA)</td><td>NOERROR,
 *       TC set</td><td>—</td><td>no</td></tr>
 *   <tr><td>not an UPDATE</td><td>NOTIMP</td><td>—</td><td>no</td></tr>
 *   <tr><td>zone not served</td><td>NOTAUTH</td><td>—</td><td>no</td></tr>
 *   <tr><td>oversized, over the source's rate</td><td>REFUSED</td><td>Other</td><td>no</td></tr>
 *   <tr><td>unsigned</td><td>REFUSED</td><td>Other</td><td>no</td></tr>
 *   <tr><td>unknown key</td><td>BADKEY</td><td>Other</td><td>no</td></tr>
 *   <tr><td>signature does not verify</td><td>BADSIG</td><td>Other</td><td>no</td></tr>
 *   <tr><td>outside the window, or replayed</td><td>BADTIME</td><td>Other</td><td>no</td></tr>
 *   <tr><td>record outside the zone / malformed update records</td><td>NOTZONE / FORMERR</td>
 *       <td>—</td><td>yes</td></tr>
 *   <tr><td>key known, not trusted</td><td>REFUSED</td><td>KEY-KNOWN-NOT-TRUSTED</td>
 *       <td>yes</td></tr>
 *   <tr><td>key validation failed or key refused</td><td>REFUSED</td><td>KEY-VALIDATION-FAILED</td>
 *       <td>yes</td></tr>
 *   <tr><td>key awaiting manual approval</td><td>REFUSED</td><td>MANUAL-BOOTSTRAP-REQUIRED</td>
 *       <td>yes</td></tr>
 *   <tr><td>authorizer, registry rules, invalid result, not delegated, over the child's rate,
 *       backend rejected or conflict</td><td>REFUSED</td><td>Prohibited / Other</td><td>yes</td></tr>
 *   <tr><td>acceptance check refused</td><td>REFUSED</td><td>Other</td><td>yes</td></tr>
 *   <tr><td>prerequisite failed</td><td>NXDOMAIN, YXDOMAIN, NXRRSET, YXRRSET</td><td>—</td>
 *       <td>yes</td></tr>
 *   <tr><td>backend or trust store failed</td><td>SERVFAIL</td><td>—</td><td>yes</td></tr>
 * </table>
 *
 * <p>"Signed" means SIG(0)-signed with the receiver key (RFC 2931 §3.2) because the request's
 * SIG(0) verified, including a self-signed bootstrap; the answer to a request whose signature
 * could not be checked is never signed, so a stranger cannot make the parent sign anything.
 * Extended RCODEs travel in an OPT record (RFC 6891 §6.1.3).
 *
 * <p>Every call produces exactly one {@link UpdateEvent} for the {@link UpdateListener} and one
 * SLF4J line (no key material). Thread-safe.
 */
public final class UpdateReceiver {

  static {
    // every zonecut entry point registers zonecut's record types with dnsjava, so that
    // text and wire parsing yield DSYNC/CSYNC/HSYNC records, not "invalid unknown RR encoding"
    ZonecutTypes.register();
  }

  private static final Logger LOG = LoggerFactory.getLogger(UpdateReceiver.class);
  private static final byte[] NOTHING = new byte[0];
  private static final int EDE_OTHER = ExtendedErrorCodeOption.OTHER;
  private static final int EDE_PROHIBITED = ExtendedErrorCodeOption.PROHIBITED;

  private final Set<Name> zones;
  private final Sig0KeyPair receiverKey;
  private final Sig0Signer signer;
  private final Sig0ResponseForm form;
  private final TrustRegistry registry;
  private final Sig0Verifier verifier;
  private final Sig0Verifier bootstrapVerifier;
  private final ThreadLocal<List<Sig0PublicKey>> selfKeys = ThreadLocal.withInitial(List::of);
  private final Clock clock;
  private final DelegationBackend backend;
  private final UpdateAuthorizer authorizer;
  private final ChangeCheck check;
  private final UpdateListener listener;
  private final Codepoints codepoints;
  private final RateLimiter perSource;
  private final RateLimiter perChild;
  private final int maxMessageSize;
  private final @Nullable Executor answerOnAccept;
  private final @Nullable BootstrapCoordinator coordinator;
  private final Function<Name, BootstrapCoordinator.Delegation> bootstrapDelegation;

  private UpdateReceiver(Builder b) {
    if (b.zones.isEmpty()) {
      throw new IllegalStateException("an UPDATE receiver serves at least one zone");
    }
    this.zones = Set.copyOf(b.zones);
    this.receiverKey = Objects.requireNonNull(b.receiverKey, "receiverKey");
    this.registry = Objects.requireNonNull(b.registry, "registry");
    this.backend = Objects.requireNonNull(b.backend, "backend");
    Sig0Signer chosen = b.signer;
    this.signer = chosen != null ? chosen
        : Sig0Signer.create(Sig0Config.builder().clock(b.clock).build());
    this.form = b.form;
    this.clock = b.clock;
    this.authorizer = b.authorizer;
    this.check = b.check;
    this.listener = b.listener;
    this.codepoints = b.codepoints;
    this.maxMessageSize = b.maxMessageSize;
    this.answerOnAccept = b.answerOnAccept;
    this.coordinator = b.coordinator;
    this.bootstrapDelegation = b.bootstrapDelegation;
    this.perSource = new RateLimiter(b.sourceBurst, b.sourcePeriod, 100_000, b.clock);
    this.perChild = new RateLimiter(b.childBurst, b.childPeriod, 100_000, b.clock);
    Sig0Config config = b.verifierConfig != null ? b.verifierConfig
        : Sig0Config.builder().clock(b.clock).build();
    TrustRegistry keys = registry;
    this.verifier = Sig0Verifier.builder((s, alg, tag) -> heldKeys(keys, s, alg, tag))
        .config(config).replayGuard(Objects.requireNonNull(b.replayGuard, "replayGuard")).build();
    // Self-signed bootstrap uploads are verified against the KEY they carry. They get their own
    // small guard: any stranger can make a key and self-sign, and must not be able to push
    // delegation UPDATE signatures out of the shared guard (issue: security fixes, item 6). A
    // replayed upload changes nothing anyway (the registry keeps a known key's progress).
    this.bootstrapVerifier = Sig0Verifier.builder((s, alg, tag) -> selfKeys(s, alg, tag))
        .config(config).replayGuard(Sig0ReplayGuard.withCapacity(4096)).build();
  }

  /**
   * A builder for a receiver serving {@code zones}, signing answers with {@code receiverKey}
   * (whose owner is the DSYNC UPDATE target name, where its KEY is published, ddns §9.3), trusting
   * keys through {@code registry}, applying through {@code backend}, and sharing {@code
   * replayGuard} with every other verifier of this DSYNC target (the KeyState responder).
   */
  public static Builder builder(Set<Name> zones, Sig0KeyPair receiverKey, TrustRegistry registry,
      DelegationBackend backend, Sig0ReplayGuard replayGuard) {
    return new Builder(zones, receiverKey, registry, backend, replayGuard);
  }

  /**
   * Handles one received message.
   *
   * @param request the message exactly as received (for TCP, without the two-octet length)
   * @param source the sender's address (rate limits, audit)
   * @return the answer's octets; empty to send nothing (fewer than 12 octets, or a response)
   */
  public byte[] handle(byte[] request, InetAddress source) {
    return handle(request, source, TransportProtocol.TCP);
  }

  /**
   * Handles one message received over {@code protocol}. Over UDP the signed answer must fit the
   * requester's UDP payload size (EDNS(0), or 512 octets): one that would not comes back
   * truncated (TC set, RFC 2181 §9), and when the receiver's own key is TCP only (ML-DSA; ddns
   * §9.1) every request is answered truncated before any work, nothing verified, recorded or
   * applied, so the sender retries over TCP with the same message ({@link
   * Sig0Signer#signResponse(byte[], byte[], Sig0KeyPair, Sig0ResponseForm, TransportProtocol)}).
   * {@link #handle(byte[], InetAddress)} is this over TCP: no size limit.
   *
   * @param request the message exactly as received (for TCP, without the two-octet length)
   * @param source the sender's address (rate limits, audit)
   * @param protocol the transport it came over, which the answer goes back over
   * @return the answer's octets; empty to send nothing (fewer than 12 octets, or a response)
   */
  public byte[] handle(byte[] request, InetAddress source, TransportProtocol protocol) {
    Objects.requireNonNull(protocol, "protocol");
    if (protocol == TransportProtocol.UDP && request.length >= 12 && (request[2] & 0x80) == 0
        && signer.isTcpOnly(receiverKey)) {
      new Ctx(request, source, clock.instant(), protocol).emit(Outcome.TRUNCATED, Rcode.NOERROR,
          false, "over UDP, and the receiver's " + receiverKey.publicKey().algorithm()
              + " key signs over TCP only: TC set, retry over TCP");
      return Sig0Signer.truncatedAnswer(request);
    }
    Ctx c = new Ctx(request, source, clock.instant(), protocol);
    try {
      return process(c);
    } catch (RuntimeException e) {
      // A receiver never lets an exception escape to its host (a bug, or a host SPI that threw).
      LOG.warn("UPDATE receiver fault on a request from {}", source.getHostAddress(), e);
      return c.done(Outcome.INTERNAL_ERROR, Rcode.SERVFAIL, -1, "internal error",
          c.verified);
    }
  }

  /** Mutable state of one request, gathered into its {@link UpdateEvent}. */
  private final class Ctx {
    final byte[] request;
    final InetAddress source;
    final Instant now;
    final TransportProtocol protocol;
    @Nullable Message message;
    @Nullable Sig0PublicKey signerKey;
    @Nullable Name child;
    @Nullable DelegationChange change;
    @Nullable ApplyResult result;
    boolean verified;
    boolean emitted;

    Ctx(byte[] request, InetAddress source, Instant now, TransportProtocol protocol) {
      this.request = request;
      this.source = source;
      this.now = now;
      this.protocol = protocol;
    }

    byte[] drop(String why) {
      emit(Outcome.DROPPED, -1, false, why);
      return NOTHING;
    }

    byte[] done(Outcome outcome, int rcode, int ede, String detail, boolean sign) {
      byte[] answer;
      boolean signed = false;
      try {
        byte[] unsigned = render(this, rcode, ede, detail);
        answer = unsigned;
        if (sign) {
          try {
            answer = signer.signResponse(unsigned, request, receiverKey, form, protocol);
            // Over UDP an answer that does not fit comes back truncated, unsigned.
            signed = protocol == TransportProtocol.TCP
                || (answer.length > 2 && (answer[2] & 0x02) == 0);
          } catch (ZonecutException | RuntimeException e) {
            LOG.warn("cannot sign the answer to {}; sending it unsigned", source.getHostAddress(),
                e);
          }
        }
      } catch (RuntimeException e) {
        LOG.warn("cannot render the answer to {}", source.getHostAddress(), e);
        answer = NOTHING;
      }
      emit(outcome, rcode, signed, detail);
      return answer;
    }

    void emit(Outcome outcome, int rcode, boolean signed, String detail) {
      if (emitted) {
        return;
      }
      emitted = true;
      UpdateEvent event = new UpdateEvent(now, source, signerKey, child, change, outcome, rcode,
          result, signed, detail);
      if (outcome == Outcome.APPLIED || outcome == Outcome.QUEUED || outcome == Outcome.ACCEPTED
          || outcome == Outcome.KEY_ROLLED || outcome == Outcome.KEY_UPLOADED) {
        LOG.info("UPDATE from {} for {} by {}: {} {} ({})", source.getHostAddress(), child,
            signerKey, outcome, Rcode.string(Math.max(rcode, 0)), detail);
      } else {
        LOG.debug("UPDATE from {} for {} by {}: {} rcode {} ({})", source.getHostAddress(), child,
            signerKey, outcome, rcode, detail);
      }
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("UPDATE listener failed", e);
      }
    }
  }

  private byte[] process(Ctx c) {
    byte[] wire = c.request;
    if (wire.length < 12) {
      return c.drop("shorter than a DNS header");
    }
    if ((wire[2] & 0x80) != 0) {
      return c.drop("a response"); // never answer a response: no reflection loops
    }
    if (wire.length > maxMessageSize) {
      return c.done(Outcome.OVERSIZED, Rcode.REFUSED, EDE_OTHER,
          "message of " + wire.length + " octets exceeds " + maxMessageSize, false);
    }
    if (!perSource.tryAcquire(c.source)) {
      return c.done(Outcome.RATE_LIMITED, Rcode.REFUSED, EDE_OTHER, "rate limited", false);
    }
    int opcode = (wire[2] >>> 3) & 0xF;
    if (opcode != Opcode.UPDATE) {
      return c.done(Outcome.NOT_IMPLEMENTED, Rcode.NOTIMP, -1,
          "opcode " + Opcode.string(opcode) + " is not served here", false);
    }
    Message m;
    try {
      m = new Message(wire);
    } catch (Exception e) {
      // dnsjava signals malformed input with IOException and, for some RDATA, runtime exceptions
      return c.done(Outcome.MALFORMED, Rcode.FORMERR, -1, "unparseable: " + e.getMessage(),
          false);
    }
    c.message = m;
    Record[] zoneSection = m.getSectionArray(Section.ZONE);
    if (zoneSection.length != 1 || zoneSection[0].getType() != Type.SOA
        || zoneSection[0].getDClass() != DClass.IN) {
      return c.done(Outcome.MALFORMED, Rcode.FORMERR, -1,
          "the zone section must hold one SOA question of class IN (RFC 2136 §3.1.1)", false);
    }
    Name zone = zoneSection[0].getName();
    if (!zones.contains(zone)) {
      return c.done(Outcome.NOT_AUTHORITATIVE, Rcode.NOTAUTH, -1, zone + " is not served here",
          false);
    }
    Sig0Outcome outcome;
    try {
      outcome = verify(wire, m);
    } catch (StoreUnavailable e) {
      LOG.warn("trust store failed verifying an UPDATE from {}", c.source.getHostAddress(),
          e.getCause());
      return c.done(Outcome.BACKEND_FAILED, Rcode.SERVFAIL, -1, "trust store unavailable", false);
    }
    if (!(outcome instanceof Sig0Outcome.Verified v)) {
      return refuseUnverified(c, outcome);
    }
    c.verified = true;
    c.signerKey = v.key();
    return verified(c, m, zone, v.key());
  }

  private Sig0Outcome verify(byte[] wire, Message m) {
    Sig0Outcome o = verifier.verify(wire);
    Name signerName;
    Sig0Algorithm alg;
    int tag;
    if (o instanceof Sig0Outcome.UnknownKey u) {
      signerName = u.signer();
      alg = u.algorithm();
      tag = u.keyTag();
    } else if (o instanceof Sig0Outcome.BadSignature b) {
      signerName = b.signer();
      alg = b.algorithm();
      tag = b.keyTag();
    } else {
      return o;
    }
    List<Sig0PublicKey> self = new ArrayList<>(1);
    for (Record r : m.getSection(Section.UPDATE)) {
      if (r instanceof KEYRecord k && r.getDClass() == DClass.IN && r.getName().equals(signerName)
          && k.getAlgorithm() == alg.number()) {
        Sig0PublicKey key;
        try {
          key = Sig0PublicKey.fromKeyRecord(k);
        } catch (RuntimeException e) {
          continue;
        }
        if (key.keyTag() == tag) {
          self.add(key);
        }
      }
    }
    if (self.isEmpty()) {
      return o;
    }
    selfKeys.set(self);
    try {
      Sig0Outcome b = bootstrapVerifier.verify(wire);
      return b instanceof Sig0Outcome.Verified || b instanceof Sig0Outcome.Replayed ? b : o;
    } finally {
      selfKeys.remove();
    }
  }

  private List<Sig0PublicKey> selfKeys(Name signerName, Sig0Algorithm alg, int tag) {
    List<Sig0PublicKey> out = new ArrayList<>(1);
    for (Sig0PublicKey k : selfKeys.get()) {
      if (k.owner().equals(signerName) && k.algorithm().equals(alg) && k.keyTag() == tag) {
        out.add(k);
      }
    }
    return out;
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
        try {
          out.add(Sig0PublicKey.of(e.id().owner(), e.flags(), alg, e.id().publicKey()));
        } catch (RuntimeException bad) {
          LOG.debug("held key {} does not make a SIG(0) key: {}", e.id(), bad.getMessage());
        }
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

  private byte[] refuseUnverified(Ctx c, Sig0Outcome o) {
    if (o instanceof Sig0Outcome.Unsigned) {
      return c.done(Outcome.UNSIGNED, Rcode.REFUSED, EDE_OTHER,
          "unsigned UPDATE: a SIG(0) by the child's key is required", false);
    }
    if (o instanceof Sig0Outcome.UnknownKey u) {
      c.child = u.signer();
      // BADKEY when no key of that algorithm and tag is held (ddns §8: re-bootstrap); REFUSED
      // when one is held but the signature could not be checked against it.
      if (!heldKeys(registry, u.signer(), u.algorithm(), u.keyTag()).isEmpty()) {
        return c.done(Outcome.KEY_MISMATCH, Rcode.REFUSED, EDE_OTHER,
            "SIG(0) cannot be checked against the held key: " + u.reason(), false);
      }
      return c.done(Outcome.UNKNOWN_KEY, Rcode.BADKEY, EDE_OTHER,
          "SIG(0) key not known; bootstrap it (ddns §9.4.1)", false);
    }
    if (o instanceof Sig0Outcome.BadSignature b) {
      c.child = b.signer();
      return c.done(Outcome.BAD_SIGNATURE, Rcode.BADSIG, EDE_OTHER, "SIG(0) does not verify",
          false);
    }
    if (o instanceof Sig0Outcome.BadTime t) {
      return c.done(Outcome.BAD_TIME, Rcode.BADTIME, EDE_OTHER,
          "SIG(0) outside its validity window by " + t.offsetSeconds() + " s", false);
    }
    if (o instanceof Sig0Outcome.Replayed r) {
      c.signerKey = r.key();
      return c.done(Outcome.REPLAYED, Rcode.BADTIME, EDE_OTHER, "SIG(0) already used (replay)",
          false);
    }
    String what = o instanceof Sig0Outcome.Malformed mal ? mal.what() : o.toString();
    return c.done(Outcome.MALFORMED, Rcode.FORMERR, -1, "SIG(0): " + what, false);
  }

  private byte[] verified(Ctx c, Message m, Name zone, Sig0PublicKey key) {
    List<Record> prerequisites = m.getSection(Section.PREREQ);
    List<Record> updates = m.getSection(Section.UPDATE);
    UpdateSemantics.Problem problem = UpdateSemantics.prescan(zone, prerequisites, updates);
    if (problem != null) {
      return c.done(problem.rcode() == Rcode.NOTZONE ? Outcome.NOT_ZONE : Outcome.MALFORMED,
          problem.rcode(), -1, problem.what(), true);
    }
    Authorization a = authorizer.authorize(
        new UpdateAuthorizer.Request(zone, key, prerequisites, updates));
    if (a instanceof Authorization.Denied d) {
      return c.done(Outcome.NOT_AUTHORISED, Rcode.REFUSED, EDE_PROHIBITED, d.reason(), true);
    }
    Authorization.Allowed allowed = (Authorization.Allowed) a;
    Name child = allowed.child();
    c.child = child;
    if (!perChild.tryAcquire(child)) {
      return c.done(Outcome.RATE_LIMITED, Rcode.REFUSED, EDE_OTHER,
          "rate limited for " + child, true);
    }
    try {
      if (allowed.kind() == UpdateAuthorizer.Kind.KEY) {
        return keyUpdate(c, m, child, key);
      }
      return delegationUpdate(c, child, key, prerequisites, updates);
    } catch (StoreException | StoreUnavailable e) {
      LOG.warn("trust store failed on an UPDATE for {}", child, e);
      return c.done(Outcome.BACKEND_FAILED, Rcode.SERVFAIL, -1, "trust store unavailable", true);
    } catch (BackendException e) {
      LOG.warn("delegation backend failed on an UPDATE for {}", child, e);
      return c.done(Outcome.BACKEND_FAILED, Rcode.SERVFAIL, -1, "backend unavailable", true);
    }
  }

  private byte[] delegationUpdate(Ctx c, Name child, Sig0PublicKey key, List<Record> prereqs,
      List<Record> updates) throws StoreException, BackendException {
    Optional<KeyEntry> entry = registry.find(identity(key));
    TrustState state = entry.map(KeyEntry::state).orElse(null);
    if (state != TrustState.TRUSTED) {
      return untrusted(c, state);
    }
    Optional<Delegation> current = backend.current(child);
    if (current.isEmpty()) {
      return c.done(Outcome.INVALID_CHANGE, Rcode.REFUSED, EDE_PROHIBITED,
          child + " is not delegated here", true);
    }
    UpdateSemantics.Problem failed = UpdateSemantics.prerequisites(current.get(), prereqs);
    if (failed != null) {
      return c.done(Outcome.PREREQUISITE_FAILED, failed.rcode(), -1, failed.what(), true);
    }
    UpdateSemantics.Applied applied = UpdateSemantics.apply(current.get(), updates);
    if (applied instanceof UpdateSemantics.Applied.Invalid inv) {
      return c.done(Outcome.INVALID_CHANGE, Rcode.REFUSED, EDE_PROHIBITED, inv.why(), true);
    }
    Delegation desired = ((UpdateSemantics.Applied.Desired) applied).delegation();
    DelegationChange change = new DelegationChange(changeId(c.request), child, current.get(),
        desired, DelegationChange.Source.UPDATE, c.now);
    c.change = change;
    ChangeCheck.Result verdict = check.check(change);
    if (verdict instanceof ChangeCheck.Result.Refused r) {
      return c.done(Outcome.CHECK_REFUSED, Rcode.REFUSED, EDE_OTHER,
          "acceptance check " + r.reason() + ": " + r.detail(), true);
    }
    Executor async = answerOnAccept;
    if (async != null) {
      async.execute(() -> applyLater(change));
      return c.done(Outcome.ACCEPTED, Rcode.NOERROR, -1, "accepted; applying", true);
    }
    ApplyResult result = backend.apply(change);
    c.result = result;
    if (result instanceof ApplyResult.Applied) {
      return c.done(Outcome.APPLIED, Rcode.NOERROR, -1, "applied " + change.id(), true);
    } else if (result instanceof ApplyResult.Queued) {
      return c.done(Outcome.QUEUED, Rcode.NOERROR, -1, "queued " + change.id(), true);
    } else if (result instanceof ApplyResult.AlreadyApplied) {
      return c.done(Outcome.ALREADY_APPLIED, Rcode.NOERROR, -1, "already applied", true);
    } else if (result instanceof ApplyResult.Conflict k) {
      return c.done(Outcome.CONFLICT, Rcode.REFUSED, EDE_OTHER, k.reason(), true);
    }
    ApplyResult.Rejected r = (ApplyResult.Rejected) result;
    return c.done(Outcome.BACKEND_REJECTED, Rcode.REFUSED, EDE_PROHIBITED, r.reason(), true);
  }

  private void applyLater(DelegationChange change) {
    try {
      ApplyResult r = backend.apply(change);
      LOG.info("change {} for {}: {}", change.id(), change.child(), r);
    } catch (BackendException | RuntimeException e) {
      LOG.warn("change {} for {} accepted but not applied", change.id(), change.child(), e);
    }
  }

  /** REFUSED with the draft's EDE for a key that verified but is not trusted (ddns §8). */
  private byte[] untrusted(Ctx c, @Nullable TrustState state) {
    if (state == null) {
      // verified against a KEY carried in the message, which only a KEY UPDATE may use
      return c.done(Outcome.NOT_AUTHORISED, Rcode.REFUSED, EDE_PROHIBITED,
          "signed by a key the parent does not hold", true);
    }
    switch (state) {
      case KNOWN:
      case VALIDATING:
        return c.done(Outcome.KEY_NOT_TRUSTED, Rcode.REFUSED, codepoints.edeKeyKnownNotTrusted(),
            "key known, not yet trusted", true);
      case MANUAL_REQUIRED:
        return c.done(Outcome.MANUAL_REQUIRED, Rcode.REFUSED,
            codepoints.edeManualBootstrapRequired(), "key awaits manual approval", true);
      default:
        return c.done(Outcome.KEY_VALIDATION_FAILED, Rcode.REFUSED,
            codepoints.edeKeyValidationFailed(), "key " + state.name().toLowerCase(
                java.util.Locale.ROOT).replace('_', ' '), true);
    }
  }

  /** A KEY bootstrap or roll (ddns §9.4.1, §9.6), decided by the trust registry's rules. */
  private byte[] keyUpdate(Ctx c, Message m, Name child, Sig0PublicKey key)
      throws StoreException, BackendException {
    if (backend.current(child).isEmpty()) {
      return c.done(Outcome.INVALID_CHANGE, Rcode.REFUSED, EDE_PROHIBITED,
          child + " is not delegated here", true);
    }
    KeyIdentity signerId = identity(key);
    Optional<UploadEvidence> evidence = keyEvidence(m, child, signerId, c.now);
    if (evidence.isEmpty()) {
      return c.done(Outcome.NOT_AUTHORISED, Rcode.REFUSED, EDE_PROHIBITED,
          "KEY deletes must name every key of " + child + " but the signer's, alone", true);
    }
    RegistryOutcome o = registry.upload(evidence.get(), c.source.getHostAddress());
    if (o instanceof RegistryOutcome.Rejected r) {
      return c.done(Outcome.NOT_AUTHORISED, Rcode.REFUSED, EDE_PROHIBITED, r.reason(), true);
    }
    KeyEntry entry = ((RegistryOutcome.Applied) o).key();
    switch (entry.state()) {
      case TRUSTED:
        return c.done(Outcome.KEY_ROLLED, Rcode.NOERROR, -1, "KEY RRset updated", true);
      case KNOWN:
        startBootstrap(entry.id(), child);
        return c.done(Outcome.KEY_UPLOADED, Rcode.NOERROR, -1, "key known; validating", true);
      case VALIDATING:
        return c.done(Outcome.KEY_UPLOADED, Rcode.NOERROR, -1, "key known; validating", true);
      case MANUAL_REQUIRED:
        return c.done(Outcome.KEY_UPLOADED, Rcode.NOERROR, codepoints.edeManualBootstrapRequired(),
            "key known; awaits manual approval", true);
      default:
        return untrusted(c, entry.state());
    }
  }

  /**
   * The registry's view of a KEY UPDATE. Whole-RRset deletes and adds map onto {@link
   * UploadEvidence}; single-KEY deletes (RFC 2136 class NONE, the second step of a roll: delete
   * the old key, signed by the new) are accepted when, alone, they name every key of the child
   * except the signer, which is the registry's delete-others rule. Empty otherwise.
   */
  private Optional<UploadEvidence> keyEvidence(Message m, Name child, KeyIdentity signerId,
      Instant now) throws StoreException {
    List<Record> updates = m.getSection(Section.UPDATE);
    List<KeyIdentity> deleted = new ArrayList<>();
    boolean other = false;
    for (Record r : updates) {
      if (r.getDClass() == DClass.NONE && r instanceof KEYRecord k) {
        deleted.add(KeyIdentity.of(k));
      } else {
        other = true;
      }
    }
    if (deleted.isEmpty()) {
      return Optional.of(UploadEvidence.fromUpdate(m, child, signerId, now));
    }
    if (other || deleted.contains(signerId)) {
      return Optional.empty();
    }
    List<KeyIdentity> others = new ArrayList<>();
    for (KeyEntry e : registry.keysOf(child)) {
      if (!e.id().equals(signerId)) {
        others.add(e.id());
      }
    }
    if (!(others.containsAll(deleted) && deleted.containsAll(others))) {
      return Optional.empty();
    }
    return Optional.of(new UploadEvidence(child, List.of(), true, signerId, now));
  }

  private void startBootstrap(KeyIdentity id, Name child) {
    BootstrapCoordinator bc = coordinator;
    if (bc == null) {
      return;
    }
    try {
      bc.bootstrap(id, bootstrapDelegation.apply(child)).whenComplete((e, t) -> {
        if (t != null) {
          LOG.warn("bootstrap of {} failed", id, t);
        } else {
          LOG.info("bootstrap of {} ended {}", id, e.state());
        }
      });
    } catch (RuntimeException e) {
      LOG.warn("cannot start the bootstrap of {}", id, e);
    }
  }

  private static KeyIdentity identity(Sig0PublicKey key) {
    return new KeyIdentity(key.owner(), key.algorithm().number(), key.keyData());
  }

  /** A change id unique per request: the SHA-256 of the request's octets, in hex. */
  private static String changeId(byte[] request) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(request);
      return "update-" + HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest javadoc).
      throw new IllegalStateException(e);
    }
  }

  /** The answer: header echoed, zone section copied, OPT when an EDE or extended RCODE needs it. */
  private static byte[] render(Ctx c, int rcode, int ede, String detail) {
    byte[] wire = c.request;
    int id = ((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF);
    int opcode = (wire[2] >>> 3) & 0xF;
    Message a = new Message(id);
    a.getHeader().setFlag(Flags.QR);
    a.getHeader().setOpcode(opcode);
    a.getHeader().setRcode(rcode & 0xF);
    Message q = c.message;
    if (q != null) {
      for (Record z : q.getSection(Section.ZONE)) {
        a.addRecord(z, Section.ZONE);
      }
    }
    boolean requestHasOpt = q != null && q.getOPT() != null;
    if (rcode > 0xF || ede >= 0 || requestHasOpt) {
      List<org.xbill.DNS.EDNSOption> options = new ArrayList<>(1);
      if (ede >= 0) {
        // RFC 8914 §2: EXTRA-TEXT is for humans; keep it short and free of secrets.
        String text = detail.length() > 200 ? detail.substring(0, 200) : detail;
        options.add(new ExtendedErrorCodeOption(ede, text));
      }
      // RFC 6891 §6.1.3: the upper eight bits of an extended RCODE are in the OPT record.
      a.addRecord(new OPTRecord(1232, rcode >>> 4, 0, 0, options), Section.ADDITIONAL);
    }
    return a.toWire(0xFFFF);
  }

  @Override
  public String toString() {
    return "UpdateReceiver[" + zones + ", " + verifier + "]";
  }

  /** Builds an {@link UpdateReceiver}. */
  public static final class Builder {
    private final Set<Name> zones;
    private final Sig0KeyPair receiverKey;
    private final TrustRegistry registry;
    private final DelegationBackend backend;
    private final Sig0ReplayGuard replayGuard;
    private @Nullable Sig0Signer signer;
    private Sig0ResponseForm form = Sig0ResponseForm.WITH_QUERY;
    private Clock clock = Clock.systemUTC();
    private @Nullable Sig0Config verifierConfig;
    private UpdateAuthorizer authorizer = UpdateAuthorizer.childKey();
    private ChangeCheck check = ChangeCheck.ACCEPT_ALL;
    private UpdateListener listener = UpdateListener.NONE;
    private Codepoints codepoints = Codepoints.DEFAULT;
    private int childBurst = 10;
    private Duration childPeriod = Duration.ofHours(1);
    private int sourceBurst = 60;
    private Duration sourcePeriod = Duration.ofMinutes(1);
    private int maxMessageSize = 16_384;
    private @Nullable Executor answerOnAccept;
    private @Nullable BootstrapCoordinator coordinator;
    private Function<Name, BootstrapCoordinator.Delegation> bootstrapDelegation =
        child -> new BootstrapCoordinator.Delegation(List.of(), List.of());

    private Builder(Set<Name> zones, Sig0KeyPair receiverKey, TrustRegistry registry,
        DelegationBackend backend, Sig0ReplayGuard replayGuard) {
      for (Name z : zones) {
        Names.requireAbsolute("zone", z);
      }
      this.zones = Set.copyOf(zones);
      this.receiverKey = Objects.requireNonNull(receiverKey, "receiverKey");
      this.registry = Objects.requireNonNull(registry, "registry");
      this.backend = Objects.requireNonNull(backend, "backend");
      this.replayGuard = Objects.requireNonNull(replayGuard, "replayGuard");
    }

    /** Signs answers (default: a {@link Sig0Signer} on the builder's clock). */
    public Builder signer(Sig0Signer signer) {
      this.signer = Objects.requireNonNull(signer, "signer");
      return this;
    }

    /** The RFC 2931 §3.2 response form (default {@link Sig0ResponseForm#WITH_QUERY}). */
    public Builder responseForm(Sig0ResponseForm form) {
      this.form = Objects.requireNonNull(form, "form");
      return this;
    }

    /** The clock for verification windows, rate limits and events (default system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Provider, clock and skew for verification (default: the builder's clock, ±300 s). */
    public Builder verifierConfig(Sig0Config config) {
      this.verifierConfig = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Who may change what (default {@link UpdateAuthorizer#childKey()}). */
    public Builder authorizer(UpdateAuthorizer authorizer) {
      this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
      return this;
    }

    /** The acceptance checks run before applying (default {@link ChangeCheck#ACCEPT_ALL}). */
    public Builder check(ChangeCheck check) {
      this.check = Objects.requireNonNull(check, "check");
      return this;
    }

    /** Receives one {@link UpdateEvent} per request (default none). */
    public Builder listener(UpdateListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The draft codepoints, for the EDE codes (default {@link Codepoints#DEFAULT}). */
    public Builder codepoints(Codepoints codepoints) {
      this.codepoints = Objects.requireNonNull(codepoints, "codepoints");
      return this;
    }

    /**
     * Verified UPDATEs per child: {@code burst} per {@code period} (default 10 per hour; ddns
     * §11: no child needs frequent delegation changes). Charged only after the SIG(0) verified.
     */
    public Builder childRateLimit(int burst, Duration period) {
      this.childBurst = burst;
      this.childPeriod = Objects.requireNonNull(period, "period");
      return this;
    }

    /** Requests per source address: {@code burst} per {@code period} (default 60 a minute). */
    public Builder sourceRateLimit(int burst, Duration period) {
      this.sourceBurst = burst;
      this.sourcePeriod = Objects.requireNonNull(period, "period");
      return this;
    }

    /** The largest request handled, in octets (default 16,384); larger is REFUSED unread. */
    public Builder maxMessageSize(int octets) {
      if (octets < 12 || octets > 65535) {
        throw new IllegalArgumentException("message size limit out of 12..65535: " + octets);
      }
      this.maxMessageSize = octets;
      return this;
    }

    /**
     * Answers NOERROR as soon as a change passes every check and hands it to the backend on
     * {@code executor}, instead of waiting for the backend's result (the default). The child then
     * learns of a backend failure only by watching the parent; use with a backend that queues
     * durably.
     */
    public Builder answerOnAccept(Executor executor) {
      this.answerOnAccept = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Starts the automatic validation of a freshly uploaded key (ddns §9.4.1) with {@code
     * coordinator}; {@code delegationOf} gives the child's name servers and server addresses.
     * Without it, uploaded keys stay KNOWN until the host validates them.
     */
    public Builder bootstrap(BootstrapCoordinator coordinator,
        Function<Name, BootstrapCoordinator.Delegation> delegationOf) {
      this.coordinator = Objects.requireNonNull(coordinator, "coordinator");
      this.bootstrapDelegation = Objects.requireNonNull(delegationOf, "delegationOf");
      return this;
    }

    /** Builds the receiver. */
    public UpdateReceiver build() {
      return new UpdateReceiver(this);
    }
  }
}
