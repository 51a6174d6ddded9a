package io.github.zonecut.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.zonecut.sig0.Sig0KeyFiles;
import io.github.zonecut.sig0.Sig0KeyLookup;
import io.github.zonecut.sig0.Sig0KeyPair;
import io.github.zonecut.sig0.Sig0Outcome;
import io.github.zonecut.sig0.Sig0PublicKey;
import io.github.zonecut.sig0.Sig0ReplayGuard;
import io.github.zonecut.sig0.Sig0Signer;
import io.github.zonecut.sig0.Sig0Verifier;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Update;

/**
 * zonecut's SIG(0) against BIND nsupdate, miekg/dns and Net::DNS::SEC with keys made by
 * {@code dnssec-keygen -T KEY}: nsupdate-signed UPDATEs verify at a zonecut listener, and
 * zonecut-signed UPDATEs verify with miekg/dns and Net::DNS::SEC (and at miekg's server), with
 * each provider zonecut offers ({@link Sig0ProviderChoice}: Bouncy Castle, and ACCP when it
 * loads).
 */
@ExtendWith(Sig0PeersExtension.class)
class Sig0InteropTest {
  private static final String OWNER = "child.parent.test.";
  private static final String RR = OWNER + " 60 IN TXT \"zonecut\"";

  private static Message update(boolean withOpt) throws Exception {
    Update u = new Update(Name.fromString("parent.test."));
    u.add(new TXTRecord(Name.fromString(OWNER), DClass.IN, 60, "zonecut"));
    if (withOpt) {
      u.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
    }
    return u;
  }

  static final String[] ALGORITHMS = {
    "ED25519", "ECDSAP256SHA256", "ECDSAP384SHA384", "RSASHA256", "RSASHA512"
  };

  /** Every algorithm with every provider available here. */
  static Stream<Arguments> algorithmsAndProviders() {
    return Stream.of(ALGORITHMS).flatMap(a -> Sig0ProviderChoice.available().stream()
        .map(p -> Arguments.of(a, p)));
  }

  static Stream<String> providers() {
    return Sig0ProviderChoice.available().stream();
  }

  @ParameterizedTest
  @MethodSource("algorithmsAndProviders")
  void nsupdateSignedUpdatesVerifyAtAZonecutListener(String algorithm, String provider,
      Sig0Peers peers) throws Exception {
    BindKeyFiles key = peers.keygen(algorithm, OWNER);
    Sig0PublicKey pub = Sig0KeyFiles.readPublic(key.base());
    assertThat(pub.keyTag()).isEqualTo(key.keyTag());
    Sig0Verifier verifier = Sig0Verifier.builder(Sig0KeyLookup.of(pub))
        .config(Sig0ProviderChoice.config(provider))
        .replayGuard(Sig0ReplayGuard.create()).build();
    try (Sig0Listener listener = Sig0Listener.start(verifier)) {
      String script = "server 127.0.0.1 " + listener.port() + "\nzone parent.test.\n"
          + "update add " + RR + "\nsend\n";
      ToolResult udp = peers.nsupdate(script, "-k", key.privateFile().toString());
      assertThat(listener.next(Duration.ofSeconds(10))).isInstanceOf(Sig0Outcome.Verified.class);
      assertThat(udp.exitCode()).as(udp.describe()).isZero();
      ToolResult tcp = peers.nsupdate(script, "-v", "-k", key.privateFile().toString());
      assertThat(listener.next(Duration.ofSeconds(10))).isInstanceOf(Sig0Outcome.Verified.class);
      assertThat(tcp.exitCode()).as(tcp.describe()).isZero();
    }
  }

  @Test
  void aStrangersNsupdateIsUnknownKeyAtTheListener(Sig0Peers peers) throws Exception {
    BindKeyFiles key = peers.keygen("ED25519", OWNER);
    BindKeyFiles stranger = peers.keygen("ED25519", OWNER);
    Sig0Verifier verifier =
        Sig0Verifier.builder(Sig0KeyLookup.of(Sig0KeyFiles.readPublic(key.base()))).replayGuard(Sig0ReplayGuard.create()).build();
    try (Sig0Listener listener = Sig0Listener.start(verifier)) {
      String script = "server 127.0.0.1 " + listener.port() + "\nzone parent.test.\n"
          + "update add " + RR + "\nsend\n";
      ToolResult r = peers.nsupdate(script, "-k", stranger.privateFile().toString());
      assertThat(listener.next(Duration.ofSeconds(10))).isInstanceOf(Sig0Outcome.UnknownKey.class);
      assertThat(r.exitCode()).as(r.describe()).isNotZero();
    }
  }

