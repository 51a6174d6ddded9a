package io.github.zonecut.dsync;

import java.util.Objects;
import java.util.Optional;

/**
 * The two steps of a SIG(0) key roll with the parent (draft-ietf-dnsop-delegation-mgmt-via-ddns
 * §9.6): step 1 adds the new KEY, signed by the trusted old key; step 2, sent only after step 1
 * was accepted, deletes the old KEY, signed by the new key. A parent keeps trusting the old key
 * until it trusts the new one, so step 2 may come back REFUSED with KEY-KNOWN-NOT-TRUSTED: call
 * {@link DelegationAgent#rollKey} again later and it resumes at step 2.
 *
 * @param addNew step 1's result (empty when step 1 had been accepted before)
 * @param deleteOld step 2's result, if it was sent
 */
public record KeyRollResult(Optional<AgentResult> addNew, Optional<AgentResult> deleteOld) {
  /** Checks the fields. */
  public KeyRollResult {
    Objects.requireNonNull(addNew, "addNew");
    Objects.requireNonNull(deleteOld, "deleteOld");
  }

  /** Whether step 2 was accepted: the roll is complete at the parent. */
  public boolean isComplete() {
    return deleteOld.filter(r -> r instanceof AgentResult.Sent
        && ((AgentResult.Sent) r).outcome().isAccepted()).isPresent();
  }
}
