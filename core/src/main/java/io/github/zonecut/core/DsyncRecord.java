package io.github.zonecut.core;

import io.github.zonecut.core.internal.TextReader;
import io.github.zonecut.core.internal.WireReader;
import java.util.Objects;
import org.xbill.DNS.Compression;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * DSYNC, the endpoint of a parent's delegation synchronisation (RFC 9859 §2), type 66.
 *
 * <p>RDATA: RRtype (u16), Scheme (u8), Port (u16), Target (uncompressed domain name). The
 * presentation form is {@code CDS NOTIFY 5359 target.example.}: the RRtype as a mnemonic (or
 * {@code TYPEnnn}), the scheme as a mnemonic where the {@link Codepoints} profile knows one,
 * else decimal.
 *
 * <p>The codec is strict: truncated or trailing RDATA and a compressed target raise {@link
 * MalformedDataException}. The target is never compressed on output, and keeps its case in the
 * canonical form that DNSSEC and {@link #equals} use, because RFC 3597 §7 forbids lower-casing
 * names in the RDATA of types defined after it.
 */
public final class DsyncRecord extends ZonecutRecord {
  private static final long serialVersionUID = 1L;

  /** The DSYNC RR type (RFC 9859 §6.1). */
  public static final int TYPE = 66;

  private int rrType;
  private DsyncScheme scheme = DsyncScheme.NULL;
  private int port;
  private Name target = Name.root;

  /** For dnsjava's type registry. */
  DsyncRecord(Codepoints codepoints) {
    super(codepoints);
  }

  private DsyncRecord(Name owner, int dclass, long ttl, Codepoints codepoints) {
    super(owner, TYPE, dclass, ttl, codepoints);
  }

  /**
   * A DSYNC record.
   *
   * @param owner the owner, e.g. {@code _dsync.parent.} or {@code child._dsync.parent.}
   * @param dclass the class, normally {@link DClass#IN}
   * @param ttl the TTL
   * @param rrType the type of notification this endpoint takes: CDS, CSYNC, or ANY for UPDATE
   * @param scheme the scheme
   * @param port the target port; 0 means consumers ignore the record
   * @param target the absolute target host name
   * @param codepoints the profile naming the draft schemes
   * @throws IllegalArgumentException if a name is relative or a number out of range
   */
  public DsyncRecord(Name owner, int dclass, long ttl, int rrType, DsyncScheme scheme, int port,
      Name target, Codepoints codepoints) {
    this(owner, dclass, ttl, codepoints);
    this.rrType = checkU16("DSYNC RRtype", rrType);
    this.scheme = Objects.requireNonNull(scheme, "scheme");
    this.port = checkU16("DSYNC port", port);
    this.target = absolute("DSYNC target", target);
  }

  /** An IN-class DSYNC record in the {@link Codepoints#DEFAULT} profile. */
  public static DsyncRecord of(Name owner, long ttl, int rrType, DsyncScheme scheme, int port,
      Name target) {
    return new DsyncRecord(owner, DClass.IN, ttl, rrType, scheme, port, target,
        Codepoints.DEFAULT);
  }

  /**
   * Decodes DSYNC RDATA strictly.
   *
   * @throws MalformedDataException for truncated or trailing octets or a compressed target,
   *     naming the field and its offset
   */
  public static DsyncRecord fromRdata(Name owner, int dclass, long ttl, byte[] rdata,
      Codepoints codepoints) throws MalformedDataException {
    DsyncRecord r = new DsyncRecord(owner, dclass, ttl, codepoints);
    r.decodeWire(rdata);
    return r;
  }

  /** {@link #fromRdata(Name, int, long, byte[], Codepoints)} in the default profile. */
  public static DsyncRecord fromRdata(Name owner, int dclass, long ttl, byte[] rdata)
      throws MalformedDataException {
    return fromRdata(owner, dclass, ttl, rdata, Codepoints.DEFAULT);
  }

  /**
   * Parses DSYNC RDATA in presentation form, e.g. {@code CDS NOTIFY 5359 scanner.example.}.
   * The target must be absolute.
   *
   * @throws MalformedDataException naming the field that is wrong
   */
  public static DsyncRecord parse(Name owner, int dclass, long ttl, String rdata,
      Codepoints codepoints) throws MalformedDataException {
    DsyncRecord r = new DsyncRecord(owner, dclass, ttl, codepoints);
    r.decodeText(rdata);
    return r;
  }

  /** {@link #parse(Name, int, long, String, Codepoints)} in the default profile. */
  public static DsyncRecord parse(Name owner, int dclass, long ttl, String rdata)
      throws MalformedDataException {
    return parse(owner, dclass, ttl, rdata, Codepoints.DEFAULT);
  }

  /**
   * This record as a {@code DsyncRecord}: itself if it is one, otherwise its RDATA decoded
   * strictly; an {@link org.xbill.DNS.UNKRecord} of type 66 (parsed before registration) works.
   *
   * @throws MalformedDataException if the record is not of type 66 or its RDATA is malformed
   */
  public static DsyncRecord from(Record record, Codepoints codepoints)
      throws MalformedDataException {
    if (record instanceof DsyncRecord) {
      return (DsyncRecord) record;
    }
    return fromRdata(record.getName(), record.getDClass(), record.getTTL(),
        rdataOf(record, TYPE, "DSYNC"), codepoints);
  }

  /** The notification type this endpoint takes (CDS, CSYNC; ANY for UPDATE). */
  public int getRRType() {
    return rrType;
  }

  /** The scheme. */
  public DsyncScheme getScheme() {
    return scheme;
  }

  /** The target port. */
  public int getPort() {
    return port;
  }

  /** The target host, with the case it was given. */
  public Name getTarget() {
    return target;
  }

  /**
   * Whether RFC 9859 §2.1 tells consumers to ignore this record: null scheme (0) or port 0.
   */
  public boolean isIgnored() {
    return scheme.isNull() || port == 0;
  }

  @Override
  String mnemonic() {
    return "DSYNC";
  }

  @Override
  void readRdata(WireReader in) throws MalformedDataException {
    rrType = in.u16("RRtype");
    scheme = DsyncScheme.valueOf(in.u8("scheme"));
    port = in.u16("port");
    target = in.name("target");
  }

  @Override
  void readRdata(TextReader in) throws MalformedDataException {
    rrType = in.type("RRtype");
    scheme = DsyncScheme.parse(in.word("scheme"), codepoints);
    port = (int) in.number("port", 0xFFFF);
    target = in.name("target");
  }

  @Override
  protected void rrToWire(DNSOutput out, Compression c, boolean canonical) {
    out.writeU16(rrType);
    out.writeU8(scheme.value());
    out.writeU16(port);
    // RFC 9859 §2.1: never compressed; RFC 3597 §7: not lower-cased in canonical form
    target.toWire(out, null, false);
  }

  @Override
  protected String rrToString() {
    return Type.string(rrType) + " " + scheme.toString(codepoints) + " " + port + " " + target;
  }
}
