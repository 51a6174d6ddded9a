package io.github.zonecut.core;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;

/**
 * The RDATA of one DNSKEY (RFC 4034 §2.1) or KEY (RFC 2535 §3.1, RFC 3445) record without owner,
 * class or TTL: flags, protocol, algorithm and public key octets, with the key tag (RFC 4034
 * Appendix B) computed once. The one zonecut value for "a DNSSEC or SIG(0) public key": DNSKEY,
 * CDNSKEY and KEY records convert to it with {@link #of(DNSKEYRecord)} and {@link
 * #of(KEYRecord)}, and back with {@link #toDnskey(Name, long)} and {@link #toKey(Name, long)};
 * {@link DsData#compute(Name, DnsKeyData, int)} derives its DS.
 *
 * <p>Identity is (flags, protocol, algorithm, public key octets), never the key tag alone, which
 * collides. Instances are immutable; {@link #publicKey()} returns a copy.
 */
public final class DnsKeyData implements Comparable<DnsKeyData> {

  /** The Zone Key flag (RFC 4034 §2.1.1), value 256. */
  public static final int ZONE_FLAG = 0x0100;

  /** The Secure Entry Point flag (RFC 4034 §2.1.1, RFC 3757), value 1. */
  public static final int SEP_FLAG = 0x0001;

  /** The protocol field of every DNSKEY, and of KEY records used with DNSSEC (RFC 4034 §2.1.2). */
  public static final int PROTOCOL_DNSSEC = 3;

  private final int flags;
  private final int protocol;
  private final int algorithm;
  private final byte[] publicKey;
  private final int keyTag;
  private final int hash;
  // single-entry memo of the last DS digest computed for this key (owner, digest type): a planner
  // computes the same few digests on every plan; a benign race only recomputes
  private volatile @Nullable DsMemo dsMemo;
  private volatile @Nullable String text;

  private DnsKeyData(int flags, int protocol, int algorithm, byte[] publicKey) {
    if (flags < 0 || flags > 0xFFFF) {
      throw new IllegalArgumentException("key flags out of range 0..65535: " + flags);
    }
    if (protocol < 0 || protocol > 0xFF) {
      throw new IllegalArgumentException("key protocol out of range 0..255: " + protocol);
    }
    if (algorithm < 0 || algorithm > 0xFF) {
      throw new IllegalArgumentException("key algorithm out of range 0..255: " + algorithm);
    }
    if (publicKey.length == 0) {
      throw new IllegalArgumentException("public key is empty");
    }
    this.flags = flags;
    this.protocol = protocol;
    this.algorithm = algorithm;
    this.publicKey = publicKey.clone();
    this.keyTag = computeKeyTag(rdata());
    this.hash = 31 * (31 * (31 * flags + protocol) + algorithm) + Arrays.hashCode(this.publicKey);
  }

  /**
   * The key data with these fields; the key tag is computed.
   *
   * @throws IllegalArgumentException if a field is out of range or the key is empty
   */
  public static DnsKeyData of(int flags, int protocol, int algorithm, byte[] publicKey) {
    return new DnsKeyData(flags, protocol, algorithm, publicKey);
  }

  /**
   * The key data with these fields and protocol 3 (DNSSEC), as every DNSKEY has.
   *
   * @throws IllegalArgumentException if a field is out of range or the key is empty
   */
  public static DnsKeyData of(int flags, int algorithm, byte[] publicKey) {
    return new DnsKeyData(flags, PROTOCOL_DNSSEC, algorithm, publicKey);
  }

  /** The data of a dnsjava DNSKEY (or CDNSKEY) record; its owner and TTL are dropped. */
  public static DnsKeyData of(DNSKEYRecord key) {
    return new DnsKeyData(key.getFlags(), key.getProtocol(), key.getAlgorithm(), key.getKey());
  }

  /** The data of a dnsjava KEY record (RFC 2535 §3.1); its owner and TTL are dropped. */
  public static DnsKeyData of(KEYRecord key) {
    return new DnsKeyData(key.getFlags(), key.getProtocol(), key.getAlgorithm(), key.getKey());
  }

