package io.github.zonecut.core;

import io.github.zonecut.core.internal.TextReader;
import io.github.zonecut.core.internal.WireReader;
import java.io.IOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Tokenizer;
import org.xbill.DNS.UNKRecord;
import org.xbill.DNS.WireParseException;

/**
 * The shared plumbing of zonecut's record types: dnsjava's wire and text hooks delegate to the
 * same strict decoders as the public {@code fromRdata}/{@code parse} factories, turning a {@link
 * MalformedDataException} into the {@link IOException} subtype dnsjava expects.
 *
 * <p>Instances are immutable once built: dnsjava fills a fresh instance through the hooks, the
 * factories through {@link #decodeWire} or {@link #decodeText}, and nothing changes it after.
 */
abstract class ZonecutRecord extends Record {
  private static final long serialVersionUID = 1L;

  /** The profile whose numbers and mnemonics this record reads and writes. */
  final Codepoints codepoints;

  /** For dnsjava's factory; the header fields are set by dnsjava. */
  ZonecutRecord(Codepoints codepoints) {
    this.codepoints = Objects.requireNonNull(codepoints, "codepoints");
  }

  ZonecutRecord(Name owner, int type, int dclass, long ttl, Codepoints codepoints) {
    super(owner, type, dclass, ttl);
    this.codepoints = Objects.requireNonNull(codepoints, "codepoints");
  }

  /** The mnemonic used in error messages and presentation (e.g. {@code "DSYNC"}). */
  abstract String mnemonic();

  /** Reads every RDATA field; the caller checks that nothing is left. */
  abstract void readRdata(WireReader in) throws MalformedDataException;

  /** Reads every RDATA field from presentation text; the caller checks nothing is left. */
  abstract void readRdata(TextReader in) throws MalformedDataException;

  /** The profile this record uses for draft numbers and their mnemonics. */
  public final Codepoints codepoints() {
    return codepoints;
  }

  final void decodeWire(byte[] rdata) throws MalformedDataException {
    decodeWire(new WireReader(mnemonic(), rdata));
  }

  private void decodeWire(WireReader in) throws MalformedDataException {
    readRdata(in);
    in.end();
  }

  final void decodeText(String text) throws MalformedDataException {
    TextReader in = TextReader.of(mnemonic(), text, null);
    readRdata(in);
    in.end();
  }

  @Override
  protected final void rrFromWire(DNSInput in) throws IOException {
    // dnsjava has limited the input to RDLENGTH; the strict reader decodes in place and refuses
    // a compression pointer even though the message around the record would resolve it
    try {
      decodeWire(new WireReader(mnemonic(), in));
    } catch (MalformedDataException e) {
      throw new WireParseException(e.getMessage(), e);
    }
  }

  @Override
  protected final void rdataFromString(Tokenizer st, @Nullable Name origin) throws IOException {
    TextReader in = TextReader.of(mnemonic(), st, origin);
    try {
      readRdata(in);
      in.end();
    } catch (MalformedDataException e) {
      throw st.exception(e.getMessage(), e);
    }
  }

  /**
   * The RDATA of {@code record} when it has type {@code type}: the raw data of an {@link
   * UNKRecord} (the type was not registered with dnsjava when it was parsed), otherwise its
   * wire form.
   */
  static byte[] rdataOf(Record record, int type, String mnemonic)
      throws MalformedDataException {
    if (record.getType() != type) {
      throw new MalformedDataException(mnemonic + " record", -1,
          "record has type " + record.getType() + ", not " + type);
    }
    if (record instanceof UNKRecord) {
      return ((UNKRecord) record).getData();
    }
    return record.rdataToWireCanonical();
  }

  /** Checks an absolute name given to a constructor. */
  static Name absolute(String field, Name name) {
    Objects.requireNonNull(name, field);
    if (!name.isAbsolute()) {
      throw new IllegalArgumentException(field + " must be absolute: " + name);
    }
    return name;
  }

  static int checkU16(String field, int v) {
    if (v < 0 || v > 0xFFFF) {
      throw new IllegalArgumentException(field + " out of range 0..65535: " + v);
    }
    return v;
  }
}
