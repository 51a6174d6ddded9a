/**
 * SIG(0) transaction signatures (RFC 2931) for secure dynamic update (RFC 3007).
 *
 * <p>{@link io.github.zonecut.sig0.Sig0Signer} appends a SIG(0) to a message rendered once and
 * returns the exact bytes to send; {@link io.github.zonecut.sig0.Sig0Verifier} checks the bytes
 * as received and answers with a {@link io.github.zonecut.sig0.Sig0Outcome} that maps onto an
 * RCODE (BADSIG, BADKEY, BADTIME, FORMERR). Keys are {@link io.github.zonecut.sig0.Sig0PublicKey}
 * and {@link io.github.zonecut.sig0.Sig0KeyPair}; {@link io.github.zonecut.sig0.Sig0KeyFiles}
 * reads and writes BIND key files and PKCS#8 PEM; {@link io.github.zonecut.sig0.Sig0KeyStore} is
 * the storage SPI.
 */
@NullMarked
package io.github.zonecut.sig0;

import org.jspecify.annotations.NullMarked;
