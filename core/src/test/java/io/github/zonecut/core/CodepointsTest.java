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
    // SIG(0) ML-DSA (experimental): tdns's 199, and the first experimental-range number.
    assertThat(c.sig0MlDsa44()).isEqualTo(199);
    assertThat(c.sig0MlDsa65()).isEqualTo(228);
  }

  @Test
  void theSig0MlDsaNumbersMustNotShadowAssignedAlgorithms() {
    assertThatThrownBy(() -> Codepoints.builder().sig0MlDsa44(13).build())
        .hasMessageContaining("sig0MlDsa44");
    assertThatThrownBy(() -> Codepoints.builder().sig0MlDsa65(253).build())
        .hasMessageContaining("sig0MlDsa65");
    assertThatThrownBy(() -> Codepoints.builder().sig0MlDsa65(199).build())
        .hasMessageContaining("equal");
    // The constructor without the numbers keeps the defaults.
    Codepoints old = new Codepoints(2, 3, 65002, 65282, 65285, 65286, 0, 49152, 49153, 49154,
        Codepoints.KeyStateTable.DRAFT_03);
    assertThat(old).isEqualTo(Codepoints.DEFAULT);
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
