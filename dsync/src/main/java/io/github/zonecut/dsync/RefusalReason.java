package io.github.zonecut.dsync;

import io.github.zonecut.core.Codepoints;

/**
 * Why an UPDATE receiver answered REFUSED, from its Extended DNS Error
 * (draft-ietf-dnsop-delegation-mgmt-via-ddns §8, §12.4), and what the child does about it.
 */
public enum RefusalReason {
  /** KEY-KNOWN-NOT-TRUSTED: the key is known, its validation is not complete. Wait, then retry. */
  KEY_KNOWN_NOT_TRUSTED,
  /**
   * KEY-VALIDATION-FAILED: waiting will not help. Fix the KEY publication the bootstrap method
   * needs (apex or {@code _sig0key} signal name), then re-bootstrap.
   */
  KEY_VALIDATION_FAILED,
  /** MANUAL-BOOTSTRAP-REQUIRED: the parent takes keys only out of band. */
  MANUAL_BOOTSTRAP_REQUIRED,
  /**
   * Any other refusal (no EDE, or another code: policy, rate limit). Not permanent after one
   * answer (ddns §8: "SHOULD NOT treat a single REFUSED as permanent").
   */
  POLICY;

  /** The reason an EDE INFO-CODE stands for in {@code codepoints}; {@link #POLICY} otherwise. */
  public static RefusalReason of(int infoCode, Codepoints codepoints) {
    if (infoCode == codepoints.edeKeyKnownNotTrusted()) {
      return KEY_KNOWN_NOT_TRUSTED;
    }
    if (infoCode == codepoints.edeKeyValidationFailed()) {
      return KEY_VALIDATION_FAILED;
    }
    if (infoCode == codepoints.edeManualBootstrapRequired()) {
      return MANUAL_BOOTSTRAP_REQUIRED;
    }
    return POLICY;
  }
}
