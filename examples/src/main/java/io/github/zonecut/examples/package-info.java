/**
 * Runnable zonecut programs. {@link io.github.zonecut.examples.Demo} is the main demo: the whole
 * child-to-parent walk-through (DSYNC discovery, SIG(0) key bootstrap, KeyState, a multi-signer
 * plan) against an in-process signed DNS hierarchy on 127.0.0.1.
 *
 * <p>One complete program per user, each a {@code main} and a {@code run} returning what a test
 * asserts on, each starting its own in-process hierarchy on loopback:
 *
 * <ol>
 *   <li>{@link io.github.zonecut.examples.RegistryParent}: a registry's DSYNC target (UPDATE,
 *       NOTIFY and KeyState receivers) on SQL storage with a JSON-lines audit log;
 *   <li>{@link io.github.zonecut.examples.ChildOperatorAgent}: a child's operator discovering the
 *       parent, bootstrapping its SIG(0) key, waiting for trust, changing NS and rolling DS;
 *   <li>{@link io.github.zonecut.examples.RegistryCdsScan}: a registry's CDS scan producing EPP
 *       secDNS updates;
 *   <li>{@link io.github.zonecut.examples.VendorSignals}: a DNS vendor publishing
 *       CDS/CDNSKEY/CSYNC/_dsboot, checking its servers agree, sending NOTIFY;
 *   <li>{@link io.github.zonecut.examples.ResearcherHarness}: discovery under injected faults;
 *   <li>{@link io.github.zonecut.examples.MultiSignerJoin}: a second signer joins, planned and
 *       simulated.
 * </ol>
 */
@NullMarked
package io.github.zonecut.examples;

import org.jspecify.annotations.NullMarked;
