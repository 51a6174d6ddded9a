package io.github.zonecut.core;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A DSYNC Scheme (RFC 9859 §2.1): any value 0–255, with a mnemonic where one is known.
 *
 * <p>Like Netty's {@code DnsRecordType.valueOf(int)}, a scheme never heard of is still a valid
 * value: it prints as its decimal number (RFC 9859 §2.2) and parses back. NOTIFY (1) is assigned
 * by IANA; the UPDATE and SCANNER numbers are drafts' and come from a {@link Codepoints} profile.
 *
 * @param value the scheme number, 0–255
 */
public record DsyncScheme(int value) {

  /** The null scheme (0): consumers ignore the record (RFC 9859 §2.1). */
  public static final DsyncScheme NULL = new DsyncScheme(0);

  /** NOTIFY (1): send a generalized NOTIFY to target:port (RFC 9859 §2.3). */
  public static final DsyncScheme NOTIFY = new DsyncScheme(1);

  /** Checks the range 0–255. */
  public DsyncScheme {
    if (value < 0 || value > 0xFF) {
      throw new IllegalArgumentException("DSYNC scheme out of range 0..255: " + value);
    }
  }

  /** The scheme with this number; never fails for 0–255. */
  public static DsyncScheme valueOf(int value) {
    switch (value) {
      case 0:
        return NULL;
      case 1:
        return NOTIFY;
      default:
        return new DsyncScheme(value);
    }
  }

  /** The UPDATE scheme of draft-ietf-dnsop-delegation-mgmt-via-ddns §5 in this profile. */
  public static DsyncScheme update(Codepoints codepoints) {
    return valueOf(codepoints.dsyncSchemeUpdate());
  }

  /** The SCANNER scheme of draft-berra-dnsop-announce-scanner in this profile. */
  public static DsyncScheme scanner(Codepoints codepoints) {
    return valueOf(codepoints.dsyncSchemeScanner());
  }

  /** Whether consumers must ignore records with this scheme (0, RFC 9859 §2.1). */
  public boolean isNull() {
    return value == 0;
  }

  /** Whether the scheme lies in the private-use range 128–255 (RFC 9859 §6.2). */
  public boolean isPrivateUse() {
    return value >= 128;
  }

  /** The mnemonic of this scheme in {@code codepoints}, if it has one. */
  public Optional<String> mnemonic(Codepoints codepoints) {
    if (value == 1) {
      return Optional.of("NOTIFY");
    }
    if (value == codepoints.dsyncSchemeUpdate()) {
      return Optional.of("UPDATE");
    }
    if (value == codepoints.dsyncSchemeScanner()) {
      return Optional.of("SCANNER");
    }
    return Optional.empty();
  }

  /** The presentation form in {@code codepoints}: the mnemonic, else the decimal number. */
  public String toString(Codepoints codepoints) {
    return mnemonic(codepoints).orElseGet(() -> Integer.toString(value));
  }

  /** The presentation form in {@link Codepoints#DEFAULT}. */
  @Override
  public String toString() {
    return toString(Codepoints.DEFAULT);
  }

  /**
   * Parses a scheme given as a mnemonic (case-insensitive: NOTIFY, UPDATE, SCANNER as numbered
   * by {@code codepoints}) or an unsigned decimal 0–255 (RFC 9859 §2.2).
   *
   * @throws MalformedDataException if it is neither
   */
  public static DsyncScheme parse(String text, Codepoints codepoints)
      throws MalformedDataException {
    Objects.requireNonNull(text, "text");
    switch (text.toUpperCase(Locale.ROOT)) {
      case "NOTIFY":
        return NOTIFY;
      case "UPDATE":
        return update(codepoints);
      case "SCANNER":
        return scanner(codepoints);
      default:
        break;
    }
    if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new MalformedDataException("DSYNC scheme", -1, "not a mnemonic or 0..255: \""
          + text + "\"");
    }
    int v = Integer.parseInt(text);
    if (v > 0xFF) {
      throw new MalformedDataException("DSYNC scheme", -1, "out of range 0..255: " + v);
    }
    return valueOf(v);
  }
}
