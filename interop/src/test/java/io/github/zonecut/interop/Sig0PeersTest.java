package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The third-party SIG(0) tools work and disagree where they must: BIND signs, miekg/dns and
 * Net::DNS::SEC verify each other's and BIND's signatures, and both reject a tampered message. The
 * other modules' interop tests rely on exactly these verdicts.
 */
@ExtendWith(Sig0PeersExtension.class)
class Sig0PeersTest {

  private static final String RR = "child.parent.test. 60 IN TXT \"interop\"";

  @Test
  void miekgAndNetDnsVerifyEachOther(Sig0Peers peers) {
    BindKeyFiles key = peers.keygen("ED25519", "child.parent.test.");

    byte[] byMiekg = peers.miekgSign(key, "parent.test.", RR);
    byte[] byNetDns = peers.netDnsSign(key, "parent.test.", RR);

    assertThat(peers.netDnsVerify(key, byMiekg).verified()).isTrue();
    assertThat(peers.miekgVerify(key, byNetDns).verified()).isTrue();
    assertThat(peers.miekgVerify(key, byMiekg).verified()).isTrue();
  }

  @Test
  void bothRejectATamperedMessage(Sig0Peers peers) {
    BindKeyFiles key = peers.keygen("ECDSAP256SHA256", "child.parent.test.");
    byte[] signed = peers.miekgSign(key, "parent.test.", RR);
    signed[13] ^= 0x01; // a byte of the zone name: still parses, no longer matches the signature

    assertThat(peers.miekgVerify(key, signed).verified()).isFalse();
    assertThat(peers.netDnsVerify(key, signed).verified()).isFalse();
  }

  @Test
  void bothRejectTheWrongKey(Sig0Peers peers) {
    BindKeyFiles signer = peers.keygen("ED25519", "child.parent.test.");
    BindKeyFiles other = peers.keygen("ED25519", "child.parent.test.");
    byte[] signed = peers.netDnsSign(signer, "parent.test.", RR);

    assertThat(peers.miekgVerify(other, signed).verified()).isFalse();
    assertThat(peers.netDnsVerify(other, signed).verified()).isFalse();
  }

  @Test
  void miekgServerVerifiesNsupdateSignedUpdates(Sig0Peers peers) {
    BindKeyFiles key = peers.keygen("ED25519", "child.parent.test.");
    BindKeyFiles stranger = peers.keygen("ED25519", "child.parent.test.");
    try (Sig0Server server = peers.miekgServe(2, key)) {
      String script = "server 127.0.0.1 " + server.address().getPort() + "\nzone parent.test.\n"
          + "update add " + RR + "\nsend\n";

      ToolResult accepted = peers.nsupdate(script, "-k", key.privateFile().toString());
      ToolResult rejected = peers.nsupdate(script, "-k", stranger.privateFile().toString());

      assertThat(accepted.exitCode()).as(accepted.describe()).isZero();
      assertThat(rejected.exitCode()).as(rejected.describe()).isEqualTo(2);
      assertThat(server.awaitExit(Duration.ofSeconds(10)))
          .satisfiesExactly(
              l -> assertThat(l).contains("VERIFIED child.parent.test."),
              l -> assertThat(l).contains("UNKNOWN-KEY child.parent.test."));
    }
  }

  @Test
  void miekgServerVerifiesOverTcp(Sig0Peers peers) {
    BindKeyFiles key = peers.keygen("ECDSAP256SHA256", "child.parent.test.");
    try (Sig0Server server = peers.miekgServe(1, key)) {
      String script = "server 127.0.0.1 " + server.address().getPort() + "\nzone parent.test.\n"
          + "update add " + RR + "\nsend\n";

      ToolResult accepted = peers.nsupdate(script, "-v", "-k", key.privateFile().toString());

      assertThat(accepted.exitCode()).as(accepted.describe()).isZero();
      assertThat(server.awaitExit(Duration.ofSeconds(10)))
          .singleElement().asString().contains(" tcp ").contains("VERIFIED child.parent.test.");
    }
  }

  @Test
  void keygenWritesAKeyRecordWithTheRequestedAlgorithm(Sig0Peers peers) {
    BindKeyFiles rsa = peers.keygen("RSASHA256", "signer.example.");

    assertThat(rsa.algorithm()).isEqualTo(8);
    assertThat(rsa.keyRecordText()).startsWith("signer.example. IN KEY 512 3 8 ");
    assertThat(rsa.privateFile()).isRegularFile();
  }
}