  /** A dnsjava DNSKEY record, class IN, with this data at {@code owner}. */
  public DNSKEYRecord toDnskey(Name owner, long ttl) {
    return new DNSKEYRecord(owner, DClass.IN, ttl, flags, protocol, algorithm, publicKey);
  }

  /** A dnsjava KEY record (RFC 2535 §3.1), class IN, with this data at {@code owner}. */
  public KEYRecord toKey(Name owner, long ttl) {
    return new KEYRecord(owner, DClass.IN, ttl, flags, protocol, algorithm, publicKey);
  }

  /** The flags field (u16). */
  public int flags() {
    return flags;
  }

  /** The protocol field (u8); 3 for DNSSEC. */
  public int protocol() {
    return protocol;
  }

  /** The DNSSEC algorithm number (u8). */
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

  /** Whether the Zone Key flag is set (RFC 4034 §2.1.1): the key may verify zone data. */
  public boolean isZoneKey() {
    return (flags & ZONE_FLAG) != 0;
  }

  /** A copy of the public key octets. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The public key in base64, as in presentation format. */
  public String publicKeyBase64() {
    return Base64.getEncoder().encodeToString(publicKey);
  }

  /** The RDATA in wire form: flags, protocol, algorithm, public key (RFC 4034 §2.1). */
  public byte[] rdata() {
    byte[] out = new byte[4 + publicKey.length];
    out[0] = (byte) (flags >>> 8);
    out[1] = (byte) flags;
    out[2] = (byte) protocol;
    out[3] = (byte) algorithm;
    System.arraycopy(publicKey, 0, out, 4, publicKey.length);
    return out;
  }

  /** The RDATA in presentation form, e.g. {@code 257 3 13 mdsswUyr…}. */
  public String rdataText() {
    return flags + " " + protocol + " " + algorithm + " " + publicKeyBase64();
  }

  @Nullable DsMemo dsMemo() {
    return dsMemo;
  }

  void dsMemo(DsMemo memo) {
    this.dsMemo = memo;
  }

  /** One memoised DS digest; see {@link DsData#compute(Name, DnsKeyData, int)}. */
  record DsMemo(Name owner, int digestType, byte[] digest) {}

  private static int computeKeyTag(byte[] rdata) {
    if (rdata[3] == 1) {
      // RFC 4034 Appendix B.1: RSA/MD5 (obsolete) keys carry their tag in the modulus' low bits
      int n = rdata.length;
      return ((rdata[n - 3] & 0xFF) << 8) | (rdata[n - 2] & 0xFF);
    }
    // RFC 4034 Appendix B
    long ac = 0;
    for (int i = 0; i < rdata.length; i++) {
      ac += (i & 1) == 0 ? (rdata[i] & 0xFF) << 8 : rdata[i] & 0xFF;
    }
    ac += (ac >>> 16) & 0xFFFF;
    return (int) (ac & 0xFFFF);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof DnsKeyData k
        && k.hash == hash
        && k.flags == flags
        && k.protocol == protocol
        && k.algorithm == algorithm
        && Arrays.equals(k.publicKey, publicKey);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Orders by algorithm, key tag, flags, protocol and public key, for stable output. */
  @Override
  public int compareTo(DnsKeyData o) {
    int c = Integer.compare(algorithm, o.algorithm);
    if (c == 0) {
      c = Integer.compare(keyTag, o.keyTag);
    }
    if (c == 0) {
      c = Integer.compare(flags, o.flags);
    }
    if (c == 0) {
      c = Integer.compare(protocol, o.protocol);
    }
    return c != 0 ? c : Arrays.compare(publicKey, o.publicKey);
  }

  /**
   * Short form {@code 257/13/12345~0a1b2c3d}: flags/algorithm/key tag, then the first four
   * public-key octets in hex (the full presentation form is {@link #rdataText()}).
   */
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
