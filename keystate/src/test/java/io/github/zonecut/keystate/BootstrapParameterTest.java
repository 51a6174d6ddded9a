package io.github.zonecut.keystate;

import static io.github.zonecut.keystate.BootstrapMethod.AT_APEX;
import static io.github.zonecut.keystate.BootstrapMethod.AT_NS;
import static io.github.zonecut.keystate.BootstrapMethod.MANUAL;
import static io.github.zonecut.keystate.BootstrapMethod.UNSIGNED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.MalformedDataException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SVCBRecord;
import org.xbill.DNS.Type;

class BootstrapParameterTest {
  private static final Name TARGET = Name.fromConstantString("updater.parent.example.");
  // spec/specs.md §4.1: tdns's SVCB RDATA for `0 . key65282="at-apex,at-ns,manual"`
  private static final String TDNS_ALIAS_RDATA =
      "000000ff0200146174" + "2d617065782c61742d6e732c6d616e75616c";

  private static SVCBRecord svcb(String rdataHex) throws Exception {
    byte[] rdata = HexFormat.of().parseHex(rdataHex);
    return (SVCBRecord) Record.newRecord(TARGET, Type.SVCB, DClass.IN, 300, rdata);
  }

  @Test
  void aliasModeParametersAreIgnored() throws Exception {
    SVCBRecord alias = svcb(TDNS_ALIAS_RDATA);
    assertThat(alias.getSvcPriority()).isZero();
    assertThat(BootstrapParameter.from(alias, Codepoints.DEFAULT)).isEmpty();
    assertThat(BootstrapParameter.fromRecords(List.of(alias), Codepoints.DEFAULT)).isEmpty();
  }

  @Test
  void theSameParameterInServiceModeIsRead() throws Exception {
    SVCBRecord service = svcb("0001" + TDNS_ALIAS_RDATA.substring(4));
    assertThat(BootstrapParameter.from(service, Codepoints.DEFAULT)).get()
        .extracting(BootstrapParameter::methods).isEqualTo(List.of(AT_APEX, AT_NS, MANUAL));
  }

  @Test
  void publishesServiceModeAndRoundTripsThroughWireAndText() throws Exception {
    BootstrapParameter p = BootstrapParameter.of(AT_APEX, AT_NS, MANUAL);
    SVCBRecord rr = p.toSvcb(TARGET, 300, 1, Name.root, Codepoints.DEFAULT);
    // dnsjava prints the value unquoted, which is equally valid presentation (RFC 9460 §2.1)
    assertThat(rr.rdataToString()).isEqualTo("1 . key65282=at-apex,at-ns,manual");
    assertThat(HexFormat.of().formatHex(rr.rdataToWireCanonical()))
        .isEqualTo("0001" + TDNS_ALIAS_RDATA.substring(4));
    Record back = Record.fromWire(rr.toWireCanonical(), org.xbill.DNS.Section.ANSWER);
    assertThat(BootstrapParameter.from((SVCBRecord) back, Codepoints.DEFAULT)).contains(p);
    Record fromText = Record.fromString(TARGET, Type.SVCB, DClass.IN, 300,
        "1 . key65282=\"at-apex,at-ns,manual\"", Name.root);
    assertThat(BootstrapParameter.from((SVCBRecord) fromText, Codepoints.DEFAULT)).contains(p);
  }

