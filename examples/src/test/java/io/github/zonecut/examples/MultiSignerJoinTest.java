package io.github.zonecut.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.DsData;
import io.github.zonecut.multisigner.ParentPolicy;
import io.github.zonecut.multisigner.Plan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class MultiSignerJoinTest {
  static final Name ZONE = Name.fromConstantString("child.parent.test.");

  @Test
  void theJoinCompletesGlitchFreeThroughTheDraftSteps() {
    MultiSignerJoin.Outcome o = MultiSignerJoin.run(ZONE);

    assertThat(o.last()).as(String.join("\n", o.log())).isInstanceOf(Plan.Done.class);
    assertThat(o.report().glitchFree()).as(o.report().toString()).isTrue();
    assertThat(o.succeeded()).isTrue();
    assertThat(String.join("\n", o.log()))
        .contains("§5.3 step 3", "§5.3 steps 4-5", "§5.3 step 7", "§5.3 steps 9-10",
            "§5.3 step 11", "§5.3 step 13", "DS_WAIT", "NS_WAIT");
    assertThat(MultiSignerJoin.summary(o)).startsWith("done (").contains("no cache combination");
  }

  @Test
  void theRunIsReproducible() {
    assertThat(MultiSignerJoin.run(ZONE).log()).isEqualTo(MultiSignerJoin.run(ZONE).log());
  }

  @Test
  void aParentThatIgnoresCdsLeavesThePlannerAwaitingIt() {
    ParentPolicy deaf = new ParentPolicy(List.of(DsData.SHA256), false, false, true,
        Duration.ofDays(7));

    MultiSignerJoin.Outcome o = MultiSignerJoin.run(ZONE, deaf);

    assertThat(o.last()).isInstanceOf(Plan.AwaitChange.class);
    assertThat(o.succeeded()).isFalse();
    assertThat(MultiSignerJoin.summary(o)).startsWith("stopped: ");
  }
}
