package io.github.zonecut.multisigner.internal;

import java.util.AbstractSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Unmodifiable sets that keep insertion order (so plans derived from the same snapshot iterate
 * the same way) and are not copied again when passed on.
 */
public final class Sets {
  private Sets() {}

  /** An unmodifiable copy of {@code items} in iteration order; rejects null elements. */
  public static <T> Set<T> copy(Collection<? extends T> items) {
    if (items instanceof Frozen<?>) {
      @SuppressWarnings("unchecked")
      Set<T> same = (Set<T>) items;
      return same;
    }
    if (items.isEmpty()) {
      return Set.of();
    }
    LinkedHashSet<T> out = new LinkedHashSet<>(Math.max(4, items.size() * 2));
    for (T t : items) {
      out.add(Objects.requireNonNull(t, "null element"));
    }
    return new Frozen<>(out);
  }

  private static final class Frozen<T> extends AbstractSet<T> {
    private final LinkedHashSet<T> items;
    private int hash = -1;

    Frozen(LinkedHashSet<T> items) {
      this.items = items;
    }

    @Override
    public Iterator<T> iterator() {
      Iterator<T> it = items.iterator();
      return new Iterator<T>() {
        @Override
        public boolean hasNext() {
          return it.hasNext();
        }

        @Override
        public T next() {
          return it.next();
        }
      };
    }

    @Override
    public int size() {
      return items.size();
    }

    @Override
    public boolean contains(Object o) {
      return items.contains(o);
    }

    @Override
    public int hashCode() {
      int h = hash;
      if (h == -1) {
        h = super.hashCode();
        hash = h;
      }
      return h;
    }
  }
}
