package io.github.zonecut.sig0;

/**
 * A token that lets a caller read private key material. Signing never needs it; only exporting
 * a key does ({@link Sig0KeyPair#privateKey(PrivateKeyAccess)}, the key-file writers). The
 * deliberately loud name of {@link #exposingPrivateKeys()} makes every such call greppable in
 * review, as Tink's {@code InsecureSecretKeyAccess} does.
 */
public final class PrivateKeyAccess {
  private static final PrivateKeyAccess INSTANCE = new PrivateKeyAccess();

  private PrivateKeyAccess() {}

  /** The token. Call it only where private key material must leave the key object. */
  public static PrivateKeyAccess exposingPrivateKeys() {
    return INSTANCE;
  }

  @Override
  public String toString() {
    return "PrivateKeyAccess";
  }
}
