package io.github.zonecut.keystate;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.Codepoints.KeyStateTable;
import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsRequest;
import io.github.zonecut.core.DnsResponse;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.core.DnsTransportException;
import io.github.zonecut.core.MalformedDataException;
import io.github.zonecut.core.TransportProtocol;
import io.github.zonecut.core.ZonecutException;
import io.github.zonecut.core.ZonecutTypes;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The child side of the KeyState inquiry (draft-berra-dnsop-keystate; ddns §9.3, §9.4.2): asks
 * the UPDATE receiver for the state of one of the child's keys, and believes only an answer
 * SIG(0)-signed by the receiver's key.
 *
 * <p>The inquiry is a QUERY for the child's name (QTYPE KEY in -03, ANY in -02) carrying the
 * KeyState option with code 2 and the key's tag, SIG(0)-signed by that key, sent over TCP to the
 * addresses of the DSYNC UPDATE target in turn. A try that gets no answer is retried with
 * exponential backoff: the first try waits 5 s (ddns §8: at least 5 s before declaring a
 * timeout), each next one twice as long, at most 5 tries by default. Unsigned answers, answers
 * whose signature does not verify against the receiver's KEY, and signed answers about another
 * key are rejected and reported; the next address is tried. When every address has sent an
 * unsigned refusal without a key state (what a receiver answers an inquiry it could not
 * authenticate, e.g. BADKEY for a key it does not hold), the result is {@link
 * InquiryResult.Unauthenticated}.
 *
 * <p>The receiver's keys must come from a DNSSEC-validated (SECURE) lookup of the KEY RRset at
 * the DSYNC target name, or from a manual bootstrap (ddns §9.3); without one the inquiry is not
 * sent ({@link InquiryResult.NoReceiverKey}).
 */
public final class KeyStateInquiryClient {

  static {
    // every zonecut entry point registers zonecut's record types with dnsjava, so that
    // text and wire parsing yield DSYNC/CSYNC/HSYNC records, not "invalid unknown RR encoding"
    ZonecutTypes.register();
  }

  private final DnsTransport transport;
  private final Sig0Signer signer;
  private final Sig0Config verifierConfig;
  private final Codepoints codepoints;
  private final Delayer delayer;
  private final Duration initialTimeout;
  private final Duration maxTimeout;
  private final int maxTries;
  // One for the client's life (verifiers are built per inquiry): a request-style answer is not
  // bound to the query, so a captured signed answer could otherwise be replayed.
  private final Sig0ReplayGuard answerGuard = Sig0ReplayGuard.create();

  private KeyStateInquiryClient(Builder b) {
    this.transport = b.transport;
    this.signer = b.signer;
    this.verifierConfig = b.verifierConfig;
    this.codepoints = b.codepoints;
    this.delayer = b.delayer;
    this.initialTimeout = b.initialTimeout;
    this.maxTimeout = b.maxTimeout;
    this.maxTries = b.maxTries;
  }

  /**
   * A builder sending through {@code transport} and waiting with {@code delayer} between tries
   * that failed at once.
   */
  public static Builder builder(DnsTransport transport, Delayer delayer) {
    return new Builder(transport, delayer);
  }

