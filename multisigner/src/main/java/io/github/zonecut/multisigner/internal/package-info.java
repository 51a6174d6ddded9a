/** Machinery behind the multi-signer planner; not part of the API. */
@NullMarked
package io.github.zonecut.multisigner.internal;

import org.jspecify.annotations.NullMarked;
