package io.github.zonecut.sig0;

/**
 * How a SIG(0) on a response covers the query. Implementations disagree, so a signer picks one
 * and a verifier may accept either (spec digest §7.1: transaction-signature interop is tested
 * both ways).
 */
public enum Sig0ResponseForm {
  /**
   * RFC 2931 §3.1 literally: signed data = SIG RDATA ‖ the full query as sent (including its own
   * SIG(0)) ‖ the response without its SIG(0).
   */
  WITH_QUERY,
  /**
   * As a request: signed data = SIG RDATA ‖ the response without its SIG(0), the query not
   * included. miekg/dns (and so tdns) signs responses this way.
   */
  REQUEST_STYLE
}
