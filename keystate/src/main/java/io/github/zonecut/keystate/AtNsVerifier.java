package io.github.zonecut.keystate;

import io.github.zonecut.keystate.VerificationResult.Failed;
import io.github.zonecut.keystate.VerificationResult.Inconclusive;
import io.github.zonecut.keystate.VerificationResult.NotApplicable;
import io.github.zonecut.keystate.VerificationResult.Verified;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;

/**
 * {@code at-ns} (ddns §9.4.1, the RFC 9615 model): for every nameserver of the delegation outside
 * the child zone, {@code _sig0key.{child}._signal.{ns}.} KEY is validated SECURE and contains the
 * uploaded key, and all those RRsets are the same.
 *
 * <p>In-domain nameservers are skipped (their zone is the child's own, RFC 9615 §4.1); so are
 * nameservers whose signalling name would exceed 255 octets, and signalling names that are
 * provably INSECURE (an unsigned operator zone proves nothing). A BOGUS or disagreeing signalling
 * name fails the method; with no usable name left it does not apply.
 */
public final class AtNsVerifier implements BootstrapVerifier {
  private static final Name SIG0KEY = Name.fromConstantString("_sig0key");
  private static final Name SIGNAL = Name.fromConstantString("_signal");

  private final KeyLookup validated;

  /** @param validated a DNSSEC-validating lookup ({@link KeyLookup#validating}) */
  public AtNsVerifier(KeyLookup validated) {
    this.validated = Objects.requireNonNull(validated, "validated");
  }

  @Override
  public BootstrapMethod method() {
    return BootstrapMethod.AT_NS;
  }

  /**
   * The signalling name {@code _sig0key.{child}._signal.{ns}.}, or empty when it would be longer
   * than 255 octets (RFC 9615 §4.1 notes the same limit).
   */
  public static Optional<Name> signalName(Name child, Name nameserver) {
    try {
      Name relChild = child.relativize(Name.root);
      Name inner = Name.concatenate(SIG0KEY, Name.concatenate(relChild, SIGNAL));
      return Optional.of(Name.concatenate(inner, nameserver));
    } catch (NameTooLongException e) {
      return Optional.empty();
    }
  }

  @Override
  public CompletionStage<VerificationResult> verify(VerificationRequest request) {
    KeyIdentity key = request.key();
    Name child = key.owner();
    List<String> skipped = new ArrayList<>();
    List<CompletableFuture<KeyAnswer>> asks = new ArrayList<>();
    for (Name ns : request.nameservers()) {
      if (ns.subdomain(child)) {
        skipped.add(ns + " is inside the child");
        continue;
      }
      Optional<Name> signal = signalName(child, ns);
      if (signal.isEmpty()) {
        skipped.add(ns + ": signalling name longer than 255 octets");
        continue;
      }
      asks.add(validated.keys(signal.get()).toCompletableFuture());
    }
    if (asks.isEmpty()) {
      return CompletableFuture.completedFuture(new NotApplicable(
          "no nameserver outside the child to signal through (" + String.join("; ", skipped)
              + ")"));
    }
    return CompletableFuture.allOf(asks.toArray(new CompletableFuture<?>[0]))
        .thenApply(v -> judge(key, asks.stream().map(CompletableFuture::join).toList(),
            skipped));
  }

  private static VerificationResult judge(KeyIdentity key, List<KeyAnswer> answers,
      List<String> skipped) {
    @Nullable Set<KeyIdentity> agreed = null;
    List<Name> used = new ArrayList<>();
    for (KeyAnswer a : answers) {
      switch (a.security()) {
        case BOGUS:
          return new Failed(a.name() + " is BOGUS: " + a.detail());
        case FAILED:
          return new Inconclusive(a.name() + ": " + a.detail());
        case INSECURE:
        case UNVALIDATED:
          skipped.add(a.name() + " is not DNSSEC-signed");
          continue;
        default:
          break;
      }
      // the signalling name owns a copy of the child's key: compare algorithm and key octets
      Set<KeyIdentity> set = new HashSet<>();
      for (KEYRecord k : a.keys()) {
        set.add(new KeyIdentity(key.owner(), k.getAlgorithm(), k.getKey()));
      }
      if (!set.contains(key)) {
        return new Failed("the SECURE KEY RRset at " + a.name()
            + " does not contain the uploaded key");
      }
      if (agreed != null && !agreed.equals(set)) {
        return new Failed("signalling names disagree: " + used.get(0) + " and " + a.name());
      }
      agreed = set;
      used.add(a.name());
    }
    if (used.isEmpty()) {
      return new NotApplicable("no SECURE signalling name (" + String.join("; ", skipped) + ")");
    }
    return new Verified("KEY SECURE and identical at " + used
        + (skipped.isEmpty() ? "" : "; skipped " + skipped));
  }
}