  @ParameterizedTest
  @MethodSource("algorithmsAndProviders")
  void zonecutSignedUpdatesVerifyWithMiekgAndNetDns(String algorithm, String provider,
      Sig0Peers peers) throws Exception {
    BindKeyFiles key = peers.keygen(algorithm, OWNER);
    Sig0KeyPair pair = Sig0KeyFiles.read(key.base());
    Sig0Signer signer = Sig0Signer.create(Sig0ProviderChoice.config(provider));
    for (boolean withOpt : new boolean[] {false, true}) {
      byte[] signed = signer.sign(update(withOpt), pair);
      Sig0Peers.Verdict miekg = peers.miekgVerify(key, signed);
      assertThat(miekg.verified()).as("miekg/dns, OPT %s: %s", withOpt, miekg.output()).isTrue();
      Sig0Peers.Verdict netDns = peers.netDnsVerify(key, signed);
      assertThat(netDns.verified()).as("Net::DNS::SEC, OPT %s: %s", withOpt, netDns.output()).isTrue();
    }
    byte[] tampered = signer.sign(update(false), pair);
    tampered[tampered.length - 1] ^= 1;
    assertThat(peers.miekgVerify(key, tampered).verified()).isFalse();
    assertThat(peers.netDnsVerify(key, tampered).verified()).isFalse();
  }

  @ParameterizedTest
  @MethodSource("providers")
  void miekgAndNetDnsSignaturesVerifyWithZonecutAtTheRealClock(String provider, Sig0Peers peers) {
    for (String algorithm : new String[] {"ED25519", "ECDSAP256SHA256", "RSASHA256"}) {
      BindKeyFiles key = peers.keygen(algorithm, OWNER);
      Sig0PublicKey pub;
      try {
        pub = Sig0KeyFiles.readPublic(key.base());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      Sig0Verifier verifier = Sig0Verifier.builder(Sig0KeyLookup.of(pub))
          .config(Sig0ProviderChoice.config(provider))
          .replayGuard(Sig0ReplayGuard.create()).build();
      assertThat(verifier.verify(peers.miekgSign(key, "parent.test.", RR)))
          .as("miekg/dns %s", algorithm).isInstanceOf(Sig0Outcome.Verified.class);
      // The same key as zonecut writes it: a short ECDSA scalar from BIND (one key in 256) makes
      // Net::DNS::SEC sign with another key; netDnsSignsWithAnotherKeyWhenBindsScalarIsShort.
      assertThat(verifier.verify(peers.netDnsSign(peers.fullWidthCopy(key), "parent.test.", RR)))
          .as("Net::DNS::SEC %s", algorithm).isInstanceOf(Sig0Outcome.Verified.class);
    }
  }

  /**
   * Peer bug, pinned: BIND 9.18 wrote this P-256 key's {@code PrivateKey} as 30 octets (the
   * scalar has two leading zero octets); Net::DNS::SEC 1.20 pads it on the right, signs with that
   * other key, and its own verifier, miekg/dns and zonecut all reject the signature. miekg/dns and
   * zonecut read the field as an integer and sign correctly with the same file; zonecut's rewrite
   * at full width lets Net::DNS::SEC sign correctly too. Fails when Net::DNS::SEC fixes its bug.
   */
  @Test
  void netDnsSignsWithAnotherKeyWhenBindsScalarIsShort(Sig0Peers peers) throws Exception {
    BindKeyFiles key = peers.resourceKey("Kchild.parent.test.+013+55549");
    Sig0Verifier verifier =
        Sig0Verifier.builder(Sig0KeyLookup.of(Sig0KeyFiles.readPublic(key.base()))).replayGuard(Sig0ReplayGuard.create()).build();

    byte[] netDns = peers.netDnsSign(key, "parent.test.", RR);
    assertThat(verifier.verify(netDns)).isInstanceOf(Sig0Outcome.BadSignature.class);
    assertThat(peers.netDnsVerify(key, netDns).verified()).as("Net::DNS::SEC's own verdict").isFalse();
    assertThat(peers.miekgVerify(key, netDns).verified()).as("miekg/dns").isFalse();

    assertThat(verifier.verify(peers.miekgSign(key, "parent.test.", RR)))
        .isInstanceOf(Sig0Outcome.Verified.class);
    byte[] ours = Sig0Signer.create().sign(update(false), Sig0KeyFiles.read(key.base()));
    assertThat(peers.netDnsVerify(key, ours).verified()).isTrue();
    assertThat(peers.miekgVerify(key, ours).verified()).isTrue();

    assertThat(verifier.verify(peers.netDnsSign(peers.fullWidthCopy(key), "parent.test.", RR)))
        .isInstanceOf(Sig0Outcome.Verified.class);
  }

  @ParameterizedTest
  @MethodSource("providers")
  void miekgServerAcceptsAZonecutSignedUpdateOverUdp(String provider, Sig0Peers peers)
      throws Exception {
    BindKeyFiles key = peers.keygen("ED25519", OWNER);
    Sig0KeyPair pair = Sig0KeyFiles.read(key.base());
    byte[] signed = Sig0Signer.create(Sig0ProviderChoice.config(provider)).sign(update(true), pair);
    try (Sig0Server server = peers.miekgServe(1, key);
        java.net.DatagramSocket s = new java.net.DatagramSocket()) {
      s.setSoTimeout(10_000);
      s.send(new java.net.DatagramPacket(signed, signed.length, server.address()));
      java.net.DatagramPacket answer = new java.net.DatagramPacket(new byte[512], 512);
      s.receive(answer);
      assertThat(answer.getData()[3] & 0x0F).isZero();
      assertThat(server.awaitExit(Duration.ofSeconds(10)))
          .satisfiesExactly(l -> assertThat(l).contains("VERIFIED " + OWNER));
    }
  }
}