  /**
   * Where the inquiry goes: the DSYNC UPDATE target, its addresses and its SIG(0) keys.
   *
   * @param receiver the DSYNC target name (owner of the receiver's KEY)
   * @param addresses its addresses with the DSYNC port, tried in order; at least one
   * @param receiverKeys its KEYs, found SECURE at {@code receiver}; others are dropped
   */
  public record Target(Name receiver, List<DnsEndpoint> addresses,
      List<Sig0PublicKey> receiverKeys) {
    /** Checks and copies the fields; keys owned by another name are dropped. */
    public Target {
      Objects.requireNonNull(receiver, "receiver");
      addresses = List.copyOf(addresses);
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException("no receiver address");
      }
      receiverKeys = receiverKeys.stream().filter(k -> k.owner().equals(receiver)).toList();
    }
  }

  /**
   * The receiver's SIG(0) keys published at the DSYNC target {@code receiver} (ddns §9.3): the
   * KEY RRset if the validated lookup finds it SECURE, else nothing (an insecure, bogus or
   * missing KEY authenticates nothing).
   */
  public static CompletionStage<List<Sig0PublicKey>> receiverKeys(KeyLookup validated,
      Name receiver) {
    return validated.keys(receiver).thenApply(a -> {
      if (a.security() != KeyAnswer.Security.SECURE) {
        return List.<Sig0PublicKey>of();
      }
      List<Sig0PublicKey> keys = new ArrayList<>();
      for (org.xbill.DNS.KEYRecord k : a.keys()) {
        try {
          keys.add(Sig0PublicKey.fromKeyRecord(k));
        } catch (IllegalArgumentException e) {
          // a KEY this library cannot use (protocol, algorithm) authenticates nothing
        }
      }
      return List.copyOf(keys);
    });
  }

  /**
   * Asks for the state of {@code childKey} (its owner is the child).
   *
   * @return a stage that completes with the result; exceptionally only with a {@link
   *     ZonecutException} when the inquiry cannot be signed
   */
  public CompletionStage<InquiryResult> inquire(Sig0KeyPair childKey, Target target) {
    if (target.receiverKeys().isEmpty()) {
      return CompletableFuture.completedFuture(
          new InquiryResult.NoReceiverKey(target.receiver()));
    }
    Sig0Verifier verifier = Sig0Verifier.builder(
            Sig0KeyLookup.of(target.receiverKeys().toArray(new Sig0PublicKey[0])))
        .config(verifierConfig).replayGuard(answerGuard).build();
    return attempt(0, childKey, target, verifier, new ArrayList<>(), false, null, 0);
  }

  private CompletionStage<InquiryResult> attempt(int k, Sig0KeyPair childKey, Target target,
      Sig0Verifier verifier, List<String> problems, boolean sawAnswer,
      InquiryResult.@Nullable Unauthenticated unsigned, int unsignedCount) {
    DnsEndpoint ep = target.addresses().get(k % target.addresses().size());
    Duration timeout = backoff(k);
    byte[] query;
    DnsRequest request;
    try {
      query = signer.sign(inquiry(childKey), childKey);
      request = DnsRequest.ofWire(query);
    } catch (ZonecutException e) {
      return CompletableFuture.failedFuture(e);
    }
    int keyTag = childKey.publicKey().keyTag();
    return transport.exchange(ep, request, TransportProtocol.TCP, timeout)
        .handle((resp, err) -> {
          if (err != null) {
            Throwable cause = err instanceof CompletionException && err.getCause() != null
                ? err.getCause() : err;
            problems.add(ep + ": " + cause.getMessage());
            boolean timedOut = cause instanceof DnsTransportException t
                && t.reason() == DnsTransportException.Reason.TIMEOUT;
            return new Step(null, timedOut ? Duration.ZERO : timeout, false, null);
          }
          return judge(resp, query, keyTag, verifier, problems);
        })
        .thenCompose(step -> {
          if (step.result != null) {
            return CompletableFuture.completedFuture(step.result);
          }
          boolean answered = sawAnswer || step.answered;
          InquiryResult.Unauthenticated lastUnsigned =
              step.unsigned != null ? step.unsigned : unsigned;
          int unsignedSeen = unsignedCount + (step.unsigned != null ? 1 : 0);
          if (lastUnsigned != null && unsignedSeen >= target.addresses().size()) {
            // As many unsigned refusals as addresses: asking again would get the same.
            return CompletableFuture.completedFuture(lastUnsigned);
          }
          if (k + 1 >= maxTries) {
            return CompletableFuture.completedFuture(lastUnsigned != null ? lastUnsigned
                : answered ? new InquiryResult.Rejected(problems)
                : new InquiryResult.Unreachable(problems));
          }
          CompletionStage<Void> wait = step.pause.isZero()
              ? CompletableFuture.completedFuture(null) : delayer.delay(step.pause);
          return wait.thenCompose(v -> attempt(k + 1, childKey, target, verifier, problems,
              answered, lastUnsigned, unsignedSeen));
        });
  }

  /** What one try produced: a final result, or a reason to go on (after {@code pause}). */
  private record Step(@Nullable InquiryResult result, Duration pause, boolean answered,
      InquiryResult.@Nullable Unauthenticated unsigned) {}

  private Step judge(DnsResponse resp, byte[] query, int keyTag, Sig0Verifier verifier,
      List<String> problems) {
    DnsEndpoint ep = resp.from();
    Sig0Outcome outcome = verifier.verifyResponse(resp.wire(), query);
    Message m = resp.message();
    if (outcome instanceof Sig0Outcome.Unsigned && m.getRcode() != 0) {
      boolean hasState;
      try {
        hasState = KeyStateOption.find(m, codepoints).isPresent();
      } catch (MalformedDataException e) {
        hasState = true;
      }
      if (!hasState) {
        problems.add(ep + ": unsigned refusal " + org.xbill.DNS.Rcode.string(m.getRcode())
            + " (the receiver could not authenticate the inquiry, or a forgery)");
        return new Step(null, Duration.ZERO, true,
            new InquiryResult.Unauthenticated(m.getRcode(), ep));
      }
    }
    if (!(outcome instanceof Sig0Outcome.Verified)) {
      problems.add(ep + ": answer rejected, not signed by the receiver's key: " + outcome);
      return new Step(null, Duration.ZERO, true, null);
    }
    Optional<KeyStateOption> option;
    try {
      option = KeyStateOption.find(m, codepoints);
    } catch (MalformedDataException e) {
      problems.add(ep + ": signed answer with a malformed KeyState option: " + e.getMessage());
      return new Step(null, Duration.ZERO, true, null);
    }
    if (option.isEmpty()) {
      return new Step(new InquiryResult.NoKeyState(m.getRcode(), ep), Duration.ZERO, true, null);
    }
    if (option.get().keyId() != keyTag) {
      problems.add(ep + ": signed answer about key " + option.get().keyId() + ", asked about "
          + keyTag);
      return new Step(null, Duration.ZERO, true, null);
    }
    return new Step(new InquiryResult.Answered(option.get(), m.getRcode(), ep), Duration.ZERO,
        true, null);
  }

  private Duration backoff(int k) {
    Duration d = initialTimeout.multipliedBy(1L << Math.min(k, 20));
    return d.compareTo(maxTimeout) > 0 ? maxTimeout : d;
  }

  /** The unsigned inquiry message for {@code childKey}. */
  Message inquiry(Sig0KeyPair childKey) {
    Name child = childKey.publicKey().owner();
    int qtype = codepoints.keyStateTable() == KeyStateTable.DRAFT_02 ? Type.ANY : Type.KEY;
    Message q = Message.newQuery(Record.newRecord(child, qtype, DClass.IN));
    q.getHeader().unsetFlag(org.xbill.DNS.Flags.RD);
    q.addRecord(new OPTRecord(1232, 0, 0, 0,
        KeyStateOption.inquiry(childKey.publicKey().keyTag()).toEdnsOption(codepoints)),
        Section.ADDITIONAL);
    return q;
  }

  /** Builds a {@link KeyStateInquiryClient}. */
  public static final class Builder {
    private final DnsTransport transport;
    private final Delayer delayer;
    private Sig0Signer signer = Sig0Signer.create();
    private Sig0Config verifierConfig = Sig0Config.defaults();
    private Codepoints codepoints = Codepoints.DEFAULT;
    private Duration initialTimeout = Duration.ofSeconds(5);
    private Duration maxTimeout = Duration.ofSeconds(80);
    private int maxTries = 5;

    private Builder(DnsTransport transport, Delayer delayer) {
      this.transport = Objects.requireNonNull(transport, "transport");
      this.delayer = Objects.requireNonNull(delayer, "delayer");
    }

    /** Signs inquiries; default {@link Sig0Signer#create()}. */
    public Builder signer(Sig0Signer signer) {
      this.signer = Objects.requireNonNull(signer, "signer");
      return this;
    }

    /** Clock, skew and provider for verifying answers; default {@link Sig0Config#defaults()}. */
    public Builder verifierConfig(Sig0Config config) {
      this.verifierConfig = Objects.requireNonNull(config, "config");
      return this;
    }

    /** Option code and code table (QTYPE KEY for -03, ANY for -02). */
    public Builder codepoints(Codepoints codepoints) {
      this.codepoints = Objects.requireNonNull(codepoints, "codepoints");
      return this;
    }

    /**
     * The first try's timeout (at least 5 s, ddns §8) and the cap of the doubling.
     *
     * @throws IllegalArgumentException when {@code initial} is under 5 s or above {@code max};
     *     test harnesses that need shorter ones say so with {@link
     *     #timeoutsBelowDraftGuidance(Duration, Duration)}
     */
    public Builder timeouts(Duration initial, Duration max) {
      if (initial.compareTo(Duration.ofSeconds(5)) < 0 || initial.compareTo(max) > 0) {
        throw new IllegalArgumentException("initial timeout must be 5 s..max: " + initial);
      }
      this.initialTimeout = initial;
      this.maxTimeout = max;
      return this;
    }

    /**
     * Timeouts shorter than the draft's 5 s minimum (ddns §8), for test harnesses and labs on
     * loopback, where a silent receiver would otherwise cost minutes per inquiry. Not for use
     * against real parents: a parent under load may answer after a short timeout has given up.
     *
     * @param initial the first try's timeout, at least 1 ms
     * @param max the cap of the doubling, at least {@code initial}
     * @throws IllegalArgumentException when {@code initial} is under 1 ms or above {@code max}
     */
    public Builder timeoutsBelowDraftGuidance(Duration initial, Duration max) {
      if (initial.compareTo(Duration.ofMillis(1)) < 0 || initial.compareTo(max) > 0) {
        throw new IllegalArgumentException("initial timeout must be 1 ms..max: " + initial);
      }
      this.initialTimeout = initial;
      this.maxTimeout = max;
      return this;
    }

    /** How many tries in all, 1–10 (ddns §8: at most 5 retries). */
    public Builder maxTries(int tries) {
      if (tries < 1 || tries > 10) {
        throw new IllegalArgumentException("tries must be 1..10: " + tries);
      }
      this.maxTries = tries;
      return this;
    }

    /** Builds the client. */
    public KeyStateInquiryClient build() {
      return new KeyStateInquiryClient(this);
    }
  }
}
