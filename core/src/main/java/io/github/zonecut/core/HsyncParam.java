package io.github.zonecut.core;

import io.github.zonecut.core.internal.Labels;
import io.github.zonecut.core.internal.TextReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One key=value parameter of an {@link HsyncParamRecord}, in the SVCB-style encoding of the
 * reference implementation (tdns HSYNCPARAM; the draft's -01 text was not readable).
 *
 * <table>
 *   <caption>Known keys</caption>
 *   <tr><th>key</th><th>name</th><th>wire value</th></tr>
 *   <tr><td>0</td><td>nsmgmt</td><td>1 octet: 1 owner, 2 agent</td></tr>
 *   <tr><td>1</td><td>parentsync</td><td>1 octet: 0 owner, 1 agent (tdns's numbering, which
 *       differs from nsmgmt's)</td></tr>
 *   <tr><td>2</td><td>servers</td><td>comma-separated provider labels</td></tr>
 *   <tr><td>3</td><td>signers</td><td>comma-separated provider labels</td></tr>
 *   <tr><td>4</td><td>pubkey</td><td>empty (a flag)</td></tr>
 *   <tr><td>5</td><td>pubcds</td><td>empty (a flag)</td></tr>
 *   <tr><td>6</td><td>suffix</td><td>one label</td></tr>
 *   <tr><td>7</td><td>auditors</td><td>comma-separated provider labels</td></tr>
 *   <tr><td>65535</td><td>—</td><td>invalid, refused</td></tr>
 * </table>
 *
 * <p>Other keys are kept with their raw value and printed as {@code keyNNNNN="…"}.
 *
 * @param key the parameter key, 0–65534
 * @param value the wire value (copied; {@link #value()} returns a copy)
 */
public record HsyncParam(int key, byte[] value) {

  public static final int NSMGMT = 0;
  public static final int PARENTSYNC = 1;
  public static final int SERVERS = 2;
  public static final int SIGNERS = 3;
  public static final int PUBKEY = 4;
  public static final int PUBCDS = 5;
  public static final int SUFFIX = 6;
  public static final int AUDITORS = 7;
  /** Reserved key that must not appear. */
  public static final int INVALID = 65535;

  private static final String[] NAMES = {
    "nsmgmt", "parentsync", "servers", "signers", "pubkey", "pubcds", "suffix", "auditors"
  };

  /** Who does a job: the zone owner or the providers' agents. */
  public enum Role {
    OWNER,
    AGENT
  }

  /**
   * Copies the value and checks it against the key's format.
   *
   * @throws IllegalArgumentException naming the key and the problem
   */
  public HsyncParam {
    value = value.clone();
    String p = problem(key, value);
    if (p != null) {
      throw new IllegalArgumentException(p);
    }
  }

  /** What is wrong with {@code value} for {@code key}, or null when it is well-formed. */
  static @Nullable String problem(int key, byte[] value) {
    if (key < 0 || key >= INVALID) {
      return "key " + key + " outside 0..65534";
    }
    if (value.length > 0xFFFF) {
      return name(key) + " value longer than 65535 octets";
    }
    switch (key) {
      case NSMGMT:
        return value.length == 1 && (value[0] == 1 || value[0] == 2) ? null
            : "nsmgmt must be one octet 1 (owner) or 2 (agent)";
      case PARENTSYNC:
        return value.length == 1 && (value[0] == 0 || value[0] == 1) ? null
            : "parentsync must be one octet 0 (owner) or 1 (agent)";
      case SERVERS:
      case SIGNERS:
      case AUDITORS:
        return listProblem(name(key), value);
      case PUBKEY:
      case PUBCDS:
        return value.length == 0 ? null : name(key) + " is a flag and takes no value";
      case SUFFIX:
        String p = Labels.problem(value);
        return p == null ? null : "suffix: " + p;
      default:
        return null;
    }
  }

  private static @Nullable String listProblem(String name, byte[] value) {
    if (value.length == 0) {
      return name + " must list at least one label";
    }
    int start = 0;
    for (int i = 0; i <= value.length; i++) {
      if (i == value.length || value[i] == ',') {
        String p = Labels.problem(Arrays.copyOfRange(value, start, i));
        if (p != null) {
          return name + ": " + p;
        }
        start = i + 1;
      }
    }
    return null;
  }

  /** The wire value (a copy). */
  @Override
  public byte[] value() {
    return value.clone();
  }

  int length() {
    return value.length;
  }

  byte[] rawValue() {
    return value;
  }

  /** The key's name ({@code nsmgmt} …) or {@code keyNNNNN} for a key without one. */
  public static String name(int key) {
    return key >= 0 && key < NAMES.length ? NAMES[key] : "key" + key;
  }

  /** {@code nsmgmt}: who maintains the NS RRset. */
  public static HsyncParam nsmgmt(Role role) {
    return new HsyncParam(NSMGMT, new byte[] {(byte) (role == Role.OWNER ? 1 : 2)});
  }

  /** {@code parentsync}: who synchronises the delegation with the parent. */
  public static HsyncParam parentsync(Role role) {
    return new HsyncParam(PARENTSYNC, new byte[] {(byte) (role == Role.OWNER ? 0 : 1)});
  }

  /** {@code servers}: the providers contributing data. */
  public static HsyncParam servers(List<String> labels) {
    return list(SERVERS, labels);
  }

  /** {@code signers}: the providers that sign. */
  public static HsyncParam signers(List<String> labels) {
    return list(SIGNERS, labels);
  }

  /** {@code auditors}: observer-only providers. */
  public static HsyncParam auditors(List<String> labels) {
    return list(AUDITORS, labels);
  }

  /** The {@code pubkey} flag: providers publish the child's SIG(0) KEY. */
  public static HsyncParam pubkey() {
    return new HsyncParam(PUBKEY, new byte[0]);
  }

  /** The {@code pubcds} flag: providers publish CDS/CDNSKEY. */
  public static HsyncParam pubcds() {
    return new HsyncParam(PUBCDS, new byte[0]);
  }

  /** {@code suffix}: the label under which providers may add NS and glue. */
  public static HsyncParam suffix(String label) {
    byte[] value = Labels.check("suffix", label).getBytes(StandardCharsets.US_ASCII);
    return new HsyncParam(SUFFIX, value);
  }

  private static HsyncParam list(int key, List<String> labels) {
    for (String l : labels) {
      Labels.check(name(key), l);
    }
    return new HsyncParam(key, String.join(",", labels).getBytes(StandardCharsets.US_ASCII));
  }

  /** The role in an {@code nsmgmt} or {@code parentsync} parameter. */
  public Optional<Role> role() {
    if (key == NSMGMT) {
      return Optional.of(value[0] == 1 ? Role.OWNER : Role.AGENT);
    }
    if (key == PARENTSYNC) {
      return Optional.of(value[0] == 0 ? Role.OWNER : Role.AGENT);
    }
    return Optional.empty();
  }

  /** The labels of a {@code servers}, {@code signers} or {@code auditors} parameter. */
  public List<String> labels() {
    if (key != SERVERS && key != SIGNERS && key != AUDITORS) {
      return List.of();
    }
    return List.of(new String(value, StandardCharsets.US_ASCII).split(",", -1));
  }

  /** The presentation form, e.g. {@code nsmgmt="agent"}, {@code pubkey}, {@code key99="x"}. */
  @Override
  public String toString() {
    switch (key) {
      case NSMGMT:
      case PARENTSYNC:
        return name(key) + "=\"" + role().orElseThrow().name().toLowerCase(Locale.ROOT) + "\"";
      case PUBKEY:
      case PUBCDS:
        return name(key);
      default:
        if (key > AUDITORS && value.length == 0) {
          return name(key);
        }
        return name(key) + "=\"" + TextReader.escape(value, true) + "\"";
    }
  }

  /**
   * Parses one parameter from its key name (or {@code keyNNNNN}) and its unescaped value text;
   * a null value means the key stood alone.
   */
  static HsyncParam parse(TextReader in, String keyText, @Nullable String valueText)
      throws MalformedDataException {
    String k = keyText.toLowerCase(Locale.ROOT);
    int key = -1;
    for (int i = 0; i < NAMES.length; i++) {
      if (NAMES[i].equals(k)) {
        key = i;
      }
    }
    boolean generic = false;
    if (key < 0) {
      if (!k.startsWith("key") || k.length() == 3) {
        throw in.error("key", "unknown key \"" + keyText + "\"");
      }
      key = (int) in.parseNumber("key", k.substring(3), 65534);
      generic = true;
    }
    byte[] raw = valueText == null ? new byte[0] : in.unescape(name(key), valueText);
    byte[] wire = generic ? raw : typedToWire(in, key, raw, valueText != null);
    String p = problem(key, wire);
    if (p != null) {
      throw in.error(name(key), p);
    }
    return new HsyncParam(key, wire);
  }

  private static byte[] typedToWire(TextReader in, int key, byte[] raw, boolean hasValue)
      throws MalformedDataException {
    if (key == NSMGMT || key == PARENTSYNC) {
      String v = new String(raw, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
      if (v.equals("owner")) {
        return new byte[] {(byte) (key == NSMGMT ? 1 : 0)};
      }
      if (v.equals("agent")) {
        return new byte[] {(byte) (key == NSMGMT ? 2 : 1)};
      }
      throw in.error(name(key), "must be \"owner\" or \"agent\", not \"" + v + "\"");
    }
    if ((key == PUBKEY || key == PUBCDS) && hasValue) {
      throw in.error(name(key), "is a flag and takes no value");
    }
    return raw;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof HsyncParam && ((HsyncParam) o).key == key
        && Arrays.equals(((HsyncParam) o).value, value);
  }

  @Override
  public int hashCode() {
    return 31 * key + Arrays.hashCode(value);
  }

  /** Reads all parameters, accepting {@code k="v"}, {@code k=v} and a bare {@code k}. */
  static List<HsyncParam> parseAll(TextReader in) throws MalformedDataException {
    List<HsyncParam> out = new ArrayList<>();
    while (in.hasNext()) {
      String word = in.word("key");
      int eq = word.indexOf('=');
      if (eq < 0) {
        out.add(parse(in, word, null));
        continue;
      }
      String k = word.substring(0, eq);
      String v = word.substring(eq + 1);
      if (v.isEmpty()) {
        var t = in.peek();
        if (t != null && t.quoted()) {
          v = in.next("value").text();
        }
      }
      out.add(parse(in, k, v));
    }
    return out;
  }
}
