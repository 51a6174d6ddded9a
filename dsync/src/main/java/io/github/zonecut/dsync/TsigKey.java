package io.github.zonecut.dsync;

import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

/**
 * A TSIG key (RFC 8945) a {@link TsigDelegationBackend} signs its UPDATEs and queries with: the
 * key name, the HMAC algorithm and the shared secret, as {@code nsupdate -y
 * hmac-sha256:NAME:SECRET} or a Knot/BIND {@code key} statement holds them.
 *
 * <p>The secret never leaves this object: there is no accessor for it, {@link #toString()} shows
 * only the name and algorithm, and it is compared neither in {@code equals} nor anywhere a log
 * could see it. HMAC-MD5 and GSS-TSIG are refused (RFC 8945 §6: MD5 is deprecated; GSS-TSIG is
 * not a shared secret).
 */
public final class TsigKey {

  private final Name name;
  private final Name algorithm;
  private final byte[] secret;

  private TsigKey(Name name, Name algorithm, byte[] secret) {
    this.name = name;
    this.algorithm = algorithm;
    this.secret = secret;
  }

  /**
   * A key from its parts.
   *
   * @param name the key name (absolute), e.g. {@code upd.}
   * @param algorithm an HMAC algorithm name, e.g. {@link TSIG#HMAC_SHA256}
   * @param secret the shared secret (copied), at least 16 octets (RFC 8945 §6: keys shorter than
   *     half the hash are weak; 16 is the floor enforced here)
   * @throws IllegalArgumentException for a relative name, an unknown or refused algorithm, or a
   *     short secret; the message never contains the secret
   */
  public static TsigKey of(Name name, Name algorithm, byte[] secret) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(secret, "secret");
    if (!name.isAbsolute()) {
      throw new IllegalArgumentException("TSIG key name is not absolute: " + name);
    }
    if (algorithm.equals(TSIG.HMAC_MD5) || algorithm.equals(TSIG.GSS_TSIG)) {
      throw new IllegalArgumentException("TSIG algorithm " + algorithm
          + " refused: use hmac-sha256 or stronger (RFC 8945 §6)");
    }
    try {
      TSIG.nameToAlgorithm(algorithm);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown TSIG algorithm " + algorithm, e);
    }
    if (secret.length < 16) {
      throw new IllegalArgumentException("TSIG secret of key " + name + " is shorter than 16"
          + " octets");
    }
    return new TsigKey(name, algorithm, secret.clone());
  }

  /**
   * A key as configuration files write it: {@code of("upd", "hmac-sha256", "base64…")}.
   *
   * @throws IllegalArgumentException for a bad name, algorithm or base64 secret (the message
   *     never contains the secret)
   */
  public static TsigKey of(String name, String algorithm, String base64Secret) {
    Name n;
    Name alg;
    try {
      n = Name.fromString(name, Name.root);
      alg = Name.fromString(algorithm, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("TSIG key name or algorithm is not a name", e);
    }
    byte[] secret;
    try {
      secret = Base64.getDecoder().decode(base64Secret.trim());
    } catch (IllegalArgumentException e) {
      // the decoder's message may quote the input: do not chain it
      throw new IllegalArgumentException("TSIG secret of key " + n + " is not base64");
    }
    try {
      return of(n, alg, secret);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /** The key name. */
  public Name name() {
    return name;
  }

  /** The algorithm name, e.g. {@code hmac-sha256.}. */
  public Name algorithm() {
    return algorithm;
  }

  /** A dnsjava signer for this key whose time comes from {@code clock}. */
  TSIG tsig(Clock clock) {
    return new TSIG(algorithm, name, new SecretKeySpec(secret, "HmacSHA256"), clock);
  }

  /** Name and algorithm only; the secret is never shown. */
  @Override
  public String toString() {
    return "TsigKey[" + name + " " + algorithm + ", secret redacted]";
  }
}
