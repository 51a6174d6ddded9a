package io.github.zonecut.multisigner;

import java.time.Instant;
import java.util.Objects;

/**
 * What the zone served from {@code at} until the next state of a timeline: the input of {@link
 * GlitchChecker}. Only served values and TTLs of the snapshot matter there, not the {@code since}
 * instants.
 *
 * @param at when the state began
 * @param state what every signer and parent server served
 */
public record TimedState(Instant at, ZoneSnapshot state) {

  /** Checks for null. */
  public TimedState {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(state, "state");
  }
}
