package io.github.zonecut.testkit;

import org.xbill.DNS.Record;

/**
 * A batch of changes to one zone, applied atomically by {@link TestZone#edit(java.util.function.Consumer)}:
 * the zone is re-signed once and served either wholly before or wholly after the batch. Text is
 * zone-file syntax (RFC 1035 §5) with names relative to the zone's origin ({@code @} is the
 * apex) and a default TTL of 300.
 */
public interface ZoneEditor {
  /** Adds the records in {@code zoneFileText}; records already present are kept once. */
  ZoneEditor add(String zoneFileText);

  /** Adds {@code record}, which must lie inside the zone. */
  ZoneEditor add(Record record);

  /** Removes the records in {@code zoneFileText} (matched by owner, type and data). */
  ZoneEditor remove(String zoneFileText);

  /** Removes {@code record} (matched by owner, type and data). */
  ZoneEditor remove(Record record);

  /** Removes the whole RRset of {@code type} at {@code name} (relative to the origin or absolute). */
  ZoneEditor removeRRset(String name, int type);

  /**
   * Replaces, for every owner and type in {@code zoneFileText}, the existing RRset with the
   * records given.
   */
  ZoneEditor replace(String zoneFileText);
}
