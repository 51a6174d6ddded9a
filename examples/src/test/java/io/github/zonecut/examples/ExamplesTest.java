package io.github.zonecut.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.dsync.NotifyOutcome;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each example program, run as its {@code main} would, with its outcome checked. */
class ExamplesTest {

  @Test
  void registryParentTrustsAnUploadedKeyAndQueuesANotifiedScan(@TempDir Path dir)
      throws Exception {
    RegistryParent.Result r = RegistryParent.run(dir);

    assertThat(r.bootstrap().isAccepted()).as(r.bootstrap().toString()).isTrue();
    assertThat(r.trusted()).as("at-apex validation trusted the key").isTrue();
    assertThat(r.notified()).isInstanceOf(NotifyOutcome.Acknowledged.class);
    assertThat(r.scansQueued()).isEqualTo(1);
    assertThat(r.audit())
        .anyMatch(l -> l.contains("\"kind\":\"update\"") && l.contains("\"KEY_UPLOADED\"")
            && l.contains("\"child\":\"child.parent.test.\"") && l.contains("\"signed\":true"))
        .anyMatch(l -> l.contains("\"kind\":\"notify\"") && l.contains("\"type\":\"CDS\"")
            && l.contains("\"SCHEDULED\""))
        .allMatch(l -> l.startsWith("{") && l.endsWith("}"));
  }
}
