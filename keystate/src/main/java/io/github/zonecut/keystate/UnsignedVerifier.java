package io.github.zonecut.keystate;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.keystate.VerificationResult.Failed;
import io.github.zonecut.keystate.VerificationResult.Inconclusive;
import io.github.zonecut.keystate.VerificationResult.NotApplicable;
import io.github.zonecut.keystate.VerificationResult.Pending;
import io.github.zonecut.keystate.VerificationResult.Verified;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.KEYRecord;

/**
 * {@code unsigned} (ddns §9.4.1, the RFC 8078 acceptance approach): the child's KEY RRset asked
 * directly of every authoritative server of the child over TCP, in {@link
 * VerificationPolicy#unsignedRounds()} rounds {@link VerificationPolicy#unsignedInterval()} apart;
 * every answer in every round must be the same RRset and contain the uploaded key.
 *
 * <p>One call is one round. Progress (rounds done, a digest of the RRset seen, when the next
 * round is due) is returned as {@link Pending} for the caller to persist ({@link
 * TrustRegistry#recordProgress}), so a restarted parent resumes the count. A server that does not
 * answer makes the round {@link Inconclusive} (it does not count); a server that answers
 * differently, or an RRset that changes between rounds, fails the method.
 */
public final class UnsignedVerifier implements BootstrapVerifier {
  private final Function<DnsEndpoint, KeyLookup> direct;
  private final VerificationPolicy policy;
  private final Clock clock;

  /**
   * @param direct a direct, TCP lookup at one server ({@link KeyLookup#direct})
   * @param policy the number of rounds and their interval
   * @param clock stamps when the next round is due
   */
  public UnsignedVerifier(Function<DnsEndpoint, KeyLookup> direct, VerificationPolicy policy,
      Clock clock) {
    this.direct = Objects.requireNonNull(direct, "direct");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public BootstrapMethod method() {
    return BootstrapMethod.UNSIGNED;
  }

  @Override
  public CompletionStage<VerificationResult> verify(VerificationRequest request) {
    if (request.childServers().isEmpty()) {
      return CompletableFuture.completedFuture(
          new NotApplicable("no authoritative server address for " + request.key().owner()));
    }
    List<CompletableFuture<KeyAnswer>> asks = new ArrayList<>();
    for (DnsEndpoint server : request.childServers()) {
      asks.add(direct.apply(server).keys(request.key().owner()).toCompletableFuture());
    }
    return CompletableFuture.allOf(asks.toArray(new CompletableFuture<?>[0]))
        .thenApply(v -> judge(request, asks.stream().map(CompletableFuture::join).toList()));
  }

  private VerificationResult judge(VerificationRequest request, List<KeyAnswer> answers) {
    KeyIdentity key = request.key();
    @Nullable String seen = null;
    for (int i = 0; i < answers.size(); i++) {
      KeyAnswer a = answers.get(i);
      DnsEndpoint server = request.childServers().get(i);
      if (a.security() == KeyAnswer.Security.FAILED || a.security() == KeyAnswer.Security.BOGUS) {
        return new Inconclusive(server + ": " + a.detail());
      }
      if (!a.contains(key)) {
        return new Failed(server + " serves a KEY RRset without the uploaded key");
      }
      String digest = digest(a.keys());
      if (seen != null && !seen.equals(digest)) {
        return new Failed("the child's servers serve different KEY RRsets (" + server + ")");
      }
      seen = digest;
    }
    VerificationProgress before = request.progress();
    if (before != null && !before.observation().equals(seen)) {
      return new Failed("the KEY RRset changed between rounds");
    }
    int rounds = (before == null ? 0 : before.roundsDone()) + 1;
    if (rounds >= policy.unsignedRounds()) {
      return new Verified(rounds + " identical rounds from " + answers.size()
          + " servers over TCP");
    }
    return new Pending(new VerificationProgress(rounds, Objects.requireNonNull(seen),
        clock.instant().plus(policy.unsignedInterval())));
  }

  /** A digest of the RRset's keys, independent of order, TTL and owner case. */
  private static String digest(List<KEYRecord> keys) {
    TreeSet<String> parts = new TreeSet<>();
    for (KEYRecord k : keys) {
      parts.add(k.getFlags() + "/" + k.getAlgorithm() + "/"
          + java.util.Base64.getEncoder().encodeToString(k.getKey()));
    }
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return "sha256:" + HexFormat.of().formatHex(
          md.digest(String.join("\n", parts).getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory in every JRE", e);
    }
  }
}
