package io.github.zonecut.multisigner;

import io.github.zonecut.core.DnsKeyData;
import java.util.Objects;

/**
 * A key a signer generated and holds the private part of, with its role. Origin tracking is
 * prerequisite 3 of draft-ietf-dnsop-dnssec-automation §5.1: a signer must tell its own keys
 * from the keys it imported from others.
 *
 * @param key the key
 * @param role what the owner uses it for; must agree with the key's SEP flag
 */
public record OwnedKey(DnsKeyData key, KeyRole role) {

  /** Checks that the SEP flag matches the role. */
  public OwnedKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(role, "role");
    if (key.isSep() != role.isSep()) {
      throw new IllegalArgumentException(
          "key " + key + " has SEP flag " + key.isSep() + " but role " + role);
    }
  }

  /** Returns the owned key. */
  public static OwnedKey of(DnsKeyData key, KeyRole role) {
    return new OwnedKey(key, role);
  }
}
