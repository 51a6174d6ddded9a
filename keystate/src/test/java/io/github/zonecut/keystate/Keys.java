package io.github.zonecut.keystate;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.KEYRecord;
import org.xbill.DNS.Name;

/** Test keys: random Ed25519-sized public keys (the registry never verifies signatures). */
final class Keys {
  static final Name CHILD = Name.fromConstantString("child.parent.example.");
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private Keys() {}

  static KEYRecord key(Name owner, long seed) {
    byte[] pub = new byte[32];
    new Random(seed).nextBytes(pub);
    return new KEYRecord(owner, DClass.IN, 3600, 0x0200, KEYRecord.Protocol.DNSSEC, 15, pub);
  }

  static KEYRecord key(long seed) {
    return key(CHILD, seed);
  }

  static KeyIdentity id(KEYRecord k) {
    return KeyIdentity.of(k);
  }

  /** A self-signed bootstrap upload: DEL ANY KEY (if {@code del}) + ADD {@code k}. */
  static UploadEvidence selfSigned(KEYRecord k, boolean del) {
    return new UploadEvidence(k.getName(), List.of(k), del, KeyIdentity.of(k), T0);
  }

  static UploadEvidence signedBy(KEYRecord k, boolean del, @Nullable KEYRecord signer) {
    return new UploadEvidence(k.getName(), List.of(k), del,
        signer == null ? null : KeyIdentity.of(signer), T0);
  }
}
