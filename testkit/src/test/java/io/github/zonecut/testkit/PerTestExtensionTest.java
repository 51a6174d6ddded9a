package io.github.zonecut.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.Type;

/** On an instance field the extension gives every test a fresh hierarchy. */
class PerTestExtensionTest {
  private static long firstSerialSeen = -1;

  @RegisterExtension
  final TestHierarchyExtension hierarchy = TestHierarchyExtension.of(b -> b.zone("test."));

  @Test
  void editsDoNotLeakIntoTheNextTestA() {
    checkFreshAndEdit();
  }

  @Test
  void editsDoNotLeakIntoTheNextTestB() {
    checkFreshAndEdit();
  }

  private void checkFreshAndEdit() {
    TestZone zone = hierarchy.get().zone("test.");
    assertThat(zone.rrset("leak", Type.A)).isEmpty();
    if (firstSerialSeen < 0) {
      firstSerialSeen = zone.serial();
    }
    assertThat(zone.serial()).isEqualTo(firstSerialSeen);
    zone.add("leak A 192.0.2.1");
    assertThat(zone.toMasterFile()).contains("leak.test.").contains("RRSIG").contains("NSEC");
  }
}
