/**
 * The public API of zonecut core.
 *
 * <p>Record types (RFC 9859 DSYNC, RFC 7477 CSYNC, HSYNC, HSYNCPARAM), the {@link
 * io.github.zonecut.core.Codepoints} profile for every number IANA has not assigned, label-wise
 * name relations and the {@code Delegation} value.
 *
 * <p>DNS I/O goes through the {@link io.github.zonecut.core.DnsTransport} port (default: {@link
 * io.github.zonecut.core.NioDnsTransport}); {@link io.github.zonecut.core.EndpointOverrides} points
 * names and addresses at loopback servers for tests and research harnesses.
 */
@NullMarked
package io.github.zonecut.core;

import org.jspecify.annotations.NullMarked;
