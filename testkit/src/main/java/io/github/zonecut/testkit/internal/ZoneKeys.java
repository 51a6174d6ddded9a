package io.github.zonecut.testkit.internal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;

/**
 * A zone's signing keys: a key-signing key and a zone-signing key, which are the same key for a
 * combined signing key (CSK). Private keys never leave this object except to sign.
 */
public final class ZoneKeys {
  private static final int FLAGS_ZSK = DNSKEYRecord.Flags.ZONE_KEY;
  private static final int FLAGS_KSK = DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY;

  private final DNSKEYRecord ksk;
  private final PrivateKey kskPrivate;
  private final DNSKEYRecord zsk;
  private final PrivateKey zskPrivate;

  private ZoneKeys(DNSKEYRecord ksk, PrivateKey kskPrivate, DNSKEYRecord zsk, PrivateKey zskPrivate) {
    this.ksk = ksk;
    this.kskPrivate = kskPrivate;
    this.zsk = zsk;
    this.zskPrivate = zskPrivate;
  }

  /**
   * Generates fresh keys for {@code origin}.
   *
   * @param algorithm DNSSEC algorithm number, 13 or 15
   * @param split true for a KSK/ZSK pair, false for one CSK
   */
  public static ZoneKeys generate(Name origin, int algorithm, boolean split, long ttl) {
    try {
      KeyPair k = newKeyPair(algorithm);
      DNSKEYRecord kskRecord =
          new DNSKEYRecord(origin, DClass.IN, ttl, FLAGS_KSK, DNSKEYRecord.Protocol.DNSSEC, algorithm, k.getPublic());
      if (!split) {
        return new ZoneKeys(kskRecord, k.getPrivate(), kskRecord, k.getPrivate());
      }
      KeyPair z = newKeyPair(algorithm);
      DNSKEYRecord zskRecord =
          new DNSKEYRecord(origin, DClass.IN, ttl, FLAGS_ZSK, DNSKEYRecord.Protocol.DNSSEC, algorithm, z.getPublic());
      return new ZoneKeys(kskRecord, k.getPrivate(), zskRecord, z.getPrivate());
    } catch (GeneralSecurityException | DNSSEC.DNSSECException e) {
      throw new IllegalStateException("cannot generate DNSSEC algorithm " + algorithm + " keys", e);
    }
  }

  private static KeyPair newKeyPair(int algorithm) throws GeneralSecurityException {
    switch (algorithm) {
      case DNSSEC.Algorithm.ECDSAP256SHA256:
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        return ec.generateKeyPair();
      case DNSSEC.Algorithm.ED25519:
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      default:
        throw new IllegalArgumentException("unsupported DNSSEC algorithm " + algorithm);
    }
  }

  /** The key-signing key (the DS target); the CSK when the zone has one key. */
  public DNSKEYRecord ksk() {
    return ksk;
  }

  /** The zone-signing key; the CSK when the zone has one key. */
  public DNSKEYRecord zsk() {
    return zsk;
  }

  /** Whether the zone uses one combined key. */
  public boolean isCsk() {
    return ksk == zsk;
  }

  PrivateKey kskPrivate() {
    return kskPrivate;
  }

  PrivateKey zskPrivate() {
    return zskPrivate;
  }
}
