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

  /**
   * Forgets everything this lookup has cached (a {@link ValidatingLookup}'s validated keys), so
   * that later lookups see the DNS as it is now. A lookup without a cache ({@link DirectLookup})
   * does nothing.
   */
  default void flush() {}

  /**
   * Forgets what this lookup has cached for {@code zone} and the zones at or below it (names
   * compared label-wise), for instance after the DS of {@code zone} changed at its parent. May
   * forget more (see {@link ValidatingLookup#flush(Name)}); a lookup without a cache does nothing.
   *
   * @param zone an absolute zone name
   */
  default void flush(Name zone) {}
}
