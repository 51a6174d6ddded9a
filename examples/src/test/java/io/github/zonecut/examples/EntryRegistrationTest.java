package io.github.zonecut.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Initialising any zonecut entry class registers zonecut's record types with dnsjava, so a host
 * that parses DSYNC text with dnsjava directly gets a DSYNC record, not dnsjava's {@code invalid
 * unknown RR encoding} (issue 14 item 6). Each class is initialised alone in a fresh class loader
 * with its own dnsjava ({@link IsolatedRegistry}); this module sees every library module, so the
 * entry classes of all of them are checked here, once.
 */
class EntryRegistrationTest {

  @Test
  void withoutZonecutDnsjavaCannotParseDsyncText() throws Exception {
    assertThat(IsolatedRegistry.parseDsyncAfterLoading(null)).contains("unknown");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "io.github.zonecut.core.DirectLookup",
    "io.github.zonecut.core.DsyncDiscovery",
    "io.github.zonecut.core.ValidatingLookup",
    "io.github.zonecut.sig0.Sig0Signer",
    "io.github.zonecut.sig0.Sig0Verifier",
    "io.github.zonecut.keystate.KeyStateInquiryClient",
    "io.github.zonecut.keystate.KeyStateResponder",
    "io.github.zonecut.dsync.DelegationReader",
    "io.github.zonecut.dsync.NotifyReceiver",
    "io.github.zonecut.dsync.NotifySender",
    "io.github.zonecut.dsync.Observer",
    "io.github.zonecut.dsync.Signals",
    "io.github.zonecut.dsync.UpdateReceiver",
    "io.github.zonecut.dsync.UpdateSender",
    "io.github.zonecut.multisigner.Planner",
    "io.github.zonecut.multisigner.edge.DnsObserver",
    "io.github.zonecut.multisigner.edge.DnsUpdateStepExecutor",
    "io.github.zonecut.testkit.TestHierarchy"
  })
  void initialisingAnEntryClassRegisters(String entryClass) throws Exception {
    assertThat(IsolatedRegistry.parseDsyncAfterLoading(entryClass))
        .isEqualTo("io.github.zonecut.core.DsyncRecord");
  }
}
