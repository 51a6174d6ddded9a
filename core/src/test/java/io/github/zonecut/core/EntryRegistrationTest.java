package io.github.zonecut.core;

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
  void initialisingDsyncDiscoveryRegisters() throws Exception {
    assertThat(IsolatedRegistry.parseDsyncAfterLoading("io.github.zonecut.core.DsyncDiscovery"))
        .isEqualTo("io.github.zonecut.core.DsyncRecord");
  }

  @Test
  void initialisingDirectLookupRegisters() throws Exception {
    assertThat(IsolatedRegistry.parseDsyncAfterLoading("io.github.zonecut.core.DirectLookup"))
        .isEqualTo("io.github.zonecut.core.DsyncRecord");
  }

  @Test
  void initialisingValidatingLookupRegisters() throws Exception {
    assertThat(IsolatedRegistry.parseDsyncAfterLoading("io.github.zonecut.core.ValidatingLookup"))
        .isEqualTo("io.github.zonecut.core.DsyncRecord");
  }
}
