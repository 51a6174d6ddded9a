/** Machinery of zonecut dsync; not exported. */
@NullMarked
package io.github.zonecut.dsync.internal;

import org.jspecify.annotations.NullMarked;
