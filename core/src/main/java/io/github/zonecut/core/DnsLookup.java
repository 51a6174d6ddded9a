package io.github.zonecut.core;

import java.util.concurrent.CompletionStage;
import org.xbill.DNS.Name;

/**
 * The port through which zonecut asks the DNS one question. Implementations: {@link
 * ValidatingLookup} (DNSSEC-validated, through a recursive resolver) and {@link DirectLookup} (one
 * authoritative server, no validation); tests use a function from question to result.
 *
 * <p>The stage never completes exceptionally for anything the network or a server may do: every
 * such outcome is a {@link LookupResult} case.
 */
@FunctionalInterface
public interface DnsLookup {
  /**
   * Looks up the records of {@code type} at {@code name} (class IN).
   *
   * @param name an absolute name
   * @param type an RR type code ({@link org.xbill.DNS.Type})
   */
  CompletionStage<LookupResult> lookup(Name name, int type);
}
