package io.github.zonecut.keystate;

import java.util.Objects;

/** What a {@link BootstrapVerifier} concluded; callers switch over the cases. */
public sealed interface VerificationResult {

  /** The key is validated by this method; {@code evidence} goes into the audit trail. */
  record Verified(String evidence) implements VerificationResult {
    /** Checks the field. */
    public Verified {
      Objects.requireNonNull(evidence, "evidence");
    }
  }

  /** The method ran and the key failed it (bogus, absent, different, divergent). */
  record Failed(String reason) implements VerificationResult {
    /** Checks the field. */
    public Failed {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The method's preconditions do not hold (the child is unsigned for at-apex; no usable
   * out-of-domain nameserver for at-ns): another method may apply.
   */
  record NotApplicable(String reason) implements VerificationResult {
    /** Checks the field. */
    public NotApplicable {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** No conclusion now (a server did not answer); try again later. */
  record Inconclusive(String reason) implements VerificationResult {
    /** Checks the field. */
    public Inconclusive {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** A round passed and more are needed; record {@code progress} and come back when it says. */
  record Pending(VerificationProgress progress) implements VerificationResult {
    /** Checks the field. */
    public Pending {
      Objects.requireNonNull(progress, "progress");
    }
  }
}
