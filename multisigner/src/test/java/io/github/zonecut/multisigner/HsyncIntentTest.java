package io.github.zonecut.multisigner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.HsyncParam;
import io.github.zonecut.core.HsyncParamRecord;
import io.github.zonecut.core.HsyncRecord;
import io.github.zonecut.core.HsyncState;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** The zone owner's HSYNC/HSYNCPARAM intent (specs §5) as a planner intent. */
class HsyncIntentTest {
  private static final Name ZONE = Name.fromConstantString("customer.example.");

  private static HsyncRecord hsync(HsyncState state, String label) {
    return HsyncRecord.of(ZONE, 3600, state, label, Name.fromConstantString("agent." + label + ".net."),
        Optional.empty());
  }

  @Test
  void onProvidersListedAsSignersFormTheGroup() {
    HsyncParamRecord param = HsyncParamRecord.of(ZONE, 3600, List.of(
        HsyncParam.nsmgmt(HsyncParam.Role.OWNER), HsyncParam.parentsync(HsyncParam.Role.AGENT),
        HsyncParam.signers(List.of("alpha", "bravo"))));
    Intent intent = Intent.fromHsync(List.of(hsync(HsyncState.ON, "alpha"),
        hsync(HsyncState.ON, "Bravo"), hsync(HsyncState.OFF, "charlie"), hsync(HsyncState.ON, "delta")),
        param);
    // charlie is OFF (offboarding), delta is ON but not a signer in HSYNCPARAM
    assertThat(intent.group()).containsExactly(SignerId.of("alpha"), SignerId.of("bravo"));
    assertThat(intent.policy()).isEqualTo(new GroupPolicy(GroupPolicy.Actor.OWNER, GroupPolicy.Actor.AGENT));
  }

  @Test
  void withoutHsyncparamEveryOnProviderSignsAndAgentsManage() {
    Intent intent = Intent.fromHsync(List.of(hsync(HsyncState.ON, "alpha"), hsync(HsyncState.OFF, "bravo")), null);
    assertThat(intent.group()).containsExactly(SignerId.of("alpha"));
    assertThat(intent.policy()).isEqualTo(GroupPolicy.AUTOMATED);
  }

  @Test
  void refusesAnIntentWithoutSigners() {
    assertThatThrownBy(() -> Intent.fromHsync(List.of(hsync(HsyncState.OFF, "alpha")), null))
        .hasMessageContaining("no signing provider");
  }
}
