package io.github.zonecut.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

/**
 * The data of one DS record (RFC 4034 §5.1) without owner or TTL: what a parent holds for a
 * delegation, and exactly one RFC 5910 {@code secDNS:dsData} element (keyTag, alg, digestType,
 * digest). The digest is compared as bytes, never as hex text, so case cannot make two equal
 * digests differ.
 *
 * @param keyTag the key tag (u16)
 * @param algorithm the DNSSEC algorithm number (u8)
 * @param digestType the digest type (u8)
 * @param digest the digest octets (copied; at least one, and of the digest type's length for
 *     types 1–4)
 */
public record DsData(int keyTag, int algorithm, int digestType, byte[] digest)
    implements Comparable<DsData> {

  /** Digest type SHA-1 (RFC 4034 §5.1.3); deprecated for new DS (RFC 9904). */
  public static final int SHA1 = 1;

  /** Digest type SHA-256 (RFC 4509), the one every parent accepts. */
  public static final int SHA256 = 2;

  /** Digest type SHA-384 (RFC 6605). */
  public static final int SHA384 = 4;

  /** Checks ranges and copies the digest. */
  public DsData {
    if (keyTag < 0 || keyTag > 0xFFFF) {
      throw new IllegalArgumentException("DS key tag out of range 0..65535: " + keyTag);
    }
    if (algorithm < 0 || algorithm > 0xFF) {
      throw new IllegalArgumentException("DS algorithm out of range 0..255: " + algorithm);
    }
    if (digestType < 0 || digestType > 0xFF) {
      throw new IllegalArgumentException("DS digest type out of range 0..255: " + digestType);
    }
    if (digest.length == 0) {
      throw new IllegalArgumentException("DS digest is empty");
    }
    int expected = digestLength(digestType);
    if (expected > 0 && digest.length != expected) {
      throw new IllegalArgumentException("DS digest type " + digestType + " has " + expected
          + "-octet digests, got " + digest.length);
    }
    digest = digest.clone();
  }

  /**
   * The digest length of the registered digest types (RFC 4034 SHA-1, RFC 4509 SHA-256, RFC 5933
   * GOST, RFC 6605 SHA-384), or 0 when the type has no fixed length known here.
   */
  private static int digestLength(int digestType) {
    switch (digestType) {
      case 1:
        return 20;
      case 2:
      case 3:
        return 32;
      case 4:
        return 48;
      default:
        return 0;
    }
  }

  /** The DS data of a dnsjava DS (or CDS) record. */
  public static DsData of(DSRecord ds) {
    return new DsData(ds.getFootprint(), ds.getAlgorithm(), ds.getDigestID(), ds.getDigest());
  }

  /**
   * The DS data with these fields, as observed at a parent or in a CDS RRset; the same as the
   * constructor.
   *
   * @throws IllegalArgumentException if a field is out of range or the digest has the wrong length
   */
  public static DsData of(int keyTag, int algorithm, int digestType, byte[] digest) {
    return new DsData(keyTag, algorithm, digestType, digest);
  }

  /**
   * The DS data for {@code key} published at {@code owner}, digest computed as RFC 4034 §5.1.4
   * says (over the canonical owner name and the DNSKEY RDATA): what a parent derives from a
   * CDNSKEY (RFC 7344 §4) and what a DS is checked against. The only place zonecut computes DS
   * digests; the last digest computed for a key is memoised on the key value.
   *
   * @param owner the zone apex that publishes the key
   * @param key the DNSKEY (or CDNSKEY) data
   * @param digestType {@link #SHA1} (input only, deprecated), {@link #SHA256} or {@link #SHA384}
   * @throws IllegalArgumentException for another digest type
   */
  public static DsData compute(Name owner, DnsKeyData key, int digestType) {
    return new DsData(key.keyTag(), key.algorithm(), digestType,
        digestOf(owner, key, digestType));
  }

  /**
   * The DS data for a dnsjava DNSKEY record's data published at {@code owner}; see {@link
   * #compute(Name, DnsKeyData, int)}. The record's own owner name is not used.
   */
  public static DsData compute(Name owner, DNSKEYRecord key, int digestType) {
    return compute(owner, DnsKeyData.of(key), digestType);
  }

  /** Whether zonecut can compute (and so check) DS digests of {@code digestType}. */
  public static boolean canCompute(int digestType) {
    return digestType == SHA1 || digestType == SHA256 || digestType == SHA384;
  }

  private static byte[] digestOf(Name owner, DnsKeyData key, int digestType) {
    Names.requireAbsolute("owner", owner);
    DnsKeyData.DsMemo memo = key.dsMemo();
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
      // the memo's array is never handed out: the DsData constructor copies it
      key.dsMemo(new DnsKeyData.DsMemo(owner, digestType, d));
      return d;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + alg, e);
    }
  }

  /**
   * Whether this DS data refers to {@code key} at {@code owner}: same key tag and algorithm and,
   * the digest recomputed, the same digest (RFC 4035 §5.2). DS data of a digest type that cannot
   * be computed here ({@link #SHA1}, {@link #SHA256} and {@link #SHA384} can) never matches:
   * a parent cannot prove such a DS refers to the key, and a validator that does not know the
   * digest type ignores the DS.
   */
  public boolean matches(Name owner, DnsKeyData key) {
    if (key.keyTag() != keyTag || key.algorithm() != algorithm || !canCompute(digestType)) {
      return false;
    }
    return Arrays.equals(digest, digestOf(owner, key, digestType));
  }

  /** {@link #matches(Name, DnsKeyData)} for a dnsjava DNSKEY record's data. */
  public boolean matches(Name owner, DNSKEYRecord key) {
    return matches(owner, DnsKeyData.of(key));
  }

  /** A dnsjava DS record with this data. */
  public DSRecord toRecord(Name owner, long ttl) {
    return new DSRecord(owner, DClass.IN, ttl, keyTag, algorithm, digestType, digest);
  }

  /** The digest (a copy). */
  @Override
  public byte[] digest() {
    return digest.clone();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof DsData)) {
      return false;
    }
    DsData d = (DsData) o;
    return keyTag == d.keyTag && algorithm == d.algorithm && digestType == d.digestType
        && Arrays.equals(digest, d.digest);
  }

  @Override
  public int hashCode() {
    return ((keyTag * 31 + algorithm) * 31 + digestType) * 31 + Arrays.hashCode(digest);
  }

  /** Orders by key tag, algorithm, digest type, then digest octets (unsigned). */
  @Override
  public int compareTo(DsData o) {
    int c = Integer.compare(keyTag, o.keyTag);
    if (c == 0) {
      c = Integer.compare(algorithm, o.algorithm);
    }
    if (c == 0) {
      c = Integer.compare(digestType, o.digestType);
    }
    return c != 0 ? c : Arrays.compareUnsigned(digest, o.digest);
  }

  /** The DS presentation form, {@code 12345 13 2 ABCD…}. */
  @Override
  public String toString() {
    return keyTag + " " + algorithm + " " + digestType + " "
        + HexFormat.of().formatHex(digest).toUpperCase(Locale.ROOT);
  }
}
