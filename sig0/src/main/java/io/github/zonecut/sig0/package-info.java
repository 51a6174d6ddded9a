/**
 * SIG(0) transaction signatures (RFC 2931) for secure dynamic update (RFC 3007).
 *
 * <p>{@link io.github.zonecut.sig0.Sig0Signer} appends a SIG(0) to a message rendered once and
 * returns the exact bytes to send; {@link io.github.zonecut.sig0.Sig0Verifier} checks the bytes
 * as received and answers with a {@link io.github.zonecut.sig0.Sig0Outcome} that maps onto an
 * RCODE (BADSIG, BADKEY, BADTIME, FORMERR, SERVFAIL). A host creates one {@link
 * io.github.zonecut.sig0.Sig0ReplayGuard} and passes it to every verifier it builds; the guard
 * remembers what was signed (not the malleable signature octets) in a {@link
 * io.github.zonecut.sig0.Sig0ReplayStore}: in memory, or in a database shared by several nodes
 * ({@link io.github.zonecut.sig0.JdbcSig0ReplayStore}). Keys are {@link
 * io.github.zonecut.sig0.Sig0PublicKey} and {@link io.github.zonecut.sig0.Sig0KeyPair}; {@link
 * io.github.zonecut.sig0.Sig0KeyFiles} reads and writes BIND key files and PKCS#8 PEM; {@link
 * io.github.zonecut.sig0.Sig0KeyStore} is the storage SPI.
 *
 * <p>Arguments are never null (the package is {@code @NullMarked}); a null raises {@link
 * NullPointerException}. What a peer sends is never an exception but an outcome.
 */
@NullMarked
package io.github.zonecut.sig0;

import org.jspecify.annotations.NullMarked;
