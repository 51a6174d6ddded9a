package io.github.zonecut.core.internal;

/**
 * One token of RDATA presentation text (RFC 1035 §5.1), with escapes still in place.
 *
 * @param text the token's characters, without the surrounding quotes
 * @param quoted whether the token was a quoted string
 */
public record Token(String text, boolean quoted) {}
