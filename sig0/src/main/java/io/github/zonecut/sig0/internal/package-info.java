/** SIG(0) machinery: the wire walker, the crypto step and key codecs. Not API. */
@NullMarked
package io.github.zonecut.sig0.internal;

import org.jspecify.annotations.NullMarked;
