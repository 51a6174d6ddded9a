package io.github.zonecut.core;

import io.github.zonecut.core.internal.TextReader;
import io.github.zonecut.core.internal.TypeBitmaps;
import io.github.zonecut.core.internal.WireReader;
import java.util.Collection;
import java.util.SortedSet;
import java.util.TreeSet;
import org.xbill.DNS.Compression;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * CSYNC, the child-to-parent synchronisation request (RFC 7477 §2), type 62. dnsjava 3.7.1 knows
 * the mnemonic but has no record class for it.
 *
 * <p>RDATA: SOA serial (u32), flags (u16: {@link #FLAG_IMMEDIATE}, {@link #FLAG_SOAMINIMUM}),
 * and an NSEC-style type bit map (RFC 4034 §4.1.2). Presentation: {@code 66 3 A NS AAAA}. The
 * bit map decoder refuses what RFC 4034 §4.1.2 forbids: windows out of order or repeated, blocks
 * of 0 or more than 32 octets, and trailing zero octets; and the bit of type 0, which is reserved
 * (RFC 6895 §3.1) and names nothing a parent could synchronise.
 */
public final class CsyncRecord extends ZonecutRecord {
  private static final long serialVersionUID = 1L;

  /** The CSYNC RR type (RFC 7477 §5). */
  public static final int TYPE = 62;

  /** Flag {@code immediate}: the parent may act without approval (RFC 7477 §2.1.1.1). */
  public static final int FLAG_IMMEDIATE = 0x0001;

  /** Flag {@code soaminimum}: ignore child data older than the serial (RFC 7477 §2.1.1.1). */
  public static final int FLAG_SOAMINIMUM = 0x0002;

  private long serial;
  private int flags;
  /** The validated type bit map octets; {@link #getTypes()} decodes them. */
  private byte[] bitmap = new byte[0];

  /** For dnsjava's type registry. */
  CsyncRecord(Codepoints codepoints) {
    super(codepoints);
  }

  private CsyncRecord(Name owner, int dclass, long ttl) {
    super(owner, TYPE, dclass, ttl, Codepoints.DEFAULT);
  }

  /**
   * A CSYNC record.
   *
   * @param owner the child zone apex
   * @param dclass the class, normally {@link DClass#IN}
   * @param ttl the TTL
   * @param serial the SOA serial the data refers to
   * @param flags the flags (u16); bits other than the two defined ones are carried as given
   * @param types the RR types to synchronise, each 0–65535 (RFC 7477 §3.2: NS, A, AAAA)
   * @throws IllegalArgumentException if a number is out of range, a type is 0 (reserved) or the
   *     owner is relative
   */
  public CsyncRecord(Name owner, int dclass, long ttl, long serial, int flags,
      Collection<Integer> types) {
    this(owner, dclass, ttl);
    if (serial < 0 || serial > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("CSYNC serial out of range 0..4294967295: " + serial);
    }
    this.serial = serial;
    this.flags = checkU16("CSYNC flags", flags);
    TreeSet<Integer> copy = new TreeSet<>();
    for (Integer t : types) {
      if (checkU16("CSYNC type", t) == 0) {
        throw new IllegalArgumentException("CSYNC type 0 (TYPE0) is reserved (RFC 6895 §3.1)");
      }
      copy.add(t);
    }
    this.bitmap = TypeBitmaps.encode(copy);
  }

  /**
   * Decodes CSYNC RDATA strictly.
   *
   * @throws MalformedDataException for truncated RDATA or a malformed type bit map, naming the
   *     offset
   */
  public static CsyncRecord fromRdata(Name owner, int dclass, long ttl, byte[] rdata)
      throws MalformedDataException {
    CsyncRecord r = new CsyncRecord(owner, dclass, ttl);
    r.decodeWire(rdata);
    return r;
  }

  /**
   * Parses CSYNC RDATA in presentation form, e.g. {@code 66 3 A NS AAAA}.
   *
   * @throws MalformedDataException naming the field that is wrong
   */
  public static CsyncRecord parse(Name owner, int dclass, long ttl, String rdata)
      throws MalformedDataException {
    CsyncRecord r = new CsyncRecord(owner, dclass, ttl);
    r.decodeText(rdata);
    return r;
  }

  /**
   * This record as a {@code CsyncRecord}, decoding the RDATA of any other record of type 62
   * (for instance an {@link org.xbill.DNS.UNKRecord}).
   *
   * @throws MalformedDataException if the record is not of type 62 or its RDATA is malformed
   */
  public static CsyncRecord from(Record record) throws MalformedDataException {
    if (record instanceof CsyncRecord) {
      return (CsyncRecord) record;
    }
    return fromRdata(record.getName(), record.getDClass(), record.getTTL(),
        rdataOf(record, TYPE, "CSYNC"));
  }

  /** The SOA serial (u32). */
  public long getSerial() {
    return serial;
  }

  /** The flags field (u16). */
  public int getFlags() {
    return flags;
  }

  /** Whether the {@code immediate} flag is set. */
  public boolean isImmediate() {
    return (flags & FLAG_IMMEDIATE) != 0;
  }

  /** Whether the {@code soaminimum} flag is set. */
  public boolean isSoaMinimum() {
    return (flags & FLAG_SOAMINIMUM) != 0;
  }

  /** The RR types to synchronise, ascending; unmodifiable. */
  public SortedSet<Integer> getTypes() {
    return TypeBitmaps.decode(bitmap);
  }

  @Override
  String mnemonic() {
    return "CSYNC";
  }

  @Override
  void readRdata(WireReader in) throws MalformedDataException {
    serial = in.u32("serial");
    flags = in.u16("flags");
    int at = in.offset();
    bitmap = TypeBitmaps.read(in, "type bit map");
    // window 0, first octet, most significant bit: TYPE0 (RFC 4034 §4.1.2 bit numbering)
    if (bitmap.length > 2 && bitmap[0] == 0 && (bitmap[2] & 0x80) != 0) {
      throw in.error("type bit map", at + 2, "TYPE0 is reserved (RFC 6895 §3.1) and may not "
          + "be listed");
    }
  }

  @Override
  void readRdata(TextReader in) throws MalformedDataException {
    serial = in.number("serial", 0xFFFF_FFFFL);
    flags = (int) in.number("flags", 0xFFFF);
    TreeSet<Integer> set = new TreeSet<>();
    while (in.hasNext()) {
      int t = in.type("type");
      if (t == 0) {
        throw in.error("type", "TYPE0 is reserved (RFC 6895 §3.1) and may not be listed");
      }
      set.add(t);
    }
    bitmap = TypeBitmaps.encode(set);
  }

  @Override
  protected void rrToWire(DNSOutput out, Compression c, boolean canonical) {
    out.writeU32(serial);
    out.writeU16(flags);
    out.writeByteArray(bitmap);
  }

  @Override
  protected String rrToString() {
    StringBuilder sb = new StringBuilder();
    sb.append(serial).append(' ').append(flags);
    for (int t : getTypes()) {
      sb.append(' ').append(Type.string(t));
    }
    return sb.toString();
  }
}
