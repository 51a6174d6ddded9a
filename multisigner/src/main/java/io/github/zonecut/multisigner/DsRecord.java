package io.github.zonecut.multisigner;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * A DS (or CDS) record's data (RFC 4034 §5.1): key tag, algorithm, digest type and digest.
 * Immutable; {@link #digest()} returns a copy.
 */
public final class DsRecord implements Comparable<DsRecord> {

  /** Digest type SHA-1 (RFC 4034); accepted on input, never generated. */
  public static final int SHA1 = 1;

  /** Digest type SHA-256 (RFC 4509), the one every parent accepts. */
  public static final int SHA256 = 2;

  /** Digest type SHA-384 (RFC 6605). */
  public static final int SHA384 = 4;

  private final int keyTag;
  private final int algorithm;
  private final int digestType;
  private final byte[] digest;
  private final int hash;

  private DsRecord(int keyTag, int algorithm, int digestType, byte[] digest) {
    if (keyTag < 0 || keyTag > 0xFFFF || algorithm < 0 || algorithm > 255) {
      throw new IllegalArgumentException("key tag or algorithm out of range");
    }
    if (digestType < 0 || digestType > 255) {
      throw new IllegalArgumentException("digest type out of range 0..255: " + digestType);
    }
    if (digest.length == 0) {
      throw new IllegalArgumentException("digest is empty");
    }
    this.keyTag = keyTag;
    this.algorithm = algorithm;
    this.digestType = digestType;
    this.digest = digest.clone();
    this.hash = Objects.hash(keyTag, algorithm, digestType) * 31 + Arrays.hashCode(this.digest);
  }

  /** Returns the DS record with these fields, as observed at a parent or in a CDS RRset. */
  public static DsRecord of(int keyTag, int algorithm, int digestType, byte[] digest) {
    return new DsRecord(keyTag, algorithm, digestType, digest);
  }

  /**
   * Computes the DS record for {@code key} at {@code owner} (RFC 4034 §5.1.4: digest over the
   * canonical owner name followed by the DNSKEY RDATA).
   *
   * @throws IllegalArgumentException if {@code digestType} is not {@link #SHA256} or {@link
   *     #SHA384} (the types a child generates; SHA-1 is deprecated, RFC 9904)
   */
  public static DsRecord of(Name owner, DnsKey key, int digestType) {
    return new DsRecord(key.keyTag(), key.algorithm(), digestType, digestOf(owner, key, digestType));
  }

  /** Whether this DS record refers to {@code key} at {@code owner}. */
  public boolean matches(Name owner, DnsKey key) {
    if (key.keyTag() != keyTag || key.algorithm() != algorithm) {
      return false;
    }
    if (digestType != SHA256 && digestType != SHA384 && digestType != SHA1) {
      // a digest type we cannot compute: the key tag and algorithm are all we can compare
      return true;
    }
    return Arrays.equals(digestOf(owner, key, digestType), digest);
  }

  private static byte[] digestOf(Name owner, DnsKey key, int digestType) {
    DnsKey.DsMemo memo = key.dsMemo();
    if (memo != null && memo.digestType() == digestType && memo.owner().equals(owner)) {
      return memo.digest();
    }
    String alg;
    switch (digestType) {
      case SHA1:
        alg = "SHA-1";
        break;
      case SHA256:
        alg = "SHA-256";
        break;
      case SHA384:
        alg = "SHA-384";
        break;
      default:
        throw new IllegalArgumentException("cannot compute DS digest type " + digestType);
    }
    try {
      MessageDigest md = MessageDigest.getInstance(alg);
      md.update(owner.toWireCanonical());
      md.update(key.rdata());
      byte[] d = md.digest();
      key.dsMemo(new DnsKey.DsMemo(owner, digestType, d));
      return d;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK lacks " + alg, e);
    }
  }

  public int keyTag() {
    return keyTag;
  }

  public int algorithm() {
    return algorithm;
  }

  public int digestType() {
    return digestType;
  }

  /** A copy of the digest bytes. */
  public byte[] digest() {
    return digest.clone();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof DsRecord d
        && d.hash == hash
        && d.keyTag == keyTag
        && d.algorithm == algorithm
        && d.digestType == digestType
        && Arrays.equals(d.digest, digest);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(DsRecord o) {
    int c = Integer.compare(keyTag, o.keyTag);
    if (c == 0) {
      c = Integer.compare(algorithm, o.algorithm);
    }
    if (c == 0) {
      c = Integer.compare(digestType, o.digestType);
    }
    return c != 0 ? c : Arrays.compare(digest, o.digest);
  }

  /** Presentation form {@code keytag algorithm digesttype HEX}. */
  @Override
  public String toString() {
    return keyTag + " " + algorithm + " " + digestType + " " + HexFormat.of().formatHex(digest);
  }
}
