/**
 * The public API of zonecut keystate.
 *
 * <p>{@link io.github.zonecut.keystate.KeyStateOption} is the KeyState EDNS(0) option value and
 * codec (draft-berra-dnsop-keystate); {@link io.github.zonecut.keystate.KeyStateCode} its
 * versioned code tables; {@link io.github.zonecut.keystate.KeyStateRequest} a receiver's reading
 * of a child's request; {@link io.github.zonecut.keystate.BootstrapParameter} the SVCB
 * {@code bootstrap} parameter and {@link io.github.zonecut.keystate.VerificationPolicy} the
 * parent's choice of {@link io.github.zonecut.keystate.BootstrapMethod}s.
 *
 * <p>{@link io.github.zonecut.keystate.TrustRegistry} is the parent's registry of child SIG(0)
 * keys: {@link io.github.zonecut.keystate.TrustRules} (pure) decide, a {@link
 * io.github.zonecut.keystate.TrustStore} ({@link io.github.zonecut.keystate.InMemoryTrustStore},
 * {@link io.github.zonecut.keystate.JdbcTrustStore}) keeps keys and audit trail.
 *
 * <p>Bootstrap verification: {@link io.github.zonecut.keystate.AtApexVerifier}, {@link
 * io.github.zonecut.keystate.AtNsVerifier} and {@link io.github.zonecut.keystate.UnsignedVerifier}
 * over the {@link io.github.zonecut.keystate.KeyLookup} port, driven by {@link
 * io.github.zonecut.keystate.BootstrapCoordinator}; the {@code manual} method is {@link
 * io.github.zonecut.keystate.TrustRegistry#approve}. Mutual authentication: {@link
 * io.github.zonecut.keystate.KeyStateInquiryClient} (child) and {@link
 * io.github.zonecut.keystate.KeyStateResponder} (parent).
 */
@NullMarked
package io.github.zonecut.keystate;

import org.jspecify.annotations.NullMarked;
