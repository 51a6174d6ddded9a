/**
 * An in-process DNS hierarchy for tests and research harnesses (the zonecut counterpart of
 * OkHttp's mockwebserver).
 *
 * <p>Start with {@link io.github.zonecut.testkit.TestHierarchy#builder()}: declare zones, their
 * records and nameservers; the hierarchy derives the delegations (NS, glue, DS), signs every zone
 * (RFC 4033–4035, algorithms 13 and 15, NSEC denial) and serves each nameserver on its own
 * loopback endpoint, plus one recursive-style endpoint for stub validators such as dnsjava's
 * {@code ValidatingResolver}. Faults ({@link io.github.zonecut.testkit.Fault}) and hostile-peer
 * scripts ({@link io.github.zonecut.testkit.HostilePeer}) are set per endpoint at run time; zones
 * are edited and re-signed atomically through {@link io.github.zonecut.testkit.TestZone}.
 */
@NullMarked
package io.github.zonecut.testkit;

import org.jspecify.annotations.NullMarked;
