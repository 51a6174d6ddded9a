package io.github.zonecut.interop;

/**
 * JUnit 5 extension giving test classes the shared {@link Sig0Peers} ({@code sig0tool} built once per
 * test run). Skips the class when Go + miekg/dns, Perl + Net::DNS::SEC or BIND's tools are missing
 * (fails under {@code CI=true}).
 *
 * <pre>{@code
 * @ExtendWith(Sig0PeersExtension.class)
 * class MySig0InteropTest {
 *   @Test
 *   void miekgVerifiesOurSignature(Sig0Peers peers) {
 *     BindKeyFiles key = peers.keygen("ED25519", "child.parent.test.");
 *     byte[] signed = ...; // sign an UPDATE with zonecut using key.privateFile()
 *     assertThat(peers.miekgVerify(key, signed).verified()).isTrue();
 *   }
 * }
 * }</pre>
 */
public final class Sig0PeersExtension extends SharedPeerExtension<Sig0Peers> {

  /** Used by JUnit. */
  public Sig0PeersExtension() {
    super(Sig0Peers.class);
  }

  @Override
  void requireAvailable() {
    Sig0Peers.requireTools();
  }

  @Override
  Sig0Peers start() {
    return Sig0Peers.start(Peers.workDir());
  }
}
