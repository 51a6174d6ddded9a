package io.github.zonecut.dsync;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsRequest;
import io.github.zonecut.core.DnsResponse;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.DnsTransportException;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.core.ZonecutException;
import io.github.zonecut.core.ZonecutTypes;
import io.github.zonecut.keystate.Delayer;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyLookup;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0Outcome;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0ReplayGuard;
import io.github.zonecut.sig0.Sig0Signer;
import io.github.zonecut.sig0.Sig0Verifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;

/**
 * Sends one SIG(0)-signed UPDATE to the parent's receiver and judges the answer
 * (draft-ietf-dnsop-delegation-mgmt-via-ddns §8, §9.1, §9.3).
 *
 * <ul>
 *   <li>Over TCP (ddns §9.1), to the target's addresses in turn, following the {@link
 *       RetrySchedule} (by default the draft's: 5 s, doubling, 5 tries).
 *   <li>Each try is signed afresh (RFC 2931 §3: a new time window; a receiver's replay guard
 *       never sees the same signature twice) with {@link Sig0Signer}, the SIG(0) last.
 *   <li>The answer's SIG(0) is verified against the receiver's KEYs found SECURE at the DSYNC
 *       target, exactly as {@link io.github.zonecut.keystate.KeyStateInquiryClient} does for
 *       KeyState answers ({@link Sig0Verifier#verifyResponse}, either response form, behind a
 *       replay guard). An unsigned or forged answer is never believed: the next try goes on, and
 *       if no authenticated answer comes the outcome is {@link UpdateOutcome.UnsignedAnswer} or
 *       {@link UpdateOutcome.ForgedAnswer}.
 *   <li>Without a receiver key nothing is sent ({@link UpdateOutcome.NoReceiverKey}).
 * </ul>
 *
 * <p>The returned stage never completes exceptionally for anything the network or the receiver
 * does; only a signing failure ({@link ZonecutException}) fails it. Thread-safe.
 */
public final class UpdateSender {

  static {
    // every zonecut entry point registers zonecut's record types with dnsjava, so that
    // text and wire parsing yield DSYNC/CSYNC/HSYNC records, not "invalid unknown RR encoding"
    ZonecutTypes.register();
  }

  private static final Logger LOG = LoggerFactory.getLogger(UpdateSender.class);

  private final DnsTransport transport;
  private final Delayer delayer;
  private final Sig0Signer signer;
  private final Sig0Config verifierConfig;
  private final Sig0ReplayGuard replayGuard;
  private final Codepoints codepoints;
  private final RetrySchedule schedule;
  private final boolean actOnUnsignedBadkey;

  private UpdateSender(Builder b) {
    this.transport = b.transport;
    this.delayer = b.delayer;
    this.signer = b.signer;
    this.verifierConfig = b.verifierConfig;
    this.replayGuard = b.replayGuard;
    this.codepoints = b.codepoints;
    this.schedule = b.schedule;
    this.actOnUnsignedBadkey = b.actOnUnsignedBadkey;
  }

  /**
   * A builder sending through {@code transport} and pausing with {@code delayer} (keystate's
   * scheduler port: tests inject one that completes at once).
   */
  public static Builder builder(DnsTransport transport, Delayer delayer) {
    return new Builder(transport, delayer);
  }

  /** The retry schedule in force. */
  public RetrySchedule schedule() {
    return schedule;
  }

