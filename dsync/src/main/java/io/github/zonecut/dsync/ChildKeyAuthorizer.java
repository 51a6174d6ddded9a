package io.github.zonecut.dsync;

import io.github.zonecut.dsync.internal.UpdateScope;
import java.util.Objects;
import org.xbill.DNS.Name;

/**
 * The draft's default authorisation (draft-ietf-dnsop-delegation-mgmt-via-ddns §7.1, §11.1, the
 * name-scoping rule): an UPDATE changes the delegation of {@code child} only when signed by a key
 * whose owner is exactly {@code child}.
 *
 * <ul>
 *   <li>The child is the SIG(0) signer's name, which must lie below the zone.
 *   <li>Every owner in the update and prerequisite sections is at or below the child, compared
 *       label by label ({@code evilchild.parent.} is not below {@code child.parent.}).
 *   <li>Types: NS and DS owned by the child; A/AAAA glue below the child (in-bailiwick); KEY owned
 *       by the child, alone in its UPDATE (bootstrap and roll, judged by the trust registry).
 *       Anything else, including type ANY (delete every RRset of a name), SOA and meta types,
 *       is denied.
 *   <li>Counts and RDATA sizes within {@link UpdateAuthorizer.Limits}.
 * </ul>
 *
 * <p>Whether the key is trusted is not its business: the receiver asks the trust registry.
 */
public final class ChildKeyAuthorizer implements UpdateAuthorizer {
  private final Limits limits;

  /** An authorizer with {@code limits}. */
  public ChildKeyAuthorizer(Limits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  @Override
  public Authorization authorize(Request request) {
    Name child = request.signer().owner();
    return UpdateScope.judge(child, request, limits, true);
  }

  @Override
  public String toString() {
    return "ChildKeyAuthorizer" + limits;
  }
}
