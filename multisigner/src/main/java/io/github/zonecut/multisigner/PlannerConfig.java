package io.github.zonecut.multisigner;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How conservative the planner is.
 *
 * @param safetyFactor every TTL in a wait time is multiplied by this (at least 1; the draft's
 *     minimums are factor 1, multi-signer-controller used 2)
 * @param ownership how keys are attributed to signers
 * @param removeSignalsWhenDone remove CDS/CDNSKEY and CSYNC once the parent has acted (the
 *     draft's optional steps, §5.3 steps 7 and 13, §5.4 steps 4 and 11)
 * @param ttlFloors per wait kind, the shortest time resolvers keep an RRset whatever its TTL
 *     (Unbound {@code cache-min-ttl}, PowerDNS Recursor {@code minimum-ttl-override}): every TTL
 *     in a wait of that kind is raised to the floor before it is scaled; kinds not in the map have
 *     no floor
 */
public record PlannerConfig(double safetyFactor, KeyOwnership ownership, boolean removeSignalsWhenDone,
    Map<WaitKind, Duration> ttlFloors) {

  /** Factor 2, ownership by origin, signals removed, no resolver TTL floors. */
  public static final PlannerConfig DEFAULT =
      new PlannerConfig(2.0, new KeyOwnership.ByOrigin(), true);

  /** Checks the factor and the floors. */
  public PlannerConfig {
    if (!(safetyFactor >= 1.0) || safetyFactor > 100.0) {
      throw new IllegalArgumentException("safety factor must be in 1..100: " + safetyFactor);
    }
    Objects.requireNonNull(ownership, "ownership");
    ttlFloors = ttlFloors.isEmpty() ? Map.of()
        : java.util.Collections.unmodifiableMap(new EnumMap<>(ttlFloors));
    for (Duration d : ttlFloors.values()) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative TTL floor: " + d);
      }
    }
  }

  /** A configuration without TTL floors. */
  public PlannerConfig(double safetyFactor, KeyOwnership ownership, boolean removeSignalsWhenDone) {
    this(safetyFactor, ownership, removeSignalsWhenDone, Map.of());
  }

  /** This configuration with another ownership rule. */
  public PlannerConfig withOwnership(KeyOwnership o) {
    return new PlannerConfig(safetyFactor, o, removeSignalsWhenDone, ttlFloors);
  }

  /** This configuration with another safety factor. */
  public PlannerConfig withSafetyFactor(double f) {
    return new PlannerConfig(f, ownership, removeSignalsWhenDone, ttlFloors);
  }

  /** This configuration with the same resolver TTL floor for every wait kind. */
  public PlannerConfig withTtlFloor(Duration floor) {
    Map<WaitKind, Duration> m = new EnumMap<>(WaitKind.class);
    for (WaitKind k : WaitKind.values()) {
      m.put(k, floor);
    }
    return new PlannerConfig(safetyFactor, ownership, removeSignalsWhenDone, m);
  }

  /** This configuration with a resolver TTL floor for one wait kind. */
  public PlannerConfig withTtlFloor(WaitKind kind, Duration floor) {
    Map<WaitKind, Duration> m = new EnumMap<>(WaitKind.class);
    m.putAll(ttlFloors);
    m.put(kind, floor);
    return new PlannerConfig(safetyFactor, ownership, removeSignalsWhenDone, m);
  }

  /** The floor for waits of {@code kind}; zero when none is configured. */
  public Duration ttlFloor(WaitKind kind) {
    Duration d = ttlFloors.get(kind);
    return d == null ? Duration.ZERO : d;
  }
}
