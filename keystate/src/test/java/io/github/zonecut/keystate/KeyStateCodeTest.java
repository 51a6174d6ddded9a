package io.github.zonecut.keystate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.Codepoints.KeyStateTable;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class KeyStateCodeTest {

  @Test
  void codeZeroAndOneFlipMeaningBetweenTheTables() {
    assertThat(KeyStateCode.of(KeyStateTable.DRAFT_02, 0))
        .contains(KeyStateCode.REQUEST_AUTO_BOOTSTRAP);
    assertThat(KeyStateCode.of(KeyStateTable.DRAFT_03, 0))
        .contains(KeyStateCode.REQUEST_MALFORMED);
    assertThat(KeyStateCode.of(KeyStateTable.DRAFT_02, 1))
        .contains(KeyStateCode.REQUEST_MANUAL_BOOTSTRAP);
    assertThat(KeyStateCode.of(KeyStateTable.DRAFT_03, 1))
        .contains(KeyStateCode.TEMPORARY_FAILURE);
    assertThat(KeyStateCode.REQUEST_MALFORMED.code(KeyStateTable.DRAFT_02)).isEmpty();
    assertThat(KeyStateCode.REQUEST_AUTO_BOOTSTRAP.code(KeyStateTable.DRAFT_03)).isEmpty();
    assertThatThrownBy(() -> KeyStateCode.TEMPORARY_FAILURE.requireCode(KeyStateTable.DRAFT_02))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DRAFT_02");
  }

  @Test
  void sharedCodesHaveTheSameNumberAndTheTablesMnemonics() {
    int[] shared = {2, 4, 5, 6, 7, 8, 9, 10};
    for (int c : shared) {
      assertThat(KeyStateCode.of(KeyStateTable.DRAFT_02, c))
          .isEqualTo(KeyStateCode.of(KeyStateTable.DRAFT_03, c)).isPresent();
    }
    assertThat(KeyStateCode.mnemonic(KeyStateTable.DRAFT_02, 8)).isEqualTo("KEY_VALIDATION_FAIL");
    assertThat(KeyStateCode.mnemonic(KeyStateTable.DRAFT_03, 8))
        .isEqualTo("KEY_VALIDATION_FAILED");
    assertThat(KeyStateCode.mnemonic(KeyStateTable.DRAFT_02, 2)).isEqualTo("INQUIRY_KEY");
    assertThat(KeyStateCode.mnemonic(KeyStateTable.DRAFT_03, 2)).isEqualTo("INTENT_INQUIRE_KEY");
    assertThat(KeyStateCode.mnemonic(KeyStateTable.DRAFT_03, 10))
        .isEqualTo("KEY_BOOTSTRAP_MANUAL");
  }

  @Test
  void unassignedAndPrivateCodesStayNumbers() {
    assertThat(KeyStateCode.of(KeyStateTable.DRAFT_03, 3)).isEmpty();
    assertThat(KeyStateCode.of(KeyStateTable.DRAFT_02, 11)).isEmpty();
    assertThat(KeyStateCode.mnemonic(KeyStateTable.DRAFT_03, 3)).isEqualTo("UNASSIGNED3");
    assertThat(KeyStateCode.mnemonic(KeyStateTable.DRAFT_03, 127)).isEqualTo("UNASSIGNED127");
    assertThat(KeyStateCode.mnemonic(KeyStateTable.DRAFT_03, 128)).isEqualTo("PRIVATE128");
    assertThat(KeyStateCode.mnemonic(KeyStateTable.DRAFT_02, 255)).isEqualTo("PRIVATE255");
    assertThatThrownBy(() -> KeyStateCode.of(KeyStateTable.DRAFT_03, 256))
        .hasMessageContaining("KEY-STATE");
    assertThatThrownBy(() -> KeyStateCode.of(KeyStateTable.DRAFT_03, -1))
        .hasMessageContaining("KEY-STATE");
  }

  @Test
  void onlyChildCodesAreRequests() {
    assertThat(KeyStateCode.INQUIRE_KEY.isRequest()).isTrue();
    assertThat(KeyStateCode.REQUEST_AUTO_BOOTSTRAP.isRequest()).isTrue();
    assertThat(KeyStateCode.KEY_TRUSTED.isRequest()).isFalse();
    assertThat(KeyStateCode.REQUEST_MALFORMED.isRequest()).isFalse();
  }

  @Property(tries = 100)
  void everyAssignedCodeMapsBackToItsNumber(@ForAll @IntRange(min = 0, max = 255) int code,
      @ForAll KeyStateTable table) {
    KeyStateCode.of(table, code).ifPresent(k -> assertThat(k.requireCode(table)).isEqualTo(code));
    assertThat(KeyStateCode.mnemonic(table, code)).isNotBlank();
  }
}
