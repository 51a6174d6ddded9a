package io.github.zonecut.interop;

/**
 * JUnit 5 extension giving test classes the shared {@link Testnet}: started once per test run in
 * {@code interop/target/interop/testnet-*}, on {@link TestnetPorts#configured()}, stopped when the
 * run ends.
 *
 * <pre>{@code
 * @ExtendWith(TestnetExtension.class)
 * class MyInteropTest {
 *   @Test
 *   void dsyncIsSecure(Testnet net) {
 *     Message answer = net.query("_dsync.parent.test.", 66); // DSYNC
 *     assertThat(answer.getHeader().getFlag(Flags.AD)).isTrue();
 *   }
 * }
 * }</pre>
 *
 * <p>Skips the class when BIND, Knot or Unbound is missing (fails under {@code CI=true}); fails
 * clearly when a port is already in use.
 */
public final class TestnetExtension extends SharedPeerExtension<Testnet> {

  /** Used by JUnit. */
  public TestnetExtension() {
    super(Testnet.class);
  }

  @Override
  void requireAvailable() {
    Testnet.requireTools();
  }

  @Override
  Testnet start() {
    return Testnet.start(Peers.workDir(), TestnetPorts.configured());
  }
}
