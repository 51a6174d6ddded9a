package io.github.zonecut.core;

import io.github.zonecut.core.internal.TextReader;
import io.github.zonecut.core.internal.WireReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.Compression;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * HSYNCPARAM, the zone owner's zone-wide multi-provider policy (draft-leon-dnsop-signaling-zone-
 * owner-intent-01; layout of the reference implementation, tdns). The type code is a draft
 * number: {@link Codepoints#hsyncParamType()}. One per zone, at the apex.
 *
 * <p>RDATA: a list of {@link HsyncParam}s, each u16 key, u16 length, value, with keys strictly
 * increasing on the wire (as SVCB, RFC 9460 §2.2). Presentation:
 * {@code nsmgmt="agent" servers="alpha,echo" signers="alpha" auditors="audit" pubkey}; text
 * input may list the keys in any order, and they are sorted.
 */
public final class HsyncParamRecord extends ZonecutRecord {
  private static final long serialVersionUID = 1L;

  private List<HsyncParam> params = List.of();

  /** For dnsjava's type registry. */
  HsyncParamRecord(Codepoints codepoints) {
    super(codepoints);
  }

  private HsyncParamRecord(Name owner, int dclass, long ttl, Codepoints codepoints) {
    super(owner, codepoints.hsyncParamType(), dclass, ttl, codepoints);
  }

  /**
   * An HSYNCPARAM record with type code {@code codepoints.hsyncParamType()}.
   *
   * @param params the parameters, in any order; sorted by key
   * @throws IllegalArgumentException if a key appears twice or the owner is relative
   */
  public HsyncParamRecord(Name owner, int dclass, long ttl, Collection<HsyncParam> params,
      Codepoints codepoints) {
    this(owner, dclass, ttl, codepoints);
    List<HsyncParam> sorted = new ArrayList<>(params);
    sorted.sort(Comparator.comparingInt(HsyncParam::key));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).key() == sorted.get(i - 1).key()) {
        throw new IllegalArgumentException("HSYNCPARAM key " + HsyncParam.name(sorted.get(i)
            .key()) + " given twice");
      }
    }
    this.params = List.copyOf(sorted);
  }

  /** An IN-class HSYNCPARAM record in the {@link Codepoints#DEFAULT} profile. */
  public static HsyncParamRecord of(Name owner, long ttl, Collection<HsyncParam> params) {
    return new HsyncParamRecord(owner, DClass.IN, ttl, params, Codepoints.DEFAULT);
  }

  /**
   * Decodes HSYNCPARAM RDATA strictly: keys strictly increasing, 65535 refused, every known key
   * in its format, lengths within the RDATA.
   *
   * @throws MalformedDataException naming the key and offset that are wrong
   */
  public static HsyncParamRecord fromRdata(Name owner, int dclass, long ttl, byte[] rdata,
      Codepoints codepoints) throws MalformedDataException {
    HsyncParamRecord r = new HsyncParamRecord(owner, dclass, ttl, codepoints);
    r.decodeWire(rdata);
    return r;
  }

  /**
   * Parses HSYNCPARAM RDATA in presentation form.
   *
   * @throws MalformedDataException naming the key that is wrong
   */
  public static HsyncParamRecord parse(Name owner, int dclass, long ttl, String rdata,
      Codepoints codepoints) throws MalformedDataException {
    HsyncParamRecord r = new HsyncParamRecord(owner, dclass, ttl, codepoints);
    r.decodeText(rdata);
    return r;
  }

  /**
   * This record as an {@code HsyncParamRecord}, decoding the RDATA of any other record of type
   * {@code codepoints.hsyncParamType()} (for instance an {@link org.xbill.DNS.UNKRecord}).
   *
   * @throws MalformedDataException if the type differs or the RDATA is malformed
   */
  public static HsyncParamRecord from(Record record, Codepoints codepoints)
      throws MalformedDataException {
    if (record instanceof HsyncParamRecord
        && ((HsyncParamRecord) record).codepoints.hsyncParamType()
            == codepoints.hsyncParamType()) {
      return (HsyncParamRecord) record;
    }
    return fromRdata(record.getName(), record.getDClass(), record.getTTL(),
        rdataOf(record, codepoints.hsyncParamType(), "HSYNCPARAM"), codepoints);
  }

  /** All parameters, by increasing key; unmodifiable. */
  public List<HsyncParam> getParams() {
    return params;
  }

  /** The parameter with this key, if present. */
  public Optional<HsyncParam> get(int key) {
    for (HsyncParam p : params) {
      if (p.key() == key) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Who maintains the NS RRset ({@code nsmgmt}), if said. */
  public Optional<HsyncParam.Role> getNsmgmt() {
    return get(HsyncParam.NSMGMT).flatMap(HsyncParam::role);
  }

  /** Who synchronises with the parent ({@code parentsync}), if said. */
  public Optional<HsyncParam.Role> getParentsync() {
    return get(HsyncParam.PARENTSYNC).flatMap(HsyncParam::role);
  }

  /** The data-contributing providers ({@code servers}); empty if absent. */
  public List<String> getServers() {
    return get(HsyncParam.SERVERS).map(HsyncParam::labels).orElse(List.of());
  }

  /** The signing providers ({@code signers}); empty if absent. */
  public List<String> getSigners() {
    return get(HsyncParam.SIGNERS).map(HsyncParam::labels).orElse(List.of());
  }

  /** The observer-only providers ({@code auditors}); empty if absent. */
  public List<String> getAuditors() {
    return get(HsyncParam.AUDITORS).map(HsyncParam::labels).orElse(List.of());
  }

  /** Whether providers publish the child's SIG(0) KEY ({@code pubkey}). */
  public boolean isPubkey() {
    return get(HsyncParam.PUBKEY).isPresent();
  }

  /** Whether providers publish CDS/CDNSKEY ({@code pubcds}). */
  public boolean isPubcds() {
    return get(HsyncParam.PUBCDS).isPresent();
  }

  /** The label under which providers may add NS and glue ({@code suffix}), if given. */
  public Optional<String> getSuffix() {
    return get(HsyncParam.SUFFIX).map(p -> new String(p.rawValue(), StandardCharsets.US_ASCII));
  }

  @Override
  String mnemonic() {
    return "HSYNCPARAM";
  }

  @Override
  void readRdata(WireReader in) throws MalformedDataException {
    List<HsyncParam> out = new ArrayList<>();
    int last = -1;
    while (in.remaining() > 0) {
      int at = in.offset();
      int key = in.u16("key");
      if (key <= last) {
        throw in.error("key", at, "key " + key + " not above previous key " + last
            + " (keys must be strictly increasing)");
      }
      last = key;
      int len = in.u16(HsyncParam.name(key) + " length");
      int valueAt = in.offset();
      byte[] value = in.bytes(HsyncParam.name(key), len);
      String p = HsyncParam.problem(key, value);
      if (p != null) {
        throw in.error(HsyncParam.name(key), key == HsyncParam.INVALID ? at : valueAt, p);
      }
      out.add(new HsyncParam(key, value));
    }
    params = List.copyOf(out);
  }

  @Override
  void readRdata(TextReader in) throws MalformedDataException {
    List<HsyncParam> list = new ArrayList<>(HsyncParam.parseAll(in));
    list.sort(Comparator.comparingInt(HsyncParam::key));
    for (int i = 1; i < list.size(); i++) {
      if (list.get(i).key() == list.get(i - 1).key()) {
        throw in.error(HsyncParam.name(list.get(i).key()), "key given twice");
      }
    }
    params = List.copyOf(list);
  }

  @Override
  protected void rrToWire(DNSOutput out, Compression c, boolean canonical) {
    for (HsyncParam p : params) {
      out.writeU16(p.key());
      out.writeU16(p.length());
      out.writeByteArray(p.rawValue());
    }
  }

  @Override
  protected String rrToString() {
    StringBuilder sb = new StringBuilder();
    for (HsyncParam p : params) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(p);
    }
    return sb.toString();
  }
}
