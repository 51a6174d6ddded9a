package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/** The interop section of the README, verbatim: keep the two in step. */
@ExtendWith({TestnetExtension.class, Sig0PeersExtension.class})
class ReadmeExampleTest {

  @Test
  void childKeyIsValidatedByUnbound(Testnet net) {
    Message answer = net.query("child.parent.test.", Type.KEY); // through Unbound, RD+DO
    assertThat(answer.getHeader().getFlag(Flags.AD)).isTrue();
  }

  @Test
  void miekgVerifiesWhatNsupdateSigned(Sig0Peers peers) {
    BindKeyFiles key = peers.keygen("ED25519", "child.parent.test.");
    try (Sig0Server miekg = peers.miekgServe(1, key)) {
      ToolResult r = peers.nsupdate("server 127.0.0.1 " + miekg.address().getPort()
          + "\nzone parent.test.\nupdate add child.parent.test. 60 TXT hi\nsend\n",
          "-k", key.privateFile().toString());
      assertThat(r.exitCode()).isZero();
    }
  }
}
