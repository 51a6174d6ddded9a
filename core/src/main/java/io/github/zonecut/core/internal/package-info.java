/** Machinery behind the core API; not exported. */
@NullMarked
package io.github.zonecut.core.internal;

import org.jspecify.annotations.NullMarked;
