package io.github.zonecut.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class NamesTest {
  private static Name n(String s) {
    return Name.fromConstantString(s);
  }

  @Test
  void bailiwickIsLabelWiseNotStringSuffix() {
    Name child = n("child.example.");
    // tdns's string-suffix test takes this one for in-bailiwick (anchors.md §4.1 item 6)
    assertThat(Names.isInBailiwick(n("ns.notchild.example."), child)).isFalse();
    assertThat(Names.isInBailiwick(n("ns.child.example."), child)).isTrue();
    assertThat(Names.isInBailiwick(n("NS.Child.EXAMPLE."), child)).isTrue();
    assertThat(Names.isInBailiwick(n("child.example."), child)).isTrue();
    assertThat(Names.isInBailiwick(n("example."), child)).isFalse();
    assertThat(Names.isInBailiwick(n("a.b.c.child.example."), child)).isTrue();
  }

  @Test
  void atOrBelowAndStrictlyBelow() {
    assertThat(Names.isAtOrBelow(n("example."), n("example."))).isTrue();
    assertThat(Names.isBelow(n("example."), n("example."))).isFalse();
    assertThat(Names.isBelow(n("a.example."), n("EXAMPLE."))).isTrue();
    assertThat(Names.isBelow(n("example."), Name.root)).isTrue();
    assertThat(Names.isAtOrBelow(Name.root, Name.root)).isTrue();
    assertThat(Names.isBelow(Name.root, Name.root)).isFalse();
    assertThat(Names.isAtOrBelow(n("xexample."), n("example."))).isFalse();
  }

  @Test
  void relativeNamesAreRefusedClearly() {
    assertThatThrownBy(() -> Names.isAtOrBelow(n("ns.child"), n("child.")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absolute");
    assertThatThrownBy(() -> Names.dsyncLookupName(n("child.example")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absolute");
  }

  @Test
  void rfc9859LookupNames() throws Exception {
    // RFC 9859 §4.1 step 1
    assertThat(Names.dsyncLookupName(n("child.example.")))
        .isEqualTo(n("child._dsync.example."));
    // §4.1 worked example
    assertThat(Names.dsyncLookupName(n("subsub.sub.child.example.")))
        .isEqualTo(n("subsub._dsync.sub.child.example."));
    assertThat(Names.dsyncLookupName(n("subsub.sub.child.example."), n("example.")))
        .isEqualTo(n("subsub.sub.child._dsync.example."));
    assertThat(Names.dsyncApex(n("example."))).isEqualTo(n("_dsync.example."));
    // case is kept
    assertThat(Names.dsyncLookupName(n("Child.Example.")).toString())
        .isEqualTo("Child._dsync.Example.");
  }

  @Test
  void rootZoneIsNative() throws Exception {
    assertThat(Names.dsyncLookupName(n("example."))).isEqualTo(n("example._dsync."));
    assertThat(Names.dsyncLookupName(n("child.example."), Name.root))
        .isEqualTo(n("child.example._dsync."));
    assertThat(Names.dsyncApex(Name.root)).isEqualTo(n("_dsync."));
    assertThatThrownBy(() -> Names.dsyncLookupName(Name.root))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("root");
  }

  @Test
  void lookupNameNeedsTheParentAbove() {
    assertThatThrownBy(() -> Names.dsyncLookupName(n("example."), n("example.")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not below");
    assertThatThrownBy(() -> Names.dsyncLookupName(n("a.example."), n("other.")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not below");
  }

  @Test
  void tooLongResultIsMalformed() throws Exception {
    String label = "a".repeat(63);
    Name longName = Name.fromString(label + "." + label + "." + label + "." + "a".repeat(58)
        + ".");
    assertThat((int) longName.length()).isGreaterThan(250);
    assertThatThrownBy(() -> Names.dsyncLookupName(longName))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("255");
  }
}
