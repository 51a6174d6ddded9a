package io.github.zonecut.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.testkit.ParentDs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's demo, run in-process: it must succeed, and fail loudly when the DNS is broken. */
class DemoTest {

  private static String run(java.util.function.ToIntFunction<PrintStream> demo, int[] status) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      status[0] = demo.applyAsInt(out);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void everySectionSucceeds() {
    int[] status = {-1};
    String output = run(Demo::run, status);

    assertThat(status[0]).as(output).isZero();
    assertThat(output)
        .contains("NOTIFY(CDS) endpoint of child.parent.test.")
        .contains("UPDATE endpoint of child.parent.test.")
        .contains("=> FOUND")
        .contains("Verified by key tag")
        .contains("Replayed (BADTIME)")
        .contains("BadSignature (BADSIG)")
        .contains("answer NOERROR")
        .contains("KEY_UPLOADED, answered NOERROR (signed)")
        .contains("[5] KeyState polled until the parent trusts the key")
        .contains("is KEY_TRUSTED")
        .contains("[6] NS set changed by signed UPDATE")
        .contains("the agent's UPDATE: ADD NS ns3.child.parent.test.")
        .contains("[7] DS roll begun by signed UPDATE")
        .containsPattern("the agent's UPDATE: ADD DS \\d+ 15 4\\n")
        .contains("APPLIED, answered NOERROR (signed)")
        .contains("signed answer from the parent: Accepted")
        .contains("[8] CDS change announced by NOTIFY")
        .contains("DS the SHA-384 one alone")
        .contains("§5.3 step 3")
        .contains("glitch checker: no cache combination fails")
        .contains("=> REFUSED BOGUS")
        .contains("Demo complete")
        .doesNotContain("DEMO FAILED");
  }

  @Test
  void theStepsComeInTheStoryOrderAndTheParentEndsWithTheNewNsAndDs() {
    java.util.List<String> titles = new java.util.ArrayList<>();
    Demo.Report report = Demo.run(Demo.Scenario.DELEGATION, new Demo.Listener() {
      @Override
      public void finished(Demo.StepReport step) {
        titles.add(step.number() + " " + step.title() + " => " + step.verdict());
      }
    });

    assertThat(report.succeeded()).as(String.join("\n", titles)).isTrue();
    assertThat(titles).hasSize(9);
    assertThat(titles.get(4)).startsWith("5 KeyState polled")
        .matches("(?s).* => key \\d+ (\\w+ -> )*KEY_TRUSTED after \\d+ inquiries");
    assertThat(titles.get(5)).startsWith("6 NS set changed")
        .endsWith("the parent's NS set holds ns3.child.parent.test.");
    assertThat(titles.get(6)).startsWith("7 DS roll begun")
        .endsWith("the parent added the new SHA-384 DS");
    assertThat(titles.get(7)).startsWith("8 CDS change announced by NOTIFY")
        .endsWith("DS applied (SHA-384 alone)");
  }

  @Test
  void aBrokenParentMakesTheDemoFailWithTheReason() {
    int[] status = {-1};
    String output = run(out -> Demo.run(out,
        dns -> dns.zone("parent.test.").setParentDs(ParentDs.WRONG)), status);

    assertThat(status[0]).as(output).isEqualTo(1);
    assertThat(output)
        .contains("DEMO FAILED: discovery of the NOTIFY(CDS) endpoint was refused: BOGUS")
        .doesNotContain("Demo complete");
  }
}
