package io.github.zonecut.sig0.internal;

import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * An EdDSA key presented under the JDK's algorithm name "EdDSA" with its standard encoding
 * (RFC 8410), for a provider whose {@code Signature} accepts foreign keys by encoding but has no
 * {@code KeyFactory} to translate them (ACCP 2.5 refuses Bouncy Castle's "Ed25519" keys by name).
 */
final class EdDsaKey {
  private EdDsaKey() {}

  /** An X.509 SubjectPublicKeyInfo public key. */
  static final class Public implements PublicKey {
    private static final long serialVersionUID = 1L;
    private final byte[] spki;

    Public(byte[] spki) {
      this.spki = spki.clone();
    }

    @Override
    public String getAlgorithm() {
      return "EdDSA";
    }

    @Override
    public String getFormat() {
      return "X.509";
    }

    @Override
    public byte[] getEncoded() {
      return spki.clone();
    }

    @Override
    public String toString() {
      return "EdDSA public key";
    }
  }

  /** A PKCS#8 private key: the encoding is read from the wrapped key on each use, never kept. */
  static final class Private implements PrivateKey {
    private static final long serialVersionUID = 1L;
    private final PrivateKey key;

    Private(PrivateKey key) {
      this.key = key;
    }

    @Override
    public String getAlgorithm() {
      return "EdDSA";
    }

    @Override
    public String getFormat() {
      return "PKCS#8";
    }

    @Override
    public byte[] getEncoded() {
      return key.getEncoded();
    }

    @Override
    public String toString() {
      return "EdDSA private key (hidden)";
    }
  }
}
