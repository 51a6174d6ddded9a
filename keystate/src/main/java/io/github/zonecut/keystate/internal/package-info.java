/** Implementation details of zonecut keystate; not exported. */
@NullMarked
package io.github.zonecut.keystate.internal;

import org.jspecify.annotations.NullMarked;
