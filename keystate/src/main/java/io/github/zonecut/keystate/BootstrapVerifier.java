package io.github.zonecut.keystate;

import java.util.concurrent.CompletionStage;

/**
 * One automatic bootstrap method of ddns §9.4.1: checks an uploaded key against the DNS. The
 * stage never completes exceptionally for anything the DNS does; such outcomes are {@link
 * VerificationResult} cases. The {@code manual} method is not a verifier: it is {@link
 * TrustRegistry#approve}.
 */
public interface BootstrapVerifier {

  /** The method this verifier implements. */
  BootstrapMethod method();

  /** Checks {@code request.key()}; multi-round methods do one round per call. */
  CompletionStage<VerificationResult> verify(VerificationRequest request);
}
