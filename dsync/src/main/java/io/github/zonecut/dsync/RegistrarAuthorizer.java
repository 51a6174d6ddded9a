package io.github.zonecut.dsync;

import io.github.zonecut.core.Names;
import io.github.zonecut.dsync.internal.UpdateScope;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The draft's "alternative authorization scheme" (draft-ietf-dnsop-delegation-mgmt-via-ddns §7.1):
 * a key owned by {@code registrar} may change the delegations of a listed set of children. The
 * child is the listed name at or above every owner of the UPDATE (the most specific one); the
 * same type, scope and size rules as {@link ChildKeyAuthorizer} apply, and a registrar key never
 * changes a child's KEY RRset. UPDATEs signed by any other key are judged by {@code fallback}
 * (the child's own key by default), so children keep their own channel.
 */
public final class RegistrarAuthorizer implements UpdateAuthorizer {
  private final Name registrar;
  private final Set<Name> children;
  private final Limits limits;
  private final UpdateAuthorizer fallback;

  /** A registrar authorizer falling back to {@link ChildKeyAuthorizer} for other signers. */
  public RegistrarAuthorizer(Name registrar, Set<Name> children, Limits limits) {
    this(registrar, children, limits, new ChildKeyAuthorizer(limits));
  }

  /**
   * @param registrar the owner name of the registrar's SIG(0) key
   * @param children the delegations it manages
   * @param limits counts and sizes
   * @param fallback judges UPDATEs signed by keys of other owners
   */
  public RegistrarAuthorizer(Name registrar, Set<Name> children, Limits limits,
      UpdateAuthorizer fallback) {
    this.registrar = Names.requireAbsolute("registrar", registrar);
    this.children = Set.copyOf(children);
    this.limits = Objects.requireNonNull(limits, "limits");
    this.fallback = Objects.requireNonNull(fallback, "fallback");
  }

  @Override
  public Authorization authorize(Request request) {
    if (!request.signer().owner().equals(registrar)) {
      return fallback.authorize(request);
    }
    Name child = null;
    for (Name c : children) {
      if (coversAll(c, request) && (child == null || c.labels() > child.labels())) {
        child = c;
      }
    }
    if (child == null) {
      return new Authorization.Denied("registrar " + registrar
          + " is not authorised for every name in this UPDATE");
    }
    return UpdateScope.judge(child, request, limits, false);
  }

  private static boolean coversAll(Name child, Request request) {
    @Nullable Record first = request.updates().isEmpty() ? null : request.updates().get(0);
    if (first == null) {
      return false;
    }
    for (Record r : request.updates()) {
      if (!Names.isAtOrBelow(r.getName(), child)) {
        return false;
      }
    }
    for (Record r : request.prerequisites()) {
      if (!Names.isAtOrBelow(r.getName(), child)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "RegistrarAuthorizer[" + registrar + " for " + children.size() + " children]";
  }
}
