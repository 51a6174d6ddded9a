/**
 * I/O adapters for the multi-signer planner: the ports a host implements to observe signers and
 * parents and to apply planned steps, and ready implementations over DNS (direct lookups over TCP,
 * DNS UPDATE with TSIG). The planner in {@code io.github.zonecut.multisigner} never calls these.
 */
@NullMarked
package io.github.zonecut.multisigner.edge;

import org.jspecify.annotations.NullMarked;
