package io.github.zonecut.keystate;

import io.github.zonecut.core.DnsKeyData;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;

/**
 * Who a child SIG(0) key is: its owner name, DNSSEC algorithm and public key octets.
 *
 * <p>Not the key tag: tags collide, by chance or on purpose, and a registry keyed on
 * (zone, tag) lets one key overwrite another. Not a presentation string either: the reference
 * implementation compared {@code rr.String()}, which carries the TTL, so a cached copy with a
 * decremented TTL stopped matching. Owner names compare case-insensitively, label by label.
 *
 * @param owner the key's owner name (the child zone for delegation UPDATEs), absolute
 * @param algorithm DNSSEC algorithm number, 0–255
 * @param publicKey the KEY RDATA public key field
 */
public record KeyIdentity(Name owner, int algorithm, byte[] publicKey) {

  /** Validates the fields and copies the key. */
  public KeyIdentity {
    Objects.requireNonNull(owner, "owner");
    if (!owner.isAbsolute()) {
      throw new IllegalArgumentException("key owner must be absolute: " + owner);
    }
    if (algorithm < 0 || algorithm > 0xFF) {
      throw new IllegalArgumentException("algorithm out of range 0..255: " + algorithm);
    }
    if (publicKey.length == 0) {
      throw new IllegalArgumentException("empty public key");
    }
    publicKey = publicKey.clone();
  }

  /** The identity of a KEY record (its TTL, class and flags do not matter). */
  public static KeyIdentity of(KEYRecord key) {
    return new KeyIdentity(key.getName(), key.getAlgorithm(), key.getKey());
  }

  /**
   * The identity of a SIG(0) public key, e.g. the one a {@code Sig0Outcome.Verified} names: the
   * signer of a verified UPDATE or inquiry.
   */
  public static KeyIdentity of(io.github.zonecut.sig0.Sig0PublicKey key) {
    return new KeyIdentity(key.owner(), key.algorithm().number(), key.keyData());
  }

  /**
   * The identity of core's key value {@code key} owned by {@code owner} (its flags and protocol
   * do not matter).
   */
  public static KeyIdentity of(Name owner, DnsKeyData key) {
    return new KeyIdentity(owner, key.algorithm(), key.publicKey());
  }

  /** Whether {@code key} owned by {@code owner} is this key (label-wise owner comparison). */
  public boolean matches(Name owner, DnsKeyData key) {
    return owner.equals(this.owner) && key.algorithm() == algorithm
        && Arrays.equals(key.publicKey(), publicKey);
  }

  /** A copy of the public key octets. */
  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The public key in base64, as in presentation format. */
  public String publicKeyBase64() {
    return Base64.getEncoder().encodeToString(publicKey);
  }

  /** Whether {@code key} is this key, whatever its TTL or the case of its owner. */
  public boolean matches(KEYRecord key) {
    return equals(of(key));
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof KeyIdentity k && owner.equals(k.owner) && algorithm == k.algorithm
        && Arrays.equals(publicKey, k.publicKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(owner, algorithm, Arrays.hashCode(publicKey));
  }

  @Override
  public String toString() {
    String b64 = publicKeyBase64();
    return owner + " alg " + algorithm + " key "
        + (b64.length() > 16 ? b64.substring(0, 16) + "…" : b64);
  }
}
