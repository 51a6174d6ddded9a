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
        .contains("is BOOTSTRAP_AUTO")
        .contains("KEY_UPLOADED, answered NOERROR (signed)")
        .contains("§5.3 step 3")
        .contains("glitch checker: no cache combination fails")
        .contains("=> REFUSED BOGUS")
        .contains("Demo complete")
        .doesNotContain("DEMO FAILED");
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
