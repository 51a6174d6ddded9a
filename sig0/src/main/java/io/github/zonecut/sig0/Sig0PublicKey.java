package io.github.zonecut.sig0;

import io.github.zonecut.core.DnsKeyData;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;

/**
 * A SIG(0) public key: the content of a KEY record (RFC 2535 §3.1, RFC 3445), protocol 3
 * (DNSSEC), owned by the name that signs with it.
 *
 * @param owner the KEY owner name, which is the SIG(0) signer's name (RFC 2931 §3)
 * @param flags the KEY flags; {@link #FLAGS_HOST} (512) as {@code dnssec-keygen -T KEY -n HOST}
 *     writes, or {@link #FLAGS_ZONE} (256)
 * @param algorithm the DNSSEC algorithm
 * @param keyData the public key field in its DNSKEY format (RFC 3110, RFC 6605, RFC 8080); the
 *     record keeps and returns copies
 */
public record Sig0PublicKey(Name owner, int flags, Sig0Algorithm algorithm, byte[] keyData) {
  /** KEY flags for a key owned by a host/entity name (RFC 2535 §3.1.2, name type 2). */
  public static final int FLAGS_HOST = 512;
  /** KEY flags for a key owned by a zone name (RFC 2535 §3.1.2, name type 1). */
  public static final int FLAGS_ZONE = 256;
  /** The KEY protocol value for DNSSEC (RFC 2535 §3.1.3). */
  public static final int PROTOCOL_DNSSEC = 3;

  /** Validates and copies; the owner must be absolute. */
  public Sig0PublicKey {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(algorithm, "algorithm");
    if (!owner.isAbsolute()) {
      throw new IllegalArgumentException("KEY owner must be absolute: " + owner);
    }
    if (flags < 0 || flags > 0xFFFF) {
      throw new IllegalArgumentException("KEY flags out of range: " + flags);
    }
    if (keyData.length == 0) {
      throw new IllegalArgumentException("empty public key");
    }
    keyData = keyData.clone();
  }

  /** A key from its parts. */
  public static Sig0PublicKey of(Name owner, int flags, Sig0Algorithm algorithm, byte[] keyData) {
    return new Sig0PublicKey(owner, flags, algorithm, keyData);
  }

  /**
   * The key in a dnsjava KEY record; protocol must be 3 (DNSSEC).
   *
   * @throws IllegalArgumentException when the protocol is not 3 or the key field is empty
   */
  public static Sig0PublicKey fromKeyRecord(KEYRecord key) {
    if (key.getProtocol() != PROTOCOL_DNSSEC) {
      throw new IllegalArgumentException("KEY protocol " + key.getProtocol() + " is not 3 (DNSSEC)");
    }
    return new Sig0PublicKey(
        key.getName(), key.getFlags(), Sig0Algorithm.of(key.getAlgorithm()), key.getKey());
  }

  /**
   * The key {@code data} owned by {@code owner}; the inverse of {@link #dnsKeyData()}.
   *
   * @throws IllegalArgumentException when the protocol is not 3 (DNSSEC) or the owner is relative
   */
  public static Sig0PublicKey of(Name owner, DnsKeyData data) {
    if (data.protocol() != PROTOCOL_DNSSEC) {
      throw new IllegalArgumentException("KEY protocol " + data.protocol() + " is not 3 (DNSSEC)");
    }
    return new Sig0PublicKey(owner, data.flags(), Sig0Algorithm.of(data.algorithm()),
        data.publicKey());
  }

  /**
   * The KEY RDATA as core's key value (flags, protocol 3, algorithm, public key), without owner
   * or TTL: the form the other zonecut modules compare and store keys in.
   */
  public DnsKeyData dnsKeyData() {
    return DnsKeyData.of(flags, PROTOCOL_DNSSEC, algorithm.number(), keyData);
  }

  /** The public key field (a copy). */
  @Override
  public byte[] keyData() {
    return keyData.clone();
  }

  /** The key field without a copy, for this package's hot paths; never hand it out. */
  byte[] keyDataShared() {
    return keyData;
  }

  /** The key tag over the KEY RDATA (RFC 4034 Appendix B; algorithm 1 is never supported). */
  public int keyTag() {
    long ac = flags + (PROTOCOL_DNSSEC << 8) + algorithm.number();
    for (int i = 0; i < keyData.length; i++) {
      ac += (i & 1) == 0 ? (keyData[i] & 0xFF) << 8 : keyData[i] & 0xFF;
    }
    ac += (ac >> 16) & 0xFFFF;
    return (int) (ac & 0xFFFF);
  }

  /** The KEY RDATA: flags, protocol 3, algorithm, key. */
  public byte[] rdata() {
    byte[] out = new byte[4 + keyData.length];
    out[0] = (byte) (flags >>> 8);
    out[1] = (byte) flags;
    out[2] = PROTOCOL_DNSSEC;
    out[3] = (byte) algorithm.number();
    System.arraycopy(keyData, 0, out, 4, keyData.length);
    return out;
  }

  /** The KEY record, class IN, with the given TTL. */
  public KEYRecord toKeyRecord(long ttl) {
    return new KEYRecord(owner, DClass.IN, ttl, flags, PROTOCOL_DNSSEC, algorithm.number(), keyData);
  }

  /** The KEY RDATA in presentation form, e.g. {@code 512 3 15 KeQI…}. */
  public String rdataText() {
    return flags + " " + PROTOCOL_DNSSEC + " " + algorithm.number() + " "
        + Base64.getEncoder().encodeToString(keyData);
  }

  /** The identity used in BIND file names: {@code K<owner>+<alg>+<tag>}. */
  public String bindBaseName() {
    return String.format("K%s+%03d+%05d", owner.toString(), algorithm.number(), keyTag());
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Sig0PublicKey
        && ((Sig0PublicKey) o).owner.equals(owner)
        && ((Sig0PublicKey) o).flags == flags
        && ((Sig0PublicKey) o).algorithm.equals(algorithm)
        && Arrays.equals(((Sig0PublicKey) o).keyData, keyData);
  }

  @Override
  public int hashCode() {
    return Objects.hash(owner, flags, algorithm, Arrays.hashCode(keyData));
  }

  /** Owner, algorithm, key tag and flags, e.g. {@code child.parent.test./ED25519(15)/49340 flags 512}. */
  @Override
  public String toString() {
    return owner + "/" + algorithm + "/" + keyTag() + " flags " + flags;
  }
}
