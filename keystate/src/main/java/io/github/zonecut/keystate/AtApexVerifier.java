package io.github.zonecut.keystate;

import io.github.zonecut.keystate.VerificationResult.Failed;
import io.github.zonecut.keystate.VerificationResult.Inconclusive;
import io.github.zonecut.keystate.VerificationResult.NotApplicable;
import io.github.zonecut.keystate.VerificationResult.Verified;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * {@code at-apex} (ddns §9.4.1): the child's KEY RRset at its apex, DNSSEC-validated SECURE,
 * contains the uploaded key. An unsigned child is not applicable; a bogus answer fails.
 */
public final class AtApexVerifier implements BootstrapVerifier {
  private final KeyLookup validated;

  /** @param validated a DNSSEC-validating lookup ({@link KeyLookup#validating}) */
  public AtApexVerifier(KeyLookup validated) {
    this.validated = Objects.requireNonNull(validated, "validated");
  }

  @Override
  public BootstrapMethod method() {
    return BootstrapMethod.AT_APEX;
  }

  @Override
  public CompletionStage<VerificationResult> verify(VerificationRequest request) {
    KeyIdentity key = request.key();
    return validated.keys(key.owner()).thenApply(a -> {
      switch (a.security()) {
        case SECURE:
          return a.contains(key)
              ? new Verified("KEY at " + key.owner() + " is SECURE and contains the key")
              : new Failed("the SECURE KEY RRset at " + key.owner()
                  + " does not contain the uploaded key");
        case INSECURE:
        case UNVALIDATED:
          return new NotApplicable("the KEY RRset at " + key.owner() + " is not DNSSEC-signed");
        case BOGUS:
          return new Failed("the KEY RRset at " + key.owner() + " is BOGUS: " + a.detail());
        default:
          return new Inconclusive("KEY lookup at " + key.owner() + " failed: " + a.detail());
      }
    });
  }
}
