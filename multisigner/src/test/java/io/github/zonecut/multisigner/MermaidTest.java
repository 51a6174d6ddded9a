package io.github.zonecut.multisigner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MermaidTest {

  @Test
  void rendersAJoinFromStartToDone() {
    Simulation w = new Simulation(1);
    Simulation.Sig a = w.addSigner("alpha", 13, false, 3600, 3600, 3600);
    Simulation.Sig b = w.addSigner("bravo", 13, true, 3600, 3600, 3600);
    w.formGroup(List.of(a));
    Simulation.Result run = w.drive(Planner.create(), Intent.group(a.id, b.id), 0, 100);
    String history = Mermaid.history(run.plans());
    assertThat(history).startsWith("flowchart TD\n")
        .contains("<b>alpha</b>: add DNSKEY [257/13/")
        .contains("<i>§5.3 steps 4-5</i>")
        .contains("wait DS_WAIT until")
        .contains("done: group [alpha, bravo] is stable")
        .contains("r0_done --> r1");
    // labels never carry raw quotes, which would end a Mermaid label early
    for (String line : history.split("\n")) {
      assertThat(line.chars().filter(c -> c == '"').count() % 2).as(line).isZero();
    }
    String one = Mermaid.plan(run.plans().get(0));
    assertThat(one).contains("p([\"execute").contains(" -- \"alpha serves DNSKEY");
  }

  @Test
  void rendersRefusalsAndEscapes() {
    Plan p = new Plan.Refused(new Refusal.SignerNotReady(SignerId.of("x"), "says \"no\" <now> #1"));
    assertThat(Mermaid.plan(p)).contains("refused: signer x is not ready: says #quot;no#quot; #lt;now#gt; #35;1");
  }
}
