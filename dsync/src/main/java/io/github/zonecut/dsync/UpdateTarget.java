package io.github.zonecut.dsync;

import io.github.zonecut.core.DnsEndpoint;
import io.github.zonecut.core.Names;
import io.github.zonecut.keystate.KeyStateInquiryClient;
import io.github.zonecut.sig0.Sig0PublicKey;
import java.util.List;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * Where a child's UPDATEs go: the parent zone (the UPDATE's zone section), the DSYNC UPDATE
 * target name, its addresses with the DSYNC port, and the receiver's SIG(0) KEYs found SECURE at
 * that name (draft-ietf-dnsop-delegation-mgmt-via-ddns §5, §9.3).
 *
 * @param parentZone the parent zone
 * @param receiver the DSYNC target name, owner of the receiver's KEY
 * @param endpoints the receiver's addresses, tried in turn; at least one
 * @param receiverKeys the receiver's keys; keys owned by another name are dropped
 */
public record UpdateTarget(Name parentZone, Name receiver, List<DnsEndpoint> endpoints,
    List<Sig0PublicKey> receiverKeys) {

  /** Checks and copies. */
  public UpdateTarget {
    Names.requireAbsolute("parent zone", parentZone);
    Names.requireAbsolute("receiver", receiver);
    endpoints = List.copyOf(endpoints);
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no receiver address");
    }
    receiverKeys = receiverKeys.stream().filter(k -> k.owner().equals(receiver)).toList();
  }

  /** The same receiver as a KeyState inquiry target (ddns §9.2, draft-berra-dnsop-keystate). */
  public KeyStateInquiryClient.Target inquiryTarget() {
    return new KeyStateInquiryClient.Target(receiver, endpoints, receiverKeys);
  }

  /** A copy with other receiver keys (e.g. ones bootstrapped out of band, ddns §9.3). */
  public UpdateTarget withReceiverKeys(List<Sig0PublicKey> keys) {
    return new UpdateTarget(parentZone, receiver, endpoints, Objects.requireNonNull(keys, "keys"));
  }
}
