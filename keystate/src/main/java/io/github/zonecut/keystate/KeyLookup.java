package io.github.zonecut.keystate;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.DnsTransport;
import io.github.zonecut.keystate.internal.KeyLookups;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.xbill.DNS.Name;
import org.xbill.DNS.Resolver;

/**
 * The bootstrap verifiers' port to the DNS: the KEY RRset at a name and how far it can be
 * believed. The stage never completes exceptionally for anything the network or a server does;
 * those are {@link KeyAnswer.Security#FAILED} answers.
 */
@FunctionalInterface
public interface KeyLookup {

  /** The KEY RRset at {@code name} (class IN). */
  CompletionStage<KeyAnswer> keys(Name name);

  /**
   * Validated lookups through a DNSSEC-validating dnsjava resolver (for example {@code
   * org.xbill.DNS.dnssec.ValidatingResolver} over a recursive resolver): SECURE when the answer
   * has AD, BOGUS when the validator answers SERVFAIL, INSECURE otherwise.
   *
   * @param executor runs the resolver's completion (never the common pool, dnsjava #211)
   */
  static KeyLookup validating(Resolver validatingResolver, Executor executor) {
    return KeyLookups.validating(validatingResolver, executor);
  }

  /**
   * Direct lookups at one authoritative server over TCP, never validated ({@link
   * KeyAnswer.Security#UNVALIDATED}); only authoritative (AA) answers count.
   */
  static KeyLookup direct(DnsTransport transport, DnsEndpoint server, Duration timeout) {
    return KeyLookups.direct(transport, server, timeout);
  }
}
