package io.github.zonecut.dsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DsData;
import java.io.StringReader;
import java.net.URL;
import java.time.Instant;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.junit.jupiter.api.Test;

class SecDnsMappingTest {
  static final DsData OLD = Fixture.KSK1.ds();
  static final DsData NEW = Fixture.KSK2.ds();

  static DelegationChange change(Delegation from, Delegation to) {
    return new DelegationChange("c1", Fixture.CHILD, from, to, DelegationChange.Source.SCAN,
        Instant.EPOCH);
  }

  static Delegation withDs(DsData... ds) {
    return Delegation.builder(Fixture.CHILD).nameservers(Fixture.NS1, Fixture.NS2).ds(ds).build();
  }

  static void validate(String xml) throws Exception {
    SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
    URL xsd = SecDnsMappingTest.class.getResource("/epp/secDNS-1.1.xsd");
    Validator v = f.newSchema(xsd).newValidator();
    v.validate(new StreamSource(new StringReader(xml)));
  }

  @Test
  void aKeyRollIsRemAndAddOfDsData() throws Exception {
    SecDnsMapping.SecDnsUpdate u = SecDnsMapping.secDns(change(withDs(OLD), withDs(NEW)),
        SecDnsMapping.Style.DELTA);

    assertThat(u.removeAll()).isFalse();
    assertThat(u.remove()).containsExactly(OLD);
    assertThat(u.add()).containsExactly(NEW);
    String xml = u.toXml();
    validate(xml);
    assertThat(xml).startsWith("<secDNS:update xmlns:secDNS=\"urn:ietf:params:xml:ns:secDNS-1.1\">"
        + "<secDNS:rem><secDNS:dsData><secDNS:keyTag>" + OLD.keyTag() + "</secDNS:keyTag>"
        + "<secDNS:alg>13</secDNS:alg><secDNS:digestType>2</secDNS:digestType>");
  }

