package io.github.zonecut.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.zonecut.cli.Output;
import io.github.zonecut.keystate.KeyStateCode;
import io.github.zonecut.keystate.KeyStateEvent;
import io.github.zonecut.sig0.Sig0Algorithm;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0PublicKey;
import java.io.BufferedWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/** The audit lines of KeyState inquiries: who asked about which key, what was answered. */
class AuditLogTest {
  static final Name CHILD = Name.fromConstantString("child.parent.test.");
  static final Instant T = Instant.parse("2026-12-05T02:00:00Z");

  @Test
  void aKeyStateEventIsOneLineWithoutKeyOctets() throws Exception {
    Sig0KeyPair k = Sig0KeyPair.generate(CHILD, Sig0Algorithm.ED25519, Sig0PublicKey.FLAGS_HOST);
    int tag = k.publicKey().keyTag();
    StringWriter text = new StringWriter();
    try (AuditLog log = AuditLog.to(new BufferedWriter(text))) {
      log.keyState(new KeyStateEvent(T, InetAddress.getLoopbackAddress(), CHILD,
          new KeyStateEvent.KeyRef(CHILD, 15, tag), k.publicKey(), KeyStateEvent.Outcome.ANSWERED,
          Rcode.NOERROR, KeyStateCode.KEY_TRUSTED, true, ""));
      log.keyState(new KeyStateEvent(T, InetAddress.getLoopbackAddress(), null, null, null,
          KeyStateEvent.Outcome.SOURCE_RATE_LIMITED, -1, null, false, "dropped"));
    }
    String[] lines = text.toString().split("\n");
    assertThat(lines).hasSize(2);
    JsonNode a = Output.mapper().readTree(lines[0]);
    assertThat(a.get("kind").asText()).isEqualTo("keystate");
    assertThat(a.get("time").asText()).isEqualTo(T.toString());
    assertThat(a.get("source").asText()).isEqualTo("127.0.0.1");
    assertThat(a.get("child").asText()).isEqualTo("child.parent.test.");
    assertThat(a.get("outcome").asText()).isEqualTo("ANSWERED");
    assertThat(a.get("rcode").asText()).isEqualTo("NOERROR");
    assertThat(a.get("state").asText()).isEqualTo("KEY_TRUSTED");
    assertThat(a.get("askedKeyTag").asInt()).isEqualTo(tag);
    assertThat(a.get("askedKeyAlgorithm").asInt()).isEqualTo(15);
    assertThat(a.get("keyTag").asInt()).isEqualTo(tag);
    assertThat(a.get("signed").asBoolean()).isTrue();
    JsonNode d = Output.mapper().readTree(lines[1]);
    assertThat(d.get("outcome").asText()).isEqualTo("SOURCE_RATE_LIMITED");
    assertThat(d.get("rcode").asText()).isEqualTo("none");
    assertThat(d.has("child")).isFalse();
    assertThat(d.has("state")).isFalse();
    assertThat(text.toString())
        .doesNotContain(Base64.getEncoder().encodeToString(k.publicKey().keyData()));
  }
}
