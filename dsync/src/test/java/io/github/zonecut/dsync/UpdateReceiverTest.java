package io.github.zonecut.dsync;

import static io.github.zonecut.dsync.ReceiverFixture.CHILD;
import static io.github.zonecut.dsync.ReceiverFixture.EVIL;
import static io.github.zonecut.dsync.ReceiverFixture.NOW;
import static io.github.zonecut.dsync.ReceiverFixture.PARENT;
import static io.github.zonecut.dsync.ReceiverFixture.SIBLING;
import static io.github.zonecut.dsync.ReceiverFixture.addr;
import static io.github.zonecut.dsync.ReceiverFixture.ede;
import static io.github.zonecut.dsync.ReceiverFixture.name;
import static io.github.zonecut.dsync.ReceiverFixture.rcode;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.core.Codepoints;
import io.github.zonecut.core.Delegation;
import io.github.zonecut.core.DsData;
import io.github.zonecut.dsync.DelegationBackend.ApplyResult;
import io.github.zonecut.dsync.UpdateEvent.Outcome;
import io.github.zonecut.keystate.BootstrapMethod;
import io.github.zonecut.keystate.TrustState;
import io.github.zonecut.sig0.Sig0Config;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0Signer;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/** Every answer path of the receiver, and the hostile children of ddns §11 / spec/anchors.md. */
class UpdateReceiverTest {
  private static final Name NS1 = name("ns1.child.parent.example.");
  private static final Name NS2 = name("ns2.child.parent.example.");
  private static final Codepoints CP = Codepoints.DEFAULT;

  private Update nsChange() throws Exception {
    Update u = new ReceiverFixture().update();
    return u;
  }

  /** Adds ns2.child (with glue) and removes ns.provider.net: a delta-style delegation change. */
  private static Update deltaChange(ReceiverFixture f) throws Exception {
    Update u = f.update();
    u.add(CHILD, Type.NS, 3600, NS2.toString());
    u.add(NS2, Type.A, 3600, "192.0.2.2");
    u.delete(CHILD, Type.NS, "ns.provider.net.");
    return u;
  }

  /** Asserts the child's delegation is as the fixture made it. */
  private static void unchanged(ReceiverFixture f, Delegation before) {
    assertThat(f.current(CHILD)).isEqualTo(before);
  }