  @Test
  void refusesToPublishInAliasMode() {
    assertThatThrownBy(() -> BootstrapParameter.of(MANUAL)
        .toSvcb(TARGET, 300, 0, Name.root, Codepoints.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AliasMode");
  }

  @Test
  void theKeyNumberComesFromTheProfile() throws Exception {
    Codepoints other = Codepoints.builder().svcbBootstrapKey(65300).build();
    SVCBRecord rr = BootstrapParameter.of(UNSIGNED).toSvcb(TARGET, 300, 1, Name.root, other);
    assertThat(rr.getSvcParamKeys()).containsExactly(65300);
    assertThat(BootstrapParameter.from(rr, other)).isPresent();
    assertThat(BootstrapParameter.from(rr, Codepoints.DEFAULT)).isEmpty();
  }

  @Test
  void toleratesTheGreaterThanSeparatorKeepingOrder() throws Exception {
    BootstrapParameter p = BootstrapParameter.parse("at-ns,at-apex>manual");
    assertThat(p.tokens()).containsExactly("at-ns", "at-apex", "manual");
    assertThat(p.value()).isEqualTo("at-ns,at-apex,manual");
  }

  @Test
  void keepsUnknownTokensButOnlyReportsKnownMethods() throws Exception {
    BootstrapParameter p = BootstrapParameter.parse("quantum-carrier-pigeon,unsigned,AT-APEX");
    assertThat(p.tokens()).hasSize(3);
    assertThat(p.methods()).containsExactly(UNSIGNED);
  }

  @Test
  void rejectsMalformedValues() {
    for (String bad : new String[] {"", ",", "at-apex,", "at-apex,,manual", ">manual",
        "at apex", "at-äpex"}) {
      assertThatThrownBy(() -> BootstrapParameter.parse(bad)).as(bad)
          .isInstanceOf(MalformedDataException.class);
    }
    assertThatThrownBy(() -> BootstrapParameter.fromWire(new byte[] {'a', (byte) 0xC3, 'b'}))
        .isInstanceOf(MalformedDataException.class).hasMessageContaining("offset 1");
    assertThatThrownBy(() -> new BootstrapParameter(List.of()))
        .hasMessageContaining("at least one");
  }

  @Test
  void picksTheLowestPriorityServiceModeRecord() throws Exception {
    SVCBRecord first = BootstrapParameter.of(MANUAL).toSvcb(TARGET, 300, 2, Name.root,
        Codepoints.DEFAULT);
    SVCBRecord preferred = BootstrapParameter.of(AT_APEX).toSvcb(TARGET, 300, 1, Name.root,
        Codepoints.DEFAULT);
    SVCBRecord alias = svcb(TDNS_ALIAS_RDATA);
    assertThat(BootstrapParameter.fromRecords(List.of(first, alias, preferred),
        Codepoints.DEFAULT)).contains(BootstrapParameter.of(AT_APEX));
  }

  @Test
  void choosesTheStrongestMethodTheChildCanSatisfy() {
    BootstrapParameter p = BootstrapParameter.of(MANUAL, UNSIGNED, AT_NS, AT_APEX);
    assertThat(p.choose(EnumSet.allOf(BootstrapMethod.class))).contains(AT_NS);
    assertThat(p.choose(EnumSet.of(AT_APEX, MANUAL))).contains(AT_APEX);
    assertThat(p.choose(EnumSet.of(UNSIGNED, MANUAL))).contains(UNSIGNED);
    assertThat(BootstrapParameter.of(AT_APEX, AT_NS, MANUAL).choose(EnumSet.of(UNSIGNED)))
        .isEmpty();
  }

  @Test
  void aPolicyAnnouncesExactlyWhatItAccepts() throws Exception {
    VerificationPolicy policy = VerificationPolicy.of(AT_APEX, AT_NS, MANUAL);
    assertThat(policy.announce().value()).isEqualTo("at-apex,at-ns,manual");
    assertThat(policy.accepts(UNSIGNED)).isFalse();
    assertThatThrownBy(() -> VerificationPolicy.of()).hasMessageContaining("at least one");
    assertThatThrownBy(() -> VerificationPolicy.of(MANUAL, MANUAL))
        .hasMessageContaining("duplicate");
  }

  @Provide
  Arbitrary<List<String>> tokenLists() {
    Arbitrary<String> known = Arbitraries.of(BootstrapMethod.class).map(BootstrapMethod::token);
    Arbitrary<String> other = Arbitraries.strings().withCharRange('a', 'z').withChars('-')
        .ofMinLength(1).ofMaxLength(8);
    return Arbitraries.oneOf(known, other).list().ofMinSize(1).ofMaxSize(6).uniqueElements();
  }

  @Property(tries = 200)
  void valuesRoundTripThroughWire(@ForAll("tokenLists") List<String> tokens) throws Exception {
    BootstrapParameter p = new BootstrapParameter(tokens);
    assertThat(BootstrapParameter.fromWire(p.toWire())).isEqualTo(p);
    assertThat(BootstrapParameter.parse(String.join(">", tokens))).isEqualTo(p);
  }

  @Property(tries = 200)
  void hostileBytesAreEitherMalformedOrStable(@ForAll byte[] value) {
    try {
      BootstrapParameter p = BootstrapParameter.fromWire(value);
      assertThat(BootstrapParameter.fromWire(p.toWire())).isEqualTo(p);
    } catch (MalformedDataException e) {
      assertThat(e.field()).isEqualTo("SVCB bootstrap");
    }
  }

  @Property(tries = 200)
  void theChoiceIsAnnouncedSatisfiableAndNothingStrongerIs(
      @ForAll("tokenLists") List<String> tokens, @ForAll Set<BootstrapMethod> satisfy) {
    BootstrapParameter p = new BootstrapParameter(tokens);
    var choice = p.choose(satisfy);
    List<BootstrapMethod> candidates =
        p.methods().stream().filter(satisfy::contains).toList();
    assertThat(choice.isPresent()).isEqualTo(!candidates.isEmpty());
    choice.ifPresent(c -> assertThat(candidates)
        .allSatisfy(m -> assertThat(m.strength()).isLessThanOrEqualTo(c.strength())));
  }
}
