/**
 * Multi-signer automation (RFC 8901 model 2, draft-ietf-dnsop-dnssec-automation-04).
 *
 * <p>{@link io.github.zonecut.multisigner.Planner#plan} turns an observed {@link
 * io.github.zonecut.multisigner.ZoneSnapshot}, an {@link io.github.zonecut.multisigner.Intent}
 * and a {@link io.github.zonecut.multisigner.ParentPolicy} into the next {@link
 * io.github.zonecut.multisigner.Plan}: steps with pre- and post-conditions, a wait, done, or a
 * typed refusal. The planner keeps no state; a host executes the steps, observes again and plans
 * again. {@link io.github.zonecut.multisigner.GlitchChecker} is the oracle that proves a
 * sequence of zone states keeps every resolver cache combination validating.
 */
@NullMarked
package io.github.zonecut.multisigner;

import org.jspecify.annotations.NullMarked;