  /**
   * Signs {@code unsigned} with {@code key} and sends it to {@code target}.
   *
   * @param unsigned an UPDATE from {@link UpdateBuilder} (rendered once here)
   * @param key the key to sign with: the child's trusted key, or the new key itself for a
   *     bootstrap
   */
  public CompletionStage<UpdateOutcome> send(UpdateTarget target, Message unsigned,
      Sig0KeyPair key) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(key, "key");
    if (target.receiverKeys().isEmpty()) {
      return CompletableFuture.completedFuture(new UpdateOutcome.NoReceiverKey(
          "no KEY found SECURE at " + target.receiver() + "; answers could not be"
              + " authenticated"));
    }
    byte[] wire = unsigned.toWire();
    Sig0Verifier verifier = Sig0Verifier.builder(
            Sig0KeyLookup.of(target.receiverKeys().toArray(new Sig0PublicKey[0])))
        .config(verifierConfig)
        .replayGuard(replayGuard)
        .build();
    return attempt(0, wire, key, target, verifier, new ArrayList<>(), null);
  }

  private CompletionStage<UpdateOutcome> attempt(int k, byte[] unsigned, Sig0KeyPair key,
      UpdateTarget target, Sig0Verifier verifier, List<String> problems,
      @Nullable UpdateOutcome rejected) {
    DnsEndpoint ep = target.endpoints().get(k % target.endpoints().size());
    Duration timeout = schedule.timeout(k);
    byte[] signed;
    DnsRequest request;
    try {
      signed = signer.sign(unsigned, key);
      request = DnsRequest.ofWire(signed);
    } catch (ZonecutException e) {
      return CompletableFuture.failedFuture(e);
    }
    return transport.exchange(ep, request, TransportProtocol.TCP, timeout)
        .handle((resp, err) -> {
          if (err != null) {
            Throwable cause = err instanceof CompletionException && err.getCause() != null
                ? err.getCause() : err;
            problems.add("try " + (k + 1) + " to " + ep + ": " + cause.getMessage());
            DnsTransportException t = DnsTransportException.find(cause);
            boolean timedOut = t != null && t.reason() == DnsTransportException.Reason.TIMEOUT;
            // a timeout already waited; anything faster waits before the next try
            return new Step(null, timedOut ? Duration.ZERO : timeout, rejected);
          }
          return judge(k, resp, signed, verifier, problems, timeout, rejected);
        })
        .thenCompose(step -> {
          if (step.result != null) {
            return CompletableFuture.completedFuture(step.result);
          }
          if (k + 1 >= schedule.maxTries()) {
            UpdateOutcome last = step.rejected;
            return CompletableFuture.completedFuture(last != null ? withProblems(last, problems)
                : new UpdateOutcome.NoAnswer(k + 1, problems));
          }
          CompletionStage<Void> pause = step.pause.isZero()
              ? CompletableFuture.completedFuture(null) : delayer.delay(step.pause);
          return pause.thenCompose(v -> attempt(k + 1, unsigned, key, target, verifier,
              problems, step.rejected));
        });
  }

  /** What one try produced: a final outcome, or a reason to go on after {@code pause}. */
  private record Step(@Nullable UpdateOutcome result, Duration pause,
      @Nullable UpdateOutcome rejected) {}

  private Step judge(int k, DnsResponse resp, byte[] query, Sig0Verifier verifier,
      List<String> problems, Duration timeout, @Nullable UpdateOutcome rejected) {
    DnsEndpoint ep = resp.from();
    Message m = resp.message();
    int rcode = m.getRcode();
    Sig0Outcome v = verifier.verifyResponse(resp.wire(), query);
    if (v instanceof Sig0Outcome.Unsigned && rcode == Rcode.BADKEY && actOnUnsignedBadkey) {
      // ddns §9.3, §11.3: a receiver cannot sign about a key it does not hold; believing an
      // unsigned BADKEY risks one needless self-signed re-bootstrap, never a change
      return new Step(new UpdateOutcome.UnknownKey(
          new UpdateOutcome.Reply(ep, rcode, extendedErrors(m)), false, false), Duration.ZERO,
          rejected);
    }
    if (v instanceof Sig0Outcome.Unsigned) {
      problems.add("try " + (k + 1) + " to " + ep + ": unsigned answer claiming "
          + Rcode.string(rcode) + " ignored");
      LOG.warn("UPDATE answer from {} is unsigned although the receiver publishes a KEY;"
          + " ignored", ep);
      return new Step(null, timeout, new UpdateOutcome.UnsignedAnswer(ep, rcode, List.of()));
    }
    if (!(v instanceof Sig0Outcome.Verified)) {
      problems.add("try " + (k + 1) + " to " + ep + ": answer not signed by the receiver's key: "
          + v);
      LOG.warn("UPDATE answer from {} failed SIG(0) verification ({}); ignored", ep,
          v.getClass().getSimpleName());
      return new Step(null, timeout, new UpdateOutcome.ForgedAnswer(ep, v.toString(), List.of()));
    }
    UpdateOutcome.Reply reply = new UpdateOutcome.Reply(ep, rcode, extendedErrors(m));
    return new Step(classify(reply), Duration.ZERO, rejected);
  }

  private UpdateOutcome classify(UpdateOutcome.Reply reply) {
    switch (reply.rcode()) {
      case Rcode.NOERROR:
        return new UpdateOutcome.Accepted(reply);
      case Rcode.REFUSED:
        return new UpdateOutcome.Refused(reply.firstError()
            .map(e -> RefusalReason.of(e.infoCode(), codepoints))
            .orElse(RefusalReason.POLICY), reply);
      case Rcode.BADKEY:
        return new UpdateOutcome.UnknownKey(reply, false, true);
      case Rcode.BADSIG:
        return new UpdateOutcome.BadSignature(reply);
      case Rcode.BADTIME:
        return new UpdateOutcome.BadTime(reply);
      default:
        return new UpdateOutcome.ErrorRcode(reply);
    }
  }

  private static List<UpdateOutcome.ExtendedError> extendedErrors(Message m) {
    OPTRecord opt = m.getOPT();
    List<UpdateOutcome.ExtendedError> out = new ArrayList<>();
    if (opt != null) {
      for (EDNSOption o : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
        if (o instanceof ExtendedErrorCodeOption) {
          ExtendedErrorCodeOption e = (ExtendedErrorCodeOption) o;
          String text = e.getText();
          out.add(new UpdateOutcome.ExtendedError(e.getErrorCode(), text == null ? "" : text));
        }
      }
    }
    return out;
  }

  private static UpdateOutcome withProblems(UpdateOutcome o, List<String> problems) {
    if (o instanceof UpdateOutcome.UnsignedAnswer) {
      UpdateOutcome.UnsignedAnswer u = (UpdateOutcome.UnsignedAnswer) o;
      return new UpdateOutcome.UnsignedAnswer(u.from(), u.claimedRcode(), problems);
    }
    if (o instanceof UpdateOutcome.ForgedAnswer) {
      UpdateOutcome.ForgedAnswer f = (UpdateOutcome.ForgedAnswer) o;
      return new UpdateOutcome.ForgedAnswer(f.from(), f.detail(), problems);
    }
    return o;
  }

  @Override
  public String toString() {
    return "UpdateSender[" + schedule + "]";
  }

  /** Settings of an {@link UpdateSender}. */
  public static final class Builder {
    private final DnsTransport transport;
    private final Delayer delayer;
    private Sig0Signer signer = Sig0Signer.create();
    private Sig0Config verifierConfig = Sig0Config.defaults();
    private Sig0ReplayGuard replayGuard = Sig0ReplayGuard.create();
    private Codepoints codepoints = Codepoints.DEFAULT;
    private RetrySchedule schedule = RetrySchedule.draftDefault();
    private boolean actOnUnsignedBadkey = true;

    private Builder(DnsTransport transport, Delayer delayer) {
      this.transport = Objects.requireNonNull(transport, "transport");
      this.delayer = Objects.requireNonNull(delayer, "delayer");
    }

    /**
     * Provider, clock and signing window for signing UPDATEs and verifying answers (default
     * {@link Sig0Config#defaults()}).
     */
    public Builder sig0Config(Sig0Config config) {
      Objects.requireNonNull(config, "config");
      this.signer = Sig0Signer.create(config);
      this.verifierConfig = config;
      return this;
    }

    /**
     * The replay guard behind answer verification (default: one per sender), so one signed answer
     * is believed once.
     */
    public Builder replayGuard(Sig0ReplayGuard guard) {
      this.replayGuard = Objects.requireNonNull(guard, "guard");
      return this;
    }

    /** The profile naming the ddns EDE codes (default {@link Codepoints#DEFAULT}). */
    public Builder codepoints(Codepoints codepoints) {
      this.codepoints = Objects.requireNonNull(codepoints, "codepoints");
      return this;
    }

    /**
     * The retry schedule (default {@link RetrySchedule#draftDefault()}).
     *
     * @throws IllegalArgumentException if it is outside the draft's guidance; see {@link
     *     #retryScheduleBelowDraftGuidance}
     */
    public Builder retrySchedule(RetrySchedule schedule) {
      this.schedule = schedule.requireWithinDraftGuidance();
      return this;
    }

    /**
     * A retry schedule that may wait less than the draft's 5 s or try more than 5 times: for test
     * harnesses and labs only.
     */
    public Builder retryScheduleBelowDraftGuidance(RetrySchedule schedule) {
      this.schedule = Objects.requireNonNull(schedule, "schedule");
      return this;
    }

    /**
     * Treats an unsigned BADKEY like any other unsigned answer ({@link
     * UpdateOutcome.UnsignedAnswer}) instead of {@link UpdateOutcome.UnknownKey} with {@code
     * authenticated} false: no re-bootstrap on an answer nobody signed, at the price of never
     * re-bootstrapping against a receiver that cannot sign BADKEY.
     */
    public Builder ignoreUnsignedBadkey() {
      this.actOnUnsignedBadkey = false;
      return this;
    }

    /** The sender. */
    public UpdateSender build() {
      return new UpdateSender(this);
    }
  }
}
