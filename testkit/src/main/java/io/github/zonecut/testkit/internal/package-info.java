/**
 * Machinery behind the testkit API: zone signing and NSEC chains, the answer logic, and the
 * loopback NIO server. Not exported.
 */
@NullMarked
package io.github.zonecut.testkit.internal;

import org.jspecify.annotations.NullMarked;
