package io.github.zonecut.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CodepointsTest {

  @Test
  void defaultProfileMatchesTheReferenceImplementationWhereSane() {
    Codepoints c = Codepoints.DEFAULT;
    assertThat(c.dsyncSchemeUpdate()).isEqualTo(2);
    assertThat(c.dsyncSchemeScanner()).isEqualTo(3);
    assertThat(c.keyStateOptionCode()).isEqualTo(65002);
    assertThat(c.svcbBootstrapKey()).isEqualTo(65282);
    assertThat(c.hsyncType()).isEqualTo(65285);
    assertThat(c.hsyncParamType()).isEqualTo(65286);
    assertThat(c.hsyncStateOff()).isZero();
    // RFC 8914 private use, not tdns's 514+ in the FCFS range
    assertThat(c.edeKeyKnownNotTrusted()).isGreaterThanOrEqualTo(49152);
    assertThat(c.edeKeyValidationFailed()).isGreaterThanOrEqualTo(49152);
    assertThat(c.edeManualBootstrapRequired()).isGreaterThanOrEqualTo(49152);
    assertThat(c.keyStateTable()).isEqualTo(Codepoints.KeyStateTable.DRAFT_03);
  }

  @Test
  void builderOverridesOneFieldAndKeepsTheRest() {
    Codepoints c = Codepoints.builder().dsyncSchemeUpdate(200).build();
    assertThat(c.dsyncSchemeUpdate()).isEqualTo(200);
    assertThat(c.toBuilder().dsyncSchemeUpdate(2).build()).isEqualTo(Codepoints.DEFAULT);
  }

  @Test
  void outOfRangeOrClashingValuesAreRefusedByName() {
    assertThatThrownBy(() -> Codepoints.builder().keyStateOptionCode(70000).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("keyStateOptionCode");
    assertThatThrownBy(() -> Codepoints.builder().dsyncSchemeUpdate(1).build())
        .hasMessageContaining("NOTIFY");
    assertThatThrownBy(() -> Codepoints.builder().hsyncParamType(65285).build())
        .hasMessageContaining("hsyncType");
    assertThatThrownBy(() -> Codepoints.builder().hsyncStateOff(1).build())
        .hasMessageContaining("hsyncStateOff");
  }
}
