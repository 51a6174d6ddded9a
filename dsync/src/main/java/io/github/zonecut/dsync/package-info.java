/**
 * The public API of zonecut dsync: the child's delegation agent and the parent's UPDATE and
 * NOTIFY receivers (draft-ietf-dnsop-delegation-mgmt-via-ddns; RFC 9859), the acceptance checks
 * both paths share, and the {@code DelegationBackend} SPI through which a host applies changes.
 */
@NullMarked
package io.github.zonecut.dsync;

import org.jspecify.annotations.NullMarked;
