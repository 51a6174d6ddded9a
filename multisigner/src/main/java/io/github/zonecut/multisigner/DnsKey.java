package io.github.zonecut.multisigner;

import java.util.Arrays;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * A DNSKEY record's data as the planner sees it: flags, algorithm, public key, and the key tag
 * derived from them (RFC 4034 Appendix B). Identity is (flags, algorithm, public-key bytes), never
 * the key tag alone, which collides; the protocol field is always 3.
 *
 * <p>The planner needs no cryptography: it reasons about which key signs what. Instances are
 * immutable; {@link #publicKey()} returns a copy.
 */
public final class DnsKey implements Comparable<DnsKey> {

  /** The Zone Key flag (RFC 4034 §2.1.1), value 256. */
  public static final int ZONE_FLAG = 0x0100;

  /** The Secure Entry Point flag (RFC 3757), value 1. */
  public static final int SEP_FLAG = 0x0001;

  private final int flags;
  private final int algorithm;
  private final int keyTag;
  private final byte[] publicKey;
  private final int hash;
  // single-entry memo of the last DS digest computed for this key (owner, digest type); the
  // planner computes the same few digests on every plan, and a benign race only recomputes
  private volatile @Nullable DsMemo dsMemo;
  private volatile @Nullable String text;

  private DnsKey(int flags, int algorithm, byte[] publicKey) {
    if (flags < 0 || flags > 0xFFFF) {
      throw new IllegalArgumentException("flags out of range 0..65535: " + flags);
    }
    if (algorithm < 0 || algorithm > 255) {
      throw new IllegalArgumentException("algorithm out of range 0..255: " + algorithm);
    }
    if (publicKey.length == 0) {
      throw new IllegalArgumentException("public key is empty");
    }
    this.flags = flags;
    this.algorithm = algorithm;
    this.publicKey = publicKey.clone();
    this.keyTag = computeKeyTag(rdata());
    this.hash = 31 * (31 * flags + algorithm) + Arrays.hashCode(this.publicKey);
  }

  /**
   * Returns the key with these fields; the key tag is computed.
   *
   * @throws IllegalArgumentException if a field is out of range or the key is empty
   */
  public static DnsKey of(int flags, int algorithm, byte[] publicKey) {
    return new DnsKey(flags, algorithm, publicKey);
  }

  /** Returns a key of {@code role} with these fields ({@link KeyRole#flags()}). */
  public static DnsKey of(KeyRole role, int algorithm, byte[] publicKey) {
    return new DnsKey(role.flags(), algorithm, publicKey);
  }

  public int flags() {
    return flags;
  }

  public int algorithm() {
    return algorithm;
  }

  /** The key tag (RFC 4034 Appendix B). Not unique: never use it as the key's identity. */
  public int keyTag() {
    return keyTag;
  }

  /** Whether the SEP flag is set (a KSK or CSK, expected to have a DS at the parent). */
  public boolean isSep() {
    return (flags & SEP_FLAG) != 0;
  }

  /** A copy of the public key bytes. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The DNSKEY RDATA in wire form: flags, protocol 3, algorithm, public key (RFC 4034 §2.1). */
  public byte[] rdata() {
    byte[] out = new byte[4 + publicKey.length];
    out[0] = (byte) (flags >>> 8);
    out[1] = (byte) flags;
    out[2] = 3;
    out[3] = (byte) algorithm;
    System.arraycopy(publicKey, 0, out, 4, publicKey.length);
    return out;
  }

  @Nullable DsMemo dsMemo() {
    return dsMemo;
  }

  void dsMemo(DsMemo memo) {
    this.dsMemo = memo;
  }

  /** One memoised digest; see {@link DsRecord#of}. */
  record DsMemo(org.xbill.DNS.Name owner, int digestType, byte[] digest) {}

  private static int computeKeyTag(byte[] rdata) {
    // RFC 4034 Appendix B (algorithm 1 is obsolete and not special-cased)
    long ac = 0;
    for (int i = 0; i < rdata.length; i++) {
      ac += (i & 1) == 0 ? (rdata[i] & 0xFF) << 8 : rdata[i] & 0xFF;
    }
    ac += (ac >>> 16) & 0xFFFF;
    return (int) (ac & 0xFFFF);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof DnsKey k
        && k.hash == hash
        && k.flags == flags
        && k.algorithm == algorithm
        && Arrays.equals(k.publicKey, publicKey);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Orders by algorithm, key tag, flags and public key, for stable output. */
  @Override
  public int compareTo(DnsKey o) {
    int c = Integer.compare(algorithm, o.algorithm);
    if (c == 0) {
      c = Integer.compare(keyTag, o.keyTag);
    }
    if (c == 0) {
      c = Integer.compare(flags, o.flags);
    }
    return c != 0 ? c : Arrays.compare(publicKey, o.publicKey);
  }

  /** Short form {@code 257/13/12345} (flags/algorithm/key tag) followed by a key fingerprint. */
  @Override
  public String toString() {
    String t = text;
    if (t == null) {
      String hex = HexFormat.of().formatHex(publicKey, 0, Math.min(4, publicKey.length));
      t = flags + "/" + algorithm + "/" + keyTag + "~" + hex;
      text = t;
    }
    return t;
  }
}
