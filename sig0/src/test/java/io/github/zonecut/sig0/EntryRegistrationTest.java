package io.github.zonecut.sig0;

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
  void initialisingSig0SignerRegisters() throws Exception {
    assertThat(IsolatedRegistry.parseDsyncAfterLoading("io.github.zonecut.sig0.Sig0Signer"))
        .isEqualTo("io.github.zonecut.core.DsyncRecord");
  }

  @Test
  void initialisingSig0VerifierRegisters() throws Exception {
    assertThat(IsolatedRegistry.parseDsyncAfterLoading("io.github.zonecut.sig0.Sig0Verifier"))
        .isEqualTo("io.github.zonecut.core.DsyncRecord");
  }
}
