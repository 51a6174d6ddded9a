package io.github.zonecut.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.dsync.NotifyOutcome;
import io.github.zonecut.keystate.KeyStateCode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/** Each example program, run as its {@code main} would, with its outcome checked. */
class ExamplesTest {

  @Test
  void registryParentTrustsAnUploadedKeyAndQueuesANotifiedScan(@TempDir Path dir)
      throws Exception {
    RegistryParent.Result r = RegistryParent.run(dir);

    assertThat(r.bootstrap().isAccepted()).as(r.bootstrap().toString()).isTrue();
    assertThat(r.trusted()).as("at-apex validation trusted the key").isTrue();
    assertThat(r.notified()).isInstanceOf(NotifyOutcome.Acknowledged.class);
    assertThat(r.scansQueued()).isEqualTo(1);
    assertThat(r.audit())
        .anyMatch(l -> l.contains("\"kind\":\"update\"") && l.contains("\"KEY_UPLOADED\"")
            && l.contains("\"child\":\"child.parent.test.\"") && l.contains("\"signed\":true"))
        .anyMatch(l -> l.contains("\"kind\":\"notify\"") && l.contains("\"type\":\"CDS\"")
            && l.contains("\"SCHEDULED\""))
        .allMatch(l -> l.startsWith("{") && l.endsWith("}"));
  }

  @Test
  void childOperatorAgentBootstrapsWaitsForTrustThenChangesNsAndRollsDs(@TempDir Path dir)
      throws Exception {
    ChildOperatorAgent.Result r = ChildOperatorAgent.run(dir);

    assertThat(r.steps()).as(String.join("\n", r.steps())).hasSize(5);
    assertThat(r.keyStates()).last().isEqualTo(KeyStateCode.KEY_TRUSTED);
    assertThat(r.steps().get(1)).startsWith("bootstrap: Sent");
    assertThat(r.delegation().nameservers()).contains(ChildOperatorAgent.NEW_NS);
    assertThat(r.delegation().ds()).singleElement()
        .satisfies(ds -> assertThat(ds.digestType()).isEqualTo(4)); // SHA-384, from the CDS
  }

  @Test
  void registryCdsScanAppliesTheSha384CdsRefusesTheBogusOneAndMapsToEpp() throws Exception {
    RegistryCdsScan.Result r = RegistryCdsScan.run();

    assertThat(r.outcomes()).as(r.toString()).containsEntry("alpha.test.", "Applied")
        .containsEntry("charlie.test.", "NoChange");
    assertThat(r.outcomes().get("bravo.test.")).startsWith("Refused:");
    assertThat(r.secDns()).containsOnlyKeys("alpha.test.");
    assertThat(r.secDns().get("alpha.test."))
        .startsWith("<secDNS:update xmlns:secDNS=\"urn:ietf:params:xml:ns:secDNS-1.1\">")
        .contains("<secDNS:add>").contains("<secDNS:digestType>4</secDNS:digestType>");
    assertThat(r.progress().done()).isEqualTo(3);
  }

  @Test
  void vendorSignalsWaitsForTheLaggingSecondaryThenNotifies() throws Exception {
    VendorSignals.Result r = VendorSignals.run();

    assertThat(r.published()).extracting(rr -> Type.string(rr.getType()))
        .contains("CDS", "CDNSKEY", "CSYNC");
    assertThat(r.published()).anyMatch(rr -> rr.getName().toString()
        .startsWith("_dsboot.shop.parent.test._signal.ns1.vendor.test."));
    assertThat(r.whileLagging().consistent()).isFalse();
    assertThat(r.whileLagging().problems()).isNotEmpty();
    assertThat(r.consistent().consistent()).as(r.consistent().problems().toString()).isTrue();
    assertThat(r.notified()).isInstanceOf(NotifyOutcome.Acknowledged.class);
    assertThat(r.scansQueued()).isEqualTo(1);
  }

  @Test
  void researcherHarnessFindsTheHonestEndpointAndRefusesEveryFault() throws Exception {
    Map<String, String> v = ResearcherHarness.run();

    assertThat(v).as(v.toString()).hasSize(4);
    assertThat(v.get("honest resolver")).startsWith("FOUND scanner.parent.test.");
    assertThat(v.get("DSYNC target rewritten")).startsWith("REFUSED BOGUS")
        .doesNotContain("attacker");
    assertThat(v.get("signatures bogus")).startsWith("REFUSED BOGUS");
    assertThat(v.get("resolver SERVFAIL")).startsWith("REFUSED LOOKUP_FAILED");
  }
}