  @Test
  void appliesASignedDeltaChangeAndSignsTheAnswer() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    byte[] req = f.sign(deltaChange(f), f.childKey);
    byte[] ans = f.send(req);
    assertThat(rcode(ans)).isEqualTo(Rcode.NOERROR);
    assertThat(f.signedByReceiver(ans, req)).isTrue();
    Delegation d = f.current(CHILD);
    assertThat(d.nameservers()).containsExactlyInAnyOrder(NS1, NS2);
    assertThat(d.glue()).containsKeys(NS1, NS2);
    assertThat(f.events).singleElement().satisfies(e -> {
      assertThat(e.outcome()).isEqualTo(Outcome.APPLIED);
      assertThat(e.child()).isEqualTo(CHILD);
      assertThat(e.signed()).isTrue();
      assertThat(e.backendResult()).isInstanceOf(ApplyResult.Applied.class);
      assertThat(e.change()).isNotNull();
      assertThat(e.signerKey()).isEqualTo(f.childKey.publicKey());
    });
  }

  @Test
  void replaceStyleRemovesGlueWithItsNameServerAndSetsDs() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Update u = f.update();
    u.delete(CHILD, Type.NS);
    u.delete(NS1, Type.A);
    u.delete(NS1, Type.AAAA);
    u.delete(CHILD, Type.DS);
    u.add(CHILD, Type.NS, 7200, NS2.toString());
    u.add(NS2, Type.AAAA, 7200, "2001:db8::2");
    u.add(CHILD, Type.DS, 7200, "12345 15 2 " + "AB".repeat(32));
    byte[] ans = f.send(f.sign(u, f.childKey));
    assertThat(rcode(ans)).isEqualTo(Rcode.NOERROR);
    Delegation d = f.current(CHILD);
    assertThat(d.nameservers()).containsExactly(NS2);
    assertThat(d.glue()).containsOnlyKeys(NS2);
    assertThat(d.ds()).extracting(DsData::keyTag).containsExactly(12345);
    assertThat(d.nsTtl()).isEqualTo(7200);
  }

  @Test
  void deletingAnInBailiwickNameServerDropsItsGlue() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Update u = f.update();
    u.delete(CHILD, Type.NS, NS1.toString());
    assertThat(rcode(f.send(f.sign(u, f.childKey)))).isEqualTo(Rcode.NOERROR);
    assertThat(f.current(CHILD).nameservers()).containsExactly(name("ns.provider.net."));
    assertThat(f.current(CHILD).glue()).isEmpty();
  }

  @Test
  void removingEveryNameServerIsRefused() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Delegation before = f.current(CHILD);
    Update u = f.update();
    u.delete(CHILD, Type.NS);
    byte[] req = f.sign(u, f.childKey);
    byte[] ans = f.send(req);
    assertThat(rcode(ans)).isEqualTo(Rcode.REFUSED);
    assertThat(f.signedByReceiver(ans, req)).isTrue();
    unchanged(f, before);
    assertThat(f.events.get(0).outcome()).isEqualTo(Outcome.INVALID_CHANGE);
  }

  // --- signature paths: never signed -------------------------------------------------------

  @Test
  void unsignedIsRefusedUnsigned() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Delegation before = f.current(CHILD);
    byte[] req = deltaChange(f).toWire();
    byte[] ans = f.send(req);
    assertThat(rcode(ans)).isEqualTo(Rcode.REFUSED);
    assertThat(ede(ans)).isEqualTo(ExtendedErrorCodeOption.OTHER);
    assertThat(new Message(ans).getSectionArray(org.xbill.DNS.Section.ADDITIONAL))
        .noneMatch(r -> r.getType() == Type.SIG);
    assertThat(f.signedByReceiver(ans, req)).isFalse();
    unchanged(f, before);
    assertThat(f.events.get(0).outcome()).isEqualTo(Outcome.UNSIGNED);
  }

  @Test
  void unknownKeyIsBadkeyUnsigned() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Delegation before = f.current(CHILD);
    byte[] req = f.sign(deltaChange(f), ReceiverFixture.generate(CHILD));
    byte[] ans = f.send(req);
    assertThat(rcode(ans)).isEqualTo(Rcode.BADKEY);
    assertThat(ede(ans)).isEqualTo(ExtendedErrorCodeOption.OTHER);
    assertThat(f.signedByReceiver(ans, req)).isFalse();
    unchanged(f, before);
  }

  @Test
  void badSignatureIsBadsigUnsigned() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Delegation before = f.current(CHILD);
    byte[] req = f.sign(deltaChange(f), f.childKey);
    req[req.length - 1] ^= 1;
    byte[] ans = f.send(req);
    assertThat(rcode(ans)).isEqualTo(Rcode.BADSIG);
    assertThat(f.signedByReceiver(ans, req)).isFalse();
    unchanged(f, before);
  }

  @Test
  void oldSignatureIsBadtimeUnsigned() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Delegation before = f.current(CHILD);
    Sig0Signer late = Sig0Signer.create(Sig0Config.builder()
        .clock(Clock.fixed(NOW.minus(Duration.ofHours(2)), ZoneOffset.UTC)).build());
    byte[] req = late.sign(deltaChange(f), f.childKey);
    byte[] ans = f.send(req);
    assertThat(rcode(ans)).isEqualTo(Rcode.BADTIME);
    assertThat(f.signedByReceiver(ans, req)).isFalse();
    unchanged(f, before);
  }

  @Test
  void replayWithinTheWindowIsBadtimeAndAppliesOnce() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    byte[] req = f.sign(deltaChange(f), f.childKey);
    assertThat(rcode(f.send(req))).isEqualTo(Rcode.NOERROR);
    Delegation after = f.current(CHILD);
    byte[] again = f.send(req);
    assertThat(rcode(again)).isEqualTo(Rcode.BADTIME);
    assertThat(f.signedByReceiver(again, req)).isFalse();
    assertThat(f.current(CHILD)).isEqualTo(after);
    assertThat(f.events.get(1).outcome()).isEqualTo(Outcome.REPLAYED);
  }

  @Test
  void sharedGuardStopsAReplayOnASecondReceiver() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    UpdateReceiver second = UpdateReceiver.builder(Set.of(PARENT), f.receiverKey, f.registry,
        f.backend, f.guard).clock(f.clock).build();
    byte[] req = f.sign(deltaChange(f), f.childKey);
    assertThat(rcode(f.send(req))).isEqualTo(Rcode.NOERROR);
    assertThat(rcode(second.handle(req, ReceiverFixture.SOURCE))).isEqualTo(Rcode.BADTIME);
  }

  @Test
  void sigNotLastIsFormerrUnsigned() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Delegation before = f.current(CHILD);
    byte[] signed = f.sign(deltaChange(f), f.childKey);
    // append an A record after the SIG(0) and count it
    Record extra = Record.fromString(NS2, Type.A, DClass.IN, 60, "192.0.2.9", Name.root);
    byte[] tail = extra.toWire(org.xbill.DNS.Section.ADDITIONAL);
    byte[] req = Arrays.copyOf(signed, signed.length + tail.length);
    System.arraycopy(tail, 0, req, signed.length, tail.length);
    int ar = ((req[10] & 0xFF) << 8 | (req[11] & 0xFF)) + 1;
    req[10] = (byte) (ar >>> 8);
    req[11] = (byte) ar;
    byte[] ans = f.send(req);
    assertThat(rcode(ans)).isEqualTo(Rcode.FORMERR);
    assertThat(f.signedByReceiver(ans, req)).isFalse();
    unchanged(f, before);
  }

  @Test
  void truncatedMessagesAreFormerrOrDropped() throws Exception {
    ReceiverFixture f = new ReceiverFixture(b -> b.sourceRateLimit(10_000, Duration.ofMinutes(1)));
    Delegation before = f.current(CHILD);
    byte[] signed = f.sign(deltaChange(f), f.childKey);
    for (int n = 0; n < signed.length; n++) {
      byte[] ans = f.send(Arrays.copyOf(signed, n));
      if (n < 12) {
        assertThat(ans).isEmpty();
      } else {
        assertThat(rcode(ans)).isEqualTo(Rcode.FORMERR);
      }
    }
    unchanged(f, before);
    assertThat(f.events).hasSize(signed.length);
  }

  @Test
  void oversizedIsRefusedUnread() throws Exception {
    ReceiverFixture f = new ReceiverFixture(b -> b.maxMessageSize(512));
    Delegation before = f.current(CHILD);
    Update u = deltaChange(f);
    for (int i = 0; i < 20; i++) {
      u.add(CHILD, Type.DS, 3600, (1000 + i) + " 15 2 " + "CD".repeat(32));
    }
    byte[] req = f.sign(u, f.childKey);
    assertThat(req.length).isGreaterThan(512);
    byte[] ans = f.send(req);
    assertThat(rcode(ans)).isEqualTo(Rcode.REFUSED);
    assertThat(f.signedByReceiver(ans, req)).isFalse();
    unchanged(f, before);
    assertThat(f.events.get(0).outcome()).isEqualTo(Outcome.OVERSIZED);
  }

  @Test
  void tooManyRecordsIsRefusedByTheAuthorizer() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Delegation before = f.current(CHILD);
    Update u = f.update();
    for (int i = 0; i < 65; i++) {
      u.add(CHILD, Type.DS, 3600, (1000 + i) + " 15 2 " + "CD".repeat(32));
    }
    byte[] ans = f.send(f.sign(u, f.childKey));
    assertThat(rcode(ans)).isEqualTo(Rcode.REFUSED);
    unchanged(f, before);
  }

  @Test
  void zoneNotServedIsNotauthUnsigned() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Update u = new Update(name("other.example."));
    u.add(CHILD, Type.NS, 3600, NS2.toString());
    byte[] req = f.sign(u, f.childKey);
    byte[] ans = f.send(req);
    assertThat(rcode(ans)).isEqualTo(Rcode.NOTAUTH);
    assertThat(f.signedByReceiver(ans, req)).isFalse();
  }

  @Test
  void aQueryIsNotimpAndAResponseIsDropped() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Message q = Message.newQuery(Record.newRecord(CHILD, Type.SOA, DClass.IN));
    assertThat(rcode(f.send(q.toWire()))).isEqualTo(Rcode.NOTIMP);
    q.getHeader().setFlag(org.xbill.DNS.Flags.QR);
    assertThat(f.send(q.toWire())).isEmpty();
    assertThat(f.events).extracting(UpdateEvent::outcome)
        .containsExactly(Outcome.NOT_IMPLEMENTED, Outcome.DROPPED);
  }

  // --- hostile children: signed, verified, refused; the refusal is signed ------------------

  private static void refusedSigned(ReceiverFixture f, byte[] req, int rcode) throws Exception {
    Delegation before = f.current(CHILD);
    Delegation sibling = f.current(SIBLING);
    Delegation evil = f.current(EVIL);
    byte[] ans = f.send(req);
    assertThat(rcode(ans)).isEqualTo(rcode);
    assertThat(f.signedByReceiver(ans, req)).isTrue();
    assertThat(f.current(CHILD)).isEqualTo(before);
    assertThat(f.current(SIBLING)).isEqualTo(sibling);
    assertThat(f.current(EVIL)).isEqualTo(evil);
  }

  @Test
  void aSiblingCannotChangeTheChild() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    refusedSigned(f, f.sign(deltaChange(f), f.siblingKey), Rcode.REFUSED);
    assertThat(f.events.get(0).outcome()).isEqualTo(Outcome.NOT_AUTHORISED);
  }

  @Test
  void evilchildIsNotBelowChildLabelWise() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    // evilchild's own key, changing child: not at or below evilchild
    refusedSigned(f, f.sign(deltaChange(f), f.evilKey), Rcode.REFUSED);
    // child's key, changing evilchild (string suffix "child.parent.example." matches)
    Update u = f.update();
    u.add(EVIL, Type.NS, 3600, "ns.attacker.example.");
    refusedSigned(f, f.sign(u, f.childKey), Rcode.REFUSED);
    // glue below evilchild for a child NS
    Update g = f.update();
    g.add(name("ns.evilchild.parent.example."), Type.A, 3600, "192.0.2.66");
    refusedSigned(f, f.sign(g, f.childKey), Rcode.REFUSED);
  }

  @Test
  void wrongOwnerNsIsRefused() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Update u = f.update();
    u.add(NS1, Type.NS, 3600, "ns.attacker.example.");
    refusedSigned(f, f.sign(u, f.childKey), Rcode.REFUSED);
  }

  @Test
  void outOfBailiwickGlueIsRefused() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Update u = f.update();
    u.add(name("ns.provider.net."), Type.A, 3600, "192.0.2.66");
    // outside the parent zone altogether: NOTZONE (RFC 2136 §3.4.1.3)
    refusedSigned(f, f.sign(u, f.childKey), Rcode.NOTZONE);
    Update s = f.update();
    s.add(name("ns1.sibling.parent.example."), Type.A, 3600, "192.0.2.66");
    refusedSigned(f, f.sign(s, f.childKey), Rcode.REFUSED);
  }

  @Test
  void glueForAHostThatIsNoNameServerIsRefused() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Update u = f.update();
    u.add(name("www.child.parent.example."), Type.A, 3600, "192.0.2.80");
    refusedSigned(f, f.sign(u, f.childKey), Rcode.REFUSED);
  }

  @Test
  void keyChangeOutsideBootstrapIsRefused() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Sig0KeyPair other = ReceiverFixture.generate(CHILD);
    Update u = deltaChange(f);
    u.add(other.publicKey().toKeyRecord(3600));
    refusedSigned(f, f.sign(u, f.childKey), Rcode.REFUSED);
    assertThat(f.registry.keysOf(CHILD)).hasSize(1);
  }

  @Test
  void anyAxfrAndSoaTricksAreRefused() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Update any = f.update();
    any.delete(CHILD); // class ANY type ANY: delete every RRset of the child
    refusedSigned(f, f.sign(any, f.childKey), Rcode.REFUSED);
    Update soa = f.update();
    soa.delete(CHILD, Type.SOA);
    refusedSigned(f, f.sign(soa, f.childKey), Rcode.REFUSED);
    Update soaAdd = f.update();
    soaAdd.add(CHILD, Type.SOA, 3600, "ns1.child.parent.example. h.example. 1 2 3 4 5");
    refusedSigned(f, f.sign(soaAdd, f.childKey), Rcode.REFUSED);
    Update axfr = f.update();
    axfr.add(Record.newRecord(CHILD, Type.AXFR, DClass.IN, 0, new byte[0]));
    refusedSigned(f, f.sign(axfr, f.childKey), Rcode.FORMERR);
    Update anyAdd = f.update();
    anyAdd.add(Record.newRecord(CHILD, Type.ANY, DClass.IN, 0, new byte[0]));
    refusedSigned(f, f.sign(anyAdd, f.childKey), Rcode.FORMERR);
    Update cname = f.update();
    cname.add(NS2, Type.CNAME, 3600, "ns.attacker.example.");
    refusedSigned(f, f.sign(cname, f.childKey), Rcode.REFUSED);
  }

  // --- key states: REFUSED + the draft's EDE, signed ---------------------------------------

  @Test
  void knownNotTrustedKeyGetsItsEde() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Sig0KeyPair fresh = ReceiverFixture.generate(CHILD);
    f.know(fresh);
    byte[] req = f.sign(deltaChange(f), fresh);
    byte[] ans = f.send(req);
    assertThat(rcode(ans)).isEqualTo(Rcode.REFUSED);
    assertThat(ede(ans)).isEqualTo(CP.edeKeyKnownNotTrusted());
    assertThat(f.signedByReceiver(ans, req)).isTrue();
  }

  @Test
  void failedAndManualKeysGetTheirEde() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Sig0KeyPair failed = ReceiverFixture.generate(CHILD);
    f.know(failed);
    f.registry.startValidation(ReceiverFixture.id(failed), BootstrapMethod.AT_APEX, "t");
    f.registry.validationFailed(ReceiverFixture.id(failed), "t", "no RRSIG");
    byte[] ans = f.send(f.sign(deltaChange(f), failed));
    assertThat(rcode(ans)).isEqualTo(Rcode.REFUSED);
    assertThat(ede(ans)).isEqualTo(CP.edeKeyValidationFailed());
    Sig0KeyPair manual = ReceiverFixture.generate(CHILD);
    f.know(manual);
    f.registry.requireManual(ReceiverFixture.id(manual), "t", "no automatic method applies");
    byte[] m = f.send(f.sign(deltaChange(f), manual));
    assertThat(rcode(m)).isEqualTo(Rcode.REFUSED);
    assertThat(ede(m)).isEqualTo(CP.edeManualBootstrapRequired());
  }

  // --- bootstrap and roll ------------------------------------------------------------------

  @Test
  void selfSignedBootstrapMakesTheKeyKnownAndIsAnsweredSigned() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Sig0KeyPair fresh = ReceiverFixture.generate(CHILD);
    Update u = f.update();
    u.delete(CHILD, Type.KEY);
    u.add(fresh.publicKey().toKeyRecord(3600));
    byte[] req = f.sign(u, fresh);
    byte[] ans = f.send(req);
    assertThat(rcode(ans)).isEqualTo(Rcode.NOERROR);
    assertThat(f.signedByReceiver(ans, req)).isTrue();
    assertThat(f.registry.find(ReceiverFixture.id(fresh)).orElseThrow().state())
        .isEqualTo(TrustState.KNOWN);
    // the old trusted key stays until the new one is validated (ddns §9.4.1)
    assertThat(f.registry.isTrusted(ReceiverFixture.id(f.childKey))).isTrue();
    assertThat(f.events.get(0).outcome()).isEqualTo(Outcome.KEY_UPLOADED);
  }

  @Test
  void bootstrapSignedByAnotherUnknownKeyIsBadkey() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Sig0KeyPair fresh = ReceiverFixture.generate(CHILD);
    Update u = f.update();
    u.add(fresh.publicKey().toKeyRecord(3600));
    byte[] ans = f.send(f.sign(u, ReceiverFixture.generate(CHILD)));
    assertThat(rcode(ans)).isEqualTo(Rcode.BADKEY);
    assertThat(f.registry.keysOf(CHILD)).hasSize(1);
  }

  @Test
  void keyRollAddsTheNewKeyThenTheNewKeyDeletesTheOld() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Sig0KeyPair next = ReceiverFixture.generate(CHILD);
    Update add = f.update();
    add.add(next.publicKey().toKeyRecord(3600));
    byte[] ans = f.send(f.sign(add, f.childKey));
    assertThat(rcode(ans)).isEqualTo(Rcode.NOERROR);
    assertThat(f.registry.isTrusted(ReceiverFixture.id(next))).isTrue();
    assertThat(f.registry.isTrusted(ReceiverFixture.id(f.childKey))).isTrue();
    Update del = f.update();
    del.delete(f.childKey.publicKey().toKeyRecord(0));
    byte[] req = f.sign(del, next);
    byte[] ans2 = f.send(req);
    assertThat(rcode(ans2)).isEqualTo(Rcode.NOERROR);
    assertThat(f.signedByReceiver(ans2, req)).isTrue();
    assertThat(f.registry.find(ReceiverFixture.id(f.childKey))).isEmpty();
    // the new key now changes the delegation
    assertThat(rcode(f.send(f.sign(deltaChange(f), next)))).isEqualTo(Rcode.NOERROR);
    assertThat(f.events).extracting(UpdateEvent::outcome)
        .containsExactly(Outcome.KEY_ROLLED, Outcome.KEY_ROLLED, Outcome.APPLIED);
  }

  @Test
  void aKeyMayNotDeleteItself() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Update del = f.update();
    del.delete(f.childKey.publicKey().toKeyRecord(0));
    refusedSigned(f, f.sign(del, f.childKey), Rcode.REFUSED);
    assertThat(f.registry.isTrusted(ReceiverFixture.id(f.childKey))).isTrue();
  }

  // --- prerequisites -----------------------------------------------------------------------

  @Test
  void prerequisitesAreEvaluatedAgainstTheCurrentDelegation() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    Update absent = deltaChange(f);
    absent.absent(CHILD, Type.NS);
    refusedSigned(f, f.sign(absent, f.childKey), Rcode.YXRRSET);
    Update nx = deltaChange(f);
    nx.present(CHILD, Type.DS);
    refusedSigned(f, f.sign(nx, f.childKey), Rcode.NXRRSET);
    Update nxd = deltaChange(f);
    nxd.present(NS2);
    refusedSigned(f, f.sign(nxd, f.childKey), Rcode.NXDOMAIN);
    Update yxd = deltaChange(f);
    yxd.absent(NS1);
    refusedSigned(f, f.sign(yxd, f.childKey), Rcode.YXDOMAIN);
    Update value = deltaChange(f);
    value.present(Record.fromString(CHILD, Type.NS, DClass.IN, 0, "ns1.child.parent.example.",
        Name.root));
    refusedSigned(f, f.sign(value, f.childKey), Rcode.NXRRSET); // the RRset has two NS
    Update ok = deltaChange(f);
    ok.present(CHILD, Type.NS);
    ok.absent(CHILD, Type.DS);
    assertThat(rcode(f.send(f.sign(ok, f.childKey)))).isEqualTo(Rcode.NOERROR);
  }

  // --- backend and checks ------------------------------------------------------------------

  private static DelegationBackend scripted(InMemoryDelegationBackend real,
      Optional<ApplyResult> result, boolean fail) {
    return new DelegationBackend() {
      @Override
      public Optional<Delegation> current(Name child) {
        return real.current(child);
      }

      @Override
      public ApplyResult apply(DelegationChange change) throws BackendException {
        if (fail) {
          throw new BackendException("database down");
        }
        return result.orElseThrow();
      }
    };
  }

  private static byte[] viaBackend(DelegationBackend backend, Map<String, Integer> out)
      throws Exception {
    ReceiverFixture base = new ReceiverFixture();
    UpdateReceiver r = UpdateReceiver.builder(Set.of(PARENT), base.receiverKey, base.registry,
        backend, base.guard).clock(base.clock).build();
    byte[] req = base.sign(deltaChange(base), base.childKey);
    byte[] ans = r.handle(req, ReceiverFixture.SOURCE);
    out.put("signed", base.signedByReceiver(ans, req) ? 1 : 0);
    return ans;
  }

  @Test
  void backendResultsMapToRcodes() throws Exception {
    InMemoryDelegationBackend real = new ReceiverFixture().backend;
    Map<String, Integer> out = new java.util.HashMap<>();
    assertThat(rcode(viaBackend(scripted(real, Optional.of(new ApplyResult.Queued("x")), false),
        out))).isEqualTo(Rcode.NOERROR);
    assertThat(rcode(viaBackend(scripted(real,
        Optional.of(new ApplyResult.AlreadyApplied("x")), false), out))).isEqualTo(Rcode.NOERROR);
    assertThat(rcode(viaBackend(scripted(real,
        Optional.of(new ApplyResult.Conflict("x", "moved")), false), out)))
        .isEqualTo(Rcode.REFUSED);
    byte[] rej = viaBackend(scripted(real, Optional.of(new ApplyResult.Rejected("x", "locked")),
        false), out);
    assertThat(rcode(rej)).isEqualTo(Rcode.REFUSED);
    assertThat(ede(rej)).isEqualTo(ExtendedErrorCodeOption.PROHIBITED);
    byte[] fail = viaBackend(scripted(real, Optional.empty(), true), out);
    assertThat(rcode(fail)).isEqualTo(Rcode.SERVFAIL);
    assertThat(out.get("signed")).isEqualTo(1);
  }

  @Test
  void aRefusingCheckStopsTheChange() throws Exception {
    ReceiverFixture f = new ReceiverFixture(b -> b.check(change -> new ChangeCheck.Result.Refused(
        ChangeCheck.Reason.DS_MISMATCH, "DS 12345 matches no DNSKEY")));
    Delegation before = f.current(CHILD);
    byte[] req = f.sign(deltaChange(f), f.childKey);
    byte[] ans = f.send(req);
    assertThat(rcode(ans)).isEqualTo(Rcode.REFUSED);
    assertThat(ede(ans)).isEqualTo(ExtendedErrorCodeOption.OTHER);
    assertThat(f.signedByReceiver(ans, req)).isTrue();
    unchanged(f, before);
    assertThat(f.events.get(0).outcome()).isEqualTo(Outcome.CHECK_REFUSED);
    assertThat(f.events.get(0).change()).isNotNull();
  }

  @Test
  void answerOnAcceptAnswersBeforeTheBackend() throws Exception {
    java.util.List<Runnable> later = new java.util.ArrayList<>();
    ReceiverFixture f = new ReceiverFixture(b -> b.answerOnAccept(later::add));
    Delegation before = f.current(CHILD);
    byte[] ans = f.send(f.sign(deltaChange(f), f.childKey));
    assertThat(rcode(ans)).isEqualTo(Rcode.NOERROR);
    unchanged(f, before);
    assertThat(f.events.get(0).outcome()).isEqualTo(Outcome.ACCEPTED);
    later.forEach(Runnable::run);
    assertThat(f.current(CHILD).nameservers()).contains(NS2);
  }

  @Test
  void notDelegatedIsRefused() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    f.backend.remove(CHILD);
    byte[] ans = f.send(f.sign(deltaChange(f), f.childKey));
    assertThat(rcode(ans)).isEqualTo(Rcode.REFUSED);
    assertThat(f.backend.current(CHILD)).isEmpty();
  }

  // --- rate limits -------------------------------------------------------------------------

  @Test
  void childRateLimitIsChargedOnlyAfterVerification() throws Exception {
    ReceiverFixture f = new ReceiverFixture(b -> b.childRateLimit(1, Duration.ofHours(1)));
    // a stranger's unsigned and badly signed UPDATEs for the child cost the child nothing
    f.send(deltaChange(f).toWire());
    f.send(f.sign(deltaChange(f), ReceiverFixture.generate(CHILD)));
    assertThat(rcode(f.send(f.sign(deltaChange(f), f.childKey)))).isEqualTo(Rcode.NOERROR);
    Update u = f.update();
    u.delete(CHILD, Type.NS, NS2.toString());
    byte[] req = f.sign(u, f.childKey);
    byte[] ans = f.send(req);
    assertThat(rcode(ans)).isEqualTo(Rcode.REFUSED);
    assertThat(f.signedByReceiver(ans, req)).isTrue();
    assertThat(f.events.get(3).outcome()).isEqualTo(Outcome.RATE_LIMITED);
  }

  @Test
  void sourceRateLimitRefusesUnsigned() throws Exception {
    ReceiverFixture f = new ReceiverFixture(b -> b.sourceRateLimit(2, Duration.ofHours(1)));
    f.send(deltaChange(f).toWire());
    f.send(deltaChange(f).toWire());
    byte[] req = f.sign(deltaChange(f), f.childKey);
    byte[] ans = f.send(req);
    assertThat(rcode(ans)).isEqualTo(Rcode.REFUSED);
    assertThat(f.signedByReceiver(ans, req)).isFalse();
    // sources are limited per prefix (IPv4 /24): a neighbour in the same /24 shares the bucket,
    // another /24 does not
    assertThat(rcode(f.receiver.handle(f.sign(deltaChange(f), f.childKey), addr("127.0.0.3"))))
        .isEqualTo(Rcode.REFUSED);
    assertThat(f.receiver.handle(req, addr("127.0.1.3"))).satisfies(
        a -> assertThat(rcode(a)).isEqualTo(Rcode.NOERROR));
  }

  // --- registrar ---------------------------------------------------------------------------

  @Test
  void registrarKeyChangesItsListedChildrenOnly() throws Exception {
    Name registrar = name("registrar.example.");
    Sig0KeyPair reg = ReceiverFixture.generate(registrar);
    ReceiverFixture f = new ReceiverFixture(b -> b.authorizer(
        UpdateAuthorizer.registrar(registrar, Set.of(CHILD))));
    f.trust(reg);
    assertThat(rcode(f.send(f.sign(deltaChange(f), reg)))).isEqualTo(Rcode.NOERROR);
    Update s = f.update();
    s.add(SIBLING, Type.NS, 3600, "ns.attacker.example.");
    refusedSigned(f, f.sign(s, reg), Rcode.REFUSED);
    Update k = f.update();
    k.add(ReceiverFixture.generate(CHILD).publicKey().toKeyRecord(3600));
    refusedSigned(f, f.sign(k, reg), Rcode.REFUSED);
    // the child's own key still works
    Update own = f.update();
    own.delete(CHILD, Type.NS, NS2.toString());
    assertThat(rcode(f.send(f.sign(own, f.childKey)))).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void everyRequestGivesExactlyOneEvent() throws Exception {
    ReceiverFixture f = new ReceiverFixture();
    f.send(new byte[3]);
    f.send(deltaChange(f).toWire());
    f.send(f.sign(deltaChange(f), f.childKey));
    assertThat(f.events).hasSize(3);
  }
}
