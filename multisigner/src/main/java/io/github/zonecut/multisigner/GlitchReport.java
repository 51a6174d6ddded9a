package io.github.zonecut.multisigner;

import java.time.Instant;
import java.util.Objects;

/** The verdict of {@link GlitchChecker}. */
public sealed interface GlitchReport {

  /** Whether no cache combination failed. */
  default boolean glitchFree() {
    return this instanceof Clean;
  }

  /**
   * Every TTL-consistent cache combination validated.
   *
   * @param states how many states the timeline had
   * @param combinations how many distinct (DS, DNSKEY, RRSIG) combinations were checked
   */
  record Clean(int states, long combinations) implements GlitchReport {}

  /**
   * The first failing combination: a resolver holding these three RRset versions at {@code at}
   * cannot validate the zone's data.
   *
   * @param at the first instant at which the three versions can be cached together
   * @param stateIndex the timeline index of the state beginning at {@code at}
   * @param ds which DS RRset version (parent server and the state it was served in)
   * @param dnskey which DNSKEY RRset version (signer and state)
   * @param data which signed-data version (signer and state)
   * @param problem what failed
   */
  record Glitch(Instant at, int stateIndex, String ds, String dnskey, String data, String problem)
      implements GlitchReport {
    /** Checks for null. */
    public Glitch {
      Objects.requireNonNull(at);
      Objects.requireNonNull(ds);
      Objects.requireNonNull(dnskey);
      Objects.requireNonNull(data);
      Objects.requireNonNull(problem);
    }

    @Override
    public String toString() {
      return "glitch at " + at + " (state " + stateIndex + "): " + problem + " [DS " + ds
          + ", DNSKEY " + dnskey + ", data " + data + "]";
    }
  }
}
