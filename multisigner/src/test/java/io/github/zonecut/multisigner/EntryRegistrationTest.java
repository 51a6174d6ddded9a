package io.github.zonecut.multisigner;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Initialising this module's entry class registers zonecut's record types with dnsjava, so a
 * host that parses DSYNC text with dnsjava directly gets a DSYNC record, not dnsjava's {@code
 * invalid unknown RR encoding} (issue 14 item 6).
 */
class EntryRegistrationTest {

  @Test
  void withoutZonecutDnsjavaCannotParseDsyncText() throws Exception {
    assertThat(IsolatedRegistry.parseDsyncAfterLoading(null)).contains("unknown");
  }

  @Test
  void initialisingPlannerRegisters() throws Exception {
    assertThat(IsolatedRegistry.parseDsyncAfterLoading("io.github.zonecut.multisigner.Planner"))
        .isEqualTo("io.github.zonecut.core.DsyncRecord");
  }

  @Test
  void initialisingDnsObserverRegisters() throws Exception {
    assertThat(IsolatedRegistry.parseDsyncAfterLoading("io.github.zonecut.multisigner.edge.DnsObserver"))
        .isEqualTo("io.github.zonecut.core.DsyncRecord");
  }

  @Test
  void initialisingDnsUpdateStepExecutorRegisters() throws Exception {
    assertThat(IsolatedRegistry.parseDsyncAfterLoading("io.github.zonecut.multisigner.edge.DnsUpdateStepExecutor"))
        .isEqualTo("io.github.zonecut.core.DsyncRecord");
  }
}
