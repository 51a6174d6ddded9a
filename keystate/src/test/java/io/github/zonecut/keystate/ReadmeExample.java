package io.github.zonecut.keystate;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsLookup;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0Outcome;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0ReplayGuard;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/** The README's keystate snippet, kept compiling (not run). */
final class ReadmeExample {
  private ReadmeExample() {}

  static void parent(Message update, Name child, Sig0Outcome verified, DnsLookup validating,
      List<Name> nameservers, List<DnsEndpoint> servers, Sig0KeyPair receiverKey,
      byte[] received, InetAddress source, Executor executor) throws Exception {
    // --- README: parent ---
    TrustRegistry registry = new TrustRegistry(new InMemoryTrustStore(),
        RegistryPolicy.of(VerificationPolicy.of(BootstrapMethod.AT_APEX, BootstrapMethod.MANUAL)),
        Clock.systemUTC());

    // the UPDATE receiver verified the self-signed bootstrap UPDATE's SIG(0) first
    KeyIdentity verifiedSigner = KeyIdentity.of(((Sig0Outcome.Verified) verified).key());
    RegistryOutcome outcome = registry.upload(
        UploadEvidence.fromUpdate(update, child, verifiedSigner, Instant.now()), "192.0.2.7");

    BootstrapCoordinator coordinator = new BootstrapCoordinator(registry,
        List.of(new AtApexVerifier(KeyLookup.of(validating))), Delayer.using(executor),
        Clock.systemUTC());
    KeyEntry entry = coordinator.bootstrap(verifiedSigner,
        new BootstrapCoordinator.Delegation(nameservers, servers)).toCompletableFuture().join();
    // entry.state(): TRUSTED, VALIDATION_FAILED or MANUAL_REQUIRED (then registry.approve(...))

    KeyStateResponder responder = KeyStateResponder.builder(registry, receiverKey).build();
    Optional<byte[]> answer = responder.respond(received, source); // signed, or nothing
    // --- end ---
    if (outcome == null || entry == null || answer == null) {
      throw new AssertionError();
    }
  }

  static void mutualAuthentication(TrustRegistry registry, Sig0KeyPair receiverKey,
      Sig0ReplayGuard updateReceiversGuard, Clock clock, byte[] received, InetAddress source,
      InquiryResult result) {
    // --- README: mutual authentication ---
    KeyStateResponder responder = KeyStateResponder.builder(registry, receiverKey)
        .requireSignedInquiries(true)        // the default: unsigned inquiries get REFUSED
        .replayGuard(updateReceiversGuard)   // optional: one guard for UPDATEs and inquiries
        .clock(clock)                        // rate limits and the SIG(0) validity window
        .build();
    Optional<byte[]> answer = responder.respond(received, source);

    // child side: the parent signs only answers to inquiries it verified; an inquiry by a key
    // it does not hold gets an unsigned BADKEY, reported as Unauthenticated
    if (result instanceof InquiryResult.Unauthenticated u && u.rcode() == Rcode.BADKEY) {
      // the parent holds no key with this tag for the child: upload it (self-signed UPDATE)
    }
    // --- end ---
    if (answer == null) {
      throw new AssertionError();
    }
  }

  static void child(DnsTransport transport, DnsLookup validating, Name target,
      List<DnsEndpoint> addresses, Sig0KeyPair childKey, Executor executor) {
    // --- README: child ---
    List<Sig0PublicKey> receiverKeys = KeyStateInquiryClient
        .receiverKeys(KeyLookup.of(validating), target).toCompletableFuture().join();
    InquiryResult result = KeyStateInquiryClient.builder(transport, Delayer.using(executor))
        .build()
        .inquire(childKey, new KeyStateInquiryClient.Target(target, addresses, receiverKeys))
        .toCompletableFuture().join();
    if (result instanceof InquiryResult.Answered a) {
      System.out.println(a.option().describe(io.github.zonecut.core.Codepoints.KeyStateTable
          .DRAFT_03));
    }
    // --- end ---
  }
}
