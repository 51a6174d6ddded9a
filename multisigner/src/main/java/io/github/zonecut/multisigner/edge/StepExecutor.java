package io.github.zonecut.multisigner.edge;

import io.github.zonecut.multisigner.Step;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Name;

/**
 * Applies planned steps to signers: the port a host implements for a provider's REST API, or uses
 * the DNS UPDATE executor for signers that take DNS UPDATE with TSIG. Implementations must be
 * idempotent (a step states the desired result, so applying it twice changes nothing) and must
 * report failures as a {@link StepResult}, not as an exceptional completion.
 */
@FunctionalInterface
public interface StepExecutor {

  /** Applies {@code step} for {@code zone} to the step's signer. */
  CompletionStage<StepResult> execute(Name zone, Step step);
}
