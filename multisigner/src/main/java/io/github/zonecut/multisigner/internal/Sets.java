package io.github.zonecut.multisigner.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** Unmodifiable sets with a stable, sorted iteration order (so plans and diagrams are reproducible). */
public final class Sets {
  private Sets() {}

  /** An unmodifiable copy of {@code items}, iterating in natural order; rejects null elements. */
  public static <T extends Comparable<? super T>> Set<T> copy(Collection<? extends T> items) {
    if (items.isEmpty()) {
      return Set.of();
    }
    TreeSet<T> sorted = new TreeSet<>();
    for (T t : items) {
      sorted.add(Objects.requireNonNull(t, "null element"));
    }
    return Collections.unmodifiableSet(new LinkedHashSet<>(sorted));
  }

  /** An unmodifiable copy of {@code items} keeping insertion order; rejects null elements. */
  public static <T> Set<T> ordered(Collection<? extends T> items) {
    if (items.isEmpty()) {
      return Set.of();
    }
    LinkedHashSet<T> out = new LinkedHashSet<>();
    for (T t : items) {
      out.add(Objects.requireNonNull(t, "null element"));
    }
    return Collections.unmodifiableSet(out);
  }

  /** An unmodifiable copy of {@code items}; rejects null elements. */
  public static <T> List<T> list(Collection<? extends T> items) {
    return List.copyOf(new ArrayList<>(items));
  }
}
