package io.github.zonecut.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.dsync.NotifyEvent;
import io.github.zonecut.dsync.UpdateEvent;
import io.github.zonecut.keystate.KeyStateEvent;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;

/** The audit trail writes one well-formed JSON object per event, whatever the event holds. */
class JsonLinesAuditTest {
  static final Name CHILD = Name.fromConstantString("child.parent.test.");

  @Test
  void unansweredRequestsAndAwkwardDetailsStayOneValidLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("audit.jsonl");
    Instant at = Instant.parse("2026-12-05T00:00:00Z");
    try (JsonLinesAudit audit = new JsonLinesAudit(file)) {
      // a dropped request: nothing answered (rcode -1), nothing known about it
      audit.onEvent(new UpdateEvent(at, InetAddress.getLoopbackAddress(), null, null, null,
          UpdateEvent.Outcome.DROPPED, -1, null, false, "said \"hi\"\\\nthen\tleft"));
      audit.onNotify(new NotifyEvent(at, InetAddress.getLoopbackAddress(), Optional.empty(), -1,
          NotifyEvent.Outcome.values()[0], -1));
      audit.onKeyState(new KeyStateEvent(at, InetAddress.getLoopbackAddress(), CHILD,
          new KeyStateEvent.KeyRef(CHILD, 15, 4242), null, KeyStateEvent.Outcome.UNSIGNED, 5,
          null, false, "unsigned inquiry"));
      audit.onKeyState(new KeyStateEvent(at, InetAddress.getLoopbackAddress(), null, null, null,
          KeyStateEvent.Outcome.DROPPED, -1, null, false, "a response"));
    }

    assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).containsExactly(
        "{\"at\":\"2026-12-05T00:00:00Z\",\"kind\":\"update\",\"source\":\"127.0.0.1\","
            + "\"child\":null,\"signer\":null,\"outcome\":\"DROPPED\",\"rcode\":null,"
            + "\"signed\":false,\"detail\":\"said \\\"hi\\\"\\\\\\u000athen\\u0009left\"}",
        "{\"at\":\"2026-12-05T00:00:00Z\",\"kind\":\"notify\",\"source\":\"127.0.0.1\","
            + "\"child\":null,\"type\":null,\"outcome\":\""
            + NotifyEvent.Outcome.values()[0] + "\",\"rcode\":null}",
        "{\"at\":\"2026-12-05T00:00:00Z\",\"kind\":\"keystate\",\"source\":\"127.0.0.1\","
            + "\"child\":\"child.parent.test.\",\"keyId\":4242,\"signer\":null,"
            + "\"outcome\":\"UNSIGNED\",\"rcode\":\"REFUSED\",\"state\":null,"
            + "\"signed\":false,\"detail\":\"unsigned inquiry\"}",
        "{\"at\":\"2026-12-05T00:00:00Z\",\"kind\":\"keystate\",\"source\":\"127.0.0.1\","
            + "\"child\":null,\"keyId\":null,\"signer\":null,\"outcome\":\"DROPPED\","
            + "\"rcode\":null,\"state\":null,\"signed\":false,\"detail\":\"a response\"}");
  }
}
