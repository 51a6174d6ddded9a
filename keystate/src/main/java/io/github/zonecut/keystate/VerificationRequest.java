package io.github.zonecut.keystate;

import io.github.zonecut.core.DnsEndpoint;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link BootstrapVerifier} checks: one uploaded key, the child's delegation as the parent
 * holds it, and how far an earlier round got.
 *
 * @param key the uploaded key (its owner is the child)
 * @param nameservers the NS names of the delegation
 * @param childServers addresses of the child's authoritative servers (for {@code unsigned})
 * @param progress the progress recorded so far, or null
 */
public record VerificationRequest(KeyIdentity key, List<org.xbill.DNS.Name> nameservers,
    List<DnsEndpoint> childServers, @Nullable VerificationProgress progress) {

  /** Checks and copies the fields. */
  public VerificationRequest {
    Objects.requireNonNull(key, "key");
    nameservers = List.copyOf(nameservers);
    childServers = List.copyOf(childServers);
  }
}
