package io.github.zonecut.cli;

import io.github.zonecut.core.DnsEndpoint;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Parsers of what users type: endpoints, names, records, times, hex. Each failure is a {@link
 * CliException} of {@link ExitCode#USAGE} naming what was wrong and where it came from.
 */
public final class Inputs {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern EPOCH = Pattern.compile("-?\\d{1,12}");

  private Inputs() {}

  /** {@code text} as an IP address if it is an IPv4 or IPv6 literal (no DNS lookup is made). */
  public static Optional<InetAddress> ipLiteral(String text) {
    String t = text.startsWith("[") && text.endsWith("]")
        ? text.substring(1, text.length() - 1) : text;
    if (!IPV4.matcher(t).matches() && !(t.contains(":") && t.matches("[0-9A-Fa-f:.%]+"))) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(t));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code ADDR:PORT} ({@code [v6]:PORT} for IPv6; {@code ADDR} alone means port 53).
   *
   * @param what the option or argument it came from, for the message
   */
  public static DnsEndpoint endpoint(String text, String what) throws CliException {
    String addr = text;
    int port = DnsEndpoint.DNS_PORT;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw CliException.usage("bad " + what + " '" + text + "': missing ']'");
      }
      addr = text.substring(1, close);
      String rest = text.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw CliException.usage("bad " + what + " '" + text + "': expected [ADDR]:PORT");
        }
        port = port(rest.substring(1), what, text);
      }
    } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
      int colon = text.indexOf(':');
      addr = text.substring(0, colon);
      port = port(text.substring(colon + 1), what, text);
    }
    Optional<InetAddress> ip = ipLiteral(addr);
    if (ip.isEmpty()) {
      throw CliException.usage(
          "bad " + what + " '" + text + "': ADDR must be an IP address (ADDR:PORT)");
    }
    return DnsEndpoint.of(ip.get(), port);
  }

  private static int port(String text, String what, String whole) throws CliException {
    try {
      int p = Integer.parseInt(text);
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw CliException.usage("bad " + what + " '" + whole + "': port must be 1-65535");
  }

  /** An absolute domain name ({@code example.} or {@code example}, made absolute). */
  public static Name name(String text, String what) throws CliException {
    try {
      return Name.fromString(text, Name.root);
    } catch (TextParseException e) {
      throw CliException.usage("bad " + what + " name '" + text + "': " + e.getMessage());
    }
  }

  /**
   * One resource record in zone-file presentation form ({@code owner [ttl] [class] type rdata}),
   * owner names relative to the root unless absolute; a missing TTL means {@code defaultTtl}.
   */
  public static Record record(String text, long defaultTtl, String what) throws CliException {
    List<Record> rs = records(text, defaultTtl, what);
    if (rs.size() != 1) {
      throw CliException.usage("malformed " + what + " '" + text + "': expected one record, got "
          + rs.size());
    }
    return rs.get(0);
  }

  private static List<Record> records(String text, long defaultTtl, String what)
      throws CliException {
    return parseMaster(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), defaultTtl,
        "malformed " + what + " '" + text.strip() + "'");
  }

  private static List<Record> parseMaster(InputStream in, long defaultTtl, String context)
      throws CliException {
    List<Record> out = new ArrayList<>();
    try (Master m = new Master(in, Name.root, defaultTtl)) {
      for (int i = 0; i < 100_000; i++) {
        Record r = m.nextRecord();
        if (r == null) {
          return out;
        }
        out.add(r);
      }
      throw CliException.usage(context + ": too many records");
    } catch (TextParseException e) {
      // dnsjava prefixes the stream's name and line ("<none>:1: "): one line of input has none
      throw new CliException(ExitCode.USAGE, context + ": "
          + oneLine(e.getMessage()).replaceFirst("^<none>:\\d+: ", ""), e);
    } catch (IOException e) {
      throw new CliException(ExitCode.USAGE, context + ": " + oneLine(e.getMessage()), e);
    }
  }

  /**
   * The DS and DNSKEY records of a trust-anchor file (zone-file text).
   *
   * @throws CliException (usage) if the file is missing, malformed, empty, or holds other types
   */
  public static List<Record> trustAnchors(Path file) throws CliException {
    return parseAnchors(readFile(file, "trust anchor file"), "trust anchor file " + file);
  }

  /** The DS and DNSKEY records of trust-anchor text from {@code source} (for messages). */
  static List<Record> parseAnchors(byte[] bytes, String source) throws CliException {
    List<Record> rs = parseMaster(new ByteArrayInputStream(bytes), 3600, "bad " + source);
    if (rs.isEmpty()) {
      throw CliException.usage("bad " + source + ": no DS or DNSKEY record");
    }
    for (Record r : rs) {
      if ((r.getType() != Type.DS && r.getType() != Type.DNSKEY) || r.getDClass() != DClass.IN) {
        throw CliException.usage("bad " + source + ": "
            + Type.string(r.getType()) + " record for " + r.getName()
            + " (only IN DS and DNSKEY are trust anchors)");
      }
    }
    return List.copyOf(rs);
  }

  /** The bytes of {@code file}; a missing or unreadable file is a usage error naming it. */
  public static byte[] readFile(Path file, String what) throws CliException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw CliException.usage(what + " " + file + " does not exist");
    } catch (IOException e) {
      throw CliException.usage("cannot read " + what + " " + file + ": " + oneLine(e.toString()));
    }
  }

  /** A time: epoch seconds ({@code 1764547200}) or ISO-8601 ({@code 2026-12-01T00:00:00Z}). */
  public static Instant time(String text, String what) throws CliException {
    String t = text.strip();
    if (EPOCH.matcher(t).matches()) {
      return Instant.ofEpochSecond(Long.parseLong(t));
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(t).toInstant();
      } catch (DateTimeParseException e2) {
        throw CliException.usage("bad " + what + " '" + text
            + "': expected epoch seconds or ISO-8601 such as 2026-12-01T00:00:00Z");
      }
    }
  }

  /**
   * Hex bytes, whitespace (and a {@code 0x} prefix) ignored; {@code @FILE} reads the hex from
   * that file.
   */
  public static byte[] hex(String text, String what) throws CliException {
    String hex = text;
    if (text.startsWith("@")) {
      hex = new String(readFile(Path.of(text.substring(1)), what + " file"),
          StandardCharsets.US_ASCII);
    }
    String compact = hex.replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
    if (compact.startsWith("0x")) {
      compact = compact.substring(2);
    }
    if (compact.isEmpty()) {
      throw CliException.usage("bad " + what + ": no hex digits");
    }
    if (compact.length() % 2 != 0) {
      throw CliException.usage("bad " + what + ": odd number of hex digits");
    }
    try {
      return HexFormat.of().parseHex(compact);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("bad " + what + ": not hex (" + oneLine(e.getMessage()) + ")");
    }
  }

  /** A Jackson parse problem on one line, without its source-location noise. */
  public static String jsonProblem(@Nullable String message) {
    return oneLine(message).replaceAll("\\s*\\(start marker at \\[Source:.*$", "")
        .replaceAll("\\s*at \\[Source:.*$", "");
  }

  /** {@code text} on one line (messages of parsers may hold newlines). */
  public static String oneLine(@Nullable String text) {
    return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
