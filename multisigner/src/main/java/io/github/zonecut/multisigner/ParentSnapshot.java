package io.github.zonecut.multisigner;

import io.github.zonecut.core.DsData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Name;

/**
 * The delegation as observed at every authoritative server of the parent. The parent has
 * published a change only when all of its servers serve it (MUSIC asked one address and moved on
 * too early: anchors §4.1 item 13).
 *
 * @param servers one view per parent server; at least one
 */
public record ParentSnapshot(List<ParentServerView> servers) {

  /** Copies the list and checks it is not empty. */
  public ParentSnapshot {
    servers = List.copyOf(servers);
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("a parent has at least one server");
    }
  }

  /** Returns the snapshot of these servers. */
  public static ParentSnapshot of(ParentServerView... servers) {
    return new ParentSnapshot(List.of(servers));
  }

  /**
   * The DS RRset all parent servers agree on, with the largest TTL, the latest change instant and
   * the TTL history that expires last; null while they disagree.
   */
  public @Nullable Observed<java.util.Set<DsData>> agreedDs() {
    return agreed(ParentServerView::ds);
  }

  /** The delegation NS RRset all parent servers agree on; null while they disagree. */
  public @Nullable Observed<java.util.Set<Name>> agreedNs() {
    return agreed(ParentServerView::ns);
  }

  private <T> @Nullable Observed<T> agreed(Function<ParentServerView, Observed<T>> f) {
    Observed<T> first = f.apply(servers.get(0));
    Duration ttl = first.ttl();
    Instant since = first.since();
    Duration earlierTtl = first.earlierTtl();
    Instant earlierUntil = first.earlierTtlUntil();
    for (int i = 1; i < servers.size(); i++) {
      Observed<T> o = f.apply(servers.get(i));
      if (!o.value().equals(first.value())) {
        return null;
      }
      if (o.ttl().compareTo(ttl) > 0) {
        ttl = o.ttl();
      }
      if (o.since().isAfter(since)) {
        since = o.since();
      }
      // TTL history: keep the earlier TTL whose copies expire last, whichever server served it
      if (o.earlierTtlUntil().plus(o.earlierTtl()).isAfter(earlierUntil.plus(earlierTtl))) {
        earlierTtl = o.earlierTtl();
        earlierUntil = o.earlierTtlUntil();
      }
    }
    return servers.size() == 1 ? first
        : new Observed<>(first.value(), ttl, since, earlierTtl, earlierUntil);
  }
}