  @Test
  void theSchemaIsNotVacuous() {
    String addBeforeRem = "<secDNS:update xmlns:secDNS=\"urn:ietf:params:xml:ns:secDNS-1.1\">"
        + "<secDNS:add><secDNS:dsData><secDNS:keyTag>1</secDNS:keyTag><secDNS:alg>13</secDNS:alg>"
        + "<secDNS:digestType>2</secDNS:digestType><secDNS:digest>AB</secDNS:digest>"
        + "</secDNS:dsData></secDNS:add><secDNS:rem><secDNS:all>true</secDNS:all></secDNS:rem>"
        + "</secDNS:update>";
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> validate(addBeforeRem))
        .isInstanceOf(org.xml.sax.SAXException.class);
  }

  @Test
  void theDeleteSentinelIsRemAll() throws Exception {
    SecDnsMapping.SecDnsUpdate u = SecDnsMapping.secDns(change(withDs(OLD), withDs()),
        SecDnsMapping.Style.DELTA);
    assertThat(u.removeAll()).isTrue();
    assertThat(u.toXml()).isEqualTo("<secDNS:update xmlns:secDNS=\"urn:ietf:params:xml:ns:"
        + "secDNS-1.1\"><secDNS:rem><secDNS:all>true</secDNS:all></secDNS:rem></secDNS:update>");
    validate(u.toXml());
  }

  @Test
  void replaceStyleIsRemAllPlusTheWholeSet() throws Exception {
    DsData sha384 = Fixture.KSK1.ds(DsData.SHA384);
    SecDnsMapping.SecDnsUpdate u = SecDnsMapping.secDns(change(withDs(OLD), withDs(OLD, sha384)),
        SecDnsMapping.Style.REPLACE);
    assertThat(u.removeAll()).isTrue();
    assertThat(u.add()).containsExactlyInAnyOrder(OLD, sha384);
    validate(u.toXml());
    assertThat(SecDnsMapping.secDns(change(withDs(OLD), withDs(OLD)), SecDnsMapping.Style.DELTA)
        .isEmpty()).isTrue();
  }

  @Test
  void nsAndGlueChangesAreHostValues() {
    Delegation from = Delegation.builder(Fixture.CHILD).nameservers(Fixture.NS1, Fixture.NS2)
        .build();
    Delegation to = Delegation.builder(Fixture.CHILD).nameservers(Fixture.NS1, Fixture.NS3)
        .glue(Fixture.NS3, Fixture.ip("192.0.2.3")).build();

    SecDnsMapping.HostUpdate h = SecDnsMapping.hosts(change(from, to));

    assertThat(h.domain()).isEqualTo("child.example");
    assertThat(h.add()).containsExactly("ns3.child.example");
    assertThat(h.remove()).containsExactly("ns2.operator.test");
    assertThat(h.addresses()).containsOnlyKeys("ns3.child.example");
    assertThat(h.addresses().get("ns3.child.example")).containsExactly(Fixture.ip("192.0.2.3"));
    assertThat(SecDnsMapping.secDns(change(from, to), SecDnsMapping.Style.DELTA).isEmpty())
        .isTrue();
    assertThat(List.of(h.isEmpty())).containsExactly(false);
  }

  static SecDnsMapping.KeyData kd(Fixture.Key k) {
    return SecDnsMapping.KeyData.of(k.cdnskey());
  }

  @Test
  void aCdnskeyRollIsRemAndAddOfKeyData() throws Exception {
    SecDnsMapping.KeyDataUpdate u = SecDnsMapping.keyData(change(withDs(OLD), withDs(NEW)),
        List.of(kd(Fixture.KSK1)), List.of(kd(Fixture.KSK2)), SecDnsMapping.Style.DELTA);

    assertThat(u.removeAll()).isFalse();
    assertThat(u.remove()).containsExactly(kd(Fixture.KSK1));
    assertThat(u.add()).containsExactly(kd(Fixture.KSK2));
    String xml = u.toXml();
    validate(xml);
    String pub = java.util.Base64.getEncoder().encodeToString(Fixture.KSK2.dnskey().getKey());
    assertThat(xml).endsWith("<secDNS:add><secDNS:keyData><secDNS:flags>257</secDNS:flags>"
        + "<secDNS:protocol>3</secDNS:protocol><secDNS:alg>13</secDNS:alg><secDNS:pubKey>" + pub
        + "</secDNS:pubKey></secDNS:keyData></secDNS:add></secDNS:update>");
  }

  @Test
  void keyDataDeleteAndReplace() throws Exception {
    SecDnsMapping.KeyDataUpdate delete = SecDnsMapping.keyData(change(withDs(OLD), withDs()),
        List.of(kd(Fixture.KSK1)), List.of(), SecDnsMapping.Style.DELTA);
    assertThat(delete.removeAll()).isTrue();
    assertThat(delete.add()).isEmpty();
    validate(delete.toXml());

    SecDnsMapping.KeyDataUpdate replace = SecDnsMapping.keyData(
        change(withDs(OLD), withDs(OLD, NEW)), List.of(kd(Fixture.KSK1)),
        List.of(kd(Fixture.KSK2), kd(Fixture.KSK1), kd(Fixture.ZSK)), SecDnsMapping.Style.REPLACE);
    assertThat(replace.removeAll()).isTrue();
    assertThat(replace.add()).containsExactlyInAnyOrder(kd(Fixture.KSK1), kd(Fixture.KSK2));
    validate(replace.toXml());
  }

  @Test
  void aDigestTypeChangeLeavesTheKeyAlone() throws Exception {
    DsData sha384 = Fixture.KSK1.ds(DsData.SHA384);
    SecDnsMapping.KeyDataUpdate u = SecDnsMapping.keyData(change(withDs(OLD), withDs(sha384)),
        List.of(kd(Fixture.KSK1)), List.of(kd(Fixture.KSK1)), SecDnsMapping.Style.DELTA);
    assertThat(u.isEmpty()).isTrue();
  }

  @Test
  void keysThatAreNotTheChangesAreRefused() {
    assertThatThrownBy(() -> SecDnsMapping.keyData(change(withDs(OLD), withDs(NEW)),
        List.of(kd(Fixture.KSK1)), List.of(kd(Fixture.KSK3)), SecDnsMapping.Style.DELTA))
        .isInstanceOf(io.github.zonecut.core.MalformedDataException.class)
        .hasMessageContaining("childKeys");
    assertThatThrownBy(() -> SecDnsMapping.keyData(change(withDs(OLD), withDs(NEW)),
        List.of(), List.of(kd(Fixture.KSK2)), SecDnsMapping.Style.DELTA))
        .hasMessageContaining("held");
  }

  @Test
  void theSchemaRejectsDsDataAndKeyDataMixed() {
    String pub = java.util.Base64.getEncoder().encodeToString(Fixture.KSK2.dnskey().getKey());
    String mixed = "<secDNS:update xmlns:secDNS=\"urn:ietf:params:xml:ns:secDNS-1.1\">"
        + "<secDNS:add><secDNS:dsData><secDNS:keyTag>1</secDNS:keyTag><secDNS:alg>13</secDNS:alg>"
        + "<secDNS:digestType>2</secDNS:digestType><secDNS:digest>AB</secDNS:digest>"
        + "</secDNS:dsData><secDNS:keyData><secDNS:flags>257</secDNS:flags>"
        + "<secDNS:protocol>3</secDNS:protocol><secDNS:alg>13</secDNS:alg><secDNS:pubKey>" + pub
        + "</secDNS:pubKey></secDNS:keyData></secDNS:add></secDNS:update>";
    assertThatThrownBy(() -> validate(mixed)).isInstanceOf(org.xml.sax.SAXException.class);
  }

  @Test
  void thePolicyChoosesTheInterface() {
    assertThat(AcceptancePolicy.cdnskeyWithDelayedBootstrap().secDnsInterface())
        .isEqualTo(AcceptancePolicy.SecDnsInterface.KEY_DATA);
    assertThat(AcceptancePolicy.defaults().secDnsInterface())
        .isEqualTo(AcceptancePolicy.SecDnsInterface.DS_DATA);
    assertThat(AcceptancePolicy.cdnskeyWithDelayedBootstrap()
        .withDsSource(AcceptancePolicy.DsSource.CDS).secDnsInterface())
        .isEqualTo(AcceptancePolicy.SecDnsInterface.DS_DATA);
    assertThatThrownBy(() -> AcceptancePolicy.cdsWithDsboot()
        .withSecDnsInterface(AcceptancePolicy.SecDnsInterface.KEY_DATA))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CDNSKEY");
  }
}
