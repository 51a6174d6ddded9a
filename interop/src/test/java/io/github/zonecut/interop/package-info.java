/**
 * Interop harness and tests: real DNS software started on loopback for zonecut's tests.
 *
 * <p>The harness starts what a test class asks for, once per Maven test run, and stops it when the
 * run ends:
 *
 * <ul>
 *   <li>{@link io.github.zonecut.interop.TestnetExtension} gives a {@link
 *       io.github.zonecut.interop.Testnet}: a signed private hierarchy under {@code test.} served
 *       by BIND ({@code test.}, the children, {@code operator.test.}), Knot ({@code parent.test.}
 *       with DSYNC records and TSIG DDNS) and a validating Unbound;
 *   <li>{@link io.github.zonecut.interop.Sig0PeersExtension} gives {@link
 *       io.github.zonecut.interop.Sig0Peers}: the third-party SIG(0) implementations (miekg/dns via
 *       {@code sig0tool}, Net::DNS::SEC via {@code sig0.pl}) and BIND's {@code nsupdate} and {@code
 *       dnssec-keygen};
 *   <li>{@link io.github.zonecut.interop.PostgresExtension} gives a throwaway {@link
 *       io.github.zonecut.interop.Postgres} server for JDBC tests.
 * </ul>
 *
 * <p>When a tool is missing the test class is skipped with a message naming the Debian package, and
 * fails instead when the environment variable {@code CI=true} (see {@link
 * io.github.zonecut.interop.Peers}).
 */
@NullMarked
package io.github.zonecut.interop;

import org.jspecify.annotations.NullMarked;
