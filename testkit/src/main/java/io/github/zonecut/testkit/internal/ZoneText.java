package io.github.zonecut.testkit.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;

/** Parses zone-file text (RFC 1035 §5) relative to a zone's origin. */
public final class ZoneText {
  /** The TTL of records whose text gives none. */
  public static final long DEFAULT_TTL = 300;

  private ZoneText() {}

  /**
   * Parses {@code text}: one or more master-file lines, names relative to {@code origin}, TTL
   * defaulting to {@link #DEFAULT_TTL}; {@code $INCLUDE} is refused.
   *
   * @throws IllegalArgumentException if the text does not parse or a record lies outside the zone
   */
  public static List<Record> parse(String text, Name origin) {
    List<Record> records = new ArrayList<>();
    try (Master master =
        new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), origin, DEFAULT_TTL)) {
      master.disableIncludes();
      for (Record r; (r = master.nextRecord()) != null; ) {
        if (!r.getName().subdomain(origin)) {
          throw new IllegalArgumentException(r.getName() + " is outside zone " + origin + ": " + text);
        }
        records.add(r);
      }
    } catch (TextParseException e) {
      throw new IllegalArgumentException("bad zone-file text for " + origin + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("bad zone-file text for " + origin + ": " + text, e);
    }
    return records;
  }

  /** Parses an absolute or relative-to-{@code origin} domain name. */
  public static Name name(String name, Name origin) {
    try {
      return Name.fromString(name, origin);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("bad domain name " + name + ": " + e.getMessage(), e);
    }
  }
}
