/**
 * A small NIO UDP+TCP DNS server shared by testkit and dsync; exported to those modules only.
 */
@NullMarked
package io.github.zonecut.core.internal.server;

import org.jspecify.annotations.NullMarked;
