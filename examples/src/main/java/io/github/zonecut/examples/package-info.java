/**
 * Runnable zonecut programs. {@link io.github.zonecut.examples.Demo} is the main demo: the whole
 * child-to-parent walk-through (DSYNC discovery, SIG(0) key bootstrap, KeyState, a multi-signer
 * plan) against an in-process signed DNS hierarchy on 127.0.0.1.
 */
@NullMarked
package io.github.zonecut.examples;

import org.jspecify.annotations.NullMarked;
