package io.github.zonecut.core;

import io.github.zonecut.core.internal.Labels;
import io.github.zonecut.core.internal.TextReader;
import io.github.zonecut.core.internal.WireReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.Compression;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * HSYNC, the zone owner's designation of one DNS provider (draft-leon-dnsop-signaling-zone-owner-
 * intent), in the layout of the reference implementation's HSYNC3 (tdns; the draft's own -01
 * layout was not readable). The type code is a draft number: {@link Codepoints#hsyncType()}.
 *
 * <p>RDATA: state (u8, see {@link HsyncState}), label (a character-string holding the provider's
 * label), identity (the provider agent's uncompressed domain name), upstream (a
 * character-string: the upstream provider's label, or {@code "."} for none). Presentation:
 * {@code ON netnod agent.netnod.se. .}.
 *
 * <p>Label and upstream are labels, not names: 1–63 letters, digits, {@code -} or {@code _},
 * without a dot. tdns's text parser appends a dot to them, so on wire input one trailing dot is
 * tolerated and dropped (anchors §4.1 item 2); text input and output never carry it. The
 * identity keeps its case in canonical form (RFC 3597 §7).
 *
 * <p>A record decoded from wire renders back to exactly the octets received (state 2 stays 2, a
 * label's trailing dot stays, the identity keeps its case), so an RRSIG over the original RDATA
 * still verifies when the record is re-rendered; records built from values or text are written
 * in the profile's form.
 */
public final class HsyncRecord extends ZonecutRecord {
  private static final long serialVersionUID = 1L;

  private static final String NO_UPSTREAM = ".";

  private HsyncState state = HsyncState.OFF;
  private String label = "";
  private Name identity = Name.root;
  private String upstream = NO_UPSTREAM;
  /**
   * The RDATA exactly as received when decoded from wire, else null. HSYNC's wire form has
   * several spellings of one value (OFF as 0 or 2, tdns's trailing dot on labels), and an RRSIG
   * covers the octets as signed (RFC 4034 §3.1.8.1), so a received record is rendered back as it
   * came.
   */
  private byte @Nullable [] received;

  /** For dnsjava's type registry. */
  HsyncRecord(Codepoints codepoints) {
    super(codepoints);
  }

  private HsyncRecord(Name owner, int dclass, long ttl, Codepoints codepoints) {
    super(owner, codepoints.hsyncType(), dclass, ttl, codepoints);
  }

  /**
   * An HSYNC record with type code {@code codepoints.hsyncType()}.
   *
   * @param owner the zone apex
   * @param dclass the class, normally {@link DClass#IN}
   * @param ttl the TTL
   * @param state ON or OFF (or an unnamed state)
   * @param label the provider's label, e.g. {@code netnod}
   * @param identity the absolute name of the provider's agent
   * @param upstream the upstream provider's label, or empty for none (written as {@code "."})
   * @param codepoints the profile giving the type code and the OFF value
   * @throws IllegalArgumentException if a label is not a valid label or the names are relative
   */
  public HsyncRecord(Name owner, int dclass, long ttl, HsyncState state, String label,
      Name identity, Optional<String> upstream, Codepoints codepoints) {
    this(owner, dclass, ttl, codepoints);
    this.state = Objects.requireNonNull(state, "state");
    this.label = Labels.check("HSYNC label", label);
    this.identity = absolute("HSYNC identity", identity);
    this.upstream = upstream.isPresent() ? Labels.check("HSYNC upstream", upstream.get())
        : NO_UPSTREAM;
  }

  /** An IN-class HSYNC record in the {@link Codepoints#DEFAULT} profile. */
  public static HsyncRecord of(Name owner, long ttl, HsyncState state, String label,
      Name identity, Optional<String> upstream) {
    return new HsyncRecord(owner, DClass.IN, ttl, state, label, identity, upstream,
        Codepoints.DEFAULT);
  }

  /**
   * Decodes HSYNC RDATA strictly.
   *
   * @throws MalformedDataException for truncated or trailing octets, a compressed identity or a
   *     label that is not a label, naming the field and offset
   */
  public static HsyncRecord fromRdata(Name owner, int dclass, long ttl, byte[] rdata,
      Codepoints codepoints) throws MalformedDataException {
    HsyncRecord r = new HsyncRecord(owner, dclass, ttl, codepoints);
    r.decodeWire(rdata);
    return r;
  }

  /**
   * Parses HSYNC RDATA in presentation form, e.g. {@code ON netnod agent.netnod.se. .}.
   *
   * @throws MalformedDataException naming the field that is wrong
   */
  public static HsyncRecord parse(Name owner, int dclass, long ttl, String rdata,
      Codepoints codepoints) throws MalformedDataException {
    HsyncRecord r = new HsyncRecord(owner, dclass, ttl, codepoints);
    r.decodeText(rdata);
    return r;
  }

  /**
   * This record as an {@code HsyncRecord}, decoding the RDATA of any other record of type
   * {@code codepoints.hsyncType()} (for instance an {@link org.xbill.DNS.UNKRecord}).
   *
   * @throws MalformedDataException if the type differs or the RDATA is malformed
   */
  public static HsyncRecord from(Record record, Codepoints codepoints)
      throws MalformedDataException {
    if (record instanceof HsyncRecord
        && ((HsyncRecord) record).codepoints.hsyncType() == codepoints.hsyncType()) {
      return (HsyncRecord) record;
    }
    return fromRdata(record.getName(), record.getDClass(), record.getTTL(),
        rdataOf(record, codepoints.hsyncType(), "HSYNC"), codepoints);
  }

  public HsyncState getState() {
    return state;
  }

  /** The provider's label. */
  public String getLabel() {
    return label;
  }

  /** The name identifying the provider's agent. */
  public Name getIdentity() {
    return identity;
  }

  /** The upstream provider's label; empty when the zone comes from the zone owner. */
  public Optional<String> getUpstream() {
    return NO_UPSTREAM.equals(upstream) ? Optional.empty() : Optional.of(upstream);
  }

  @Override
  String mnemonic() {
    return "HSYNC";
  }

  @Override
  void readRdata(WireReader in) throws MalformedDataException {
    DNSOutput raw = new DNSOutput();
    int rawState = in.u8("state");
    raw.writeU8(rawState);
    state = HsyncState.fromWire(rawState, codepoints);
    label = wireLabel(in, "label", false, raw);
    identity = in.name("identity");
    // the name's labels are kept as they came (case included); written uncompressed as read
    identity.toWire(raw, null, false);
    upstream = wireLabel(in, "upstream", true, raw);
    received = raw.toByteArray();
  }

  private static String wireLabel(WireReader in, String field, boolean dotAllowed,
      DNSOutput raw) throws MalformedDataException {
    int at = in.offset();
    byte[] b = in.characterString(field);
    raw.writeCountedString(b);
    if (dotAllowed && b.length == 1 && b[0] == '.') {
      return NO_UPSTREAM;
    }
    if (b.length > 1 && b[b.length - 1] == '.') {
      // tdns appends a dot to the label when parsing its zone text; drop exactly one
      b = Arrays.copyOf(b, b.length - 1);
    }
    String p = Labels.problem(b);
    if (p != null) {
      throw in.error(field, at, p);
    }
    return new String(b, StandardCharsets.US_ASCII);
  }

  @Override
  void readRdata(TextReader in) throws MalformedDataException {
    state = HsyncState.parse(in.word("state"), codepoints);
    label = textLabel(in, "label", false);
    identity = in.name("identity");
    upstream = textLabel(in, "upstream", true);
  }

  private static String textLabel(TextReader in, String field, boolean dotAllowed)
      throws MalformedDataException {
    String s = new String(in.unescape(field, in.next(field).text()), StandardCharsets.US_ASCII);
    if (dotAllowed && NO_UPSTREAM.equals(s)) {
      return NO_UPSTREAM;
    }
    String p = Labels.problem(s);
    if (p != null) {
      throw in.error(field, p);
    }
    return s;
  }

  @Override
  protected void rrToWire(DNSOutput out, Compression c, boolean canonical) {
    byte[] asReceived = received;
    if (asReceived != null) {
      out.writeByteArray(asReceived);
      return;
    }
    out.writeU8(state.toWire(codepoints));
    out.writeCountedString(label.getBytes(StandardCharsets.US_ASCII));
    // RFC 3597 §7: no compression, no lower-casing
    identity.toWire(out, null, false);
    out.writeCountedString(upstream.getBytes(StandardCharsets.US_ASCII));
  }

  @Override
  protected String rrToString() {
    return state + " " + label + " " + identity + " " + upstream;
  }
}
