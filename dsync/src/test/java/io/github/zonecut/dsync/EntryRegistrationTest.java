package io.github.zonecut.dsync;

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
  void initialisingUpdateReceiverRegisters() throws Exception {
    assertThat(IsolatedRegistry.parseDsyncAfterLoading("io.github.zonecut.dsync.UpdateReceiver"))
        .isEqualTo("io.github.zonecut.core.DsyncRecord");
  }

  @Test
  void initialisingNotifyReceiverRegisters() throws Exception {
    assertThat(IsolatedRegistry.parseDsyncAfterLoading("io.github.zonecut.dsync.NotifyReceiver"))
        .isEqualTo("io.github.zonecut.core.DsyncRecord");
  }

  @Test
  void initialisingUpdateSenderRegisters() throws Exception {
    assertThat(IsolatedRegistry.parseDsyncAfterLoading("io.github.zonecut.dsync.UpdateSender"))
        .isEqualTo("io.github.zonecut.core.DsyncRecord");
  }

  @Test
  void initialisingNotifySenderRegisters() throws Exception {
    assertThat(IsolatedRegistry.parseDsyncAfterLoading("io.github.zonecut.dsync.NotifySender"))
        .isEqualTo("io.github.zonecut.core.DsyncRecord");
  }

  @Test
  void initialisingDelegationReaderRegisters() throws Exception {
    assertThat(IsolatedRegistry.parseDsyncAfterLoading("io.github.zonecut.dsync.DelegationReader"))
        .isEqualTo("io.github.zonecut.core.DsyncRecord");
  }

  @Test
  void initialisingObserverRegisters() throws Exception {
    assertThat(IsolatedRegistry.parseDsyncAfterLoading("io.github.zonecut.dsync.Observer"))
        .isEqualTo("io.github.zonecut.core.DsyncRecord");
  }

  @Test
  void initialisingSignalsRegisters() throws Exception {
    assertThat(IsolatedRegistry.parseDsyncAfterLoading("io.github.zonecut.dsync.Signals"))
        .isEqualTo("io.github.zonecut.core.DsyncRecord");
  }
}
